//! The HTML views through the router in-process: the rows a page shows equal a brute-force
//! scan of the data, and bad input gets an HTML 400 or 404 that says what was wrong.

use axum::http::StatusCode;
use mandate_map::dataset::{Basis, Dataset};
use mandate_map::web::{AppState, router};

mod common;
use common::{category, crime, in_pillar, organ, with_link};

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
            .map(|i| data.entities()[i].id.to_string())
            .collect()
    };
    let cases: Vec<(&str, Vec<String>)> = vec![
        ("", scan(&|_| true)),
        (
            "crime=environmental-crime",
            scan(&|i| data.link(i, crime(&data, "environmental-crime")).is_some()),
        ),
        (
            "crime=financial-crime&basis=mandate",
            scan(&|i| {
                data.link(i, crime(&data, "financial-crime"))
                    .is_some_and(|l| l.basis() == Basis::Mandate)
            }),
        ),
        (
            "pillar=human-rights&organ=secretariat",
            scan(&|i| {
                let e = &data.entities()[i];
                organ(&data, e) == "secretariat" && in_pillar(&data, e, "human-rights")
            }),
        ),
        (
            "category=regional-commissions",
            scan(&|i| category(&data, &data.entities()[i]) == "regional-commissions"),
        ),
    ];
    for (query, want) in cases {
        let (status, html) = get(&format!("/entities?{query}")).await;
        assert_eq!(status, StatusCode::OK, "{query}");
        assert!(!want.is_empty(), "{query} selects something");
        assert_eq!(rows(&html), want, "{query}");
        assert!(html.contains(&tally(&data, &want)), "{query}");
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
    assert!(html.contains(e.acronym.as_str()));
    let shown: Vec<&str> = html
        .split("<section class=\"link\" data-crime=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap())
        .collect();
    let want: Vec<&str> = data
        .links_of(i)
        .map(|l| data.crimes().id(l.crime()))
        .collect();
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
    fixture["entities.csv"] = fixture["entities.csv"].replace(
        "United Nations Children's Fund",
        "\"<script>alert(1)</script> & </svg>\"",
    );
    fixture["links.csv"] =
        fixture["links.csv"].replace("Online abuse.", "\"<img src=x onerror=alert(2)>\"");
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

/// Every `(attribute value, data-match)` of the tiles on a `/system` page.
fn tiles(html: &str) -> Vec<(String, Option<String>)> {
    html.split("<a class=\"tile")
        .skip(1)
        .map(|rest| {
            let tag = rest.split('>').next().unwrap();
            let attr = |name: &str| {
                tag.split(&format!(" {name}=\""))
                    .nth(1)
                    .map(|v| v.split('"').next().unwrap().to_owned())
            };
            (attr("data-entity").unwrap(), attr("data-match"))
        })
        .collect()
}

#[tokio::test]
async fn system_highlights_exactly_the_entities_working_on_the_crime_type() {
    let data = Dataset::embedded().unwrap();
    for crime in data.crimes().ids() {
        let (status, html) = get(&format!("/system?crime={crime}")).await;
        assert_eq!(status, StatusCode::OK);
        let shown = tiles(&html);
        assert_eq!(shown.len(), data.entities().len(), "one tile per entity");
        for (id, matched) in shown {
            let (i, _) = data.entity(&id).unwrap();
            let want = data
                .link(i, common::crime(&data, &crime))
                .map(|l| l.basis().as_str().to_owned());
            assert_eq!(matched, want, "{crime} × {id}");
        }
    }
}

#[tokio::test]
async fn system_applies_the_other_filters_too() {
    let data = Dataset::embedded().unwrap();
    let (_, html) = get("/system?crime=arms-trafficking&basis=mandate&pillar=peace-security").await;
    // Tiles follow the chart's layout, so compare as sets.
    let mut highlighted: Vec<String> = tiles(&html)
        .into_iter()
        .filter(|(_, m)| m.is_some())
        .map(|(id, _)| id)
        .collect();
    highlighted.sort();
    let want: Vec<String> = data
        .entities()
        .iter()
        .enumerate()
        .filter(|(i, e)| {
            data.link(*i, crime(&data, "arms-trafficking"))
                .is_some_and(|l| l.basis() == Basis::Mandate)
                && in_pillar(&data, e, "peace-security")
        })
        .map(|(_, e)| e.id.to_string())
        .collect();
    let mut want = want;
    want.sort();
    assert!(!want.is_empty());
    assert_eq!(highlighted, want);
    assert!(html.contains(&tally(&data, &want)));
    assert!(html.contains("UN System entities (") && html.contains(") highlighted"));
}

/// The tally a page states for the entities `ids`: the chart boxes among them, of every chart
/// box, and the bodies within another apart.
fn tally(data: &Dataset, ids: &[String]) -> String {
    let within = ids
        .iter()
        .filter(|id| data.entity(id).unwrap().1.parent().is_some())
        .count();
    let boxes = data
        .entities()
        .iter()
        .filter(|e| e.parent().is_none())
        .count();
    format!(
        "data-counted=\"{}\" data-of=\"{boxes}\" data-within=\"{within}\"",
        ids.len() - within
    )
}

#[tokio::test]
async fn system_without_filters_highlights_nothing() {
    let (_, html) = get("/system").await;
    assert!(tiles(&html).iter().all(|(_, m)| m.is_none()));
    assert!(!html.contains("class=\"tile faded"));
}

#[tokio::test]
async fn system_entity_panel_is_rendered_from_the_url() {
    let (status, html) = get("/system?crime=illicit-drugs&entity=who").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<dialog id=\"entity-dialog\" open"));
    assert!(html.contains("data-entity=\"who\""));
    // The panel shows the selected crime type's text and a close link keeping the filter.
    assert!(html.contains("Illicit drugs"));
    assert!(html.contains("href=\"/system/crime=illicit-drugs/\">Close</a>"));
    let (status, html) = get("/system?entity=nobody").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("entity"), "{html}");
}

