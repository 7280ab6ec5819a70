//! Production grade: no request produces a 5xx or a panic; data the project did not write
//! renders inert everywhere; every response carries the security headers; only GET and HEAD
//! are served; responses carry validators and are compressed on request.

mod common;

use mandate_map::charts;

use std::io::Read;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use mandate_map::dataset::Dataset;
use mandate_map::web::{AppState, router};
use proptest::prelude::*;
use tower::ServiceExt;

/// Sends a request and returns status, headers and body.
async fn send(app: Router, request: Request<Body>) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let response = app.oneshot(request).await.expect("the router answers");
    let (parts, body) = response.into_parts();
    (
        parts.status,
        parts.headers,
        body.collect().await.unwrap().to_bytes().to_vec(),
    )
}

/// Paths a user, a crawler or a mangled link might ask for (PNG rendering is covered by its
/// own tests and left out here to keep 10,000 cases fast).
const PATHS: &[&str] = &[
    "/",
    "/system",
    "/entities",
    "/entities/unodc",
    "/entities/%3Cscript%3E",
    "/entities/",
    "/crimes/cybercrime",
    "/crimes/%00",
    "/overlap",
    "/changes",
    "/api/changes",
    "/charts/changes.svg",
    "/charts/changes.csv",
    "/embed/changes",
    "/entities/dpi",
    "/api/entities/unisdr",
    "/about",
    "/data/",
    "/data/links.csv",
    "/data/datapackage.json",
    "/data/..%2Fsecret",
    "/api/entities",
    "/api/entities/who",
    "/api/entities/%E2%80%AE",
    "/api/crime-types",
    "/api/coverage",
    "/api/nope",
    "/export/entities.csv",
    "/export/entities.json",
    "/charts/coverage.svg",
    "/charts/breakdown.svg",
    "/charts/overlap.csv",
    "/charts/matrix.svg",
    "/charts/pie.svg",
    "/charts/coverage",
    "/embed/coverage",
    "/embed/overlap",
    "/embed/x",
    "/timeline",
    "/groups",
    "/groups/icat",
    "/groups/%3Cb%3E",
    "/rapporteurs",
    "/api/timeline",
    "/api/groups",
    "/api/groups/none",
    "/api/rapporteurs",
    "/charts/timeline.svg",
    "/charts/groups.csv",
    "/charts/rapporteurs.svg",
    "/static/style.css",
    "/static/app.js",
    "/static/../Cargo.toml",
    "//",
    "/%",
    "/%%30",
    "/system/extra",
];

/// Parameter names, known and unknown.
const KEYS: &[&str] = &[
    "crime",
    "match",
    "pillar",
    "organ",
    "category",
    "basis",
    "q",
    "sort",
    "entity",
    "width",
    "height",
    "title",
    "stack",
    "by",
    "mode",
    "scale",
    "utm_source",
    "",
    "crime[]",
    "CRIME",
];

/// Values, valid and not.
const VALUES: &[&str] = &[
    "cybercrime",
    "illicit-drugs",
    "all",
    "any",
    "development",
    "secretariat",
    "funds-and-programmes",
    "Funds and Programmes",
    "mandate",
    "agenda",
    "acronym",
    "links",
    "who",
    "800",
    "0",
    "-1",
    "99999999999999999999",
    "true",
    "maybe",
    "organ",
    "stacked",
    "2",
    "<script>alert(1)</script>",
    "%",
    "%ZZ",
    "%E2%82",
    "\u{0}",
    "é",
    "' OR 1=1 --",
    "",
];

fn query() -> impl Strategy<Value = String> {
    let pair = (
        prop::sample::select(KEYS),
        prop_oneof![
            3 => prop::sample::select(VALUES).prop_map(str::to_owned),
            1 => "[ -~]{0,12}",
        ],
    )
        .prop_map(|(k, v)| {
            let encoded: String = form_urlencoded::byte_serialize(v.as_bytes()).collect();
            format!("{k}={encoded}")
        });
    prop_oneof![
        4 => prop::collection::vec(pair, 0..5).prop_map(|pairs| pairs.join("&")),
        1 => "[ -~]{0,40}".prop_map(|raw| raw.replace(['#', ' '], "")),
    ]
}

fn headers() -> impl Strategy<Value = Vec<(&'static str, String)>> {
    prop::collection::vec(
        (
            prop::sample::select(
                &[
                    "if-none-match",
                    "accept-encoding",
                    "host",
                    "accept",
                    "x-forwarded-proto",
                    "range",
                ][..],
            ),
            prop_oneof![
                Just("gzip, br".to_owned()),
                Just("\"abc\"".to_owned()),
                Just("*".to_owned()),
                "[ -~]{0,30}",
            ],
        ),
        0..4,
    )
}

