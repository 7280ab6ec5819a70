//! The data as a Frictionless Data Package: `datapackage.json` describes every file of
//! [`schema::files`] with typed fields (a year is a year, a flag a boolean, a grade an enum),
//! the values each may take, the keys and the references between files, the licence and the
//! sources, so that the data loads into pandas, R or Frictionless tools with its schema.
//!
//! Fields follow each file's header as it was loaded, and the allowed values are the loaded
//! vocabularies, so the descriptor always matches the files it is served beside.

use serde_json::{Map, Value, json};

use crate::dataset::cell::{SLUG_PATTERN as SLUG, Schema};
use crate::dataset::schema::{self};
use crate::dataset::table::{Column, File};
use crate::dataset::vocab::number_words;
use crate::dataset::{Dataset, Dim, Values};

/// The Table Schema field of a column: its type, format and constraints.
fn field(data: &Dataset, column: &Column) -> Value {
    let mut field = json!({
        "name": column.name,
        "description": column.description.trim(),
    });
    let mut constraints = Map::new();
    constraints.insert("required".into(), json!(column.required));
    let kind = match column.schema {
        Schema::Text | Schema::Reference(..) | Schema::Dimensions => "string",
        Schema::References(_) => {
            constraints.insert("pattern".into(), json!(format!("{SLUG}(;{SLUG})*")));
            "string"
        }
        Schema::Pattern(pattern) => {
            constraints.insert("pattern".into(), json!(pattern));
            "string"
        }
        Schema::Integer => "integer",
        Schema::Number => {
            constraints.insert("minimum".into(), json!(0));
            "number"
        }
        Schema::Year => "year",
        Schema::Date => "date",
        Schema::Boolean => {
            field["trueValues"] = json!(["true"]);
            field["falseValues"] = json!(["false"]);
            "boolean"
        }
        Schema::Enum(values) => {
            constraints.insert("enum".into(), json!(values()));
            "string"
        }
        // An optional value of a vocabulary file is checked by its foreign key, which allows
        // it to be empty.
        Schema::Terms { .. } if !column.required && refers_to(column).is_some() => "string",
        Schema::Terms { dim, several } => {
            let allowed = allowed(data, dim);
            if several {
                let one = format!("({})", allowed.join("|"));
                constraints.insert("pattern".into(), json!(format!("{one}(;{one})*")));
            } else {
                constraints.insert("enum".into(), json!(allowed));
            }
            "string"
        }
    };
    field["type"] = json!(kind);
    field["constraints"] = Value::Object(constraints);
    field
}

/// The values a column of dimension `dim` may hold: its ids, and its labels where the
/// dimension is written by label.
fn allowed(data: &Dataset, dim: Dim) -> Vec<String> {
    let vocabulary = data.vocabulary(dim);
    let mut values = vocabulary.ids();
    if dim.get().by_label {
        values.extend(vocabulary.iter().map(|(_, t)| t.label.clone()));
    }
    values
}

/// The resource and field a column's values refer to.
fn refers_to(column: &Column) -> Option<(&'static str, &'static str)> {
    match column.schema {
        Schema::Reference(resource, field) => Some((resource, field)),
        Schema::Terms {
            dim,
            several: false,
        } if !dim.get().by_label => match dim.get().values {
            Values::File { name, .. } => Some((name.trim_end_matches(".csv"), "id")),
            Values::Fixed(_) => None,
        },
        _ => None,
    }
}

/// The columns of a file in the order of its header as loaded (the declared order for a
/// column the header does not have).
fn ordered(data: &Dataset, file: &File) -> Vec<Column> {
    let mut columns = file.columns.clone();
    if let Some(header) = data.header(file.name()) {
        columns.retain(|c| header.iter().any(|h| h == c.name));
        columns.sort_by_key(|c| header.iter().position(|h| h == c.name));
    }
    columns
}

fn resource(data: &Dataset, file: &File) -> Value {
    let spec = &file.spec;
    let columns = ordered(data, file);
    let foreign_keys: Vec<Value> =
        columns
            .iter()
            .filter_map(|c| {
                refers_to(c).map(|(resource, target)| {
                // A reference to the file's own rows names no resource.
                let resource = if resource == spec.resource { "" } else { resource };
                json!({ "fields": c.name, "reference": { "resource": resource, "fields": target } })
            })
            })
            .collect();
    json!({
        "name": spec.resource,
        "path": spec.file,
        "title": spec.title.trim(),
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "profile": "tabular-data-resource",
        "schema": {
            "fields": columns.iter().map(|c| field(data, c)).collect::<Vec<_>>(),
            "missingValues": [""],
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
        "version": data.version(),
        "created": format!("{}T00:00:00Z", data.release().date.0.iso()),
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
