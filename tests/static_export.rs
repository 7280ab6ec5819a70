//! The static export (`mandate-map build`) of the embedded data, published under a sub-path:
//! a link check over the tree it writes, done here with a scanner of its own (every link of
//! every page must name a file of the tree, under the base path), and the byte identity of
//! every file with what a fresh server, published at the same address, sends for the file's
//! address and for the page's query form; and a rebuild over an earlier export, which
//! leaves what is the same, rewrites what differs and removes what is no longer exported.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use mandate_map::dataset::Editions;
use mandate_map::web::address::Base;
use mandate_map::web::{AppState, router, static_export};
use tower::ServiceExt;

const BASE_URL: &str = "https://example.org/un/";
const BASE: &str = "/un";

fn state() -> AppState {
    AppState::new(Editions::embedded().unwrap()).with_base(Base::parse(BASE_URL).unwrap())
}

/// Exports the site into `out`, on a thread of its own: the async tests ask for the export
/// from inside their runtime.
fn export_to(out: PathBuf) -> static_export::Built {
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        runtime
            .block_on(static_export::build(state(), &out))
            .unwrap()
    })
    .join()
    .unwrap()
}

/// The export, written once for every test of this file.
static EXPORT: LazyLock<(tempfile::TempDir, static_export::Built)> = LazyLock::new(|| {
    let dir = tempfile::tempdir().unwrap();
    let built = export_to(dir.path().join("site"));
    (dir, built)
});

fn site() -> PathBuf {
    EXPORT.0.path().join("site")
}

/// Every file under `dir`, as paths relative to it with `/` separators.
fn files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(at) = stack.pop() {
        for entry in std::fs::read_dir(&at).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path.strip_prefix(dir).unwrap();
                out.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out.sort();
    out
}

/// The values of every `href`, `src` and `action` attribute of `html` (double-quoted, as
/// the pages write them), `&` entities decoded.
fn links(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attribute in [" href=\"", " src=\"", " action=\""] {
        let mut rest = html;
        while let Some(at) = rest.find(attribute) {
            rest = &rest[at + attribute.len()..];
            let end = rest.find('"').unwrap();
            found.push(rest[..end].replace("&#38;", "&").replace("&amp;", "&"));
            rest = &rest[end..];
        }
    }
    found
}

#[test]
fn the_export_reports_nothing_missing() {
    let built = &EXPORT.1;
    assert!(
        built.failed.is_empty(),
        "{:?}",
        &built.failed[..built.failed.len().min(5)]
    );
    assert!(
        built.broken.is_empty(),
        "{:?}",
        &built.broken[..built.broken.len().min(5)]
    );
    // What the sitemap lists, the single-value pages, profiles and charts are all there.
    let on_disk: BTreeSet<String> = files(&site()).into_iter().collect();
    for file in [
        "index.html",
        "404.html",
        "sitemap.xml",
        "robots.txt",
        "entities/index.html",
        "entities/crime=cybercrime/index.html",
        "entities/unodc/index.html",
        "pillar=development/index.html",
        "system/organ=security-council/index.html",
        "crimes/cybercrime/index.html",
        "charts/crime=cybercrime/edition=2019/coverage.svg",
        "charts/crime=cybercrime/edition=2019/coverage.png",
        "charts/crime=cybercrime/edition=2019/coverage.csv",
        "embed/coverage/crime=cybercrime/edition=2019/index.html",
        "api/crime=cybercrime/entities.json",
        "api/entities/unodc.json",
        // 108 entities at 100 an API page: the second page, by the first one's `next`.
        "api/page=2/entities.json",
        "api/openapi.json",
        "data/datapackage.json",
        "data/entities.csv",
        "export/links.csv",
    ] {
        assert!(on_disk.contains(file), "{file} is not in the export");
    }
    assert_eq!(built.files.len(), on_disk.len());
}

#[test]
fn every_link_of_every_page_names_a_file_of_the_export() {
    let root = site();
    let on_disk: BTreeSet<String> = files(&root).into_iter().collect();
    let mut checked = 0;
    let mut broken = Vec::new();
    for file in on_disk.iter().filter(|f| f.ends_with(".html")) {
        let html = std::fs::read_to_string(root.join(file)).unwrap();
        for link in links(&html) {
            if link.starts_with('#')
                || link.starts_with("https://")
                || link.starts_with("http://")
                || link.starts_with("mailto:")
            {
                continue;
            }
            checked += 1;
            // Every same-site link is under the base path: the site works from /un/.
            let Some(local) = link.strip_prefix(BASE).filter(|l| l.starts_with('/')) else {
                broken.push(format!("{file}: {link} is not under {BASE}/"));
                continue;
            };
            let path = local
                .split(['?', '#'])
                .next()
                .unwrap()
                .trim_start_matches('/');
            let target = if path.is_empty() || path.ends_with('/') {
                format!("{path}index.html")
            } else {
                path.to_owned()
            };
            if !on_disk.contains(&target) {
                broken.push(format!("{file}: {link} (no {target})"));
            }
        }
    }
    assert!(checked > 50_000, "only {checked} links checked");
    assert!(
        broken.is_empty(),
        "{} broken links, such as {:?}",
        broken.len(),
        &broken[..broken.len().min(10)]
    );
}

