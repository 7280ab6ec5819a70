//! For operators and crawlers: `/healthz` and `/readyz` answer as documented; every URL of
//! `sitemap.xml` answers 200; every canonical page a reader reaches by following links is in
//! it; `robots.txt` points to it.

use std::collections::{BTreeSet, VecDeque};

use axum::http::StatusCode;
use mandate_map::dataset::{Dim, Editions};

mod common;

/// The origin the in-process router sees without a `Host` header.
const ORIGIN: &str = "http://localhost:8080";

#[tokio::test]
async fn healthz_answers_and_readyz_names_the_data_loaded() {
    let app = common::app();
    let (status, _, body) = common::send(app.clone(), "/healthz").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body.trim(), "ok");
    let (status, content_type, body) = common::send(app, "/readyz").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
    let ready: serde_json::Value = serde_json::from_str(&body).unwrap();
    let editions = Editions::embedded().unwrap();
    let data = editions.default_edition();
    assert_eq!(ready["status"], "ready");
    assert_eq!(ready["version"], data.version());
    assert_eq!(ready["released"], data.release().date.0.iso());
    assert_eq!(ready["fingerprint"], editions.fingerprint());
    let ids: Vec<&str> = ready["editions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap())
        .collect();
    assert_eq!(ids[0], data.edition().id.as_str(), "the default first");
    assert_eq!(ids.len(), editions.all().len());
    let loaded = ready["loaded_at"].as_str().unwrap();
    assert!(
        loaded.len() == 20 && loaded.starts_with("20") && loaded.ends_with('Z'),
        "RFC 3339 in UTC: {loaded}"
    );
}

/// The paths (with their queries) of the sitemap's URLs.
fn sitemap_paths(xml: &str) -> Vec<String> {
    xml.split("<loc>")
        .skip(1)
        .map(|rest| {
            let loc = &rest[..rest.find("</loc>").unwrap()];
            let loc = loc.replace("&amp;", "&");
            loc.strip_prefix(ORIGIN)
                .unwrap_or_else(|| panic!("{loc} is not under {ORIGIN}"))
                .to_owned()
        })
        .collect()
}

/// A page's address with its parameters sorted by name (stable), as the canonical form of a
/// request sorts them: a link written in the views' order and the sitemap's entry compare
/// equal.
fn normal(href: &str) -> String {
    let (path, query) = href.split_once('?').unwrap_or((href, ""));
    let mut pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    pairs.sort_by(|a, b| a.0.cmp(&b.0));
    if pairs.is_empty() {
        return path.to_owned();
    }
    let query: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    format!("{path}?{query}")
}

/// The value of the first `<meta property|name="NAME" content="...">` or `<link rel="NAME"
/// href="...">` of a page's head, decoded.
fn head_value(html: &str, attribute: &str, name: &str, value: &str) -> Option<String> {
    let head = &html[..html.find("</head>")?];
    let tag = head
        .split('<')
        .find(|t| t.contains(&format!("{attribute}=\"{name}\"")))?;
    let start = tag.find(&format!("{value}=\""))? + value.len() + 2;
    let text = &tag[start..];
    Some(
        text[..text.find('"')?]
            .replace("&#38;", "&")
            .replace("&amp;", "&"),
    )
}

/// The internal links of a page, decoded as the browser reads them.
fn links(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .map(|rest| {
            rest[..rest.find('"').unwrap()]
                .replace("&#38;", "&")
                .replace("&amp;", "&")
        })
        .filter(|href| href.starts_with('/'))
        .map(|href| href.split('#').next().unwrap().to_owned())
        .collect()
}

/// Whether a link leads to a canonical page: an HTML view (not a chart, download, API
/// answer, embed, data file or asset) with no parameter but `edition` and at most one filter
/// value.
fn is_canonical(href: &str) -> bool {
    let (path, query) = href.split_once('?').unwrap_or((href, ""));
    let machine = [
        "/charts/",
        "/export/",
        "/api/",
        "/embed/",
        "/static/",
        "/taxonomy.css",
    ];
    if machine.iter().any(|m| path.starts_with(m))
        || (path.starts_with("/data/") && path != "/data/")
    {
        return false;
    }
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let filters = pairs.iter().filter(|(k, _)| k != "edition").count();
    let all_dimensions = pairs
        .iter()
        .filter(|(k, _)| k != "edition")
        .all(|(k, _)| Dim::by_param(k).is_some());
    filters <= 1 && all_dimensions
}

