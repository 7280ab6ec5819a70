//! From question to citation: the evidence beside every answer on the crime pages, charts
//! whose text alternatives read as a reader writes numbers, the report's Figure 1 honoured
//! or refused in every format, a control for every filter a view accepts, and a crime page
//! headline that reads as one sentence.

mod common;

use axum::http::StatusCode;
use mandate_map::charts::CHARTS;
use mandate_map::dataset::{Basis, CRIME, Dataset, Dim, Editions, Unit};

async fn get(uri: &str) -> (StatusCode, String, String) {
    common::send(common::app(), uri).await
}

/// Text as the page's reader sees it: tags dropped, the entities askama writes decoded.
fn text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    decode(&out)
}

fn decode(s: &str) -> String {
    s.replace("&#39;", "'")
        .replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&#38;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The elements of `html` that open with `open` (up to their closing `</tag>`).
fn elements<'a>(html: &'a str, open: &str, tag: &str) -> Vec<&'a str> {
    let close = format!("</{tag}>");
    html.match_indices(open)
        .map(|(at, _)| {
            let rest = &html[at..];
            &rest[..rest
                .find(&close)
                .map_or(rest.len(), |end| end + close.len())]
        })
        .collect()
}

fn editions() -> Editions {
    Editions::embedded().unwrap()
}

fn crime_page_uri(data: &Dataset, id: &str) -> String {
    let query = mandate_map::query::Filter::default().to_query(data);
    mandate_map::query::url(&format!("/crimes/{id}"), &query)
}

#[tokio::test]
async fn every_entity_listed_on_a_crime_page_shows_its_basis_and_for_a_mandate_its_decision() {
    let editions = editions();
    for data in editions.all() {
        for (crime, ct) in data.crimes().iter() {
            let uri = crime_page_uri(data, &ct.id);
            let (status, _, page) = get(&uri).await;
            assert_eq!(status, StatusCode::OK, "{uri}");
            let items = elements(&page, "<li data-entity=\"", "li");
            let on = data.working_on(crime);
            assert_eq!(
                items.len(),
                on.len(),
                "{uri}: one item per entity working on it"
            );
            for (i, entity) in data.entities_in(&on) {
                let link = data.link(i, crime).unwrap();
                let item = items
                    .iter()
                    .find(|li| li.starts_with(&format!("<li data-entity=\"{}\"", entity.id)))
                    .unwrap_or_else(|| panic!("{uri}: {} not listed", entity.id));
                let basis = link.basis();
                assert!(
                    item.contains(&format!("badge-{}", basis.as_str())),
                    "{uri}: {} shows no basis",
                    entity.id
                );
                assert!(
                    item.contains(link.grade().label()),
                    "{uri}: {} grade",
                    entity.id
                );
                if basis == Basis::Mandate {
                    let decision = link.mandate_source().trim();
                    assert!(
                        !decision.is_empty(),
                        "{}: a mandate without decision",
                        entity.id
                    );
                    let shown = elements(item, "<span class=\"decision\">", "span");
                    assert_eq!(shown.len(), 1, "{uri}: {} shows no decision", entity.id);
                    assert!(
                        text(shown[0]).contains(decision.split_whitespace().next().unwrap()),
                        "{uri}: {} decision {decision:?} not shown in {}",
                        entity.id,
                        shown[0]
                    );
                }
                // The report's words or the source, one click away.
                assert!(item.contains("<details class=\"evidence-more\">"), "{uri}");
                let more = match (link.quote(), link.source()) {
                    (Some(quote), _) => quote,
                    (None, Some(source)) => source,
                    (None, None) => panic!("{}: a link without quote or source", entity.id),
                };
                let shown = text(item);
                let start: String = more.chars().take(40).collect();
                assert!(
                    shown.contains(&start),
                    "{uri}: {} evidence {start:?}",
                    entity.id
                );
            }
        }
    }
}