/// The `(value, count)` pairs of one facet on a page.
fn facet(html: &str, param: &str) -> Vec<(String, usize)> {
    let section = html
        .split(&format!("data-facet=\"{param}\""))
        .nth(1)
        .unwrap()
        .split("</section>")
        .next()
        .unwrap();
    section
        .split("data-value=\"")
        .skip(1)
        .map(|rest| {
            let value = rest.split('"').next().unwrap().to_owned();
            let count = rest
                .split("<span class=\"facet-count\">")
                .nth(1)
                .unwrap()
                .split('<')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            (value, count)
        })
        .collect()
}

#[tokio::test]
async fn facet_counts_equal_a_scan() {
    let data = Dataset::embedded().unwrap();
    let (_, html) = get("/entities?pillar=development&crime=cybercrime").await;
    // Crime types are counted over the filter without the crime dimension.
    for (value, count) in facet(&html, "crime") {
        let crime = common::crime(&data, &value);
        let want = data
            .entities()
            .iter()
            .enumerate()
            .filter(|(i, e)| data.link(*i, crime).is_some() && in_pillar(&data, e, "development"))
            .filter(|(_, e)| e.parent().is_none())
            .count();
        assert_eq!(
            count, want,
            "crime facet {value}: chart boxes, as every count"
        );
    }
    // Pillars are counted over the filter without the pillar dimension.
    for (value, count) in facet(&html, "pillar") {
        let want = data
            .entities()
            .iter()
            .enumerate()
            .filter(|(i, e)| {
                data.link(*i, crime(&data, "cybercrime")).is_some() && in_pillar(&data, e, &value)
            })
            .filter(|(_, e)| e.parent().is_none())
            .count();
        assert_eq!(
            count, want,
            "pillar facet {value}: chart boxes, as every count"
        );
    }
}

#[tokio::test]
async fn facet_links_add_and_remove_their_value() {
    let (_, html) = get("/entities?pillar=development").await;
    assert!(
        html.contains("href=\"/entities/?crime=cybercrime&#38;pillar=development\""),
        "adds"
    );
    assert!(
        html.contains(
            "href=\"/entities/\" data-param=\"pillar\" data-value=\"development\" class=\"selected\""
        ),
        "removes"
    );
}

