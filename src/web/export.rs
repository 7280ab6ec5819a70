//! Downloads of a filtered selection: `/export/entities.csv` (one row per entity, one column
//! per crime type), `/export/entities.json` (the API's objects), and the links with every
//! evidence column, `/export/links.csv` and `/export/links.json` (one row per entity and
//! crime type).

use axum::Router;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::{AppState, Error, Selection};
use crate::dataset::Dataset;
use crate::export;
use crate::query::Filter;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/export/entities.csv", get(entities_csv))
        .route("/export/entities.json", get(entities_json))
        .route("/export/links.csv", get(links_csv))
        .route("/export/links.json", get(links_json))
}

/// The two formats of a download: its content type, and what its writer's errors are called.
const CSV: (&str, &str) = ("text/csv; charset=utf-8", "writing CSV");
const JSON: (&str, &str) = ("application/json", "writing JSON");

/// A download of the selection, written by `write`, saved by the browser as `disposition`
/// says.
fn download<E: std::fmt::Display>(
    selection: &Selection,
    (content_type, doing): (&'static str, &str),
    disposition: &'static str,
    write: impl FnOnce(&Dataset, &Filter, &mut Vec<u8>) -> Result<(), E>,
) -> Result<Response, Error> {
    let mut body = Vec::new();
    write(&selection.data, &selection.filter, &mut body)
        .map_err(|e| Error::internal(format!("{doing}: {e}")))?;
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response())
}

async fn entities_csv(selection: Selection) -> Result<Response, Error> {
    download(
        &selection,
        CSV,
        "attachment; filename=\"mandate-map-entities.csv\"",
        |data, filter, body| export::write_csv(data, &filter.select(data), body),
    )
}

async fn entities_json(selection: Selection) -> Result<Response, Error> {
    download(
        &selection,
        JSON,
        "attachment; filename=\"mandate-map-entities.json\"",
        |data, filter, body| export::write_json(data, &filter.select(data), body),
    )
}

async fn links_csv(selection: Selection) -> Result<Response, Error> {
    download(
        &selection,
        CSV,
        "attachment; filename=\"mandate-map-links.csv\"",
        |data, filter, body| export::write_links_csv(data, filter, body),
    )
}

async fn links_json(selection: Selection) -> Result<Response, Error> {
    download(
        &selection,
        JSON,
        "attachment; filename=\"mandate-map-links.json\"",
        |data, filter, body| export::write_links_json(data, filter, body),
    )
}
