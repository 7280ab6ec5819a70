//! `/codebook` (the data's method and columns, `data/README.md`) and `/releases` (each release
//! of the data and what it changed, `data/releases.csv` and `data/CHANGES.md`), as pages.

use askama::Template;
use axum::Router;
use axum::response::Html;
use axum::routing::get;

use super::layout::Layout;
use super::markdown::to_html;
use super::{AppState, Data, Error};
use crate::dataset::{Dataset, Release};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/codebook", get(codebook))
        .route("/releases", get(releases))
}

#[derive(Template)]
#[template(path = "codebook.html")]
struct CodebookPage {
    layout: Layout,
    title: &'static str,
    /// The codebook as HTML (empty for a copy of the data without one).
    html: String,
}

async fn codebook(Data(data): Data) -> Result<Html<String>, Error> {
    let page = CodebookPage {
        layout: Layout::new(&data),
        title: "Codebook and method",
        html: to_html(data.document("README.md")),
    };
    Ok(Html(page.render()?))
}

/// One release, as the page lists it.
struct ReleaseRow {
    version: String,
    iso: String,
    date: String,
    summary: String,
}

#[derive(Template)]
#[template(path = "releases.html")]
struct ReleasesPage {
    layout: Layout,
    title: &'static str,
    /// Newest first.
    releases: Vec<ReleaseRow>,
    /// Whether the files have changed since the latest release.
    modified: bool,
    digest: String,
    /// The change log as HTML.
    changes: String,
}

fn releases_page(data: &Dataset) -> ReleasesPage {
    ReleasesPage {
        layout: Layout::new(data),
        title: "Releases of the data",
        releases: data
            .rows::<Release>()
            .iter()
            .rev()
            .map(|r| ReleaseRow {
                version: r.version.to_string(),
                iso: r.date.0.iso(),
                date: r.date.to_string(),
                summary: r.summary.to_string(),
            })
            .collect(),
        modified: !data.is_released(),
        digest: data.content_digest().to_owned(),
        changes: to_html(data.document("CHANGES.md")),
    }
}

async fn releases(Data(data): Data) -> Result<Html<String>, Error> {
    Ok(Html(releases_page(&data).render()?))
}