#[tokio::test]
async fn a_crime_page_gives_the_reports_figure_with_its_words_and_links_the_other_views() {
    let editions = editions();
    let data = editions.all().first().unwrap();
    for (crime, ct) in data.crimes().iter() {
        let uri = crime_page_uri(data, &ct.id);
        let (_, _, page) = get(&uri).await;
        let share = data.report_figure_on(crime, Unit::Percent).unwrap();
        let figure = elements(
            &page,
            "<div class=\"figure figure-report report-figure\">",
            "div",
        );
        assert_eq!(figure.len(), 1, "{uri}");
        let shown = text(figure[0]);
        assert!(
            shown.contains(&format!("{} per cent", share.value)),
            "{shown}"
        );
        assert!(
            shown.contains(share.quote.as_str()),
            "{uri}: the report's words"
        );
        let count = data.report_figure_on(crime, Unit::Count).unwrap();
        assert!(
            shown.contains(&format!("{} entities", count.value)),
            "{shown}"
        );
        assert_eq!(
            shown.contains("implies"),
            !count.stated(),
            "{uri}: stated or implied"
        );
        for view in ["/timeline/", "/groups/", "/rapporteurs/", "/export/"] {
            let href = match view {
                "/export/" => format!("href=\"/export/crime={}/links.csv\"", ct.id),
                _ => format!("href=\"{view}crime={}/\"", ct.id),
            };
            assert!(page.contains(&href), "{uri}: no {href}");
        }
    }
}

#[tokio::test]
async fn the_report_counts_stated_and_implied_are_told_apart() {
    let data = Dataset::embedded().unwrap();
    let stated: Vec<&str> = data
        .report_figures()
        .iter()
        .filter(|f| f.unit == Unit::Count && f.crime().is_some() && f.stated())
        .map(|f| f.id.as_str())
        .collect();
    // The report writes "22 out of the 102 entities" (cybercrime, financial crime) and "21
    // entities" (arms trafficking); the other three counts follow only from the shares.
    assert_eq!(
        stated,
        [
            "count-cybercrime",
            "count-financial-crime",
            "count-arms-trafficking"
        ]
    );
    for f in data.report_figures() {
        if f.unit == Unit::Percent {
            assert!(f.stated(), "{}: the report writes its shares", f.id);
        }
    }
}

#[tokio::test]
async fn a_crime_page_headline_is_one_element_that_reads_as_one_sentence() {
    let editions = editions();
    for data in editions.all() {
        for (crime, ct) in data.crimes().iter() {
            let uri = crime_page_uri(data, &ct.id);
            let (_, _, page) = get(&uri).await;
            let headlines = elements(&page, "<p class=\"headline sentence\">", "p");
            assert_eq!(headlines.len(), 1, "{uri}");
            let sentence = text(headlines[0]);
            let tally = mandate_map::stats::tally(data, &data.working_on(crime));
            let expected = format!(
                "{} of {} UN System entities ({}%) work on it",
                tally.counted,
                tally.of,
                tally.percent()
            );
            assert!(sentence.starts_with(&expected), "{uri}: {sentence}");
            assert!(sentence.trim_end().ends_with('.'), "{uri}: {sentence}");
            assert!(sentence.contains("list them"), "{uri}: {sentence}");
        }
    }
}

/// Numbers with more than two decimals in `text` ("28.000000000000004").
fn long_decimals(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            if i + 1 < bytes.len() && bytes[i] == b'.' && bytes[i + 1].is_ascii_digit() {
                i += 1;
                let decimals = i;
                while i < bytes.len() && bytes[i].is_ascii_digit() {
                    i += 1;
                }
                if i - decimals > 2 {
                    found.push(text[start..i].to_owned());
                }
            }
        } else {
            i += 1;
        }
    }
    found
}

