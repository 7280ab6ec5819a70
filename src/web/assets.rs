//! The static assets, compiled into the binary so the server runs from any directory, and
//! `/taxonomy.css`, the colours the data gives its vocabularies (an organ's box on the chart),
//! made from the data so that a colour is a data change and no inline style is needed.

use askama::Template;
use std::sync::LazyLock;

use axum::Router;
use axum::extract::Path;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

use super::{AppState, Data, Error};
use crate::dataset::{Dataset, Dim};

/// A file of `static/`, compiled in.
struct Asset {
    /// Its name in `static/` (and its plain URL, `/static/NAME`).
    name: &'static str,
    content_type: &'static str,
    body: &'static [u8],
    /// Its URL with a digest of its content, which may be cached for good.
    fingerprinted: LazyLock<String>,
}

macro_rules! asset {
    ($name:literal, $content_type:literal) => {
        Asset {
            name: $name,
            content_type: $content_type,
            body: include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/static/", $name)),
            fingerprinted: LazyLock::new(|| {
                fingerprint(
                    $name,
                    include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/static/", $name)),
                )
            }),
        }
    };
}

static ASSETS: [Asset; 3] = [
    asset!("style.css", "text/css; charset=utf-8"),
    asset!("app.js", "text/javascript; charset=utf-8"),
    asset!("favicon.svg", "image/svg+xml"),
];

/// `/static/STEM.DIGEST.EXT`: the first 10 hex digits of the content's SHA-256.
fn fingerprint(name: &str, body: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    let digest: String = Sha256::digest(body)[..5]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    format!("/static/{stem}.{digest}.{ext}")
}

/// The URL pages link `name` (a file of `static/`) by: it changes with the file's content,
/// so browsers may keep it for a year. A name that is not an asset links its plain URL.
pub fn href(name: &str) -> &'static str {
    ASSETS
        .iter()
        .find(|a| a.name == name)
        .map_or("/static/", |a| a.fingerprinted.as_str())
}

/// Every asset's fingerprinted URL.
pub fn all() -> impl Iterator<Item = &'static str> {
    ASSETS.iter().map(|a| a.fingerprinted.as_str())
}

/// Whether `path` is an asset's fingerprinted URL (immutable: cached for a year).
pub fn is_fingerprinted(path: &str) -> bool {
    ASSETS.iter().any(|a| *a.fingerprinted == path)
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/static/{file}", get(static_file))
        // Browsers ask for /favicon.ico whatever the page names; they accept the SVG.
        .route(
            "/favicon.ico",
            get(|| static_file(Path("favicon.svg".to_owned()))),
        )
        .route("/taxonomy.css", get(taxonomy_css))
}

/// A file of `static/`, by its plain name or its fingerprinted one.
async fn static_file(Path(file): Path<String>) -> Result<impl IntoResponse, Error> {
    let path = format!("/static/{file}");
    let asset = ASSETS
        .iter()
        .find(|a| a.name == file || *a.fingerprinted == path)
        .ok_or_else(|| {
            let names: Vec<&str> = ASSETS.iter().map(|a| a.fingerprinted.as_str()).collect();
            Error::not_found(format!(
                "there is no file {path}; the assets are {}",
                names.join(", ")
            ))
        })?;
    Ok(([(header::CONTENT_TYPE, asset.content_type)], asset.body))
}

/// One rule: elements of class `{param}-{id}` get the custom property `--{param}`.
struct Rule {
    class: String,
    property: &'static str,
    colour: String,
}

#[derive(Template)]
#[template(path = "taxonomy.css", escape = "none")]
struct TaxonomyCss {
    rules: Vec<Rule>,
}

/// A rule for every value of every dimension that has a colour.
fn rules(data: &Dataset) -> Vec<Rule> {
    Dim::all()
        .flat_map(|dim| {
            let param = dim.get().param;
            data.vocabulary(dim)
                .iter()
                .filter(|(_, t)| !t.colour.is_empty())
                .map(move |(_, t)| Rule {
                    class: format!("{param}-{}", t.id),
                    property: param,
                    colour: t.colour.clone(),
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

async fn taxonomy_css(Data(data): Data) -> Result<impl IntoResponse, Error> {
    let css = TaxonomyCss {
        rules: rules(&data),
    }
    .render()?;
    Ok(([(header::CONTENT_TYPE, "text/css; charset=utf-8")], css))
}
