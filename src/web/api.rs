//! The JSON API: the same objects as the export, for any filter.
//!
//! - `/api/entities?filters`: `{"count": N, "entities": [...]}`
//! - `/api/entities/{id}`: one entity object
//! - `/api/crime-types`: the six crime types
//! - `/api/coverage?filters`: `{"entities", "with_any", "share", "crimes": [...]}`

use axum::extract::{Path, RawQuery};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;

use super::{AppState, Data, Error};
use crate::dataset::CrimeType;
use crate::export::EntityRecord;
use crate::query::Filter;
use crate::stats::{self, Coverage};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/entities", get(entities))
        .route("/api/entities/{id}", get(entity))
        .route("/api/crime-types", get(crime_types))
        .route("/api/coverage", get(coverage))
}

/// Parses the filter of an API request, answering a bad one in JSON.
fn filter(query: Option<String>) -> Result<Filter, Error> {
    Filter::from_query(query.as_deref().unwrap_or("")).map_err(|e| Error::from(e).json())
}

#[derive(Serialize)]
struct EntityList<'a> {
    count: usize,
    entities: Vec<EntityRecord<'a>>,
}

async fn entities(Data(data): Data, RawQuery(query): RawQuery) -> Result<Response, Error> {
    let filter = filter(query)?;
    let data = &*data;
    let set = filter.select(data);
    let list = EntityList {
        count: set.len(),
        entities: data
            .entities_in(set)
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

async fn crime_types(Data(data): Data) -> Json<Vec<CrimeType>> {
    Json(data.crime_types().to_vec())
}

async fn coverage(Data(data): Data, RawQuery(query): RawQuery) -> Result<Json<Coverage>, Error> {
    let filter = filter(query)?;
    let set = filter.select(&data);
    Ok(Json(stats::coverage(&data, set, filter.basis)))
}
