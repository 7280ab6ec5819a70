//! The API's description: the query parameters the extractors read ([`FilterParams`],
//! [`CrimeParams`], [`EditionParam`]), declared from the filter dimensions, and the OpenAPI
//! document built from the routes' own declarations ([`api::routes`](super::api::routes)),
//! with each parameter's valid values filled in from the data being served.

use serde_json::{Value, json};
use utoipa::IntoParams;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn, ParameterStyle};
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Type};
use utoipa::openapi::{OpenApi, Required};

pub use super::error::ErrorBody;
use crate::dataset::{CRIME, Dim, Editions};
use crate::query::{EDITION, Match};

/// The parameters of a view of entities: every filter dimension, `match`, `q` and `edition`.
pub struct FilterParams;

impl IntoParams for FilterParams {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        Dim::all()
            .map(dimension)
            .chain([matching(), search(), edition()])
            .collect()
    }
}

/// The parameters of a view of things that only have crime types (bodies, instruments,
/// mandates): `crime`, `match` and `edition`; any other filter is a 400.
pub struct CrimeParams;

impl IntoParams for CrimeParams {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![dimension(CRIME), matching(), edition()]
    }
}

/// Which page of a long list: `page` (from 1) and `size`.
pub struct PageParams;

impl IntoParams for PageParams {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let whole = |max: Option<usize>| {
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(1))
                .maximum(max)
        };
        vec![
            query(
                "page",
                "The page of the list, from 1 (the first when absent); a page past the last \
                 is a 404."
                    .to_owned(),
            )
            .schema(Some(whole(None)))
            .build(),
            query(
                "size",
                format!(
                    "How many items a page holds, at most {} (the route's page size when absent).",
                    super::paging::MAX_SIZE
                ),
            )
            .schema(Some(whole(Some(super::paging::MAX_SIZE))))
            .build(),
        ]
    }
}

/// The edition parameter alone.
pub struct EditionParam;

impl IntoParams for EditionParam {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![edition()]
    }
}

fn query(name: &str, description: String) -> ParameterBuilder {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Query)
        .required(Required::False)
        .description(Some(description))
}

/// A filter dimension: any number of values, repeated (`crime=a&crime=b`). Its values are
/// the data's, filled in when the document is served.
fn dimension(dim: Dim) -> Parameter {
    let d = dim.get();
    let combine = if dim == CRIME {
        "Several values select entities working on any of them, or with `match=all` on every one."
    } else {
        "Several values select entities with any of them."
    };
    query(
        d.param,
        format!(
            "{}: {}. {combine} An empty value is the same as none; a value is matched as written.",
            d.label, d.description
        ),
    )
    .schema(Some(
        ArrayBuilder::new().items(ObjectBuilder::new().schema_type(Type::String)),
    ))
    .style(Some(ParameterStyle::Form))
    .explode(Some(true))
    .build()
}

fn matching() -> Parameter {
    query(
        "match",
        "How several crime types combine: `any` (the default) or `all`.".to_owned(),
    )
    .schema(Some(
        ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some(Match::ALL.iter().map(|m| m.as_str()).chain([""]))),
    ))
    .build()
}

fn search() -> Parameter {
    query(
        "q",
        format!(
            "Text to find in the acronym, name and summaries (case- and accent-insensitive), \
             at most {} characters.",
            crate::query::Q_MAX
        ),
    )
    .schema(Some(
        ObjectBuilder::new()
            .schema_type(Type::String)
            .max_length(Some(crate::query::Q_MAX)),
    ))
    .build()
}

fn edition() -> Parameter {
    query(
        EDITION,
        "The edition of the data to read (the default edition when absent).".to_owned(),
    )
    .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
    .build()
}

