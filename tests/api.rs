//! The router in-process (`tower::ServiceExt::oneshot`): the JSON API answers what a
//! brute-force scan of the data says, and bad input gets 400 or 404 naming the problem.

use axum::http::StatusCode;
use mandate_map::dataset::{Basis, CATEGORY, Dataset, ORGAN, PILLAR};

mod common;
use common::crime;

async fn get(uri: &str) -> (StatusCode, String, String) {
    common::send(common::app(), uri).await
}

async fn get_json(uri: &str) -> (StatusCode, serde_json::Value) {
    let (status, content_type, body) = get(uri).await;
    assert!(
        content_type.starts_with("application/json"),
        "{uri}: {content_type}"
    );
    (status, serde_json::from_str(&body).unwrap())
}

#[tokio::test]
async fn coverage_of_everything_is_the_evidence_beside_the_reports_figures() {
    let data = Dataset::embedded().unwrap();
    let (status, json) = get_json("/api/coverage").await;
    assert_eq!(status, StatusCode::OK);
    let want = mandate_map::stats::coverage(
        &data,
        &data.index().all,
        &mandate_map::query::Filter::default(),
    );
    assert_eq!(json["entities"], want.entities);
    assert_eq!(json["with_any"], want.with_any);
    assert_eq!(json["with_strong"], want.with_strong);
    let counts: Vec<u64> = json["crimes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["count"].as_u64().unwrap())
        .collect();
    let want_counts: Vec<u64> = want.crimes.iter().map(|c| c.count as u64).collect();
    assert_eq!(counts, want_counts);
    // The report's figures as published, each with its words.
    for figure in data.report_figures() {
        let got = &json["report"][figure.id.as_str()];
        assert_eq!(got["value"], figure.value, "{}", figure.id);
        assert_eq!(got["quote"], figure.quote.as_str(), "{}", figure.id);
    }
    assert_eq!(json["report"]["entities-with-agenda"]["value"], 79.0);
}

/// Whether the entity at a position belongs in a result, decided from the data directly.
type Predicate<'a> = Box<dyn Fn(usize) -> bool + 'a>;

#[tokio::test]
async fn entities_endpoint_matches_a_scan_for_each_dimension() {
    let data = Dataset::embedded().unwrap();
    let cases: Vec<(&str, Predicate)> = vec![
        (
            "crime=illicit-drugs",
            Box::new(|i| data.link(i, crime(&data, "illicit-drugs")).is_some()),
        ),
        (
            "crime=cybercrime&crime=arms-trafficking&match=all",
            Box::new(|i| {
                data.link(i, crime(&data, "cybercrime")).is_some()
                    && data.link(i, crime(&data, "arms-trafficking")).is_some()
            }),
        ),
        (
            "crime=human-trafficking&basis=mandate",
            Box::new(|i| {
                data.link(i, crime(&data, "human-trafficking"))
                    .is_some_and(|l| l.basis() == Basis::Mandate)
            }),
        ),
        (
            "basis=agenda",
            Box::new(|i| data.links_of(i).any(|l| l.basis() == Basis::Agenda)),
        ),
        (
            "pillar=development",
            Box::new(|i| {
                data.entities()[i]
                    .pillars()
                    .iter()
                    .any(|&p| data.vocabulary(PILLAR).id(p) == "development")
            }),
        ),
        (
            "organ=secretariat",
            Box::new(|i| data.vocabulary(ORGAN).id(data.entities()[i].organ()) == "secretariat"),
        ),
        (
            "category=Specialized+Agencies",
            Box::new(|i| {
                data.vocabulary(CATEGORY).id(data.entities()[i].category())
                    == "specialized-agencies"
            }),
        ),
        (
            "q=Office&utm_source=x",
            Box::new(|i| {
                let e = &data.entities()[i];
                format!("{} {} {}", e.acronym, e.name, e.summary)
                    .to_lowercase()
                    .contains("office")
                    || data
                        .links_of(i)
                        .any(|l| l.summary.to_lowercase().contains("office"))
            }),
        ),
    ];
    for (query, predicate) in cases {
        let (status, json) = get_json(&format!("/api/entities?{query}&size=1000")).await;
        assert_eq!(status, StatusCode::OK, "{query}");
        let got = common::entity_ids(&json);
        let want: Vec<String> = (0..data.entities().len())
            .filter(|&i| predicate(i))
            .map(|i| data.entities()[i].id.to_string())
            .collect();
        assert!(!want.is_empty(), "{query} selects something");
        assert_eq!(json["count"], want.len(), "{query}");
        assert_eq!(got, want, "{query}");
    }
}

#[tokio::test]
async fn unknown_pillar_is_400_naming_the_parameter_and_valid_values() {
    let (status, json) = get_json("/api/entities?pillar=security").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(json["parameter"], "pillar");
    assert_eq!(
        json["expected"],
        serde_json::json!(["peace-security", "human-rights", "development"])
    );
    assert!(json["error"].as_str().unwrap().contains("'security'"));
}

#[tokio::test]
async fn unknown_entity_is_404_in_json() {
    let (status, json) = get_json("/api/entities/no-such-entity").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(json["error"].as_str().unwrap().contains("no-such-entity"));
}

#[tokio::test]
async fn one_entity_is_served_with_its_links() {
    let (status, json) = get_json("/api/entities/unodc").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json["acronym"], "UNODC");
    let data = Dataset::embedded().unwrap();
    let (unodc, _) = data.entity("unodc").unwrap();
    assert_eq!(
        json["links"].as_array().unwrap().len(),
        data.links_of(unodc).count()
    );
    let link = &json["links"][0];
    for key in ["evidence", "mandate_source", "source_year"] {
        assert!(link.get(key).is_some(), "a link object has '{key}'");
    }
}

