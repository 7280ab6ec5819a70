//! The editions: the report's edition answers exactly as the default does, the later edition
//! agrees with a brute-force reading of its files, `/changes` equals a brute-force diff of
//! the two, and every id of either edition answers under the other.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use axum::http::{StatusCode, header};
use http_body_util::BodyExt;
use mandate_map::charts::CHARTS;
use mandate_map::dataset::{Dataset, Dim, Editions, Term};
use mandate_map::query::Filter;
use tower::ServiceExt;

mod common;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Status, `Location` header and body of one request to the server on the embedded data.
async fn fetch(uri: &str) -> (StatusCode, Option<String>, Vec<u8>) {
    let request = axum::http::Request::get(uri)
        .body(axum::body::Body::empty())
        .expect("a valid request");
    let response = common::app().oneshot(request).await.expect("an answer");
    let status = response.status();
    let location = response
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, location, body.to_vec())
}

/// `uri` with `pair` added to its query.
fn with(uri: &str, pair: &str) -> String {
    let sep = if uri.contains('?') { '&' } else { '?' };
    format!("{uri}{sep}{pair}")
}

fn editions() -> Editions {
    Editions::embedded().expect("the embedded data is valid")
}

/// Every view, chart (SVG, CSV and one PNG), embed, export and API route, plain and filtered.
fn routes() -> Vec<String> {
    let mut routes: Vec<String> = [
        "/",
        "/?pillar=development",
        "/system",
        "/system?crime=cybercrime&entity=unodc",
        "/entities",
        "/entities?organ=secretariat&sort=acronym",
        "/entities/unodc",
        "/entities/dpi",
        "/crimes/cybercrime",
        "/overlap",
        "/overlap?pillar=human-rights",
        "/changes",
        "/changes?pillar=peace-security",
        "/timeline",
        "/groups",
        "/groups/icat",
        "/rapporteurs",
        "/charts/",
        "/method",
        "/about",
        "/codebook",
        "/releases",
        "/data/",
        "/data/links.csv",
        "/data/datapackage.json",
        "/export/entities.csv?crime=illicit-drugs",
        "/export/entities.json",
        "/api/entities?evidence=strong",
        "/api/entities/unodc",
        "/api/crime-types",
        "/api/coverage?basis=mandate",
        "/api/groups",
        "/api/groups/icat",
        "/api/timeline",
        "/api/rapporteurs",
        "/api/changes",
        "/charts/coverage.png?width=320",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    for chart in CHARTS {
        let name = chart.name();
        routes.push(format!("/charts/{name}.svg"));
        routes.push(format!("/charts/{name}.csv?crime=cybercrime"));
        routes.push(format!("/embed/{name}"));
    }
    routes
}

#[tokio::test]
async fn the_report_edition_answers_every_route_exactly_as_the_default() {
    let default = editions().default_edition().edition().id.to_string();
    for route in routes() {
        let plain = fetch(&route).await;
        let mut named = fetch(&with(&route, &format!("edition={default}"))).await;
        // A correction link records the address the reader used ("Seen on"): the only
        // place a page repeats its own query.
        let seen_on = String::from_utf8(named.2.clone()).map(|body| {
            body.replace(&format!("%3Fedition%3D{default}"), "")
                .replace(&format!("%26edition%3D{default}"), "")
        });
        if let Ok(body) = seen_on {
            named.2 = body.into_bytes();
        }
        assert_eq!(plain.0, named.0, "{route}");
        assert_eq!(plain.1, named.1, "{route}");
        assert!(plain.2 == named.2, "{route}: the bodies differ");
        assert!(
            plain.0.is_success() || plain.0.is_redirection(),
            "{route}: {}",
            plain.0
        );
    }
}

#[tokio::test]
async fn every_route_answers_in_every_edition_and_an_unknown_one_is_a_400() {
    for data in editions().all() {
        let id = data.edition().id.as_str();
        for route in routes() {
            let (status, _, _) = fetch(&with(&route, &format!("edition={id}"))).await;
            assert!(
                status.is_success() || status.is_redirection(),
                "{route} in {id}: {status}"
            );
        }
    }
    let (status, _, body) = fetch("/entities?edition=1999").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let body = String::from_utf8_lossy(&body);
    assert!(body.contains("edition"), "{body}");
    for data in editions().all() {
        assert!(body.contains(data.edition().id.as_str()), "{body}");
    }
}

#[tokio::test]
async fn chart_addresses_name_their_edition() {
    for data in editions().all() {
        let id = data.edition().id.as_str();
        let page = if data.is_default_edition() {
            "/".to_owned()
        } else {
            format!("/?edition={id}")
        };
        let (_, _, html) = fetch(&page).await;
        let html = String::from_utf8_lossy(&html);
        // The charts' files; not the navigation's link to the charts' page, which keeps
        // the page's edition as every link of the navigation does.
        let charts: Vec<&str> = html
            .match_indices("/charts/")
            .map(|(i, _)| &html[i..html[i..].find('"').map_or(html.len(), |e| i + e)])
            .filter(|address| *address != "/charts/")
            .collect();
        assert!(!charts.is_empty());
        for chart in charts {
            assert!(
                chart.contains(&format!("edition={id}")),
                "{page}: {chart} does not name edition {id}"
            );
        }
    }
}

/// One data file, read as plain rows of strings: a reading that shares no code with the
/// loader.
fn rows(file: &str) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_path(Path::new(ROOT).join("data").join(file)).unwrap();
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            header
                .iter()
                .cloned()
                .zip(r.iter().map(str::to_owned))
                .collect()
        })
        .collect()
}

