//! The API's OpenAPI document against the server that serves it: every documented route
//! answers; a brute-force sweep of every parameter value the document lists (and values it
//! does not) gets only documented statuses, and every JSON answer validates against its
//! documented schema, with no property the schema does not describe.

use std::collections::BTreeSet;

use axum::http::StatusCode;
use mandate_map::dataset::Editions;
use serde_json::{Value, json};

mod common;

async fn document() -> Value {
    let (status, content_type, body) = common::send(common::app(), "/api/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
    serde_json::from_str(&body).expect("the document is JSON")
}

/// A copy of `schema` that refuses properties no schema describes: every object schema with
/// properties (or composed with `allOf`) gets `unevaluatedProperties: false`, except the
/// parts of an `allOf`, which the whole evaluates (a part that is a `$ref` is inlined from
/// `components`, as a referenced schema's own `unevaluatedProperties` would see only itself).
fn strict(schema: &Value, in_all_of: bool, components: &Value) -> Value {
    match schema {
        Value::Object(map) => {
            let mut out = serde_json::Map::new();
            for (key, value) in map {
                let value = match key.as_str() {
                    "allOf" => Value::Array(
                        value
                            .as_array()
                            .unwrap()
                            .iter()
                            .map(|part| match part["$ref"].as_str() {
                                Some(to) => {
                                    let name = to.trim_start_matches("#/components/schemas/");
                                    strict(&components["schemas"][name], true, components)
                                }
                                None => strict(part, true, components),
                            })
                            .collect(),
                    ),
                    _ => strict(value, false, components),
                };
                out.insert(key.clone(), value);
            }
            if !in_all_of && (map.contains_key("properties") || map.contains_key("allOf")) {
                out.insert("unevaluatedProperties".into(), json!(false));
            }
            Value::Object(out)
        }
        Value::Array(items) => {
            Value::Array(items.iter().map(|i| strict(i, false, components)).collect())
        }
        other => other.clone(),
    }
}

/// The validator of one response schema, its `$ref`s resolved in the document's components.
fn validator(doc: &Value, schema: &Value) -> jsonschema::Validator {
    let components = &doc["components"];
    let mut root = strict(schema, false, components);
    root["components"] = strict(components, false, components);
    jsonschema::draft202012::new(&root).expect("the response schema compiles")
}

/// Every URL of the sweep for one route: without parameters, each listed value of each
/// parameter alone, every pair of crime types under `match=all`, and one value the document
/// does not list per parameter with a list.
fn sweep_urls(path: &str, parameters: &[Value], ids: &[String]) -> Vec<String> {
    let paths: Vec<String> = if path.contains("{id}") {
        ids.iter()
            .map(|id| path.replace("{id}", id))
            .chain([path.replace("{id}", "no-such-id")])
            .collect()
    } else {
        vec![path.to_owned()]
    };
    let mut queries: Vec<String> = vec![String::new()];
    for p in parameters.iter().filter(|p| p["in"] == "query") {
        let name = p["name"].as_str().unwrap();
        let schema = &p["schema"];
        let values = schema["enum"]
            .as_array()
            .or_else(|| schema["items"]["enum"].as_array());
        match values {
            Some(values) => {
                for v in values {
                    queries.push(format!("{name}={}", encode(v.as_str().unwrap())));
                }
                queries.push(format!("{name}=not-a-value"));
            }
            None => {
                for text in ["drug", "zzz-nothing", "ünïcode"] {
                    queries.push(format!("{name}={}", encode(text)));
                }
            }
        }
        if name == "crime" {
            let crimes: Vec<&str> = values
                .unwrap()
                .iter()
                .filter_map(|v| v.as_str())
                .filter(|v| !v.is_empty())
                .collect();
            for (i, a) in crimes.iter().enumerate() {
                for b in &crimes[i + 1..] {
                    queries.push(format!("crime={a}&crime={b}&match=all"));
                }
            }
        }
    }
    let mut urls = Vec::new();
    for path in &paths {
        // A path with an id: its bare form for every id, every query for the first.
        let every_query = path == &paths[0];
        for query in &queries {
            if !every_query && !query.is_empty() {
                continue;
            }
            urls.push(if query.is_empty() {
                path.clone()
            } else {
                format!("{path}?{query}")
            });
        }
    }
    urls
}

fn encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[tokio::test]
async fn the_document_is_openapi_3_1_and_lists_every_api_route() {
    let doc = document().await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1."));
    let paths: BTreeSet<&str> = doc["paths"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    // The routes the README and the pages point readers to: each must be described.
    for route in [
        "/api/entities",
        "/api/entities/{id}",
        "/api/crime-types",
        "/api/coverage",
        "/api/groups",
        "/api/groups/{id}",
        "/api/timeline",
        "/api/rapporteurs",
        "/api/changes",
        "/api/openapi.json",
    ] {
        assert!(paths.contains(route), "{route} is not in the document");
    }
    // Every parameter with a closed set of values lists the data's values.
    let data = Editions::embedded().unwrap();
    let crimes = &doc["paths"]["/api/entities"]["get"]["parameters"][0];
    assert_eq!(crimes["name"], "crime");
    let listed: Vec<&str> = crimes["schema"]["items"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for (term, _) in data.default_edition().crimes().iter() {
        assert!(listed.contains(&data.default_edition().crimes().id(term)));
    }
}

#[tokio::test]
async fn every_route_on_the_api_page_answers_its_example() {
    let doc = document().await;
    let (status, _, html) = common::send(common::app(), "/api").await;
    assert_eq!(status, StatusCode::OK);
    for path in doc["paths"].as_object().unwrap().keys() {
        assert!(html.contains(&format!("<code>{path}</code>")), "{path}");
    }
    let examples: Vec<String> = html
        .split("Example: <a href=\"")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].replace("&amp;", "&"))
        .collect();
    assert_eq!(examples.len(), doc["paths"].as_object().unwrap().len());
    for example in examples {
        let (status, content_type, _) = common::send(common::app(), &example).await;
        assert_eq!(status, StatusCode::OK, "{example}");
        assert!(content_type.starts_with("application/json"), "{example}");
    }
}

#[tokio::test]
async fn a_sweep_of_every_parameter_value_gets_documented_statuses_and_valid_answers() {
    let doc = document().await;
    let editions = Editions::embedded().unwrap();
    let entity_ids: Vec<String> = editions
        .all()
        .iter()
        .flat_map(|d| d.entities().iter().map(|e| e.id.to_string()))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let group_ids: Vec<String> = editions
        .all()
        .iter()
        .flat_map(|d| d.groups().iter().map(|g| g.id.to_string()))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let app = common::app();
    let mut checked = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        let operation = &item["get"];
        let parameters = operation["parameters"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let ids = if path.starts_with("/api/groups/") {
            &group_ids
        } else {
            &entity_ids
        };
        let responses = operation["responses"].as_object().unwrap();
        let validators: Vec<(String, Option<jsonschema::Validator>)> = responses
            .iter()
            .map(|(status, response)| {
                let schema = &response["content"]["application/json"]["schema"];
                (
                    status.clone(),
                    (!schema.is_null()).then(|| validator(&doc, schema)),
                )
            })
            .collect();
        let mut statuses = BTreeSet::new();
        for url in sweep_urls(path, &parameters, ids) {
            let (status, content_type, body) = common::send(app.clone(), &url).await;
            let documented = validators
                .iter()
                .find(|(s, _)| s == status.as_str())
                .unwrap_or_else(|| panic!("{url}: {status} is not documented for {path}"));
            statuses.insert(status.as_u16());
            if let (Some(validator), false) = (&documented.1, status.is_redirection()) {
                assert!(
                    content_type.starts_with("application/json"),
                    "{url}: {content_type}"
                );
                let answer: Value = serde_json::from_str(&body).expect("JSON");
                let errors: Vec<String> = validator
                    .iter_errors(&answer)
                    .take(5)
                    .map(|e| format!("{} at {}", e, e.instance_path()))
                    .collect();
                assert!(errors.is_empty(), "{url}: {errors:#?}");
            }
            checked += 1;
        }
        assert!(
            statuses.contains(&200),
            "{path}: no URL of the sweep answered 200"
        );
    }
    assert!(checked > 400, "only {checked} answers checked");
}

#[tokio::test]
async fn the_strict_schemas_refuse_a_property_they_do_not_describe() {
    // The check above is only worth something if an extra property fails it.
    let doc = document().await;
    let schema = json!({"$ref": "#/components/schemas/TermInfo"});
    let validator = validator(&doc, &schema);
    let (_, _, body) = common::send(common::app(), "/api/crime-types").await;
    let answer: Value = serde_json::from_str(&body).unwrap();
    let mut one = answer[0].clone();
    assert!(validator.is_valid(&one));
    one["undocumented"] = json!(1);
    assert!(!validator.is_valid(&one));
    let entity = json!({"$ref": "#/components/schemas/Entity"});
    let validator_entity = self::validator(&doc, &entity);
    let (_, _, body) = common::send(common::app(), "/api/entities/unodc").await;
    let mut answer: Value = serde_json::from_str(&body).unwrap();
    assert!(validator_entity.is_valid(&answer));
    answer["links"][0]["undocumented"] = json!(true);
    assert!(!validator_entity.is_valid(&answer));
}
