//! The JSON API: the same objects as the export, for any filter.
//!
//! - `/api/entities?filters`: `{"count": N, "entities": [...]}`
//! - `/api/entities/{id}`: one entity object
//! - `/api/crime-types`: the crime types
//! - `/api/coverage?filters`: `{"entities", "with_any", "with_strong", "share", "crimes": [...],
//!   "report": {figure id: {"label", "value", "unit", "crime", "quote"}}}`
//! - `/api/groups?crime=...`: `{"count": N, "groups": [...]}`, the coordination bodies on
//!   the selected crime types, each with its members
//! - `/api/groups/{id}`: one body
//! - `/api/timeline?crime=...`: `{"count": N, "instruments": [...]}`, the conventions,
//!   protocols and bodies on the selected crime types in the timeline's order
//! - `/api/rapporteurs?crime=...`: `{"count": N, "mandates": [...]}`, the Human Rights
//!   Council's special procedures on the selected crime types

use axum::extract::Path;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;

use super::{AppState, CrimeSelection, Data, Error, Selection};
use crate::dataset::{Instrument, SpecialProcedure};
use crate::dataset::{TermInfo, Unit};
use crate::export::{EntityRecord, GroupRecord};
use crate::stats::{self, Coverage};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/entities", get(entities))
        .route("/api/entities/{id}", get(entity))
        .route("/api/crime-types", get(crime_types))
        .route("/api/coverage", get(coverage))
        .route("/api/groups", get(groups))
        .route("/api/groups/{id}", get(group))
        .route("/api/timeline", get(timeline))
        .route("/api/rapporteurs", get(rapporteurs))
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
        .ok_or_else(|| Error::not_found(format!("no entity with id '{id}'")))?;
    Ok(Json(EntityRecord::new(data, i, e)).into_response())
}

async fn crime_types(Data(data): Data) -> Json<Vec<TermInfo>> {
    Json(data.crimes().iter().map(|(_, ct)| ct.clone()).collect())
}

/// The coverage of a selection, with the report's published figures beside it.
#[derive(Serialize)]
struct CoverageAnswer<'a> {
    #[serde(flatten)]
    coverage: Coverage,
    /// The bodies within another entity the selection holds: listed, never counted.
    within: usize,
    /// The figures the report states, by id.
    report: std::collections::BTreeMap<&'a str, Figure<'a>>,
}

/// One figure the report states.
#[derive(Serialize)]
struct Figure<'a> {
    label: &'a str,
    value: f64,
    unit: Unit,
    /// The crime type it is about, if one.
    crime: Option<&'a str>,
    quote: &'a str,
}

async fn coverage(selection: Selection) -> Result<Response, Error> {
    let (data, filter) = (&*selection.data, &selection.filter);
    let report = data
        .report_figures()
        .iter()
        .map(|f| {
            let figure = Figure {
                label: &f.label,
                value: f.value,
                unit: f.unit,
                crime: f.crime().map(|c| data.crimes().id(c)),
                quote: &f.quote,
            };
            (f.id.as_str(), figure)
        })
        .collect();
    let set = filter.select(data);
    let answer = CoverageAnswer {
        coverage: stats::coverage(data, &set, filter),
        within: stats::tally(data, &set).within,
        report,
    };
    Ok(Json(answer).into_response())
}

#[derive(Serialize)]
struct GroupList<'a> {
    count: usize,
    groups: Vec<GroupRecord<'a>>,
}

async fn groups(CrimeSelection(selection): CrimeSelection) -> Result<Response, Error> {
    let (data, filter) = (&*selection.data, &selection.filter);
    let groups: Vec<GroupRecord> = filter
        .bodies(data)
        .into_iter()
        .map(|g| GroupRecord::new(data, g))
        .collect();
    Ok(Json(GroupList {
        count: groups.len(),
        groups,
    })
    .into_response())
}

async fn group(Data(data): Data, Path(id): Path<String>) -> Result<Response, Error> {
    let group = data
        .group(&id)
        .ok_or_else(|| Error::not_found(format!("no coordination body with id '{id}'")))?;
    Ok(Json(GroupRecord::new(&data, group)).into_response())
}

#[derive(Serialize)]
struct InstrumentList<'a> {
    count: usize,
    instruments: Vec<&'a Instrument>,
}

async fn timeline(CrimeSelection(selection): CrimeSelection) -> Result<Response, Error> {
    let (data, filter) = (&*selection.data, &selection.filter);
    let instruments = filter.instruments(data);
    Ok(Json(InstrumentList {
        count: instruments.len(),
        instruments,
    })
    .into_response())
}

#[derive(Serialize)]
struct MandateList<'a> {
    count: usize,
    mandates: Vec<&'a SpecialProcedure>,
}

async fn rapporteurs(CrimeSelection(selection): CrimeSelection) -> Result<Response, Error> {
    let (data, filter) = (&*selection.data, &selection.filter);
    let mandates = filter.mandates(data);
    Ok(Json(MandateList {
        count: mandates.len(),
        mandates,
    })
    .into_response())
}
