//! `/rapporteurs`: the Human Rights Council's special procedures mandates whose work touches
//! the crime types (the report's Figure 4, rebuilt), filterable by crime type, with the
//! mandates × crime types chart and, per mandate, its establishing resolution and sources.

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
use crate::dataset::{Dataset, SpecialProcedure};
use crate::query::Filter;

pub fn router() -> Router<AppState> {
    Router::new().route("/rapporteurs", get(rapporteurs))
}

/// One mandate, as the table shows it.
struct Row {
    id: String,
    title: String,
    kind: &'static str,
    established: String,
    crimes: Vec<Ref>,
    /// The labels of the crime types whose evidence is partial.
    partial: Vec<String>,
    quote: String,
    source: Vec<Segment>,
    notes: Vec<Segment>,
    /// A message suggesting a correction to the row.
    correction: String,
}

fn row(data: &Dataset, m: &SpecialProcedure, corrections: &Corrections) -> Row {
    let established = match (m.established, m.establishing_resolution.as_str()) {
        (Some(y), "") => y.to_string(),
        (Some(y), r) => format!("{y}, {r}"),
        (None, _) => "not confirmed".to_owned(),
    };
    Row {
        id: m.id.to_string(),
        title: m.title.to_string(),
        kind: m.kind.label(),
        established,
        crimes: refs::crimes(data, &m.crimes),
        partial: m
            .partial
            .iter()
            .map(|&c| data.crime_type(c).label.clone())
            .collect(),
        quote: m.report_quote.clone(),
        source: segments(&m.source),
        notes: segments(&m.notes),
        correction: corrections.href("special_procedures.csv", &format!("id={}", m.id), m),
    }
}

#[derive(Template)]
#[template(path = "rapporteurs.html")]
struct RapporteursPage {
    layout: super::layout::Layout,
    title: &'static str,
    controls: Controls,
    count: usize,
    total: usize,
    named: usize,
    chart: InlineChart,
    rows: Vec<Row>,
    /// Who appoints and who supports the mandates, as the data says.
    appointed_by: Vec<Ref>,
    supported_by: Vec<Ref>,
}

/// The distinct entities `of` names across the mandates, in order of first appearance.
fn distinct(data: &Dataset, of: impl Fn(&SpecialProcedure) -> usize) -> Vec<Ref> {
    let mut seen: Vec<usize> = Vec::new();
    for m in data.special_procedures() {
        if !seen.contains(&of(m)) {
            seen.push(of(m));
        }
    }
    seen.into_iter().map(|p| refs::entity(data, p)).collect()
}

fn rapporteurs_page(
    data: &Dataset,
    filter: &Filter,
    origin: &Origin,
    corrections: &Corrections,
) -> Result<RapporteursPage, askama::Error> {
    let chosen = filter.mandates(data);
    let all = data.special_procedures();
    let count = |f: &Filter| all.iter().filter(|m| f.admits(&m.crimes)).count();
    Ok(RapporteursPage {
        layout: super::layout::Layout::of_edition(data, filter),
        title: "Special rapporteurs and illicit markets",
        controls: Controls::of_crimes(data, filter, "/rapporteurs", "Mandates", &count),
        count: chosen.len(),
        total: all.len(),
        named: all.iter().filter(|m| !m.report_quote.is_empty()).count(),
        chart: inline_chart(data, &charts::rapporteurs::RapporteursChart, filter, origin)?,
        rows: chosen.iter().map(|m| row(data, m, corrections)).collect(),
        appointed_by: distinct(data, |m| m.appointed_by.index()),
        supported_by: distinct(data, |m| m.supported_by.index()),
    })
}

async fn rapporteurs(
    CrimeSelection(selection): CrimeSelection,
    origin: Origin,
    corrections: Corrections,
) -> Result<Html<String>, Error> {
    let page = rapporteurs_page(&selection.data, &selection.filter, &origin, &corrections)?;
    Ok(Html(page.render()?))
}