/// The document for `editions`: `base` (the routes' declarations) as JSON, with the valid
/// values of each dimension's and of `edition`'s parameters taken from every edition.
pub fn document(base: &OpenApi, editions: &Editions) -> Value {
    let mut doc = serde_json::to_value(base).unwrap_or_else(|_| json!({}));
    let data = editions.default_edition();
    doc["info"]["title"] = json!("mandate-map API");
    doc["info"]["description"] = json!(format!(
        "Who in the United Nations System works on which kind of organized crime: the JSON \
         API of the explorer. This document describes the data version {} ({}); the valid \
         values of each parameter are those of the data being served.",
        data.version(),
        data.release().date.0.iso(),
    ));
    let mut editions_ids = editions.ids();
    editions_ids.push(String::new());
    let values = |name: &str| -> Option<Vec<String>> {
        if name == EDITION {
            return Some(editions_ids.clone());
        }
        let dim = Dim::by_param(name)?;
        let mut values: Vec<String> = Vec::new();
        for edition in editions.all() {
            for (term, info) in edition.vocabulary(dim).iter() {
                let id = edition.vocabulary(dim).id(term).to_owned();
                if !values.contains(&id) {
                    values.push(id);
                }
                if dim.get().by_label && !values.contains(&info.label) {
                    values.push(info.label.clone());
                }
            }
        }
        values.push(String::new());
        Some(values)
    };
    if let Some(paths) = doc["paths"].as_object_mut() {
        for operation in paths.values_mut().filter_map(|p| p.get_mut("get")) {
            let Some(parameters) = operation
                .get_mut("parameters")
                .and_then(Value::as_array_mut)
            else {
                continue;
            };
            for parameter in parameters.iter_mut().filter(|p| p["in"] == "query") {
                let Some(name) = parameter["name"].as_str().map(str::to_owned) else {
                    continue;
                };
                let Some(values) = values(&name) else {
                    continue;
                };
                let schema = &mut parameter["schema"];
                if schema["type"] == "array" {
                    schema["items"]["enum"] = json!(values);
                } else {
                    schema["enum"] = json!(values);
                }
            }
        }
    }
    doc
}

/// `/api`: the routes listed from the document.
#[derive(askama::Template)]
#[template(path = "api.html")]
pub struct ApiPage {
    layout: super::layout::Layout,
    title: &'static str,
    routes: Vec<RouteDoc>,
}

/// One route of the API, as the page lists it.
struct RouteDoc {
    path: String,
    summary: String,
    /// Its query parameters' names.
    params: Vec<String>,
    /// An address that answers, with real values from the data.
    example: String,
}

/// The page listing `doc`'s routes, with examples from `data`.
pub fn page(data: &crate::dataset::Dataset, doc: &Value) -> ApiPage {
    let empty = serde_json::Map::new();
    let routes = doc["paths"]
        .as_object()
        .unwrap_or(&empty)
        .iter()
        .filter_map(|(path, item)| {
            let get = item.get("get")?;
            let parameters = get["parameters"]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            let params: Vec<String> = parameters
                .iter()
                .filter(|p| p["in"] == "query")
                .filter_map(|p| p["name"].as_str().map(str::to_owned))
                .collect();
            Some(RouteDoc {
                example: example(data, path, &params),
                path: path.clone(),
                summary: get["summary"].as_str().unwrap_or_default().to_owned(),
                params,
            })
        })
        .collect();
    ApiPage {
        layout: super::layout::Layout::new(data),
        title: "The JSON API",
        routes,
    }
}

/// An example address of `path`: its `{id}` filled with the first entity or body of the
/// data, and the first crime type selected where the route takes one; in the page's edition.
fn example(data: &crate::dataset::Dataset, path: &str, params: &[String]) -> String {
    let id = if path.starts_with("/api/entities/") {
        data.entities().first().map(|e| e.id.to_string())
    } else if path.starts_with("/api/groups/") {
        data.groups().first().map(|g| g.id.to_string())
    } else {
        None
    };
    let path = match id {
        Some(id) => path.replace("{id}", &id),
        None => path.to_owned(),
    };
    let crime = data.crimes().iter().next().map(|(_, c)| c.id.as_str());
    let extra: Vec<(&str, &str)> = match crime {
        Some(crime) if params.iter().any(|p| p == CRIME.get().param) => {
            vec![(CRIME.get().param, crime)]
        }
        _ => Vec::new(),
    };
    super::href(data, &path, &crate::query::Filter::default(), &extra)
}
