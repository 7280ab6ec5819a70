//! One number for one question: every page that counts the UN System entities a selection
//! holds (the overview, the list, the org chart, a crime type's page, the API and the
//! facets) gives the same count, with the same denominator, for every value of every entity
//! and crime-type dimension; and that count is the one a direct reading of the data gives.

mod common;

use mandate_map::dataset::{CRIME, Dataset, ORGAN, PILLAR};
use mandate_map::query::encode;

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