async fn get(app: &axum::Router, uri: &str) -> (StatusCode, bytes::Bytes) {
    let request = Request::get(uri).body(Body::empty()).unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, body)
}

#[tokio::test(flavor = "multi_thread")]
async fn every_file_is_what_the_server_sends_for_its_address() {
    let root = site();
    // A fresh server, published at the same address: nothing is shared with the export.
    let app = router(state());
    let mut compared = 0;
    for file in files(&root) {
        let bytes = std::fs::read(root.join(&file)).unwrap();
        let address = match file.strip_suffix("index.html") {
            Some(dir) => format!("{BASE}/{dir}"),
            None => format!("{BASE}/{file}"),
        };
        let (status, body) = get(&app, &address).await;
        let expected = if file == "404.html" {
            StatusCode::NOT_FOUND
        } else {
            StatusCode::OK
        };
        assert_eq!(status, expected, "{address}");
        assert!(body == bytes, "{file} differs from what {address} answers");
        compared += 1;
    }
    assert!(compared > 3000, "only {compared} files compared");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_page_is_the_same_whichever_way_it_is_asked_for() {
    let root = site();
    let app = router(state());
    for (file, spellings) in [
        (
            "entities/crime=cybercrime/index.html",
            &[
                "/un/entities?crime=cybercrime",
                "/un/entities/?crime=cybercrime",
                "/un/entities?crime=cybercrime&utm_source=x",
            ][..],
        ),
        (
            "system/edition=2025/pillar=development/index.html",
            &["/un/system?pillar=development&edition=2025"][..],
        ),
        ("api/entities/unodc.json", &["/un/api/entities/unodc"][..]),
        ("index.html", &["/un", "/un/"][..]),
    ] {
        let bytes = std::fs::read(root.join(file)).unwrap();
        for spelling in spellings {
            let (status, body) = get(&app, spelling).await;
            assert_eq!(status, StatusCode::OK, "{spelling}");
            assert!(body == bytes, "{spelling} differs from {file}");
        }
    }
}

#[test]
fn pages_name_their_published_address() {
    let html =
        std::fs::read_to_string(site().join("entities/crime=cybercrime/index.html")).unwrap();
    assert!(html.contains(
        "<link rel=\"canonical\" href=\"https://example.org/un/entities/crime=cybercrime/\">"
    ));
    let sitemap = std::fs::read_to_string(site().join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("<loc>https://example.org/un/entities/crime=cybercrime/</loc>"));
    // Every page the sitemap lists is in the export.
    let on_disk: BTreeSet<String> = files(&site()).into_iter().collect();
    let mut listed = 0;
    for loc in sitemap.split("<loc>").skip(1) {
        let url = &loc[..loc.find("</loc>").unwrap()];
        let path = url.strip_prefix("https://example.org/un/").unwrap();
        assert!(!path.contains('?'), "{url} has a query");
        assert!(on_disk.contains(&format!("{path}index.html")), "{url}");
        listed += 1;
    }
    assert!(listed > 500, "{listed}");
}

#[test]
fn a_rebuild_over_an_earlier_export_changes_nothing_and_removes_what_is_not_exported() {
    // A copy of the export, with a file no export writes and a page changed by hand.
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("site");
    for file in files(&site()) {
        let to = copy.join(&file);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(site().join(&file), to).unwrap();
    }
    std::fs::write(copy.join("entities/left-over.html"), "from an older export").unwrap();
    std::fs::write(copy.join("method/index.html"), "edited by hand").unwrap();
    let built = export_to(copy.clone());
    // Every file but the edited page was already there with the same bytes.
    assert_eq!(built.files.len(), EXPORT.1.files.len());
    assert_eq!(built.unchanged, built.files.len() - 1);
    assert_eq!(built.removed, 1);
    assert_eq!(files(&copy), files(&site()));
    assert_eq!(
        std::fs::read(copy.join("method/index.html")).unwrap(),
        std::fs::read(site().join("method/index.html")).unwrap()
    );
}