fn app() -> Router {
    static APP: std::sync::OnceLock<Router> = std::sync::OnceLock::new();
    APP.get_or_init(|| router(AppState::new(Dataset::embedded().unwrap())))
        .clone()
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: std::sync::OnceLock<tokio::runtime::Runtime> = std::sync::OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 10_000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn no_request_gets_a_5xx_and_every_error_says_what_was_wrong(
        path in prop::sample::select(PATHS),
        query in query(),
        headers in headers(),
    ) {
        let uri = if query.is_empty() { path.to_owned() } else { format!("{path}?{query}") };
        let Ok(mut builder) = Request::get(uri.as_str()).body(Body::empty()).map(|r| r.into_parts().0) else {
            // Not a URI an HTTP client could send; hyper would reject it before us.
            return Ok(());
        };
        builder.headers.clear();
        for (name, value) in &headers {
            if let Ok(v) = axum::http::HeaderValue::from_str(value) {
                builder.headers.append(*name, v);
            }
        }
        let request = Request::from_parts(builder, Body::empty());
        let (status, headers, body) = runtime().block_on(send(app(), request));
        prop_assert!(
            [200, 304, 400, 404].contains(&status.as_u16()),
            "{uri}: {status}"
        );
        if status.is_client_error() {
            prop_assert!(!body.is_empty(), "{uri}: empty {status}");
        }
        prop_assert!(headers.contains_key("content-security-policy"), "{uri}");
    }
}

#[tokio::test]
async fn other_methods_get_405_and_say_so() {
    for method in ["POST", "PUT", "DELETE", "PATCH"] {
        for path in ["/", "/api/entities", "/charts/coverage.svg"] {
            let request = Request::builder()
                .method(method)
                .uri(path)
                .body(Body::empty())
                .unwrap();
            let (status, headers, body) = send(app(), request).await;
            assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
            // RFC 9110: a 405 lists the methods the resource has.
            assert_eq!(headers[header::ALLOW], "GET,HEAD", "{method} {path}");
            assert!(String::from_utf8_lossy(&body).contains("GET and HEAD"));
            assert!(headers.contains_key("content-security-policy"));
        }
    }
    let request = Request::head("/entities").body(Body::empty()).unwrap();
    let (status, _, body) = send(app(), request).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.is_empty(), "HEAD has no body");
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    for path in [
        "/",
        "/entities?pillar=bad",
        "/nowhere",
        "/static/style.css",
        "/api/coverage",
        "/embed/coverage",
    ] {
        let (_, headers, _) = send(app(), Request::get(path).body(Body::empty()).unwrap()).await;
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(csp.starts_with("default-src 'self'"), "{path}: {csp}");
        assert!(
            !csp.contains("unsafe-inline"),
            "{path}: no inline scripts or styles"
        );
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(
            headers["referrer-policy"], "strict-origin-when-cross-origin",
            "{path}"
        );
    }
}

#[tokio::test]
async fn etag_revalidates_to_304_and_changes_with_the_request() {
    let get = |uri: &str, tag: Option<&str>| {
        let mut b = Request::get(uri);
        if let Some(t) = tag {
            b = b.header("if-none-match", t);
        }
        send(app(), b.body(Body::empty()).unwrap())
    };
    let (status, headers, _) = get("/entities?crime=cybercrime", None).await;
    assert_eq!(status, StatusCode::OK);
    let etag = headers["etag"].to_str().unwrap().to_owned();
    assert!(
        etag.starts_with('"') && !etag.starts_with("W/"),
        "strong: {etag}"
    );
    assert!(
        headers["cache-control"]
            .to_str()
            .unwrap()
            .contains("max-age")
    );
    let (status, headers, body) = get("/entities?crime=cybercrime", Some(&etag)).await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    assert!(body.is_empty());
    assert_eq!(headers["etag"].to_str().unwrap(), etag);
    let (_, other, _) = get("/entities?crime=arms-trafficking", None).await;
    assert_ne!(other["etag"], etag.as_str());
    let (status, _, _) = get("/entities?crime=arms-trafficking", Some(&etag)).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "a tag for another request does not match"
    );
}

#[tokio::test]
async fn responses_are_compressed_by_accept_encoding() {
    let plain = send(app(), Request::get("/system").body(Body::empty()).unwrap())
        .await
        .2;
    let request = Request::get("/system")
        .header("accept-encoding", "gzip")
        .body(Body::empty())
        .unwrap();
    let (_, headers, gz) = send(app(), request).await;
    assert_eq!(headers["content-encoding"], "gzip");
    assert!(
        headers["etag"].to_str().unwrap().ends_with(".gzip\""),
        "the coding is part of the tag"
    );
    let mut unzipped = Vec::new();
    flate2::read::GzDecoder::new(gz.as_slice())
        .read_to_end(&mut unzipped)
        .unwrap();
    assert_eq!(unzipped, plain);
    assert!(
        gz.len() * 3 < plain.len(),
        "{} vs {}",
        gz.len(),
        plain.len()
    );
    let request = Request::get("/system")
        .header("accept-encoding", "br")
        .body(Body::empty())
        .unwrap();
    let (_, headers, _) = send(app(), request).await;
    assert_eq!(headers["content-encoding"], "br");
}

