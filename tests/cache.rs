//! The response store as a client sees it: equivalent URLs are one resource with one `ETag`;
//! every content coding decodes to the identity body; a reload changes every `ETag`.

mod common;

use std::io::Read;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use http_body_util::BodyExt;
use mandate_map::dataset::Dataset;
use mandate_map::web::{AppState, router};
use tower::ServiceExt;

async fn get(
    app: &Router,
    uri: &str,
    headers: &[(&str, &str)],
) -> (StatusCode, HeaderMap, Vec<u8>) {
    let mut request = Request::get(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = app
        .clone()
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .expect("the router answers");
    let (parts, body) = response.into_parts();
    (
        parts.status,
        parts.headers,
        body.collect().await.unwrap().to_bytes().to_vec(),
    )
}

fn etag(headers: &HeaderMap) -> String {
    headers["etag"].to_str().unwrap().to_owned()
}

fn embedded() -> Router {
    router(AppState::new(Dataset::embedded().unwrap()))
}

/// Groups of URLs that mean the same: parameter order, repeated values, unknown parameters,
/// empty values, percent-encoding and spaces around values.
const EQUIVALENT: &[&[&str]] = &[
    &[
        "/entities?crime=cybercrime&pillar=development",
        "/entities?pillar=development&crime=cybercrime",
        "/entities?crime=cybercrime&crime=cybercrime&pillar=development",
        "/entities?utm_source=mail&crime=cybercrime&z=1&pillar=development",
        "/entities?crime=cybercrime&organ=&pillar=development&z=2",
        "/entities?crime=%63ybercrime&pillar=development",
    ],
    &[
        "/system?crime=illicit-drugs&crime=arms-trafficking&entity=unodc",
        "/system?entity=unodc&crime=arms-trafficking&crime=illicit-drugs",
        "/system?crime=arms-trafficking&entity=unodc&entity=unodc&crime=illicit-drugs&x=y",
    ],
    &[
        "/entities?sort=name&sort=acronym&q=office",
        "/entities?q=office&sort=name&sort=acronym&sort=name&sort=acronym",
        "/entities?sort=name&q=office&sort=acronym&junk",
    ],
    &[
        "/charts/coverage.svg?width=900&title=A+chart&stack=false",
        "/charts/coverage.svg?stack=false&title=A%20chart&width=900&ref=x",
    ],
    &["/", "/?z=1", "/?z=2", "/?utm_campaign=x&crime="],
];

#[tokio::test]
async fn equivalent_urls_get_one_etag_and_the_same_bytes() {
    let app = embedded();
    for group in EQUIVALENT {
        let (status, headers, first) = get(&app, group[0], &[]).await;
        assert_eq!(status, StatusCode::OK, "{}", group[0]);
        let tag = etag(&headers);
        for uri in &group[1..] {
            let (status, headers, body) = get(&app, uri, &[]).await;
            assert_eq!(status, StatusCode::OK, "{uri}");
            assert_eq!(etag(&headers), tag, "{uri} vs {}", group[0]);
            assert!(body == first, "{uri}: the bodies differ");
            // Its validator revalidates the other spelling.
            let (status, _, _) = get(&app, uri, &[("if-none-match", &tag)]).await;
            assert_eq!(status, StatusCode::NOT_MODIFIED, "{uri}");
        }
    }
}

#[tokio::test]
async fn equivalent_urls_render_the_same_bytes_without_the_store() {
    // Each URL through a router of its own, so nothing is served from memory: the canonical
    // form only merges requests that render identically.
    for group in EQUIVALENT {
        let (_, _, first) = get(&embedded(), group[0], &[]).await;
        for uri in &group[1..] {
            let (_, _, body) = get(&embedded(), uri, &[]).await;
            assert!(body == first, "{uri} vs {}: the bodies differ", group[0]);
        }
    }
}

#[tokio::test]
async fn urls_that_differ_in_meaning_get_different_etags() {
    let app = embedded();
    let mut tags = std::collections::HashSet::new();
    for uri in [
        "/entities?crime=cybercrime",
        "/entities?crime=cybercrime&pillar=development",
        "/entities?sort=name&sort=acronym",
        "/entities?sort=acronym&sort=name",
        "/entities?q=office",
        "/system?entity=unodc",
        "/charts/coverage.svg?width=900",
    ] {
        let (status, headers, _) = get(&app, uri, &[]).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        assert!(tags.insert(etag(&headers)), "{uri} shares a tag");
    }
}

#[tokio::test]
async fn an_invalid_value_is_reported_even_beside_a_cached_valid_one() {
    let app = embedded();
    let (status, _, _) = get(&app, "/entities?match=all", &[]).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, body) = get(&app, "/entities?match=bogus&match=all", &[]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(String::from_utf8_lossy(&body).contains("bogus"));
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .unwrap();
    out
}

fn unbrotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    brotli::Decompressor::new(bytes, 4096)
        .read_to_end(&mut out)
        .unwrap();
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_encoding_decodes_to_the_identity_body() {
    const BROWSER: (&str, &str) = ("accept-encoding", "gzip, deflate, br");
    for uri in [
        "/system?crime=illicit-drugs",
        "/entities",
        "/charts/overlap.svg",
        "/api/entities",
        "/export/entities.csv",
    ] {
        let app = embedded();
        let (_, _, identity) = get(&app, uri, &[]).await;
        // The first browser request: gzip, made cheaply.
        let (_, headers, gz) = get(&app, uri, &[BROWSER]).await;
        assert_eq!(headers["content-encoding"], "gzip", "{uri}");
        assert_eq!(gunzip(&gz), identity, "{uri}");
        // Asked for again, the entry gets brotli in the background; bounded wait for it.
        let mut br = None;
        for _ in 0..200 {
            let (_, headers, body) = get(&app, uri, &[BROWSER]).await;
            if headers["content-encoding"] == "br" {
                br = Some(body);
                break;
            }
            assert_eq!(headers["content-encoding"], "gzip", "{uri}");
            assert_eq!(gunzip(&body), identity, "{uri}");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let br = br.unwrap_or_else(|| panic!("{uri}: no brotli after 2 s"));
        assert_eq!(unbrotli(&br), identity, "{uri}");
        // A client taking brotli only gets it, and one taking nothing the identity.
        let (_, headers, br_only) = get(&app, uri, &[("accept-encoding", "br")]).await;
        assert_eq!(headers["content-encoding"], "br", "{uri}");
        assert_eq!(unbrotli(&br_only), identity, "{uri}");
        let (_, headers, plain) = get(&app, uri, &[("accept-encoding", "identity")]).await;
        assert!(headers.get("content-encoding").is_none(), "{uri}");
        assert_eq!(plain, identity, "{uri}");
    }
}

#[tokio::test]
async fn a_brotli_only_client_gets_brotli_on_a_miss() {
    let app = embedded();
    let (_, headers, body) = get(&app, "/overlap", &[("accept-encoding", "br")]).await;
    assert_eq!(headers["content-encoding"], "br");
    let (_, _, identity) = get(&app, "/overlap", &[]).await;
    assert_eq!(unbrotli(&body), identity);
}

#[tokio::test]
async fn a_reload_changes_every_etag() {
    let fixture = common::Fixture::default();
    let state = AppState::new(fixture.load().unwrap());
    let app = router(state.clone());
    let uris = [
        "/",
        "/system?crime=cybercrime",
        "/entities?pillar=development",
        "/entities/unodc",
        "/crimes/cybercrime",
        "/overlap",
        "/api/coverage",
        "/charts/coverage.svg",
        "/charts/coverage.csv",
        "/data/links.csv",
    ];
    let mut before = Vec::new();
    for uri in uris {
        let (status, headers, _) = get(&app, uri, &[("accept-encoding", "gzip")]).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        before.push(etag(&headers));
    }
    let mut edited = common::Fixture::default();
    edited["entities.csv"] = fixture["entities.csv"].replace("Children.", "Children (edited).");
    state.replace(edited.load().unwrap());
    for (uri, old) in uris.iter().zip(&before) {
        let (status, headers, _) = get(&app, uri, &[("accept-encoding", "gzip")]).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        assert_ne!(&etag(&headers), old, "{uri} kept its tag across a reload");
        let (status, _, _) = get(&app, uri, &[("if-none-match", old)]).await;
        assert_eq!(
            status,
            StatusCode::OK,
            "{uri}: an old tag must not revalidate"
        );
    }
}

/// A page quotes the site's origin in its embed snippets: a request naming another Host gets
/// its own entry and cannot change what the next visitor is sent.
#[tokio::test]
async fn a_request_naming_another_host_does_not_change_what_others_are_sent() {
    let app = common::app();
    let (status, _, poisoned) = get(
        &app,
        "/?pillar=development",
        &[("host", "attacker.example")],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(String::from_utf8_lossy(&poisoned).contains("attacker.example"));
    let (status, _, page) = get(
        &app,
        "/?pillar=development",
        &[("host", "mandate-map.example")],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let page = String::from_utf8_lossy(&page);
    assert!(
        !page.contains("attacker.example"),
        "a cached page quotes another request's host"
    );
    assert!(page.contains("http://mandate-map.example/embed/coverage"));
}