/// The raw files of one edition: its entities (by id) and links.
struct Raw {
    entities: Vec<BTreeMap<String, String>>,
    links: Vec<BTreeMap<String, String>>,
}

impl Raw {
    fn of(edition: &str) -> Raw {
        let in_edition = |cell: &str| cell.split(';').any(|e| e.trim() == edition);
        Raw {
            entities: rows("entities.csv")
                .into_iter()
                .filter(|e| in_edition(&e["editions"]))
                .collect(),
            links: rows("links.csv")
                .into_iter()
                .filter(|l| l["edition"] == edition)
                .collect(),
        }
    }

    /// The entities with a link whose `column` is `value`.
    fn linked(&self, column: &str, value: &str) -> BTreeSet<String> {
        self.links
            .iter()
            .filter(|l| l[column] == value)
            .map(|l| l["entity"].clone())
            .collect()
    }

    /// The chart boxes (no parent).
    fn boxes(&self) -> BTreeSet<String> {
        self.entities
            .iter()
            .filter(|e| e.get("parent").is_none_or(|p| p.is_empty()))
            .map(|e| e["id"].clone())
            .collect()
    }
}

/// The ids of the entities `query` selects in `data`.
fn selected(data: &Dataset, query: &str) -> BTreeSet<String> {
    let filter = Filter::from_query(data, query).unwrap();
    data.entities_in(&filter.select(data))
        .map(|(_, e)| e.id.to_string())
        .collect()
}

