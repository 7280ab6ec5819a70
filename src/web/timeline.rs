//! `/timeline`: the conventions, protocols and bodies of the crime and drug regimes in date
//! order (the report's Figure 2, rebuilt), filterable by crime type, with the timeline chart,
//! what the report's text names and what was added from the sources, and what is later than
//! the report, shown apart.

use askama::Template;
use axum::Router;
use axum::response::Html;
use axum::routing::get;

use super::charts::{InlineChart, Origin, inline_chart};
use super::corrections::Corrections;
use super::facets::Controls;
use super::refs::{self, Ref};
use super::text::{Segment, segments};
use super::{AppState, CrimeSelection, Error};
use crate::charts;
use crate::dataset::{Dataset, Instrument, REPORT_YEAR};
use crate::query::Filter;

pub fn router() -> Router<AppState> {
    Router::new().route("/timeline", get(timeline))
}

/// One instrument or body, as the table shows it.
struct Row {
    id: String,
    date: String,
    iso: String,
    name: String,
    kind: &'static str,
    decision: Vec<Segment>,
    crimes: Vec<Ref>,
    /// The entity it is, or else the one serving as its secretariat, with which of the two.
    entity: Option<(Ref, &'static str)>,
    quote: String,
    source: Vec<Segment>,
    notes: Vec<Segment>,
    /// A message suggesting a correction to the row.
    correction: String,
}

fn row(data: &Dataset, i: &Instrument, corrections: &Corrections) -> Row {
    let entity = match (i.entity(), i.secretariat()) {
        (Some(e), _) => Some((refs::entity(data, e), "is")),
        (None, Some(s)) => Some((refs::entity(data, s), "secretariat")),
        (None, None) => None,
    };
    Row {
        id: i.id.to_string(),
        date: i.date.to_string(),
        iso: i.date.iso(),
        name: i.name.to_string(),
        kind: i.kind.label(),
        decision: segments(&i.adopting_decision),
        crimes: refs::crimes(data, &i.crimes),
        entity,
        quote: i.report_quote.clone(),
        source: segments(&i.source),
        notes: segments(&i.notes),
        correction: corrections.href("instruments.csv", &format!("id={}", i.id), i),
    }
}

#[derive(Template)]
#[template(path = "timeline.html")]
struct TimelinePage {
    layout: super::layout::Layout,
    title: &'static str,
    controls: Controls,
    count: usize,
    total: usize,
    /// The short names of the rows the report's text names, and of those it does not, as
    /// lists in prose.
    named: String,
    added: String,
    chart: InlineChart,
    rows: Vec<Row>,
    later: Vec<Row>,
    report_year: u16,
}

fn timeline_page(
    data: &Dataset,
    filter: &Filter,
    origin: &Origin,
    corrections: &Corrections,
) -> Result<TimelinePage, askama::Error> {
    let chart = inline_chart(data, &charts::timeline::TimelineChart, filter, origin)?;
    let chosen = filter.instruments(data);
    let names = |named: bool| {
        let names: Vec<&str> = data
            .instruments()
            .iter()
            .filter(|i| !i.later_than_report && i.report_quote.is_empty() != named)
            .map(|i| i.short_name.as_str())
            .collect();
        in_prose(&names)
    };
    let count = |f: &Filter| {
        data.instruments()
            .iter()
            .filter(|i| f.admits(&i.crimes))
            .count()
    };
    Ok(TimelinePage {
        layout: super::layout::Layout::of_edition(data, filter),
        title: "Conventions, protocols and commissions over time",
        controls: Controls::of_crimes(data, filter, "/timeline", "Instruments and bodies", &count),
        count: chosen.len(),
        total: data.instruments().len(),
        named: names(true),
        added: names(false),
        rows: chosen
            .iter()
            .filter(|i| !i.later_than_report)
            .map(|i| row(data, i, corrections))
            .collect(),
        later: chosen
            .iter()
            .filter(|i| i.later_than_report)
            .map(|i| row(data, i, corrections))
            .collect(),
        chart,
        report_year: REPORT_YEAR,
    })
}

/// "a", "a and b", "a, b and c".
fn in_prose(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [only] => (*only).to_owned(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

async fn timeline(
    CrimeSelection(selection): CrimeSelection,
    origin: Origin,
    corrections: Corrections,
) -> Result<Html<String>, Error> {
    let page = timeline_page(&selection.data, &selection.filter, &origin, &corrections)?;
    Ok(Html(page.render()?))
}
