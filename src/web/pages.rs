//! The overview (`/`) and `/about`. Each handler computes a view struct; its template only
//! displays it.

use askama::Template;
use axum::Router;
use axum::extract::RawQuery;
use axum::response::Html;
use axum::routing::get;

use super::charts::{ChartPanel, Origin, inline};
use super::facets::href;
use super::{AppState, Data, Error};
use crate::charts::{self, ChartName, ChartRequest};
use crate::dataset::{Basis, CrimeId, Dataset, Pillar, Provenance};
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
    percent_any: u32,
    links: usize,
    /// The coverage chart at desktop and at phone width, rendered by its own template (its
    /// text is escaped there); CSS shows the one that fits.
    chart: String,
    chart_narrow: String,
    panel: ChartPanel,
    breakdown: String,
    breakdown_narrow: String,
    breakdown_panel: ChartPanel,
    crimes: Vec<Entry>,
    pillars: Vec<Entry>,
}

fn overview_page(
    data: &Dataset,
    filter: &Filter,
    origin: &Origin,
) -> Result<OverviewPage, askama::Error> {
    let coverage_request = ChartRequest {
        filter: filter.clone(),
        ..ChartRequest::new(ChartName::Coverage)
    };
    let narrow_request = ChartRequest {
        width: Some(360),
        ..coverage_request.clone()
    };
    let breakdown_request = ChartRequest {
        filter: filter.clone(),
        ..ChartRequest::new(ChartName::Breakdown)
    };
    let (chart, panel) = inline(data, &coverage_request, origin)?;
    let (breakdown, breakdown_panel) = inline(data, &breakdown_request, origin)?;
    let breakdown_narrow = charts::svg(
        data,
        &ChartRequest {
            width: Some(360),
            ..breakdown_request.clone()
        },
    )?;
    let set = filter.select(data);
    let cov = stats::coverage(data, set, filter.basis);
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
    let pillars = Pillar::ALL
        .iter()
        .map(|&p| {
            let with_pillar = Filter {
                pillars: vec![p],
                ..Filter::default()
            };
            let n = with_pillar.select(data).len();
            Entry {
                href: href("/", &with_pillar),
                label: p.label().to_owned(),
                count: n,
                percent: percent_floor(n as f64 / data.entities().len().max(1) as f64),
            }
        })
        .collect();
    let links = data
        .links()
        .iter()
        .filter(|l| set.contains(l.entity) && filter.basis.is_none_or(|b| b == l.basis))
        .count();
    Ok(OverviewPage {
        title: "Who in the UN System works on organized crime",
        filtered: *filter != Filter::default(),
        filter_query: filter.to_query(),
        entities: cov.entities,
        with_any: cov.with_any,
        percent_any: percent_floor(cov.share),
        links,
        chart,
        chart_narrow: charts::svg(data, &narrow_request)?,
        panel,
        breakdown,
        breakdown_narrow,
        breakdown_panel,
        crimes,
        pillars,
    })
}

async fn overview(
    Data(data): Data,
    origin: Origin,
    RawQuery(query): RawQuery,
) -> Result<Html<String>, Error> {
    let filter = Filter::from_query(query.as_deref().unwrap_or(""))?;
    Ok(Html(overview_page(&data, &filter, &origin)?.render()?))
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
    crime_types: Vec<(&'static str, String, String)>,
}

fn about_page(data: &Dataset) -> AboutPage {
    let count =
        |p: &dyn Fn(&crate::dataset::Link) -> bool| data.links().iter().filter(|l| p(l)).count();
    AboutPage {
        title: "About the data",
        entities: data.entities().len(),
        links: data.links().len(),
        report_links: count(&|l| l.evidence.provenance() == Provenance::Report),
        compiled_links: count(&|l| l.evidence.provenance() == Provenance::Compiled),
        mandates: count(&|l| l.basis == Basis::Mandate),
        agendas: count(&|l| l.basis == Basis::Agenda),
        groups: data.groups().len(),
        crime_types: CrimeId::ALL
            .iter()
            .map(|&c| {
                let ct = data.crime_type(c);
                (c.as_str(), ct.label.clone(), ct.description.clone())
            })
            .collect(),
    }
}

async fn about(Data(data): Data) -> Result<Html<String>, Error> {
    Ok(Html(about_page(&data).render()?))
}
