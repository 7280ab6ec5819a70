//! The report's other figures, rebuilt: the timeline (Figure 2), the coordination bodies
//! (Figure 3) and the special procedures (Figure 4), each as a view, a chart and an API,
//! checked against the data files read directly with `csv`, for every crime-type filter;
//! filters that do not apply are refused by name.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use axum::http::StatusCode;
use mandate_map::charts::{self, ChartRequest};
use mandate_map::dataset::Dataset;

fn data() -> Dataset {
    Dataset::embedded().unwrap()
}

async fn get(uri: &str) -> (StatusCode, String, String) {
    common::send(common::app(), uri).await
}

/// The rows of a file of `data/`, as maps from column to value.
fn rows(file: &str) -> Vec<BTreeMap<String, String>> {
    let path = format!("{}/data/{file}", env!("CARGO_MANIFEST_DIR"));
    let mut reader = csv::Reader::from_path(path).unwrap();
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_owned(), v.to_owned()))
                .collect()
        })
        .collect()
}

/// The `;`-separated crime type ids of a row.
fn crimes(row: &BTreeMap<String, String>) -> BTreeSet<String> {
    row["crimes"]
        .split(';')
        .filter(|c| !c.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The crime-type filters to check: none, each crime type, every pair with `any` and `all`.
fn crime_filters() -> Vec<(String, Vec<String>, bool)> {
    let ids: Vec<String> = rows("crime_types.csv")
        .into_iter()
        .map(|r| r["id"].clone())
        .collect();
    let mut filters = vec![(String::new(), Vec::new(), false)];
    for (k, a) in ids.iter().enumerate() {
        filters.push((format!("crime={a}"), vec![a.clone()], false));
        for b in &ids[k + 1..] {
            let pair = vec![a.clone(), b.clone()];
            filters.push((format!("crime={a}&crime={b}"), pair.clone(), false));
            filters.push((format!("crime={a}&crime={b}&match=all"), pair, true));
        }
    }
    filters
}

/// Whether a thing working on `has` is selected by `wanted` (any, or all).
fn admitted(has: &BTreeSet<String>, wanted: &[String], all: bool) -> bool {
    if all {
        wanted.iter().all(|c| has.contains(c))
    } else {
        wanted.is_empty() || wanted.iter().any(|c| has.contains(c))
    }
}

/// The ids of the groups a crime filter selects, by brute force over `groups.csv`.
fn groups_selected(wanted: &[String], all: bool) -> Vec<String> {
    rows("groups.csv")
        .iter()
        .filter(|g| admitted(&crimes(g), wanted, all))
        .map(|g| g["id"].clone())
        .collect()
}

#[tokio::test]
async fn the_groups_api_selects_by_crime_type_as_the_files_say() {
    let members = rows("group_members.csv");
    for (query, wanted, all) in crime_filters() {
        let (status, _, body) = get(&format!("/api/groups?{query}")).await;
        assert_eq!(status, StatusCode::OK, "{query}");
        let json: serde_json::Value = serde_json::from_str(&body).unwrap();
        let ids: Vec<String> = json["groups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["id"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(ids, groups_selected(&wanted, all), "{query}");
        assert_eq!(json["count"], ids.len(), "{query}");
        for g in json["groups"].as_array().unwrap() {
            let seats: Vec<(String, String)> = g["members"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| {
                    (
                        m["entity"].as_str().unwrap().into(),
                        m["role"].as_str().unwrap().into(),
                    )
                })
                .collect();
            let expected: Vec<(String, String)> = members
                .iter()
                .filter(|m| m["group"] == g["id"].as_str().unwrap())
                .map(|m| (m["entity"].clone(), m["role"].clone()))
                .collect();
            assert_eq!(seats, expected, "{query}: members of {}", g["id"]);
        }
    }
}

#[test]
fn the_groups_chart_marks_every_seat_of_the_selected_bodies_and_nothing_else() {
    let data = data();
    let members = rows("group_members.csv");
    for (query, wanted, all) in crime_filters() {
        let selected = groups_selected(&wanted, all);
        let request =
            ChartRequest::from_query(&data, &charts::groups::GroupsChart, &query).unwrap();
        let svg = charts::svg(&data, &request).unwrap();
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let mut drawn = BTreeSet::new();
        let mut columns = BTreeSet::new();
        for cell in doc.descendants().filter(|n| n.has_attribute("data-role")) {
            let entity = cell.parent().unwrap().attribute("data-entity").unwrap();
            let group = cell.attribute("data-group").unwrap();
            columns.insert(group.to_owned());
            let role = cell.attribute("data-role").unwrap();
            if role != "none" {
                drawn.insert((group.to_owned(), entity.to_owned(), role.to_owned()));
            }
        }
        let expected: BTreeSet<(String, String, String)> = members
            .iter()
            .filter(|m| selected.contains(&m["group"]))
            .map(|m| (m["group"].clone(), m["entity"].clone(), m["role"].clone()))
            .collect();
        assert_eq!(drawn, expected, "{query}");
        // Every selected body with a member has its column (bodies without any draw none).
        let with_members: BTreeSet<String> = expected.iter().map(|s| s.0.clone()).collect();
        assert!(with_members.is_subset(&columns), "{query}");
        assert!(columns.iter().all(|c| selected.contains(c)), "{query}");
        // The seat count at the end of each row is that entity's number of seats.
        for row in doc.descendants().filter(|n| n.has_attribute("data-seats")) {
            let entity = row.attribute("data-entity").unwrap();
            let n = expected.iter().filter(|s| s.1 == entity).count();
            assert_eq!(row.attribute("data-seats"), Some(n.to_string().as_str()));
        }
    }
}

#[tokio::test]
async fn the_groups_page_counts_bodies_per_crime_type_from_the_files() {
    let groups = rows("groups.csv");
    let (status, _, page) = get("/groups").await;
    assert_eq!(status, StatusCode::OK);
    for ct in rows("crime_types.csv") {
        let n = groups
            .iter()
            .filter(|g| crimes(g).contains(&ct["id"]))
            .count();
        let shown = if n == 0 {
            "<strong>none</strong>".to_owned()
        } else {
            n.to_string()
        };
        let row = format!(
            "<a href=\"/groups/crime={}/\">{}</a></th><td>{shown}</td>",
            ct["id"], ct["label"]
        );
        assert!(page.contains(&row), "{row}");
    }
    for g in &groups {
        assert!(page.contains(&format!("<tr data-group=\"{}\">", g["id"])));
    }
    let (_, _, filtered) = get("/groups?crime=financial-crime").await;
    let selected = groups_selected(&["financial-crime".to_owned()], false);
    assert!(filtered.contains(&format!(
        "<strong>{}</strong> of {} bodies",
        selected.len(),
        groups.len()
    )));
    for g in &groups {
        let listed = filtered.contains(&format!("<tr data-group=\"{}\">", g["id"]));
        assert_eq!(listed, selected.contains(&g["id"]), "{}", g["id"]);
    }
}

#[tokio::test]
async fn each_body_has_a_page_with_its_members_and_the_reports_words() {
    let members = rows("group_members.csv");
    for g in rows("groups.csv") {
        let (status, _, page) = get(&format!("/groups/{}", g["id"])).await;
        assert_eq!(status, StatusCode::OK, "{}", g["id"]);
        let quote = g["quote"].replace('\'', "&#39;").replace('"', "&quot;");
        assert!(page.contains(&quote), "{}: the report's words", g["id"]);
        for m in members.iter().filter(|m| m["group"] == g["id"]) {
            assert!(
                page.contains(&format!("<a href=\"/entities/{}/\">", m["entity"])),
                "{}: member {}",
                g["id"],
                m["entity"]
            );
        }
    }
    let (status, _, page) = get("/groups/no-such-body").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(page.contains("icat"), "the 404 lists the bodies");
}

#[tokio::test]
async fn filters_that_do_not_apply_to_bodies_are_refused_by_name() {
    for (uri, param) in [
        ("/groups?organ=secretariat", "organ"),
        ("/timeline?basis=mandate", "basis"),
        ("/api/timeline?category=funds-and-programmes", "category"),
        ("/rapporteurs?q=children", "q"),
        ("/charts/rapporteurs.png?pillar=development", "pillar"),
        ("/groups?q=drugs", "q"),
        ("/api/groups?pillar=development", "pillar"),
        ("/charts/groups.svg?evidence=strong", "evidence"),
        ("/groups?crime=piracy", "crime"),
    ] {
        let (status, _, body) = get(uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}");
        assert!(body.contains(param), "{uri}: names {param}");
        assert!(body.contains("crime"), "{uri}: says what applies");
    }
    let (_, content_type, _) = get("/api/groups?pillar=development").await;
    assert!(content_type.starts_with("application/json"));
}

/// A date as a sortable tuple: a missing month or day sorts first.
fn date_key(date: &str) -> (u16, u8, u8) {
    let mut parts = date.split('-').map(|p| p.parse::<u16>().unwrap());
    let year = parts.next().unwrap();
    let mut next = || parts.next().map_or(0, |p| p as u8);
    (year, next(), next())
}

/// The ids of the instruments a crime filter selects, in the timeline's order: those of the
/// report's time first, then by date, then as the file lists them.
fn instruments_selected(wanted: &[String], all: bool) -> Vec<String> {
    let mut rows: Vec<BTreeMap<String, String>> = rows("instruments.csv")
        .into_iter()
        .filter(|i| admitted(&crimes(i), wanted, all))
        .collect();
    rows.sort_by_key(|i| (i["later_than_report"] == "true", date_key(&i["date"])));
    rows.into_iter().map(|i| i["id"].clone()).collect()
}

/// The values of `attr` on every element that has it, in document order.
fn attribute_values(svg: &str, attr: &str) -> Vec<String> {
    roxmltree::Document::parse(svg)
        .unwrap()
        .descendants()
        .filter_map(|n| n.attribute(attr).map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn the_timeline_api_and_chart_order_and_select_as_the_file_says() {
    let data = data();
    let file = rows("instruments.csv");
    for (query, wanted, all) in crime_filters() {
        let expected = instruments_selected(&wanted, all);
        let (status, _, body) = get(&format!("/api/timeline?{query}")).await;
        assert_eq!(status, StatusCode::OK, "{query}");
        let json: serde_json::Value = serde_json::from_str(&body).unwrap();
        let ids: Vec<String> = json["instruments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(ids, expected, "{query}: the API");
        let request =
            ChartRequest::from_query(&data, &charts::timeline::TimelineChart, &query).unwrap();
        let svg = charts::svg(&data, &request).unwrap();
        assert_eq!(
            attribute_values(&svg, "data-instrument"),
            expected,
            "{query}: the chart's rows"
        );
        let doc = roxmltree::Document::parse(&svg).unwrap();
        for g in doc
            .descendants()
            .filter(|n| n.has_attribute("data-instrument"))
        {
            let id = g.attribute("data-instrument").unwrap();
            let row = file.iter().find(|r| r["id"] == id).unwrap();
            let chips: BTreeSet<String> = g
                .descendants()
                .filter_map(|n| n.attribute("data-crime").map(str::to_owned))
                .collect();
            assert_eq!(chips, crimes(row), "{query}: {id}'s crime types");
            let later = g.attribute("data-later") == Some("true");
            assert_eq!(later, row["later_than_report"] == "true", "{id}");
        }
        let any_later = expected.iter().any(|id| {
            file.iter()
                .any(|r| &r["id"] == id && r["later_than_report"] == "true")
        });
        assert_eq!(
            svg.contains("Later than the report"),
            any_later,
            "{query}: the rule above what is later than the report"
        );
    }
}

#[tokio::test]
async fn the_timeline_page_lists_each_row_and_marks_what_the_report_does_not_name() {
    let (status, _, page) = get("/timeline").await;
    assert_eq!(status, StatusCode::OK);
    let file = rows("instruments.csv");
    for r in &file {
        let start = page
            .find(&format!("<tr data-instrument=\"{}\">", r["id"]))
            .unwrap_or_else(|| panic!("{} is listed", r["id"]));
        let end = start + page[start..].find("</tr>").unwrap();
        let row = &page[start..end];
        assert_eq!(
            row.contains("class=\"added\""),
            r["report_quote"].is_empty(),
            "{}: marked added exactly when the report does not name it",
            r["id"]
        );
        assert!(
            row.contains(&format!("datetime=\"{}\"", r["date"])),
            "{}",
            r["id"]
        );
    }
    let later = page
        .find("Later than the report</h2>")
        .expect("a section apart");
    for r in &file {
        let at = page
            .find(&format!("<tr data-instrument=\"{}\">", r["id"]))
            .unwrap();
        assert_eq!(at > later, r["later_than_report"] == "true", "{}", r["id"]);
    }
}

/// The ids of the mandates a crime filter selects, in file order.
fn mandates_selected(wanted: &[String], all: bool) -> Vec<String> {
    rows("special_procedures.csv")
        .iter()
        .filter(|m| admitted(&crimes(m), wanted, all))
        .map(|m| m["id"].clone())
        .collect()
}

#[tokio::test]
async fn the_rapporteurs_api_and_chart_mark_each_mandates_crime_types() {
    let data = data();
    let file = rows("special_procedures.csv");
    let crime_ids: Vec<String> = rows("crime_types.csv")
        .into_iter()
        .map(|r| r["id"].clone())
        .collect();
    for (query, wanted, all) in crime_filters() {
        let expected = mandates_selected(&wanted, all);
        let (status, _, body) = get(&format!("/api/rapporteurs?{query}")).await;
        assert_eq!(status, StatusCode::OK, "{query}");
        let json: serde_json::Value = serde_json::from_str(&body).unwrap();
        let ids: Vec<String> = json["mandates"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["id"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(ids, expected, "{query}: the API");
        let request =
            ChartRequest::from_query(&data, &charts::rapporteurs::RapporteursChart, &query)
                .unwrap();
        let svg = charts::svg(&data, &request).unwrap();
        assert_eq!(attribute_values(&svg, "data-mandate"), expected, "{query}");
        let doc = roxmltree::Document::parse(&svg).unwrap();
        for g in doc
            .descendants()
            .filter(|n| n.has_attribute("data-mandate"))
        {
            let id = g.attribute("data-mandate").unwrap();
            let row = file.iter().find(|r| r["id"] == id).unwrap();
            let partial: BTreeSet<String> = row["partial"]
                .split(';')
                .filter(|c| !c.is_empty())
                .map(str::to_owned)
                .collect();
            for cell in g.descendants().filter(|n| n.has_attribute("data-evidence")) {
                let crime = cell.attribute("data-crime").unwrap().to_owned();
                let evidence = if partial.contains(&crime) {
                    "partial"
                } else if crimes(row).contains(&crime) {
                    "strong"
                } else {
                    "none"
                };
                assert_eq!(
                    cell.attribute("data-evidence"),
                    Some(evidence),
                    "{id} × {crime}"
                );
            }
        }
        let totals = attribute_values(&svg, "data-count");
        let counted: Vec<String> = crime_ids
            .iter()
            .map(|c| {
                let n = file
                    .iter()
                    .filter(|m| expected.contains(&m["id"]) && crimes(m).contains(c))
                    .count();
                n.to_string()
            })
            .collect();
        assert_eq!(totals, counted, "{query}: mandates per crime type");
    }
}

#[tokio::test]
async fn the_rapporteurs_page_lists_the_selected_mandates_with_their_sources() {
    for (query, wanted, all) in crime_filters().into_iter().take(7) {
        let (status, _, page) = get(&format!("/rapporteurs?{query}")).await;
        assert_eq!(status, StatusCode::OK, "{query}");
        let expected = mandates_selected(&wanted, all);
        for m in rows("special_procedures.csv") {
            let listed = page.contains(&format!("<tr data-mandate=\"{}\">", m["id"]));
            assert_eq!(listed, expected.contains(&m["id"]), "{query}: {}", m["id"]);
        }
        assert!(page.contains(&format!(
            "<strong>{}</strong> of {} mandates",
            expected.len(),
            rows("special_procedures.csv").len()
        )));
    }
}

/// The CLI writes the server's bytes for these charts too: `tests/charts.rs` checks every
/// chart's file against the server's. Here: the CLI refuses the filters they do not take.
#[test]
fn the_cli_refuses_filters_the_new_charts_do_not_take() {
    let dir = tempfile::tempdir().unwrap();
    let refused = std::process::Command::new(env!("CARGO_BIN_EXE_mandate-map"))
        .args(["chart", "timeline", "--format", "svg", "--out"])
        .arg(dir.path().join("x.svg"))
        .args(["--organ", "secretariat"])
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("organ"));
}

#[tokio::test]
async fn the_overview_states_the_reports_security_council_findings_with_its_words() {
    let figures = rows("report_figures.csv");
    let value = |id: &str| {
        figures
            .iter()
            .find(|f| f["id"] == id)
            .unwrap_or_else(|| panic!("{id}"))["value"]
            .clone()
    };
    let (status, _, page) = get("/").await;
    assert_eq!(status, StatusCode::OK);
    let section = &page[page.find("id=\"council-h\"").expect("the section")..];
    let section = &section[..section.find("</section>").unwrap()];
    let expected = [
        format!(
            "<strong>{}</strong> of {} resolutions, {} per cent",
            value("sc-resolutions-2018-crime"),
            value("sc-resolutions-2018"),
            value("sc-share-2018-crime")
        ),
        format!(
            "<strong>{}</strong> of 1,113 resolutions and presidential statements, {} per cent",
            value("sc-texts-2000-2017-crime"),
            value("sc-share-2000-2017-crime")
        ),
        format!(
            "{} per cent of them on Africa",
            value("sc-share-2000-2017-africa")
        ),
    ];
    assert_eq!(
        value("sc-texts-2000-2017"),
        "1113",
        "written with a separator"
    );
    for text in expected {
        assert!(section.contains(&text), "{text}");
    }
    for f in figures.iter().filter(|f| f["id"].starts_with("sc-")) {
        let quote = f["quote"].replace('\'', "&#39;").replace('"', "&quot;");
        assert!(section.contains(&quote), "{}: the report's words", f["id"]);
    }
}