#[test]
fn every_edition_agrees_with_a_brute_force_reading_of_its_files_for_every_dimension() {
    for data in editions().all() {
        let id = data.edition().id.as_str();
        let raw = Raw::of(id);
        let ids: BTreeSet<String> = raw.entities.iter().map(|e| e["id"].clone()).collect();
        assert_eq!(selected(data, ""), ids, "{id}: its entities");
        assert_eq!(data.links().len(), raw.links.len(), "{id}: its links");
        for dim in Dim::all() {
            let dimension = dim.get();
            let vocabulary = data.vocabulary(dim);
            for (term, value) in vocabulary.ids().iter().enumerate() {
                let query = format!("{}={value}", dimension.param);
                let want: BTreeSet<String> = if dimension.of_links() {
                    raw.linked(dimension.column, value)
                } else {
                    // A chart box may be written by its label.
                    let label = data.label(dim, Term::new(term));
                    raw.entities
                        .iter()
                        .filter(|e| {
                            e[dimension.column]
                                .split(';')
                                .any(|v| v.trim() == value || v.trim() == label)
                        })
                        .map(|e| e["id"].clone())
                        .collect()
                };
                assert_eq!(selected(data, &query), want, "{id}: {query}");
            }
        }
        // Coverage: per crime type, the chart boxes with a link, over the chart boxes.
        let boxes = raw.boxes();
        let cov = mandate_map::stats::coverage(data, &data.index().all, &Filter::default());
        assert_eq!(cov.entities, boxes.len(), "{id}: chart boxes");
        for c in &cov.crimes {
            let want = raw.linked("crime", &c.id).intersection(&boxes).count();
            assert_eq!(c.count, want, "{id}: coverage of {}", c.id);
        }
    }
}

/// What an entity of one edition is in another: itself, or what it was or became by the
/// lineage, followed through entities neither has (a brute-force reading of lineage.csv).
fn counterparts(
    id: &str,
    there: &BTreeSet<String>,
    lineage: &[(String, String)],
    forward: bool,
) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut seen = BTreeSet::from([id.to_owned()]);
    let mut queue = vec![id.to_owned()];
    while let Some(current) = queue.pop() {
        if there.contains(&current) {
            found.insert(current);
            continue;
        }
        for (from, to) in lineage {
            let (near, far) = if forward { (from, to) } else { (to, from) };
            if *near == current && !far.is_empty() && seen.insert(far.clone()) {
                queue.push(far.clone());
            }
        }
    }
    found
}

#[tokio::test]
async fn changes_equal_a_brute_force_diff_of_the_two_editions() {
    let editions = editions();
    let [before, after] = [&editions.all()[0], &editions.all()[1]];
    let (b, a) = (
        Raw::of(before.edition().id.as_str()),
        Raw::of(after.edition().id.as_str()),
    );
    let lineage: Vec<(String, String)> = rows("lineage.csv")
        .into_iter()
        .map(|r| (r["from"].clone(), r["to"].clone()))
        .collect();
    let searches = rows("searches.csv");
    let (b_boxes, a_boxes) = (b.boxes(), a.boxes());
    let (b_all, a_all): (BTreeSet<String>, BTreeSet<String>) = (
        b.entities.iter().map(|e| e["id"].clone()).collect(),
        a.entities.iter().map(|e| e["id"].clone()).collect(),
    );
    let (status, _, body) = fetch("/api/changes").await;
    assert_eq!(status, StatusCode::OK);
    let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(json["before"]["chart_entities"], b_boxes.len());
    assert_eq!(json["after"]["chart_entities"], a_boxes.len());
    let crimes = json["crimes"].as_array().unwrap();
    assert_eq!(crimes.len(), rows("crime_types.csv").len());
    for c in crimes {
        let crime = c["crime"].as_str().unwrap();
        let had = b.linked("crime", crime);
        let has = a.linked("crime", crime);
        assert_eq!(c["before"]["count"], had.intersection(&b_boxes).count());
        assert_eq!(c["after"]["count"], has.intersection(&a_boxes).count());
        let mut started = BTreeMap::new();
        for e in has.intersection(&a_boxes) {
            let was = counterparts(e, &b_all, &lineage, false);
            if was.is_disjoint(&had) {
                started.insert(e.clone(), was);
            }
        }
        let mut stopped = BTreeMap::new();
        for e in had.intersection(&b_boxes) {
            let now = counterparts(e, &a_all, &lineage, true);
            if now.is_disjoint(&has) {
                let why = if now.is_empty() {
                    "closed"
                } else if searches.iter().any(|s| {
                    s["edition"] == after.edition().id.as_str()
                        && s["crime"] == crime
                        && now.contains(&s["entity"])
                        && s["outcome"] == "not-found"
                }) {
                    "not-found"
                } else {
                    "not-examined"
                };
                stopped.insert(e.clone(), (now, why));
            }
        }
        let got_started: BTreeMap<String, BTreeSet<String>> = c["started"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s["entity"].as_str().unwrap().to_owned(),
                    s["was"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|v| v.as_str().unwrap().to_owned())
                        .collect(),
                )
            })
            .collect();
        let got_stopped: BTreeMap<String, (BTreeSet<String>, &str)> = c["stopped"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                (
                    s["entity"].as_str().unwrap().to_owned(),
                    (
                        s["now"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .map(|v| v.as_str().unwrap().to_owned())
                            .collect(),
                        s["why"].as_str().unwrap(),
                    ),
                )
            })
            .collect();
        assert_eq!(got_started, started, "{crime}: started");
        assert_eq!(got_stopped, stopped, "{crime}: stopped");
    }
    assert_eq!(json["lineage"].as_array().unwrap().len(), lineage.len());
}

