//! The data as a Frictionless Data Package: `datapackage.json` describes the five CSV files
//! (their fields, types, allowed values and keys), the licence and the sources, so that the
//! data loads into pandas, R or Frictionless tools with its schema.

use serde_json::{Value, json};

use crate::dataset::{Basis, Category, CrimeId, Organ, Provenance, Role};

/// One field of a resource's schema.
struct Field {
    name: &'static str,
    description: &'static str,
    required: bool,
    /// Allowed values, when the field is a closed vocabulary.
    allowed: Option<Vec<&'static str>>,
}

fn field(name: &'static str, description: &'static str, required: bool) -> Field {
    Field {
        name,
        description,
        required,
        allowed: None,
    }
}

fn closed(name: &'static str, description: &'static str, allowed: Vec<&'static str>) -> Field {
    Field {
        name,
        description,
        required: true,
        allowed: Some(allowed),
    }
}

fn schema(fields: Vec<Field>, primary_key: &[&str], foreign_keys: Value) -> Value {
    let fields: Vec<Value> = fields
        .into_iter()
        .map(|f| {
            let mut constraints = json!({ "required": f.required });
            if let Some(allowed) = f.allowed {
                constraints["enum"] = json!(allowed);
            }
            json!({
                "name": f.name,
                "type": "string",
                "description": f.description,
                "constraints": constraints,
            })
        })
        .collect();
    json!({
        "fields": fields,
        "primaryKey": primary_key,
        "foreignKeys": foreign_keys,
    })
}

fn resource(name: &str, path: &str, title: &str, schema: Value) -> Value {
    json!({
        "name": name,
        "path": path,
        "title": title,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "profile": "tabular-data-resource",
        "schema": schema,
    })
}

fn reference(field: &str, resource: &str, target: &str) -> Value {
    json!({ "fields": field, "reference": { "resource": resource, "fields": target } })
}

/// The descriptor, with resource paths relative to where the CSV files are served.
pub fn descriptor() -> Value {
    let crimes = || CrimeId::ALL.iter().map(|c| c.as_str()).collect::<Vec<_>>();
    json!({
        "profile": "tabular-data-package",
        "name": "mandate-map",
        "title": "mandate-map: the UN System's mandates and working agendas on organized crime",
        "description": "Which of the UN System's 102 entities work on six types of organized crime (human trafficking and smuggling, illicit drugs, environmental crime, cybercrime, financial crime, arms trafficking), with the basis of each link (an explicit mandate from a UN governing body, or a working agenda) and its evidence: a verbatim quote from the report, or a named source. See data/README.md for the method.",
        "homepage": "https://github.com/mandate-map/mandate-map",
        "licenses": [{
            "name": "CC-BY-4.0",
            "path": "https://creativecommons.org/licenses/by/4.0/",
            "title": "Creative Commons Attribution 4.0"
        }],
        "sources": [{
            "title": "Walker, S. & Reitano, T. (2019). Fragmented but far-reaching: the UN System's mandate and response to organized crime. Global Initiative Against Transnational Organized Crime."
        }],
        "resources": [
            resource("crime_types", "crime_types.csv", "The six crime types", schema(vec![
                closed("id", "Crime type id", crimes()),
                field("label", "Full name", true),
                field("short_label", "A word for chart axes", true),
                field("description", "What the crime type covers, drawn from the report", true),
            ], &["id"], json!([]))),
            resource("entities", "entities.csv", "The 102 entities of the UN System", schema(vec![
                field("id", "Stable lower-case slug", true),
                field("acronym", "Usual acronym", true),
                field("name", "Full English name (2018-2019)", true),
                closed("organ", "Principal organ it sits under on the UN System chart", Organ::slugs()),
                Field {
                    name: "category",
                    description: "Its box on the chart, as the chart labels it (the slug is also accepted)",
                    required: true,
                    allowed: Some(Category::ALL.iter().map(|c| c.label()).collect()),
                },
                field("pillars", "One to three of peace-security, human-rights, development, separated by ';'", true),
                field("website", "Official website, empty where none was verified", false),
                field("summary", "One to three sentences on its general mandate", true),
                field("notes", "What the row covers, successor bodies, uncertainty", false),
            ], &["id"], json!([]))),
            resource("links", "links.csv", "Which entity works on which crime type, with evidence", schema(vec![
                field("entity", "An entity id", true),
                closed("crime", "A crime type id", crimes()),
                closed("basis", "mandate: an explicit mandate from a UN governing body; agenda: a working agenda", Basis::slugs()),
                field("summary", "What the entity does on the crime type", true),
                closed("provenance", "report: the report states it; compiled: established from elsewhere", Provenance::slugs()),
                field("quote", "For report links: the report's verbatim words", false),
                field("source", "For compiled links: the page or document, with title, issuer and URL or UN document symbol", false),
                field("notes", "Uncertainty and reasoning; 'Low confidence' marks indirect evidence", false),
            ], &["entity", "crime"], json!([
                reference("entity", "entities", "id"),
                reference("crime", "crime_types", "id"),
            ]))),
            resource("groups", "groups.csv", "Inter-agency coordination groups the report names", schema(vec![
                field("id", "Stable lower-case slug", true),
                field("name", "Full name", true),
                field("acronym", "Acronym, if any", false),
                field("crimes", "Crime type ids separated by ';' (may be empty, see notes)", false),
                field("quote", "The report's verbatim words naming it", true),
                field("notes", "Non-UN members, uncertainty", false),
            ], &["id"], json!([]))),
            resource("group_members", "group_members.csv", "Members of the coordination groups", schema(vec![
                field("group", "A group id", true),
                field("entity", "An entity id", true),
                closed("role", "lead or member", Role::slugs()),
                closed("provenance", "report or compiled", Provenance::slugs()),
                field("source", "For compiled members: the page that lists it", false),
            ], &["group", "entity"], json!([
                reference("group", "groups", "id"),
                reference("entity", "entities", "id"),
            ]))),
        ]
    })
}