/// A dataset whose every free-text field, in every file the schema declares, tries to break
/// out of HTML and SVG.
fn hostile() -> Dataset {
    use mandate_map::dataset::cell::Schema;
    const NASTY: &str =
        "\"<script>alert(1)</script> & </svg><img src=x onerror=alert(2)> <b> <i> <U>";
    use mandate_map::dataset::{Dim, Values};
    // Vocabularies whose values other files may write by label keep their labels.
    let by_label: Vec<&str> = Dim::all()
        .filter(|d| d.get().by_label)
        .filter_map(|d| match d.get().values {
            Values::File { name, .. } => Some(name),
            Values::Fixed(_) => None,
        })
        .collect();
    let mut f = common::Fixture::default();
    for file in mandate_map::dataset::schema::files() {
        let text_columns: Vec<&str> = file
            .columns
            .iter()
            .filter(|c| matches!(c.schema, Schema::Text))
            .filter(|c| !(c.name == "label" && by_label.contains(&file.name())))
            .map(|c| c.name)
            .collect();
        let mut reader = csv::Reader::from_reader(f[file.name()].as_bytes());
        let header = reader.headers().unwrap().clone();
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(&header).unwrap();
        for record in reader.records().map(Result::unwrap) {
            let row: Vec<String> = record
                .iter()
                .zip(header.iter())
                .map(|(value, column)| {
                    if text_columns.contains(&column) && !value.is_empty() {
                        format!("{NASTY} {value}")
                    } else {
                        value.to_owned()
                    }
                })
                .collect();
            w.write_record(&row).unwrap();
        }
        f[file.name()] = String::from_utf8(w.into_inner().unwrap()).unwrap();
    }
    f.load().expect("hostile fixture loads")
}

#[tokio::test]
async fn data_we_did_not_write_renders_inert_everywhere() {
    let app = router(AppState::new(hostile()));
    let pages = [
        "/",
        "/system",
        "/system?crime=cybercrime&entity=unicef",
        "/entities",
        "/entities?q=script",
        "/entities/unicef",
        "/entities/itu",
        "/crimes/cybercrime",
        "/overlap",
        "/about",
        "/method",
        "/timeline",
        "/groups",
        "/groups/icat",
        "/rapporteurs",
    ]
    .map(str::to_owned)
    .into_iter()
    .chain(
        charts::CHARTS
            .iter()
            .map(|c| format!("/embed/{}", c.name())),
    );
    for path in pages {
        let path = path.as_str();
        let (status, _, body) =
            send(app.clone(), Request::get(path).body(Body::empty()).unwrap()).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        let html = String::from_utf8(body).unwrap();
        if path == "/entities/unicef" {
            assert!(
                html.contains("&#60;script&#62;alert"),
                "the text is shown, escaped"
            );
        }
        for raw in [
            "<script>alert",
            "<img src=x",
            "</svg><script",
            "<b>",
            "<i>",
            "<U>",
        ] {
            assert!(!html.contains(raw), "{path}: raw {raw:?} in the page");
        }
    }
    for chart in charts::CHARTS {
        let path = format!("/charts/{}.svg", chart.name());
        let (status, _, body) = send(
            app.clone(),
            Request::get(path.as_str()).body(Body::empty()).unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{path}");
        let svg = String::from_utf8(body).unwrap();
        let doc =
            roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{path}: not XML: {e}"));
        assert!(
            !doc.descendants()
                .any(|n| n.has_tag_name("script") || n.has_tag_name("img")),
            "{path}"
        );
        assert_eq!(
            doc.root_element().tag_name().name(),
            "svg",
            "{path}: one root, not broken out of"
        );
    }
}

#[tokio::test]
async fn a_head_request_does_not_empty_the_cached_page() {
    let app = router(AppState::new(Dataset::embedded().unwrap()));
    let (status, head, body) = send(
        app.clone(),
        Request::head("/about").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.is_empty());
    for _ in 0..2 {
        let (status, _, body) = send(
            app.clone(),
            Request::get("/about").body(Body::empty()).unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        // The HEAD said the length of the GET's body.
        assert_eq!(
            head[header::CONTENT_LENGTH],
            body.len().to_string().as_str()
        );
        assert!(String::from_utf8(body).unwrap().contains("About the data"));
    }
}

#[tokio::test]
async fn cached_responses_are_the_rendered_ones_in_every_coding() {
    let app = router(AppState::new(Dataset::embedded().unwrap()));
    let get = |coding: &'static str| {
        send(
            app.clone(),
            Request::get("/overlap")
                .header("accept-encoding", coding)
                .body(Body::empty())
                .unwrap(),
        )
    };
    let (_, _, first) = get("identity").await;
    let (_, _, second) = get("identity").await;
    assert_eq!(first, second, "served from memory, byte for byte");
    let (_, headers, gz) = get("gzip").await;
    assert_eq!(headers["content-encoding"], "gzip");
    let mut unzipped = Vec::new();
    flate2::read::GzDecoder::new(gz.as_slice())
        .read_to_end(&mut unzipped)
        .unwrap();
    assert_eq!(unzipped, first);
    let (_, headers, br) = get("br").await;
    assert_eq!(headers["content-encoding"], "br");
    let mut unbrotli = Vec::new();
    brotli::Decompressor::new(br.as_slice(), 4096)
        .read_to_end(&mut unbrotli)
        .unwrap();
    assert_eq!(unbrotli, first);
}
