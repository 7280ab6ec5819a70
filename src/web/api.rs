//! The JSON API: the same objects as the export, for any filter.
//!
//! - `/api/entities?filters`: `{"count": N, "entities": [...]}`
//! - `/api/entities/{id}`: one entity object
//! - `/api/crime-types`: the crime types
//! - `/api/coverage?filters`: `{"entities", "with_any", "share", "crimes": [...]}`

use axum::extract::Path;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;

use super::{AppState, Data, Error, Selection};
use crate::dataset::TermInfo;
use crate::export::EntityRecord;
use crate::stats::{self, Coverage};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/entities", get(entities))
        .route("/api/entities/{id}", get(entity))
        .route("/api/crime-types", get(crime_types))
        .route("/api/coverage", get(coverage))
}

#[derive(Serialize)]
struct EntityList<'a> {
    count: usize,
    entities: Vec<EntityRecord<'a>>,
}

async fn entities(selection: Selection) -> Result<Response, Error> {
    let data = &*selection.data;
    let set = selection.filter.select(data);
    let list = EntityList {
        count: set.len(),
        entities: data
            .entities_in(&set)
            .map(|(i, e)| EntityRecord::new(data, i, e))
            .collect(),
    };
    Ok(Json(list).into_response())
}

async fn entity(Data(data): Data, Path(id): Path<String>) -> Result<Response, Error> {
    let data = &*data;
    let (i, e) = data
        .entity(&id)
        .ok_or_else(|| Error::not_found(format!("no entity with id '{id}'")).json())?;
    Ok(Json(EntityRecord::new(data, i, e)).into_response())
}

async fn crime_types(Data(data): Data) -> Json<Vec<TermInfo>> {
    Json(data.crimes().iter().map(|(_, ct)| ct.clone()).collect())
}

async fn coverage(selection: Selection) -> Result<Json<Coverage>, Error> {
    let (data, filter) = (&*selection.data, &selection.filter);
    Ok(Json(stats::coverage(data, &filter.select(data), filter)))
}
