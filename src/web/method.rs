//! `/method`: the report's published figures beside what the evidence here supports — the
//! entity count, the evidence grades with an example of each, and a row per crime type with
//! the report's count, ours and why they differ.

use askama::Template;
use axum::Router;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;

use super::pages::{ReportHeadline, report_headline};
use super::{AllEditions, AppState, Data, Error};
use crate::dataset::{Dataset, Grade, Link, Unit};
use crate::query::{Filter, url};
use crate::stats::{self, percent_floor};

pub fn router() -> Router<AppState> {
    Router::new().route("/method", get(method))
}

/// A body the chart does not draw as a box, with the chart entity it belongs to.
struct Within {
    id: String,
    acronym: String,
    name: String,
    parent_id: String,
    parent: String,
}

/// A link shown as an example of its grade.
struct Example {
    id: String,
    acronym: String,
    crime: String,
    summary: String,
    notes: String,
}

/// One crime type's row: the report's figure, ours, and why they differ.
struct Row {
    id: String,
    label: String,
    report: String,
    strong: usize,
    all: usize,
    why: String,
}

#[derive(Template)]
#[template(path = "method.html")]
struct MethodPage {
    layout: super::layout::Layout,
    title: &'static str,
    report: Option<ReportHeadline>,
    entities: usize,
    with_any: usize,
    with_strong: usize,
    percent_any: u32,
    within: Vec<Within>,
    strong: usize,
    partial: usize,
    strong_example: Option<Example>,
    partial_example: Option<Example>,
    rows: Vec<Row>,
}

fn within(data: &Dataset) -> Vec<Within> {
    data.entities()
        .iter()
        .filter_map(|e| {
            let parent = &data.entities()[e.parent()?];
            Some(Within {
                id: e.id.to_string(),
                acronym: e.acronym.to_string(),
                name: e.name.to_string(),
                parent_id: parent.id.to_string(),
                parent: parent.name.to_string(),
            })
        })
        .collect()
}

/// A compiled link of `grade` whose summary and notes are the shortest, so the example reads
/// at a glance (a report link's evidence is the report's own words).
fn example(data: &Dataset, grade: Grade) -> Option<Example> {
    let link: &Link = data
        .links()
        .iter()
        .filter(|l| l.grade() == grade && l.source().is_some())
        .min_by_key(|l| l.summary.len() + l.notes.len())?;
    let e = &data.entities()[link.entity()];
    Some(Example {
        id: e.id.to_string(),
        acronym: e.acronym.to_string(),
        crime: data.crime_type(link.crime()).label.to_lowercase(),
        summary: link.summary.to_string(),
        notes: link.notes.to_string(),
    })
}

/// The report's figure on one crime type, as it states it: the count, and the share.
fn report_cell(data: &Dataset, id: &str) -> (String, String) {
    let Some(crime) = data.crimes().find(id) else {
        return (String::new(), String::new());
    };
    let count = data.report_figure_on(crime, Unit::Count);
    let share = data.report_figure_on(crime, Unit::Percent);
    let text = match (count, share) {
        (Some(c), Some(s)) => {
            let implied = if c.label.contains("implied") {
                ", implied"
            } else {
                ""
            };
            format!("{} ({} per cent{implied})", c.value, s.value)
        }
        (None, Some(s)) => format!("{} per cent", s.value),
        (Some(c), None) => c.value.to_string(),
        (None, None) => "not stated".to_owned(),
    };
    (text, count.map_or(String::new(), |c| c.notes.clone()))
}

fn method_page(data: &Dataset) -> MethodPage {
    let cov = stats::coverage(data, &data.index().all, &Filter::default());
    let strong = data
        .links()
        .iter()
        .filter(|l| l.grade() == Grade::Strong)
        .count();
    let rows = cov
        .crimes
        .iter()
        .map(|c| {
            let (report, why) = report_cell(data, &c.id);
            Row {
                id: c.id.clone(),
                label: c.label.clone(),
                report,
                strong: c.strong,
                all: c.count,
                why,
            }
        })
        .collect();
    MethodPage {
        layout: super::layout::Layout::new(data),
        title: "Method: the report's figures and the evidence",
        report: report_headline(data),
        entities: cov.entities,
        with_any: cov.with_any,
        with_strong: cov.with_strong,
        percent_any: percent_floor(cov.share),
        within: within(data),
        strong,
        partial: data.links().len() - strong,
        strong_example: example(data, Grade::Strong),
        partial_example: example(data, Grade::Partial),
        rows,
    }
}

/// The method sets the report's figures beside the evidence of the edition the report
/// reviewed: asked for in another edition, it answers with that one's page.
async fn method(AllEditions(editions): AllEditions, Data(data): Data) -> Result<Response, Error> {
    let report = editions.all().iter().find(|d| d.edition().report);
    if !data.edition().report
        && let Some(report) = report
    {
        let to = url("/method", &Filter::default().to_query(report));
        return Ok(Redirect::temporary(&to).into_response());
    }
    Ok(Html(method_page(&data).render()?).into_response())
}