#[tokio::test]
async fn sort_orders_rows_and_a_bad_sort_is_400() {
    let data = Dataset::embedded().unwrap();
    let (_, html) = get("/entities?sort=acronym").await;
    let ids = rows(&html);
    let acronyms: Vec<String> = ids
        .iter()
        .map(|id| data.entity(id).unwrap().1.acronym.to_lowercase())
        .collect();
    let mut sorted = acronyms.clone();
    sorted.sort();
    assert_eq!(acronyms, sorted);
    let (_, html) = get("/entities?sort=links").await;
    let counts: Vec<usize> = rows(&html)
        .iter()
        .map(|id| data.links_of(data.entity(id).unwrap().0).count())
        .collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]));
    let (status, html) = get("/entities?sort=size").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("<code>acronym</code>"), "{html}");
}

#[tokio::test]
async fn crime_profile_lists_entities_by_basis() {
    let data = Dataset::embedded().unwrap();
    for (term, info) in data.crimes().iter() {
        let crime = &info.id;
        let (status, html) = get(&format!("/crimes/{crime}")).await;
        assert_eq!(status, StatusCode::OK);
        let listed: Vec<&str> = html
            .split("<li data-entity=\"")
            .skip(1)
            .map(|r| r.split('"').next().unwrap())
            .collect();
        let mandate = with_link(&data, term, Basis::Mandate);
        let agenda = with_link(&data, term, Basis::Agenda);
        let want: Vec<&str> = mandate
            .into_iter()
            .chain(agenda)
            .map(|i| data.entities()[i].id.as_str())
            .collect();
        assert_eq!(listed, want, "{crime}");
    }
    let (status, html) = get("/crimes/drugs").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        html.contains("illicit-drugs"),
        "the 404 lists the crime types"
    );
}

#[tokio::test]
async fn overlap_cells_count_chart_boxes_working_on_both() {
    let data = Dataset::embedded().unwrap();
    let (status, html) = get("/overlap?organ=secretariat").await;
    assert_eq!(status, StatusCode::OK);
    let cells: Vec<usize> = html
        .split("<td class=\"")
        .skip(1)
        .map(|r| {
            r.split("\">")
                .nth(2)
                .unwrap()
                .split('<')
                .next()
                .unwrap()
                .parse()
                .unwrap()
        })
        .collect();
    let mut want = Vec::new();
    for a in data.crimes().terms() {
        for b in data.crimes().terms() {
            want.push(
                (0..data.entities().len())
                    .filter(|&i| {
                        // Chart boxes only: bodies within another entity are not counted.
                        data.entities()[i].parent.is_none()
                            && organ(&data, &data.entities()[i]) == "secretariat"
                            && data.link(i, a).is_some()
                            && data.link(i, b).is_some()
                    })
                    .count(),
            );
        }
    }
    assert_eq!(cells, want);
}

#[tokio::test]
async fn overview_and_about_show_figures_computed_from_the_data() {
    let data = Dataset::embedded().unwrap();
    let (_, html) = get("/").await;
    assert!(html.contains("<svg"), "the coverage chart is inline SVG");
    assert!(html.contains("role=\"img\""));
    let (_, html) = get("/?pillar=development").await;
    // The headline counts chart boxes: bodies within another entity are not counted.
    let dev = data
        .entities()
        .iter()
        .filter(|e| e.parent.is_none() && in_pillar(&data, e, "development"))
        .count();
    assert!(
        html.contains(&format!("<strong>{dev}</strong> entities")),
        "{html}"
    );
    let (status, html) = get("/about").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&format!("Of the {} links", data.links().len())));
}

#[tokio::test]
async fn bad_parameter_on_every_view_is_400_and_unknown_ones_are_ignored() {
    for path in ["/", "/system", "/entities", "/overlap"] {
        let (status, html) = get(&format!("{path}?organ=un")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path}");
        assert!(html.contains("<code>general-assembly</code>"), "{path}");
        let (status, _) = get(&format!("{path}?fbclid=abc&organ=icj")).await;
        assert_eq!(status, StatusCode::OK, "{path}");
    }
}

#[tokio::test]
async fn search_box_keeps_the_other_filters_and_finds_text() {
    let data = Dataset::embedded().unwrap();
    let (status, html) = get("/entities?crime=cybercrime&q=CHILD").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<input type=\"hidden\" name=\"crime\" value=\"cybercrime\">"));
    assert!(html.contains("value=\"CHILD\""));
    let want: Vec<String> = (0..data.entities().len())
        .filter(|&i| {
            let e = &data.entities()[i];
            let text = std::iter::once(format!("{} {} {}", e.acronym, e.name, e.summary))
                .chain(data.links_of(i).map(|l| l.summary.to_string()))
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase();
            data.link(i, crime(&data, "cybercrime")).is_some() && text.contains("child")
        })
        .map(|i| data.entities()[i].id.to_string())
        .collect();
    assert!(!want.is_empty());
    assert_eq!(rows(&html), want);
}

