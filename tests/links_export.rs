//! The link export (`/export/links.csv`, `/export/links.json`, `export --links`) equals a
//! brute-force filter of `data/links.csv` read as text: for every value of every dimension,
//! in every edition, the same rows with the same cells.

use std::collections::{BTreeMap, BTreeSet};

use axum::http::StatusCode;
use mandate_map::dataset::{CRIME, Dataset, Dim, Editions};
use mandate_map::query::{Filter, Match};

mod common;
use common::scan;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// A CSV file's rows, each a map from column to cell.
fn rows(csv_text: &str) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let header = reader.headers().expect("a header").clone();
    reader
        .records()
        .map(|r| {
            let r = r.expect("a well-formed row");
            header
                .iter()
                .zip(r.iter())
                .map(|(h, c)| (h.to_owned(), c.to_owned()))
                .collect()
        })
        .collect()
}

/// The rows of `links.csv` that `f` selects in `data`'s edition, written as directly as
/// possible: the row's edition is this one, its entity is one the brute-force scan selects,
/// and each link dimension the filter names holds one of the named values (the crime types
/// all count under `match=all`: the entity has them all, and each of its links on one of
/// them is a row).
fn expected(
    data: &Dataset,
    f: &Filter,
    links_csv: &[BTreeMap<String, String>],
) -> Vec<BTreeMap<String, String>> {
    let selected: BTreeSet<&str> = scan(data, f)
        .into_iter()
        .map(|i| data.entities()[i].id.as_str())
        .collect();
    links_csv
        .iter()
        .filter(|row| row["edition"] == data.edition().id.as_str())
        .filter(|row| selected.contains(row["entity"].as_str()))
        .filter(|row| {
            Dim::of(true).all(|d| {
                let vocabulary = data.vocabulary(d);
                let wanted: Vec<&str> = f.get(d).iter().map(|&t| vocabulary.id(t)).collect();
                wanted.is_empty() || wanted.contains(&row[d.get().column].as_str())
            })
        })
        .cloned()
        .collect()
}

/// The (entity, crime type) keys of rows.
fn keys(rows: &[BTreeMap<String, String>]) -> BTreeSet<(String, String)> {
    rows.iter()
        .map(|r| (r["entity"].clone(), r["crime"].clone()))
        .collect()
}

/// Every filter of one value, in every dimension, and the crime types two at a time under
/// `match=all`.
fn filters(data: &Dataset) -> Vec<Filter> {
    let mut filters = vec![Filter::default()];
    for dim in Dim::all() {
        for term in data.vocabulary(dim).terms() {
            filters.push(Filter::default().with(dim, [term]));
        }
    }
    let crimes: Vec<_> = data.crimes().terms().collect();
    for (i, &a) in crimes.iter().enumerate() {
        for &b in &crimes[i + 1..] {
            let both = Filter::default().with(CRIME, [a, b]);
            filters.push(both.matching(Match::All));
            filters.push(both);
        }
    }
    filters
}

#[tokio::test]
async fn the_link_export_is_a_brute_force_filter_of_links_csv_in_every_edition() {
    let links_csv = rows(&std::fs::read_to_string(format!("{ROOT}/data/links.csv")).unwrap());
    let editions = Editions::embedded().unwrap();
    let mut checked = 0;
    for data in editions.all() {
        for f in filters(data) {
            let query = f.to_query(data);
            let uri = mandate_map::query::url("/export/links.csv", &query);
            let (status, content_type, body) = common::send(common::app(), &uri).await;
            assert_eq!(status, StatusCode::OK, "{uri}: {body}");
            assert!(
                content_type.starts_with("text/csv"),
                "{uri}: {content_type}"
            );
            let got = rows(&body);
            let want = expected(data, &f, &links_csv);
            assert_eq!(keys(&got), keys(&want), "{uri}");
            assert_eq!(got.len(), want.len(), "{uri}: a link repeated");
            for row in &got {
                let raw = want
                    .iter()
                    .find(|w| w["entity"] == row["entity"] && w["crime"] == row["crime"])
                    .unwrap();
                for (column, cell) in row {
                    if let Some(raw_cell) = raw.get(column) {
                        assert_eq!(cell, raw_cell, "{uri}: column {column} of {row:?}");
                    }
                }
                assert_eq!(
                    row["acronym"],
                    data.entity(&row["entity"]).unwrap().1.acronym.as_str()
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 50, "only {checked} filters");
}

#[tokio::test]
async fn the_link_export_carries_every_evidence_column_of_links_csv() {
    let header = std::fs::read_to_string(format!("{ROOT}/data/links.csv")).unwrap();
    let header: Vec<&str> = header.lines().next().unwrap().split(',').collect();
    let (_, _, body) = common::send(common::app(), "/export/links.csv").await;
    let exported: Vec<&str> = body.lines().next().unwrap().split(',').collect();
    for column in header {
        assert!(
            exported.contains(&column),
            "{column} missing from {exported:?}"
        );
    }
}

#[tokio::test]
async fn the_json_link_export_has_the_csv_rows() {
    let data = Dataset::embedded().unwrap();
    for query in [
        "",
        "crime=environmental-crime&basis=mandate",
        "pillar=development",
    ] {
        let csv_uri = mandate_map::query::url("/export/links.csv", query);
        let json_uri = mandate_map::query::url("/export/links.json", query);
        let (_, _, csv_body) = common::send(common::app(), &csv_uri).await;
        let (status, content_type, json_body) = common::send(common::app(), &json_uri).await;
        assert_eq!(status, StatusCode::OK);
        assert!(content_type.starts_with("application/json"));
        let json: serde_json::Value = serde_json::from_str(&json_body).unwrap();
        let from_json: BTreeSet<(String, String)> = json["links"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| {
                (
                    l["entity"].as_str().unwrap().to_owned(),
                    l["crime"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        assert_eq!(from_json, keys(&rows(&csv_body)), "{query}");
        assert_eq!(
            json["crime_types"].as_array().unwrap().len(),
            data.crimes().len()
        );
    }
}

#[tokio::test]
async fn a_bad_filter_on_the_link_export_is_a_400_naming_the_parameter() {
    let (status, _, body) = common::send(common::app(), "/export/links.csv?basis=maybe").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("basis"), "{body}");
    assert!(body.contains("mandate"), "{body}");
}
