//! One number for one question: every page that counts the UN System entities a selection
//! holds (the overview, the list, the org chart, a crime type's page, the API and the
//! facets) gives the same count, with the same denominator, for every value of every entity
//! and crime-type dimension; and that count is the one a direct reading of the data gives.
//! A crime type's count is the same on the coverage chart, the overlap's diagonal, the
//! breakdown's segments, the overlaps page, the crime profiles and the overview's pillars:
//! each counts the chart's boxes, and lists the bodies within another entity apart.

mod common;

use mandate_map::charts::{self, Chart, ChartRequest};
use mandate_map::dataset::{CRIME, Dataset, ORGAN, PILLAR};
use mandate_map::query::encode;
use mandate_map::stats;

type Attributes = std::collections::HashMap<String, String>;

const FILTERS: [&str; 4] = [
    "",
    "pillar=development",
    "organ=secretariat",
    "basis=mandate",
];

fn request(data: &Dataset, chart: &'static dyn Chart, query: &str) -> ChartRequest {
    ChartRequest::from_query(data, chart, query).unwrap()
}

/// The counts of a chart's elements that `keep` accepts, added up per crime type (the crime
/// type an element or its group names).
fn chart_counts(
    data: &Dataset,
    chart: &'static dyn Chart,
    query: &str,
    keep: &dyn Fn(&Attributes) -> bool,
) -> Vec<usize> {
    let svg = charts::svg(data, &request(data, chart, query)).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let mut by_crime = vec![0; data.crimes().len()];
    for n in doc.descendants().filter(|n| n.has_attribute("data-count")) {
        let attrs: Attributes = n
            .attributes()
            .map(|a| (a.name().to_owned(), a.value().to_owned()))
            .collect();
        if !keep(&attrs) {
            continue;
        }
        let crime = n
            .ancestors()
            .find_map(|a| a.attribute("data-crime").or(a.attribute("data-row")))
            .unwrap();
        let term = common::crime(data, crime);
        by_crime[term.index()] += attrs["data-count"].parse::<usize>().unwrap();
    }
    by_crime
}

