//! The JSON API: the same objects as the export, for any filter. Each route is declared once,
//! with its handler: `#[utoipa::path]` describes its parameters and answers, and the routes
//! are registered through [`routes`], so the OpenAPI document served at `/api/openapi.json`
//! (see [`openapi`](super::openapi)) lists exactly the routes that answer.

use std::sync::OnceLock;

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa::openapi::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::openapi::{self, CrimeParams, EditionParam, ErrorBody, FilterParams, PageParams};
use super::paging::Paging;
use super::{AllEditions, AppState, CrimeSelection, Data, Error, Selection};
use crate::dataset::{Instrument, Lineage, SpecialProcedure};
use crate::dataset::{TermInfo, Unit};
use crate::export::{EntityRecord, GroupRecord};
use crate::stats::{self, Coverage};

/// Every route of the API with its description: the one list both the router and the
/// OpenAPI document are taken from.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(entities))
        .routes(routes!(entity))
        .routes(routes!(crime_types))
        .routes(routes!(coverage))
        .routes(routes!(groups))
        .routes(routes!(group))
        .routes(routes!(timeline))
        .routes(routes!(rapporteurs))
        .routes(routes!(changes))
        .routes(routes!(openapi_document))
}

/// The API's routes, and `/api`: the page that lists them.
pub fn router() -> Router<AppState> {
    Router::from(routes()).route("/api", get(index))
}

/// The routes' declarations as an OpenAPI document, before the data's values are filled in.
fn base_document() -> &'static OpenApi {
    static BASE: OnceLock<OpenApi> = OnceLock::new();
    BASE.get_or_init(|| routes().into_openapi())
}

/// This document: the API's routes, parameters and answers (OpenAPI 3.1), with each
/// parameter's valid values taken from the data being served.
#[utoipa::path(
    get,
    path = "/api/openapi.json",
    tag = "description",
    responses((status = 200, description = "The OpenAPI document", body = Object)),
)]
async fn openapi_document(AllEditions(editions): AllEditions) -> Json<serde_json::Value> {
    Json(openapi::document(base_document(), &editions))
}

/// `/api`: the routes, each with what it answers, its parameters and an example.
async fn index(
    Data(data): Data,
    AllEditions(editions): AllEditions,
) -> Result<Html<String>, Error> {
    let doc = openapi::document(base_document(), &editions);
    Ok(Html(openapi::page(&data, &doc).render()?))
}

/// One page of the entities a filter selects.
#[derive(Serialize, ToSchema)]
struct EntityList<'a> {
    /// How many entities the filter selects and the pages list, on every page: the bodies
    /// within another entity (CTED, INCB) included, which `/api/coverage` lists apart
    /// (`within`) and does not count.
    count: usize,
    /// This page (from 1), how many it holds at most, and how many pages there are.
    page: usize,
    size: usize,
    pages: usize,
    /// The addresses of the next and previous pages, if there are (also in the `Link` header).
    next: Option<String>,
    previous: Option<String>,
    entities: Vec<EntityRecord<'a>>,
}

/// How many entities a page of `/api/entities` holds unless `size` says otherwise.
pub const ENTITIES_PAGE: usize = 100;

