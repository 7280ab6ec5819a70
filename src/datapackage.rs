//! The data as a Frictionless Data Package: `datapackage.json` describes every file of
//! [`schema::files`] (its fields, allowed values and keys), the licence and the sources, so
//! that the data loads into pandas, R or Frictionless tools with its schema.
//!
//! Fields follow each file's header as it was loaded, and the allowed values are the loaded
//! vocabularies, so the descriptor always matches the files it is served beside.

use serde_json::{Value, json};

use crate::dataset::schema::{self, Column, FileSpec, Kind};
use crate::dataset::vocab::number_words;
use crate::dataset::{Dataset, Of, Values};

/// The values a column may hold, when it is a closed vocabulary.
fn allowed(data: &Dataset, column: &Column) -> Option<Vec<String>> {
    match column.kind {
        // An optional reference is checked by its foreign key, which allows it to be empty.
        Kind::Dimension(_) if !column.required => None,
        Kind::Dimension(dim) if dim.get().of == (Of::Entity { several: true }) => None,
        Kind::Dimension(dim) if dim.get().by_label => Some(
            data.vocabulary(dim)
                .iter()
                .map(|(_, t)| t.label.clone())
                .collect(),
        ),
        Kind::Dimension(dim) => Some(data.vocabulary(dim).ids()),
        Kind::Fixed(values) => Some(values()),
        Kind::Text | Kind::Slug | Kind::Ref(..) => None,
    }
}

/// The resource a column's values refer to, as `(resource, field)`.
fn refers_to(column: &Column) -> Option<(&'static str, &'static str)> {
    match column.kind {
        Kind::Ref(resource, field) => Some((resource, field)),
        Kind::Dimension(dim) => match (dim.get().of, dim.get().values, dim.get().by_label) {
            (Of::Entity { several: true }, ..) | (_, _, true) => None,
            (_, Values::File { name, .. }, false) => Some((name.trim_end_matches(".csv"), "id")),
            (_, Values::Fixed(_), false) => None,
        },
        Kind::Text | Kind::Slug | Kind::Fixed(_) => None,
    }
}

fn field(data: &Dataset, column: &Column) -> Value {
    let mut constraints = json!({ "required": column.required });
    if let Some(allowed) = allowed(data, column) {
        constraints["enum"] = json!(allowed);
    }
    json!({
        "name": column.name,
        "type": "string",
        "description": column.description,
        "constraints": constraints,
    })
}

/// The columns of a file in the order of its header as loaded (the declared order for a
/// column the header does not have).
fn ordered(data: &Dataset, spec: &FileSpec) -> Vec<Column> {
    let mut columns = spec.all_columns();
    if let Some(header) = data.header(spec.name) {
        columns.retain(|c| header.iter().any(|h| h == c.name));
        columns.sort_by_key(|c| header.iter().position(|h| h == c.name));
    }
    columns
}

fn resource(data: &Dataset, spec: &FileSpec) -> Value {
    let columns = ordered(data, spec);
    let foreign_keys: Vec<Value> = columns
        .iter()
        .filter_map(|c| {
            refers_to(c).map(|(resource, target)| {
                json!({ "fields": c.name, "reference": { "resource": resource, "fields": target } })
            })
        })
        .collect();
    json!({
        "name": spec.resource,
        "path": spec.name,
        "title": spec.title,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "profile": "tabular-data-resource",
        "schema": {
            "fields": columns.iter().map(|c| field(data, c)).collect::<Vec<_>>(),
            "primaryKey": spec.key,
            "foreignKeys": foreign_keys,
        },
    })
}

/// The descriptor, with resource paths relative to where the CSV files are served.
pub fn descriptor(data: &Dataset) -> Value {
    let crimes: Vec<String> = data
        .crimes()
        .iter()
        .map(|(_, ct)| ct.label.to_lowercase())
        .collect();
    let description = format!(
        "Which of the UN System's {} entities work on {} types of organized crime ({}), with the basis of each link (an explicit mandate from a UN governing body, or a working agenda) and its evidence: a verbatim quote from the report, or a named source. See data/README.md for the method.",
        data.entities().len(),
        number_words(crimes.len()),
        crimes.join(", ")
    );
    json!({
        "profile": "tabular-data-package",
        "name": "mandate-map",
        "title": "mandate-map: the UN System's mandates and working agendas on organized crime",
        "description": description,
        "homepage": "https://github.com/mandate-map/mandate-map",
        "licenses": [{
            "name": "CC-BY-4.0",
            "path": "https://creativecommons.org/licenses/by/4.0/",
            "title": "Creative Commons Attribution 4.0"
        }],
        "sources": [{
            "title": "Walker, S. & Reitano, T. (2019). Fragmented but far-reaching: the UN System's mandate and response to organized crime. Global Initiative Against Transnational Organized Crime."
        }],
        "resources": schema::files().iter().map(|f| resource(data, f)).collect::<Vec<_>>(),
    })
}