#[tokio::test]
async fn static_assets_have_content_hashed_urls_cached_for_a_year() {
    use sha2::{Digest, Sha256};
    use tower::ServiceExt;
    let (_, _, page) = common::send(common::app(), "/system").await;
    let linked: Vec<&str> = page
        .split('"')
        .filter(|s| s.starts_with("/static/"))
        .collect();
    assert_eq!(linked.len(), 3, "style, favicon and script: {linked:?}");
    for url in linked {
        let response = common::app()
            .oneshot(
                axum::http::Request::get(url)
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{url}");
        let cache = response.headers()["cache-control"]
            .to_str()
            .unwrap()
            .to_owned();
        assert_eq!(cache, "public, max-age=31536000, immutable", "{url}");
        // The URL is the file's name with the first 10 hex digits of its SHA-256.
        let file = url.trim_start_matches("/static/");
        let mut parts = file.split('.');
        let (stem, digest, ext) = (
            parts.next().unwrap(),
            parts.next().unwrap(),
            parts.next().unwrap(),
        );
        let path = format!("{}/static/{stem}.{ext}", env!("CARGO_MANIFEST_DIR"));
        let expected: String = Sha256::digest(std::fs::read(&path).unwrap())[..5]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(digest, expected, "{url} names {path}'s content");
        let (status, _, _) = common::send(common::app(), &format!("/static/{stem}.{ext}")).await;
        assert_eq!(status, StatusCode::OK, "the plain name still answers");
        let stale = format!("/static/{stem}.0000000000.{ext}");
        let (status, _, body) = common::send(common::app(), &stale).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{stale}");
        assert!(body.contains(url), "the 404 names the current URL");
    }
}

/// The web addresses in a text, read plainly: each `http(s)://` run up to a space, without
/// the punctuation that closes a sentence or a bracket opened before it.
fn addresses(text: &str) -> Vec<String> {
    text.split_whitespace()
        .filter(|w| w.starts_with("http://") || w.starts_with("https://"))
        .map(|w| {
            let mut w = w.trim_end_matches(['.', ',', ';', ':', '\'', '"']);
            if !w.contains('(') {
                w = w.trim_end_matches(')');
            }
            w.trim_end_matches(['.', ',', ';', ':']).to_owned()
        })
        .collect()
}

#[tokio::test]
async fn every_source_address_is_a_link() {
    let data = Dataset::embedded().unwrap();
    let href = |url: &str| format!("href=\"{}\"", url.replace('&', "&#38;"));
    let mut checked = 0;
    for (i, e) in data.entities().iter().enumerate() {
        let (_, html) = get(&format!("/entities/{}", e.id)).await;
        for l in data.links_of(i) {
            let texts = [l.source().unwrap_or(""), &l.notes, l.mandate_source()];
            for url in texts.iter().flat_map(|t| addresses(t)) {
                assert!(html.contains(&href(&url)), "/entities/{}: {url}", e.id);
                checked += 1;
            }
        }
    }
    let (_, timeline) = get("/timeline").await;
    for i in data.instruments() {
        for url in [&*i.source, &i.notes].iter().flat_map(|t| addresses(t)) {
            assert!(timeline.contains(&href(&url)), "/timeline: {url}");
            checked += 1;
        }
    }
    let (_, rapporteurs) = get("/rapporteurs").await;
    for m in data.special_procedures() {
        for url in [&*m.source, &m.notes].iter().flat_map(|t| addresses(t)) {
            assert!(rapporteurs.contains(&href(&url)), "/rapporteurs: {url}");
            checked += 1;
        }
    }
    for g in data.groups() {
        let (_, html) = get(&format!("/groups/{}", g.id)).await;
        let texts = data
            .members_of(g)
            .map(|m| m.source.clone())
            .chain([g.notes.clone()]);
        for url in texts.flat_map(|t| addresses(&t)) {
            assert!(html.contains(&href(&url)), "/groups/{}: {url}", g.id);
            checked += 1;
        }
    }
    assert!(checked > 100, "the data cites addresses: {checked} checked");
}
