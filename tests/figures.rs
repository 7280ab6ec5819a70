//! The report's other figures, rebuilt: the coordination bodies (Figure 3) as a view, a
//! chart and an API, each checked against the data files read directly with `csv`, for every
//! crime-type filter; filters that do not apply are refused by name.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use axum::http::StatusCode;
use mandate_map::charts::{self, ChartName, ChartRequest};
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
        let request = ChartRequest::from_query(&data, ChartName::Groups, &query).unwrap();
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
            "<a href=\"/groups?crime={}\">{}</a></th><td>{shown}</td>",
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
                page.contains(&format!("<a href=\"/entities/{}\">", m["entity"])),
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
