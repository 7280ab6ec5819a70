//! The static assets, compiled into the binary so the server runs from any directory, and
//! `/taxonomy.css`, the colours the data gives its vocabularies (an organ's box on the chart),
//! made from the data so that a colour is a data change and no inline style is needed.

use askama::Template;
use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

use super::{AppState, Data, Error};
use crate::dataset::{Dataset, Dim};

const STYLE_CSS: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/static/style.css"));
const APP_JS: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/static/app.js"));
const FAVICON: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/static/favicon.svg"));

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/static/style.css",
            get(|| asset("text/css; charset=utf-8", STYLE_CSS)),
        )
        .route(
            "/static/app.js",
            get(|| asset("text/javascript; charset=utf-8", APP_JS)),
        )
        .route(
            "/static/favicon.svg",
            get(|| asset("image/svg+xml", FAVICON)),
        )
        // Browsers ask for /favicon.ico whatever the page names; they accept the SVG.
        .route("/favicon.ico", get(|| asset("image/svg+xml", FAVICON)))
        .route("/taxonomy.css", get(taxonomy_css))
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

async fn asset(content_type: &'static str, body: &'static str) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
}