#[tokio::test]
async fn every_sitemap_url_answers_and_every_canonical_page_reached_by_links_is_in_it() {
    let app = common::app();
    let (status, content_type, xml) = common::send(app.clone(), "/sitemap.xml").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        content_type.starts_with("application/xml"),
        "{content_type}"
    );
    let listed: Vec<String> = sitemap_paths(&xml);
    let set: BTreeSet<&str> = listed.iter().map(String::as_str).collect();
    assert_eq!(set.len(), listed.len(), "a page listed twice");
    // Every listed page answers, and every canonical page it links to is listed: a crawl
    // from the home page of each edition over the listed pages.
    let editions = Editions::embedded().unwrap();
    let mut queue: VecDeque<String> = editions
        .all()
        .iter()
        .map(|d| {
            normal(&mandate_map::query::url(
                "/",
                &mandate_map::query::Filter::default().to_query(d),
            ))
        })
        .collect();
    let mut seen: BTreeSet<String> = queue.iter().cloned().collect();
    let mut missing: BTreeSet<String> = BTreeSet::new();
    while let Some(page) = queue.pop_front() {
        let (status, _, html) = common::send(app.clone(), &page).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        for link in links(&html) {
            let link = normal(&link);
            if !is_canonical(&link) || seen.contains(&link) {
                continue;
            }
            seen.insert(link.clone());
            if set.contains(link.as_str()) {
                queue.push_back(link);
            } else {
                missing.insert(format!("{link} (linked from {page})"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "canonical pages not in the sitemap: {missing:#?}"
    );
    let unreached: Vec<&&str> = set.iter().filter(|p| !seen.contains(**p)).collect();
    for page in &unreached {
        let (status, _, _) = common::send(app.clone(), page).await;
        assert_eq!(status, StatusCode::OK, "{page}");
    }
    assert!(listed.len() > 500, "only {} pages", listed.len());
    assert!(
        seen.len() > 300,
        "the crawl reached only {} pages",
        seen.len()
    );
}

#[tokio::test]
async fn robots_points_to_the_sitemap_under_the_origin_asked_for() {
    use tower::ServiceExt;
    let request = axum::http::Request::get("/robots.txt")
        .header("host", "mandate-map.example")
        .header("x-forwarded-proto", "https")
        .body(axum::body::Body::empty())
        .unwrap();
    let response = common::app().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    use http_body_util::BodyExt;
    let body = response.into_body().collect().await.unwrap().to_bytes();
    let text = String::from_utf8_lossy(&body);
    assert!(
        text.contains("Sitemap: https://mandate-map.example/sitemap.xml"),
        "{text}"
    );
    assert!(text.contains("Disallow: /api/"), "{text}");
}

#[tokio::test]
async fn every_canonical_page_names_itself_and_its_card_image_is_a_png_of_card_size() {
    let app = common::app();
    let (_, _, xml) = common::send(app.clone(), "/sitemap.xml").await;
    let mut images = BTreeSet::new();
    let mut with_card = 0;
    for page in sitemap_paths(&xml) {
        let (status, _, html) = common::send(app.clone(), &page).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        let canonical = head_value(&html, "rel", "canonical", "href")
            .unwrap_or_else(|| panic!("{page} has no canonical link"));
        assert_eq!(canonical, format!("{ORIGIN}{page}"), "{page}");
        assert_eq!(
            head_value(&html, "property", "og:url", "content").as_deref(),
            Some(canonical.as_str())
        );
        let title = head_value(&html, "property", "og:title", "content").unwrap();
        assert!(!title.is_empty(), "{page}");
        let card = head_value(&html, "name", "twitter:card", "content").unwrap();
        match head_value(&html, "property", "og:image", "content") {
            Some(image) => {
                assert_eq!(card, "summary_large_image", "{page}");
                let alt = head_value(&html, "property", "og:image:alt", "content").unwrap();
                assert!(!alt.is_empty(), "{page}: the image has no text alternative");
                images.insert(image.strip_prefix(ORIGIN).unwrap().to_owned());
                with_card += 1;
            }
            None => assert_eq!(card, "summary", "{page}"),
        }
    }
    // The overview, the overlaps, the changes and the views of bodies, instruments and
    // mandates each have a chart, in every edition and selection.
    assert!(with_card > 150, "only {with_card} pages have a card image");
    for image in &images {
        let (status, content_type, bytes) = common::send_bytes(app.clone(), image).await;
        assert_eq!(status, StatusCode::OK, "{image}");
        assert_eq!(content_type, "image/png", "{image}");
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        let info = decoder.read_info().unwrap();
        let (width, height) = (info.info().width, info.info().height);
        assert_eq!((width, height), (1200, 630), "{image}");
    }
}

#[tokio::test]
async fn an_equivalent_address_names_the_canonical_one() {
    let app = common::app();
    let default = Editions::embedded().unwrap();
    let id = default.default_edition().edition().id.to_string();
    let spelled =
        format!("/entities?utm_source=x&pillar=development&crime=cybercrime&edition={id}");
    let (_, _, html) = common::send(app, &spelled).await;
    assert_eq!(
        head_value(&html, "rel", "canonical", "href").unwrap(),
        format!("{ORIGIN}/entities/?crime=cybercrime&pillar=development")
    );
}