#[tokio::test]
async fn every_id_of_every_edition_answers_in_every_edition() {
    let editions = editions();
    let ids: BTreeSet<String> = rows("entities.csv")
        .into_iter()
        .map(|e| e["id"].clone())
        .collect();
    for data in editions.all() {
        let edition = data.edition().id.as_str();
        for id in &ids {
            for base in ["/entities", "/api/entities"] {
                let mut uri = format!("{base}/{id}?edition={edition}");
                // A redirect leads, in one step, to an answer.
                let (status, location, _) = fetch(&uri).await;
                if status.is_redirection() {
                    uri = location.expect("a redirect says where");
                    assert!(uri.starts_with(base), "{uri}");
                    let (status, _, _) = fetch(&uri).await;
                    assert_eq!(status, StatusCode::OK, "{base}/{id} in {edition} → {uri}");
                } else {
                    assert_eq!(status, StatusCode::OK, "{base}/{id} in {edition}");
                    assert!(data.entity(id).is_some(), "{id} answered in {edition}");
                }
            }
        }
    }
}

#[tokio::test]
async fn an_old_id_leads_to_its_successor_or_its_own_page_with_its_history() {
    // Renamed: DPI became DGC, in the later edition.
    let (status, location, _) = fetch("/entities/dpi?edition=2025").await;
    assert_eq!(status, StatusCode::TEMPORARY_REDIRECT);
    assert_eq!(location.as_deref(), Some("/entities/dgc?edition=2025"));
    // Split: DM has two successors, so it leads to its own page in the report's edition,
    // whose history links both.
    let (status, location, _) = fetch("/entities/dm?edition=2025").await;
    assert_eq!(status, StatusCode::TEMPORARY_REDIRECT);
    assert_eq!(location.as_deref(), Some("/entities/dm"));
    let (_, _, html) = fetch("/entities/dm").await;
    let html = String::from_utf8_lossy(&html);
    assert!(html.contains("History"), "{html}");
    assert!(html.contains("/entities/dmspc/edition=2025/"));
    assert!(html.contains("/entities/dos/edition=2025/"));
    // Created since: its page in the edition that has it.
    let (status, location, _) = fetch("/entities/odet").await;
    assert_eq!(status, StatusCode::TEMPORARY_REDIRECT);
    assert_eq!(location.as_deref(), Some("/entities/odet?edition=2025"));
    // No edition has it: a 404.
    let (status, _, _) = fetch("/entities/nobody").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_report_figures_belong_to_the_report_edition_only() {
    let (status, _, body) = fetch("/charts/coverage.svg?edition=2025&source=report").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(String::from_utf8_lossy(&body).contains("edition 2019"));
    let (status, location, _) = fetch("/method?edition=2025").await;
    assert_eq!(status, StatusCode::TEMPORARY_REDIRECT);
    assert_eq!(location.as_deref(), Some("/method"));
}