/// Each crime type's count in `/api/coverage` for `query`, and the chart boxes counted.
async fn api_coverage(query: &str) -> (Vec<usize>, usize) {
    let (status, _, body) = common::send(common::app(), &format!("/api/coverage?{query}")).await;
    assert!(status.is_success(), "{query}: {status}");
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    let counts = json["crimes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["count"].as_u64().unwrap() as usize)
        .collect();
    (counts, json["entities"].as_u64().unwrap() as usize)
}

async fn page(uri: &str) -> String {
    let (status, _, body) = common::send(common::app(), uri).await;
    assert!(status.is_success(), "{uri}: {status}");
    body
}

/// The number that starts the text after each occurrence of `open` in `html`.
fn numbers_after(html: &str, open: &str) -> Vec<usize> {
    html.split(open).skip(1).map(leading_number).collect()
}

/// The number `text` starts with.
fn leading_number(text: &str) -> usize {
    let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
    digits
        .parse()
        .unwrap_or_else(|_| panic!("a number at {text:.40}"))
}

/// Every tally on a page: `(counted, of, within)`.
fn tallies(html: &str) -> Vec<(usize, usize, usize)> {
    let mut found = Vec::new();
    for part in html.split("class=\"tally\"").skip(1) {
        let attr = |name: &str| -> usize {
            let start = part.find(&format!("{name}=\"")).expect("attribute") + name.len() + 2;
            let rest = &part[start..];
            rest[..rest.find('"').unwrap()].parse().unwrap()
        };
        found.push((attr("data-counted"), attr("data-of"), attr("data-within")));
    }
    found
}

#[tokio::test]
async fn every_page_counts_a_selection_the_same_way() {
    let data = Dataset::embedded().unwrap();
    let app = common::app();
    let boxes = data
        .entities()
        .iter()
        .filter(|e| e.parent().is_none())
        .count();
    for dim in [CRIME, PILLAR, ORGAN] {
        for (term, info) in data.vocabulary(dim).iter() {
            let query = encode([(dim.get().param, info.id.as_str())]);
            // The data, read directly.
            let selected = mandate_map::query::Filter::default()
                .with(dim, [term])
                .select(&data);
            let counted = selected
                .iter()
                .filter(|&i| data.entities()[i].parent().is_none())
                .count();
            let expected = (counted, boxes, selected.len() - counted);
            let mut pages = vec![
                format!("/?{query}"),
                format!("/entities?{query}"),
                format!("/system?{query}"),
            ];
            if dim == CRIME {
                pages.push(format!("/crimes/{}", info.id));
            }
            for page in pages {
                let (status, _, html) = common::send(app.clone(), &page).await;
                assert_eq!(status, 200, "{page}");
                let found = tallies(&html);
                assert!(!found.is_empty(), "{page} states its count");
                assert_eq!(found[0], expected, "{page}");
            }
            let (_, _, json) = common::send(app.clone(), &format!("/api/coverage?{query}")).await;
            let json: serde_json::Value = serde_json::from_str(&json).unwrap();
            assert_eq!(json["entities"], counted, "/api/coverage?{query}");
            assert_eq!(json["within"], expected.2, "/api/coverage?{query}");
            // The facet for this value, seen unfiltered, announces the same count.
            let (_, _, list) = common::send(app.clone(), "/entities").await;
            let facet = format!(
                "data-param=\"{}\" data-value=\"{}\"",
                dim.get().param,
                info.id
            );
            let at = list
                .find(&facet)
                .unwrap_or_else(|| panic!("a facet value {facet}"));
            let count = &list[at..];
            let count = &count[count.find("class=\"facet-count\">").unwrap() + 20..];
            let count: usize = count[..count.find('<').unwrap()].trim().parse().unwrap();
            assert_eq!(count, counted, "the facet {facet}");
        }
    }
}

#[test]
fn every_chart_counts_a_crime_type_as_the_coverage_does() {
    let data = Dataset::embedded().unwrap();
    for query in FILTERS {
        let r = request(&data, &charts::coverage::CoverageChart, query);
        let coverage: Vec<usize> = stats::coverage(&data, &r.filter.select(&data), &r.filter)
            .crimes
            .iter()
            .map(|c| c.count)
            .collect();
        assert!(coverage.iter().any(|&n| n > 0), "{query}: nothing counted");
        let bars = chart_counts(&data, &charts::coverage::CoverageChart, query, &|a| {
            a.contains_key("data-crime")
        });
        let diagonal = chart_counts(&data, &charts::overlap::OverlapChart, query, &|a| {
            a.get("data-row") == a.get("data-column")
        });
        // Every entity has one principal organ, so its segments add up to the crime type's count.
        let by_organ = format!("{query}&by=organ");
        let segments = chart_counts(&data, &charts::breakdown::BreakdownChart, &by_organ, &|a| {
            a.contains_key("data-value")
        });
        assert_eq!(bars, coverage, "{query}: the coverage chart's bars");
        assert_eq!(diagonal, coverage, "{query}: the overlap chart's diagonal");
        assert_eq!(
            segments, coverage,
            "{query}: the breakdown's segments by organ"
        );
    }
}

#[tokio::test]
async fn the_overlaps_page_counts_as_the_coverage_does() {
    for query in FILTERS {
        let (coverage, entities) = api_coverage(query).await;
        let html = page(&format!("/overlap?{query}")).await;
        let diagonal: Vec<usize> = html
            .split("<td class=\"diagonal\">")
            .skip(1)
            .map(|cell| leading_number(cell.split("\">").nth(1).unwrap()))
            .collect();
        assert_eq!(diagonal, coverage, "{query}: the table's diagonal");
        let spread: Vec<usize> = html
            .split("<tr data-crime=\"")
            .skip(1)
            .map(|row| leading_number(row.split("<td>").nth(1).unwrap()))
            .collect();
        assert_eq!(spread, coverage, "{query}: the spread's entities");
        assert_eq!(tallies(&html)[0].0, entities, "{query}: the page's tally");
    }
}

#[tokio::test]
async fn each_crime_profile_counts_as_the_coverage_does() {
    let data = Dataset::embedded().unwrap();
    let (coverage, _) = api_coverage("").await;
    let mut within = 0;
    for (term, ct) in data.crimes().iter() {
        let html = page(&format!("/crimes/{}", ct.id)).await;
        let (counted, _, w) = tallies(&html)[0];
        within += w;
        assert_eq!(counted, coverage[term.index()], "{}: the tally", ct.id);
        let organs = html.split("id=\"by-organ\"").nth(1).unwrap();
        let organs = organs.split("</ol>").next().unwrap();
        let bars: usize = numbers_after(organs, "<span class=\"bar-value\">")
            .iter()
            .sum();
        assert_eq!(bars, counted, "{}: the bars by organ", ct.id);
    }
    assert!(
        within > 0,
        "a body within another entity is on some crime type"
    );
}

#[tokio::test]
async fn the_overviews_pillars_count_as_the_coverage_does() {
    let data = Dataset::embedded().unwrap();
    let html = page("/").await;
    let section = html.split("id=\"pillar-h\"").nth(1).unwrap();
    let section = section.split("</ul>").next().unwrap();
    let shown = numbers_after(section, "<span class=\"count\">");
    let mut want = Vec::new();
    for (_, p) in data.vocabulary(PILLAR).iter() {
        want.push(api_coverage(&format!("pillar={}", p.id)).await.1);
    }
    assert_eq!(shown, want);
}