#[tokio::test]
async fn no_text_alternative_of_any_chart_has_a_number_with_more_than_two_decimals() {
    assert_eq!(
        long_decimals("28.000000000000004 and 34.8 and 0.25"),
        ["28.000000000000004"]
    );
    let mut queries: Vec<String> = [
        "",
        "pillar=development",
        "crime=cybercrime&crime=illicit-drugs&match=all",
        "evidence=partial",
        "basis=mandate&organ=general-assembly",
        "edition=2025",
        "edition=2025&pillar=human-rights",
        "edition=2025&crime=financial-crime",
    ]
    .iter()
    .map(|q| q.to_string())
    .collect();
    queries.push("source=report".into());
    let mut checked = 0;
    for chart in CHARTS {
        for query in &queries {
            let uri = mandate_map::query::url(&format!("/charts/{}.svg", chart.name()), query);
            let (status, _, svg) = get(&uri).await;
            if status == StatusCode::BAD_REQUEST {
                // A filter this chart does not take (bodies, instruments and mandates take
                // crime types only; only coverage draws the report's figure).
                continue;
            }
            assert_eq!(status, StatusCode::OK, "{uri}");
            for tag in ["desc", "title"] {
                for element in elements(&svg, &format!("<{tag}"), tag) {
                    let words = text(element);
                    assert!(
                        long_decimals(&words).is_empty(),
                        "{uri}: {tag} reads {words:?}"
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 200, "only {checked} text alternatives");
}

#[tokio::test]
async fn source_report_is_honoured_for_svg_png_and_csv_of_figure_1_and_refused_elsewhere() {
    let data = Dataset::embedded().unwrap();
    let (status, _, svg) = get("/charts/coverage.svg?source=report").await;
    assert_eq!(status, StatusCode::OK);
    assert!(svg.contains(mandate_map::charts::coverage::REPORT_TITLE));
    let (status, content_type, csv) = get("/charts/coverage.csv?source=report").await;
    assert_eq!(status, StatusCode::OK);
    assert!(content_type.starts_with("text/csv"));
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    assert!(
        reader
            .headers()
            .unwrap()
            .iter()
            .any(|h| h == "report_share")
    );
    for row in reader.deserialize::<std::collections::HashMap<String, String>>() {
        let row = row.unwrap();
        let crime = data.crimes().parse(&row["crime"]).unwrap();
        let share = data.report_figure_on(crime, Unit::Percent).unwrap();
        assert_eq!(row["report_share"].parse::<f64>().unwrap(), share.value);
    }
    let (evidence_status, _, evidence) = get("/charts/coverage.csv").await;
    assert_eq!(evidence_status, StatusCode::OK);
    assert_ne!(
        csv, evidence,
        "source=report must not return the evidence's numbers"
    );
    let (status, content_type, _) = get("/charts/coverage.png?source=report").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(content_type, "image/png");
    // Refused, never ignored: with a filter, in an edition without the report's figures,
    // and for a chart that does not draw it.
    for format in ["svg", "png", "csv"] {
        for query in [
            "source=report&pillar=development",
            "source=report&edition=2025",
        ] {
            let uri = format!("/charts/coverage.{format}?{query}");
            let (status, _, body) = get(&uri).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}");
            assert!(body.contains("source"), "{uri}: {body}");
        }
        let uri = format!("/charts/breakdown.{format}?source=report");
        let (status, _, body) = get(&uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}");
        assert!(body.contains("source"), "{uri}: {body}");
    }
}

#[tokio::test]
async fn every_filter_a_view_accepts_has_a_control_on_it() {
    let data = Dataset::embedded().unwrap();
    let crimes: Vec<&str> = data.crimes().iter().map(|(_, c)| c.id.as_str()).collect();
    let two = format!("crime={}&crime={}", crimes[0], crimes[1]);
    for view in [
        "/",
        "/system",
        "/entities",
        "/overlap",
        "/changes",
        "/groups",
        "/timeline",
        "/rapporteurs",
    ] {
        for dim in Dim::all() {
            let param = dim.get().param;
            let value = data
                .vocabulary(dim)
                .id(data.vocabulary(dim).terms().next().unwrap());
            let uri = format!("{view}?{}", mandate_map::query::encode([(param, value)]));
            let (status, _, page) = get(&uri).await;
            if status == StatusCode::BAD_REQUEST {
                assert_ne!(dim, CRIME, "{uri}: every view takes crime types");
                continue;
            }
            assert_eq!(status, StatusCode::OK, "{uri}");
            assert!(
                page.contains(&format!("data-param=\"{param}\"")),
                "{uri}: accepted, but no control for {param}"
            );
        }
        let (status, _, page) = get(&format!("{view}?q=drug")).await;
        if status == StatusCode::OK {
            assert!(
                page.contains("name=\"q\""),
                "{view}: accepts q but has no search box"
            );
        }
        let (status, _, page) = get(&format!("{view}?{two}")).await;
        assert_eq!(status, StatusCode::OK, "{view}?{two}");
        assert!(
            page.contains("match=all"),
            "{view}: accepts match but offers no switch with two crime types selected"
        );
    }
}

#[tokio::test]
async fn the_org_charts_panel_shows_each_link_with_its_evidence() {
    let data = Dataset::embedded().unwrap();
    let mut mandates = 0;
    for (crime, ct) in data.crimes().iter() {
        for (i, entity) in data.entities_in(&data.working_on(crime)) {
            let link = data.link(i, crime).unwrap();
            let uri = format!("/system?crime={}&entity={}", ct.id, entity.id);
            let (status, _, page) = get(&uri).await;
            assert_eq!(status, StatusCode::OK, "{uri}");
            let dialog = elements(&page, "<dialog id=\"entity-dialog\"", "dialog");
            assert_eq!(dialog.len(), 1, "{uri}");
            let dialog = dialog[0];
            assert!(
                dialog.contains(&format!("badge-{}", link.basis().as_str())),
                "{uri}"
            );
            assert!(dialog.contains(link.grade().label()), "{uri}");
            if link.basis() == Basis::Mandate {
                assert!(dialog.contains("<span class=\"decision\">"), "{uri}");
                mandates += 1;
            }
        }
    }
    assert!(mandates > 10, "only {mandates} mandates seen");
}

/// The resolution a PNG declares in its `pHYs` chunk, in dots per inch.
fn png_dpi(png: &[u8]) -> Option<f64> {
    let at = png.windows(4).position(|w| w == b"pHYs")? + 4;
    let per_unit = u32::from_be_bytes(png.get(at..at + 4)?.try_into().ok()?);
    (png.get(at + 8) == Some(&1)).then(|| f64::from(per_unit) * 0.0254)
}

#[tokio::test]
async fn the_print_png_is_300_dpi_and_the_panel_tells_its_size() {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    for (scale, dpi) in [(1, 75.0), (2, 150.0), (4, 300.0)] {
        let uri = format!("/charts/coverage.png?pillar=development&scale={scale}");
        let response = common::app()
            .oneshot(
                axum::http::Request::get(uri.as_str())
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{uri}");
        let png = response.into_body().collect().await.unwrap().to_bytes();
        let declared = png_dpi(&png).unwrap_or_else(|| panic!("{uri}: no pHYs"));
        assert!((declared - dpi).abs() < 0.5, "{uri}: {declared} dpi");
    }
    // The overview's coverage chart: its printed width is 4 × its width in pixels / 300.
    let (_, _, svg) = get("/charts/coverage.svg?pillar=development").await;
    let width: f64 = svg
        .split_once(" width=\"")
        .and_then(|(_, rest)| rest.split_once('"'))
        .and_then(|(w, _)| w.parse().ok())
        .unwrap();
    let (_, _, page) = get("/?pillar=development").await;
    let told = format!("({:.1} ×", 4.0 * width / 300.0);
    assert!(
        page.contains("scale=4") && page.contains(&told) && page.contains("at 300 dpi"),
        "the panel offers the print PNG with its size {told}"
    );
}
