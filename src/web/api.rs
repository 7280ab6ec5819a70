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
//! - `/api/changes?filters`: `{"before", "after", "crimes": [...], "lineage": [...]}`, what
//!   changed between the edition asked for and the other of its pair (see `/changes`)

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
        .route("/api/changes", get(changes))
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
    let i = match super::entities::locate(data, "/api/entities", &id) {
        Ok(i) => i,
        Err(answer) => return Ok(answer.into_response()),
    };
    Ok(Json(EntityRecord::new(data, i, &data.entities()[i])).into_response())
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

/// One edition's side of `/api/changes`.
#[derive(Serialize)]
struct EditionSide<'a> {
    edition: &'a str,
    label: &'a str,
    /// Chart entities in the selection (the denominator).
    chart_entities: usize,
}

impl<'a> EditionSide<'a> {
    fn new(data: &'a crate::dataset::Dataset, chart_entities: usize) -> Self {
        EditionSide {
            edition: data.edition().id.as_str(),
            label: data.edition().label.as_str(),
            chart_entities,
        }
    }
}

/// One crime type's figure in one edition.
#[derive(Serialize)]
struct Share {
    count: usize,
    share: f64,
}

#[derive(Serialize)]
struct Started<'a> {
    entity: &'a str,
    /// What it was in the earlier edition (itself, or its predecessors); empty if created.
    was: &'a [String],
}

#[derive(Serialize)]
struct Stopped<'a> {
    entity: &'a str,
    /// What it became in the later edition; empty if closed.
    now: &'a [String],
    /// `not-found`, `not-examined` or `closed`.
    why: &'static str,
}

#[derive(Serialize)]
struct CrimeChangeRecord<'a> {
    crime: &'a str,
    before: Share,
    after: Share,
    started: Vec<Started<'a>>,
    stopped: Vec<Stopped<'a>>,
    continued: usize,
}

#[derive(Serialize)]
struct ChangesAnswer<'a> {
    before: EditionSide<'a>,
    after: EditionSide<'a>,
    crimes: Vec<CrimeChangeRecord<'a>>,
    lineage: Vec<&'a crate::dataset::Lineage>,
}

async fn changes(selection: Selection) -> Result<Response, Error> {
    use crate::changes::{Pair, changes, lineage};
    let data = &*selection.data;
    let pair = Pair::of(data).ok_or_else(|| {
        Error::not_found(format!(
            "the data has one edition ({}): there is nothing to compare it with",
            data.edition().id
        ))
    })?;
    let found = changes(&pair, &selection.filter);
    let crimes = found
        .crimes
        .iter()
        .map(|c| CrimeChangeRecord {
            crime: &c.before.id,
            before: Share {
                count: c.before.count,
                share: c.before.share,
            },
            after: Share {
                count: c.after.count,
                share: c.after.share,
            },
            started: c
                .started
                .iter()
                .map(|s| Started {
                    entity: &s.entity,
                    was: &s.counterparts,
                })
                .collect(),
            stopped: c
                .stopped
                .iter()
                .map(|(s, why)| Stopped {
                    entity: &s.entity,
                    now: &s.counterparts,
                    why: why.as_str(),
                })
                .collect(),
            continued: c.continued,
        })
        .collect();
    let answer = ChangesAnswer {
        before: EditionSide::new(&pair.before, found.before_entities),
        after: EditionSide::new(&pair.after, found.after_entities),
        crimes,
        lineage: lineage(&pair.after),
    };
    Ok(Json(answer).into_response())
}