#[tokio::test]
async fn overview_page_shows_the_reports_figure_beside_the_evidence() {
    let data = Dataset::embedded().unwrap();
    let (status, content_type, body) = get("/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(content_type.starts_with("text/html"));
    let report = |id: &str| data.report_figure(id).unwrap().value;
    assert!(
        body.contains(&format!(
            "<span class=\"figure-source\">The report (2019)</span> <strong>{}</strong> of {} entities, {} per cent",
            report("entities-with-agenda"),
            report("entities-total"),
            report("share-with-agenda")
        )),
        "{body}"
    );
    let cov = mandate_map::stats::coverage(
        &data,
        &data.index().all,
        &mandate_map::query::Filter::default(),
    );
    assert!(
        body.contains(&format!(
            "<span class=\"figure-source\">The evidence here</span> <strong>{}</strong> of {} chart entities, {} per cent",
            cov.with_any,
            cov.entities,
            mandate_map::stats::percent_floor(cov.share)
        )),
        "{body}"
    );
    assert!(body.contains(&format!("({} on strong evidence)", cov.with_strong)));
    assert!(body.contains("data-crime=\"human-trafficking\""));
}

#[tokio::test]
async fn unknown_api_path_is_a_json_404() {
    let (status, json) = get_json("/api/nothing-here").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        json["error"]
            .as_str()
            .unwrap()
            .contains("/api/nothing-here")
    );
}

#[tokio::test]
async fn exports_round_trip_the_filtered_entities() {
    let data = Dataset::embedded().unwrap();
    let query = "crime=financial-crime&pillar=development";
    let (_, api) = get_json(&format!("/api/entities?{query}")).await;
    let want: Vec<&str> = api["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert!(!want.is_empty());

    let (status, content_type, body) = get(&format!("/export/entities.json?{query}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(content_type.starts_with("application/json"));
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        json["entities"], api["entities"],
        "the export holds the API's objects"
    );

    let (status, content_type, body) = get(&format!("/export/entities.csv?{query}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(content_type.starts_with("text/csv"));
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let ids: Vec<&str> = rows.iter().map(|r| r.get(0).unwrap()).collect();
    assert_eq!(ids, want);
    for row in &rows {
        let (i, _) = data.entity(&row[0]).unwrap();
        let financial = data.link(i, crime(&data, "financial-crime")).unwrap();
        assert_eq!(
            &row[7 + crime(&data, "financial-crime").index()],
            financial.basis().as_str()
        );
    }
}
