//! The overview (`/`) and `/about`. Each handler computes a view struct; its template only
//! displays it.

use askama::Template;
use axum::Router;
use axum::response::Html;
use axum::routing::get;

use super::charts::{InlineChart, Origin, inline_chart};
use super::{AppState, Data, Error, Selection, href};
use crate::charts::ChartName;
use crate::dataset::vocab::number_words;
use crate::dataset::{Basis, Dataset, PILLAR, Provenance};
use crate::query::Filter;
use crate::stats::{self, percent_floor};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(overview))
        .route("/about", get(about))
}

/// An entry point: a link with a count.
struct Entry {
    href: String,
    label: String,
    count: usize,
    percent: u32,
}

#[derive(Template)]
#[template(path = "index.html")]
struct OverviewPage {
    title: &'static str,
    filtered: bool,
    filter_query: String,
    entities: usize,
    with_any: usize,
    with_strong: usize,
    percent_any: u32,
    /// The report's headline as published, where the data holds its figures.
    report: Option<ReportHeadline>,
    links: usize,
    /// The coverage chart (the report's Figure 1) and the breakdown by pillar.
    coverage: InlineChart,
    breakdown: InlineChart,
    crimes: Vec<Entry>,
    pillars: Vec<Entry>,
    /// The number of crime types, in words ("six").
    crime_count: String,
}

/// The report's headline: entities with a working agenda, of how many, and the share it
/// states.
pub struct ReportHeadline {
    pub with_agenda: String,
    pub entities: String,
    pub percent: String,
}

/// The report's headline figures, formatted as the report states them.
pub fn report_headline(data: &Dataset) -> Option<ReportHeadline> {
    let figure = |id: &str| data.report_figure(id);
    let (with, total, share) = (
        figure("entities-with-agenda")?,
        figure("entities-total")?,
        figure("share-with-agenda")?,
    );
    Some(ReportHeadline {
        with_agenda: with.value.to_string(),
        entities: total.value.to_string(),
        percent: share.value.to_string(),
    })
}

/// One entry per pillar: how many entities of the whole UN System it holds.
fn pillar_entries(data: &Dataset) -> Vec<Entry> {
    data.vocabulary(PILLAR)
        .iter()
        .map(|(p, info)| {
            let with_pillar = Filter::default().with(PILLAR, [p]);
            let n = with_pillar.select(data).len();
            Entry {
                href: href(data, "/", &with_pillar, &[]),
                label: info.label.clone(),
                count: n,
                percent: percent_floor(n as f64 / data.entities().len().max(1) as f64),
            }
        })
        .collect()
}

fn overview_page(
    data: &Dataset,
    filter: &Filter,
    origin: &Origin,
) -> Result<OverviewPage, askama::Error> {
    let set = filter.select(data);
    let cov = stats::coverage(data, &set, filter);
    let crimes = cov
        .crimes
        .iter()
        .map(|c| Entry {
            href: format!("/crimes/{}", c.id),
            label: c.label.clone(),
            count: c.count,
            percent: percent_floor(c.share),
        })
        .collect();
    let links = data
        .links()
        .iter()
        .filter(|l| set.contains(l.entity) && filter.counts(l))
        .count();
    Ok(OverviewPage {
        title: "Who in the UN System works on organized crime",
        filtered: !filter.is_empty(),
        filter_query: filter.to_query(data),
        entities: cov.entities,
        with_any: cov.with_any,
        with_strong: cov.with_strong,
        percent_any: percent_floor(cov.share),
        report: report_headline(data),
        links,
        coverage: inline_chart(data, ChartName::Coverage, filter, origin)?,
        breakdown: inline_chart(data, ChartName::Breakdown, filter, origin)?,
        crimes,
        pillars: pillar_entries(data),
        crime_count: number_words(data.crimes().len()),
    })
}

async fn overview(selection: Selection, origin: Origin) -> Result<Html<String>, Error> {
    let page = overview_page(&selection.data, &selection.filter, &origin)?;
    Ok(Html(page.render()?))
}

#[derive(Template)]
#[template(path = "about.html")]
struct AboutPage {
    title: &'static str,
    entities: usize,
    links: usize,
    report_links: usize,
    compiled_links: usize,
    mandates: usize,
    agendas: usize,
    groups: usize,
    crime_types: Vec<(String, String, String)>,
    /// The number of crime types, in words ("six").
    crime_count: String,
}

fn about_page(data: &Dataset) -> AboutPage {
    let count =
        |p: &dyn Fn(&crate::dataset::Link) -> bool| data.links().iter().filter(|l| p(l)).count();
    AboutPage {
        title: "About the data",
        entities: data.index().counted.len(),
        links: data.links().len(),
        report_links: count(&|l| l.evidence.provenance() == Provenance::Report),
        compiled_links: count(&|l| l.evidence.provenance() == Provenance::Compiled),
        mandates: count(&|l| l.basis() == Basis::Mandate),
        agendas: count(&|l| l.basis() == Basis::Agenda),
        groups: data.groups().len(),
        crime_types: data
            .crimes()
            .iter()
            .map(|(_, ct)| (ct.id.clone(), ct.label.clone(), ct.description.clone()))
            .collect(),
        crime_count: number_words(data.crimes().len()),
    }
}

async fn about(Data(data): Data) -> Result<Html<String>, Error> {
    Ok(Html(about_page(&data).render()?))
}
