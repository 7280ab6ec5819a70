//! Downloads of a filtered selection: `/export/entities.csv` (one row per entity, one column
//! per crime type), `/export/entities.json` (the API's objects), and the links with every
//! evidence column, `/export/links.csv` and `/export/links.json` (one row per entity and
//! crime type).

use axum::Router;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::{AppState, Error, Selection};
use crate::export;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/export/entities.csv", get(csv))
        .route("/export/entities.json", get(json))
        .route("/export/links.csv", get(links_csv))
        .route("/export/links.json", get(links_json))
}

/// A download: `disposition` names the file the browser saves.
fn attachment(content_type: &'static str, disposition: &'static str, body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response()
}

async fn csv(selection: Selection) -> Result<Response, Error> {
    let data = &*selection.data;
    let mut body = Vec::new();
    export::write_csv(data, &selection.filter.select(data), &mut body)
        .map_err(|e| Error::internal(format!("writing CSV: {e}")))?;
    Ok(attachment(
        "text/csv; charset=utf-8",
        "attachment; filename=\"mandate-map-entities.csv\"",
        body,
    ))
}

async fn json(selection: Selection) -> Result<Response, Error> {
    let data = &*selection.data;
    let mut body = Vec::new();
    export::write_json(data, &selection.filter.select(data), &mut body)
        .map_err(|e| Error::internal(format!("writing JSON: {e}")))?;
    Ok(attachment(
        "application/json",
        "attachment; filename=\"mandate-map-entities.json\"",
        body,
    ))
}

async fn links_csv(selection: Selection) -> Result<Response, Error> {
    let mut body = Vec::new();
    export::write_links_csv(&selection.data, &selection.filter, &mut body)
        .map_err(|e| Error::internal(format!("writing CSV: {e}")))?;
    Ok(attachment(
        "text/csv; charset=utf-8",
        "attachment; filename=\"mandate-map-links.csv\"",
        body,
    ))
}

async fn links_json(selection: Selection) -> Result<Response, Error> {
    let mut body = Vec::new();
    export::write_links_json(&selection.data, &selection.filter, &mut body)
        .map_err(|e| Error::internal(format!("writing JSON: {e}")))?;
    Ok(attachment(
        "application/json",
        "attachment; filename=\"mandate-map-links.json\"",
        body,
    ))
}