/// The entities a filter selects, in the chart's order, each with its links and groups, a
/// page at a time (`page`, `size`; the exports have every entity at once).
#[utoipa::path(
    get,
    path = "/api/entities",
    tag = "entities",
    params(FilterParams, PageParams),
    responses(
        (status = 200, description = "A page of the entities selected", body = EntityList,
            headers(("Link" = String, description = "The next and previous pages (RFC 8288)"))),
        (status = 400, description = "A parameter's value is not one the data knows", body = ErrorBody),
        (status = 404, description = "A page past the last", body = ErrorBody),
    )
)]
async fn entities(State(state): State<AppState>, selection: Selection) -> Result<Response, Error> {
    let data = &*selection.data;
    let paging = Paging::from_query(&selection.query, ENTITIES_PAGE)?;
    let set = selection.filter.select(data);
    let count = set.len();
    let window = paging.window(count)?;
    let (previous, next) = paging.neighbours(count);
    let address = |page: usize| {
        let params = paging.params(page);
        let extra: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
        // Published, so that the pages of a static copy lead to each other too.
        let href = super::href(data, "/api/entities", &selection.filter, &extra);
        super::address::publish(&href, &state.base.path)
    };
    let list = EntityList {
        count,
        page: paging.page,
        size: paging.size,
        pages: paging.pages(count),
        next: next.map(address),
        previous: previous.map(address),
        entities: data
            .entities_in(&set)
            .skip(window.start)
            .take(window.len())
            .map(|(i, e)| EntityRecord::new(data, i, e))
            .collect(),
    };
    let link: Vec<String> = [(&list.next, "next"), (&list.previous, "prev")]
        .into_iter()
        .filter_map(|(href, rel)| href.as_ref().map(|h| format!("<{h}>; rel=\"{rel}\"")))
        .collect();
    let mut response = Json(list).into_response();
    if !link.is_empty()
        && let Ok(value) = axum::http::HeaderValue::from_str(&link.join(", "))
    {
        response
            .headers_mut()
            .insert(axum::http::header::LINK, value);
    }
    Ok(response)
}

/// One entity. An id that an entity of this edition had under another name, or that only
/// another edition has, redirects to where it is now.
#[utoipa::path(
    get,
    path = "/api/entities/{id}",
    tag = "entities",
    params(("id" = String, Path, description = "The entity's id"), EditionParam),
    responses(
        (status = 200, description = "The entity", body = EntityRecord),
        (status = 307, description = "The entity under its id in this edition, or in the edition that has it"),
        (status = 400, description = "The edition is not one the data has", body = ErrorBody),
        (status = 404, description = "No edition has an entity with this id", body = ErrorBody),
    )
)]
async fn entity(Data(data): Data, Path(id): Path<String>) -> Result<Response, Error> {
    let data = &*data;
    let i = match super::entities::locate(data, "/api/entities", &id) {
        Ok(i) => i,
        Err(answer) => return Ok(answer.into_response()),
    };
    Ok(Json(EntityRecord::new(data, i, &data.entities()[i])).into_response())
}

/// The crime types, in the data's order.
#[utoipa::path(
    get,
    path = "/api/crime-types",
    tag = "crime types",
    params(EditionParam),
    responses(
        (status = 200, description = "The crime types", body = Vec<TermInfo>),
        (status = 400, description = "The edition is not one the data has", body = ErrorBody),
    )
)]
async fn crime_types(Data(data): Data) -> Json<Vec<TermInfo>> {
    Json(data.crimes().iter().map(|(_, ct)| ct.clone()).collect())
}

/// The coverage of a selection, with the report's published figures beside it.
#[derive(Serialize, ToSchema)]
struct CoverageAnswer<'a> {
    #[serde(flatten)]
    coverage: Coverage,
    /// The bodies within another entity the selection holds: listed, never counted.
    within: usize,
    /// The figures the report states, by id.
    report: std::collections::BTreeMap<&'a str, Figure<'a>>,
}

/// One figure the report states.
#[derive(Serialize, ToSchema)]
#[schema(as = ReportFigure)]
struct Figure<'a> {
    label: &'a str,
    value: f64,
    unit: Unit,
    /// The crime type it is about, if one.
    crime: Option<&'a str>,
    quote: &'a str,
}

/// How many of the selected entities work on each crime type, with the report's figures.
#[utoipa::path(
    get,
    path = "/api/coverage",
    tag = "coverage",
    params(FilterParams),
    responses(
        (status = 200, description = "The coverage of the selection", body = CoverageAnswer),
        (status = 400, description = "A parameter's value is not one the data knows", body = ErrorBody),
    )
)]
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

/// The coordination bodies on the selected crime types.
#[derive(Serialize, ToSchema)]
struct GroupList<'a> {
    count: usize,
    groups: Vec<GroupRecord<'a>>,
}

/// The inter-agency coordination bodies on the selected crime types, each with its members.
#[utoipa::path(
    get,
    path = "/api/groups",
    tag = "coordination bodies",
    params(CrimeParams),
    responses(
        (status = 200, description = "The bodies", body = GroupList),
        (status = 400, description = "A parameter's value is not one the data knows, or a filter these bodies do not have", body = ErrorBody),
    )
)]
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

