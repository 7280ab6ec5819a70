//! The HTML views through the router in-process: the rows a page shows equal a brute-force
//! scan of the data, and bad input gets an HTML 400 or 404 that says what was wrong.

use axum::http::StatusCode;
use mandate_map::dataset::{Basis, CrimeId, Dataset};
use mandate_map::web::{AppState, router};

mod common;

async fn get(uri: &str) -> (StatusCode, String) {
    let (status, content_type, body) = common::send(common::app(), uri).await;
    assert!(
        content_type.starts_with("text/html"),
        "{uri}: {content_type}"
    );
    (status, body)
}

/// The ids of the rows a page shows, read from their `data-entity` attributes.
fn rows(html: &str) -> Vec<String> {
    html.split("<tr data-entity=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn entity_list_rows_equal_a_scan_for_each_dimension() {
    let data = Dataset::embedded().unwrap();
    let scan = |keep: &dyn Fn(usize) -> bool| -> Vec<String> {
        (0..data.entities().len())
            .filter(|&i| keep(i))
            .map(|i| data.entities()[i].id.clone())
            .collect()
    };
    let cases: Vec<(&str, Vec<String>)> = vec![
        ("", scan(&|_| true)),
        (
            "crime=environmental-crime",
            scan(&|i| data.link(i, CrimeId::EnvironmentalCrime).is_some()),
        ),
        (
            "crime=financial-crime&basis=mandate",
            scan(&|i| {
                data.link(i, CrimeId::FinancialCrime)
                    .is_some_and(|l| l.basis == Basis::Mandate)
            }),
        ),
        (
            "pillar=human-rights&organ=secretariat",
            scan(&|i| {
                let e = &data.entities()[i];
                e.organ.as_str() == "secretariat"
                    && e.pillars.iter().any(|p| p.as_str() == "human-rights")
            }),
        ),
        (
            "category=regional-commissions",
            scan(&|i| data.entities()[i].category.as_str() == "regional-commissions"),
        ),
    ];
    for (query, want) in cases {
        let (status, html) = get(&format!("/entities?{query}")).await;
        assert_eq!(status, StatusCode::OK, "{query}");
        assert!(!want.is_empty(), "{query} selects something");
        assert_eq!(rows(&html), want, "{query}");
        assert!(
            html.contains(&format!("<strong>{}</strong> of 102 entities", want.len())),
            "{query}"
        );
    }
}

#[tokio::test]
async fn bad_filter_value_is_an_html_400_listing_valid_values() {
    let (status, html) = get("/entities?crime=drugs").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        html.contains("parameter &#39;crime&#39;") || html.contains("parameter 'crime'"),
        "{html}"
    );
    assert!(html.contains("<code>illicit-drugs</code>"), "{html}");
}

#[tokio::test]
async fn entity_profile_shows_every_link_with_its_evidence() {
    let data = Dataset::embedded().unwrap();
    let (i, e) = data.entity("unicef").unwrap();
    let (status, html) = get("/entities/unicef").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("data-entity=\"unicef\""));
    assert!(html.contains(&e.acronym));
    let shown: Vec<&str> = html
        .split("<section class=\"link\" data-crime=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap())
        .collect();
    let want: Vec<&str> = data.links_of(i).map(|l| l.crime.as_str()).collect();
    assert!(!want.is_empty());
    assert_eq!(shown, want);
    // The report's words appear as the evidence of a report link.
    assert!(html.contains("UNICEF works to combat online child abuse and exploitation"));
}

#[tokio::test]
async fn unknown_entity_is_an_html_404_naming_it() {
    let (status, html) = get("/entities/not-an-entity").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("not-an-entity"));
}

#[tokio::test]
async fn data_from_the_files_is_escaped_in_pages() {
    // Names, summaries and quotes are the data's, not ours: a page shows them as text.
    let mut fixture = common::Fixture::default();
    fixture.entities = fixture.entities.replace(
        "United Nations Children's Fund",
        "\"<script>alert(1)</script> & </svg>\"",
    );
    fixture.links = fixture
        .links
        .replace("Online abuse.", "\"<img src=x onerror=alert(2)>\"");
    let app = router(AppState::new(fixture.load().expect("fixture loads")));
    for uri in ["/entities", "/entities/unicef"] {
        let (status, _, html) = common::send(app.clone(), uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        assert!(!html.contains("<script>alert(1)"), "{uri}: {html}");
        assert!(
            html.contains("&#60;script&#62;alert(1)&#60;/script&#62; &#38; &#60;/svg&#62;"),
            "{uri}: {html}"
        );
        assert!(!html.contains("<img src=x"), "{uri}");
    }
}