/// One coordination body with its members.
#[utoipa::path(
    get,
    path = "/api/groups/{id}",
    tag = "coordination bodies",
    params(("id" = String, Path, description = "The body's id"), EditionParam),
    responses(
        (status = 200, description = "The body", body = GroupRecord),
        (status = 400, description = "The edition is not one the data has", body = ErrorBody),
        (status = 404, description = "No body with this id", body = ErrorBody),
    )
)]
async fn group(Data(data): Data, Path(id): Path<String>) -> Result<Response, Error> {
    let group = data
        .group(&id)
        .ok_or_else(|| Error::not_found(format!("no coordination body with id '{id}'")))?;
    Ok(Json(GroupRecord::new(&data, group)).into_response())
}

/// The instruments and bodies on the selected crime types.
#[derive(Serialize, ToSchema)]
struct InstrumentList<'a> {
    count: usize,
    instruments: Vec<&'a Instrument>,
}

/// The conventions, protocols and bodies on the selected crime types, in the timeline's order.
#[utoipa::path(
    get,
    path = "/api/timeline",
    tag = "timeline",
    params(CrimeParams),
    responses(
        (status = 200, description = "The instruments", body = InstrumentList),
        (status = 400, description = "A parameter's value is not one the data knows, or a filter instruments do not have", body = ErrorBody),
    )
)]
async fn timeline(CrimeSelection(selection): CrimeSelection) -> Result<Response, Error> {
    let (data, filter) = (&*selection.data, &selection.filter);
    let instruments = filter.instruments(data);
    Ok(Json(InstrumentList {
        count: instruments.len(),
        instruments,
    })
    .into_response())
}

/// The special procedures on the selected crime types.
#[derive(Serialize, ToSchema)]
struct MandateList<'a> {
    count: usize,
    mandates: Vec<&'a SpecialProcedure>,
}

/// The Human Rights Council's special procedures on the selected crime types.
#[utoipa::path(
    get,
    path = "/api/rapporteurs",
    tag = "special procedures",
    params(CrimeParams),
    responses(
        (status = 200, description = "The mandates", body = MandateList),
        (status = 400, description = "A parameter's value is not one the data knows, or a filter mandates do not have", body = ErrorBody),
    )
)]
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
#[derive(Serialize, ToSchema)]
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
#[derive(Serialize, ToSchema)]
struct Share {
    count: usize,
    share: f64,
}

#[derive(Serialize, ToSchema)]
struct Started<'a> {
    entity: &'a str,
    /// What it was in the earlier edition (itself, or its predecessors); empty if created.
    was: &'a [String],
}

#[derive(Serialize, ToSchema)]
struct Stopped<'a> {
    entity: &'a str,
    /// What it became in the later edition; empty if closed.
    now: &'a [String],
    /// `not-found`, `not-examined` or `closed`.
    #[schema(value_type = String, pattern = "^(not-found|not-examined|closed)$")]
    why: &'static str,
}

#[derive(Serialize, ToSchema)]
struct CrimeChangeRecord<'a> {
    crime: &'a str,
    before: Share,
    after: Share,
    started: Vec<Started<'a>>,
    stopped: Vec<Stopped<'a>>,
    continued: usize,
}

#[derive(Serialize, ToSchema)]
struct ChangesAnswer<'a> {
    before: EditionSide<'a>,
    after: EditionSide<'a>,
    crimes: Vec<CrimeChangeRecord<'a>>,
    lineage: Vec<&'a Lineage>,
}

/// What changed between the edition asked for and the other of its pair: per crime type, the
/// entities that started and stopped, and the lineage of the entities (as on the changes page).
#[utoipa::path(
    get,
    path = "/api/changes",
    tag = "editions",
    params(FilterParams),
    responses(
        (status = 200, description = "The changes", body = ChangesAnswer),
        (status = 400, description = "A parameter's value is not one the data knows", body = ErrorBody),
        (status = 404, description = "The data has one edition: nothing to compare", body = ErrorBody),
    )
)]
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
