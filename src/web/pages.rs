//! The overview (`/`) and `/about`. Each handler computes a view struct; its template only
//! displays it.

use askama::Template;
use axum::Router;
use axum::response::Html;
use axum::routing::get;

use super::charts::{InlineChart, Origin, inline_chart};
use super::facets::Controls;
use super::{AppState, Data, Error, Selection, href};
use crate::charts;
use crate::dataset::vocab::number_words;
use crate::dataset::{Basis, Dataset, PILLAR, Provenance};
use crate::query::Filter;
use crate::stats::{self, percent_floor};
use crate::stats::{Tally, tally};

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
    layout: super::layout::Layout,
    title: &'static str,
    /// The filter controls.
    controls: Controls,
    filtered: bool,
    filter_query: String,
    /// The entities the filter selects.
    selection: Tally,
    entities: usize,
    with_any: usize,
    with_strong: usize,
    percent_any: u32,
    /// The report's headline as published, where the data holds its figures.
    report: Option<ReportHeadline>,
    /// When this edition's evidence is dated ("by 2019").
    period: String,
    links: usize,
    /// The coverage chart (the report's Figure 1) and the breakdown by pillar.
    coverage: InlineChart,
    breakdown: InlineChart,
    crimes: Vec<Entry>,
    pillars: Vec<Entry>,
    /// The number of crime types, in words ("six").
    crime_count: String,
    /// What the report found in the Security Council's texts, where the data holds it.
    council: Option<CouncilFindings>,
    /// What changed most between this edition and the other of its pair, a sentence each
    /// (empty when the data has one edition), and the page saying all of it.
    changes: Vec<String>,
    changes_href: String,
}

/// The report's findings on the Security Council, formatted as figures, with its words.
struct CouncilFindings {
    /// Resolutions of 2018 referring to a form of organized crime: of how many, what share.
    in_2018: (String, String, String),
    /// Resolutions and presidential statements of 2000-2017 on organized crime in a conflict
    /// setting: of how many, what share.
    since_2000: (String, String, String),
    /// The share of those on Africa.
    africa: String,
    /// The report's words stating them, each once.
    quotes: Vec<String>,
}

/// A count as English prose writes it ("1,113").
fn with_thousands(value: f64) -> String {
    let digits = format!("{value:.0}");
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// The Security Council figures of `report_figures.csv`, if all are there.
fn council_findings(data: &Dataset) -> Option<CouncilFindings> {
    let figure = |id: &str| data.report_figure(id);
    let trio = |part: &str, whole: &str, share: &str| {
        Some((
            with_thousands(figure(part)?.value),
            with_thousands(figure(whole)?.value),
            figure(share)?.value.to_string(),
        ))
    };
    let ids = [
        "sc-resolutions-2018-crime",
        "sc-resolutions-2018",
        "sc-share-2018-crime",
        "sc-texts-2000-2017-crime",
        "sc-texts-2000-2017",
        "sc-share-2000-2017-crime",
        "sc-share-2000-2017-africa",
    ];
    let mut quotes: Vec<String> = Vec::new();
    for id in ids {
        let quote = figure(id)?.quote.to_string();
        if !quotes.contains(&quote) {
            quotes.push(quote.to_string());
        }
    }
    Some(CouncilFindings {
        in_2018: trio(ids[0], ids[1], ids[2])?,
        since_2000: trio(ids[3], ids[4], ids[5])?,
        africa: figure(ids[6])?.value.to_string(),
        quotes,
    })
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

/// One entry per pillar: how many chart boxes of the whole UN System it holds.
fn pillar_entries(data: &Dataset) -> Vec<Entry> {
    data.vocabulary(PILLAR)
        .iter()
        .map(|(p, info)| {
            let with_pillar = Filter::default().with(PILLAR, [p]);
            let t = stats::tally(data, &with_pillar.select(data));
            Entry {
                href: href(data, "/", &with_pillar, &[]),
                label: info.label.clone(),
                count: t.counted,
                percent: t.percent(),
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
        .filter(|l| set.contains(l.entity()) && filter.counts(l))
        .count();
    Ok(OverviewPage {
        layout: super::layout::Layout::of_edition(data, filter),
        title: "Who in the UN System works on organized crime",
        controls: Controls::of_entities(data, filter, "/", true),
        filtered: !filter.is_empty(),
        filter_query: filter.to_query(data),
        selection: tally(data, &set),
        entities: cov.entities,
        with_any: cov.with_any,
        with_strong: cov.with_strong,
        percent_any: percent_floor(cov.share),
        report: report_headline(data),
        period: super::entities::period(data.edition()),
        links,
        coverage: inline_chart(data, &charts::coverage::CoverageChart, filter, origin)?,
        breakdown: inline_chart(data, &charts::breakdown::BreakdownChart, filter, origin)?,
        crimes,
        pillars: pillar_entries(data),
        crime_count: number_words(data.crimes().len()),
        council: council_findings(data),
        changes: crate::changes::Pair::of(data)
            .map(|pair| {
                let found = crate::changes::changes(&pair, filter);
                super::changes::summary(&pair, &found)
            })
            .unwrap_or_default(),
        changes_href: href(data, "/changes", filter, &[]),
    })
}

async fn overview(selection: Selection, origin: Origin) -> Result<Html<String>, Error> {
    let page = overview_page(&selection.data, &selection.filter, &origin)?;
    Ok(Html(page.render()?))
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_are_written_with_thousands_separators() {
        assert_eq!(super::with_thousands(54.0), "54");
        assert_eq!(super::with_thousands(1113.0), "1,113");
        assert_eq!(super::with_thousands(1234567.0), "1,234,567");
    }
}

#[derive(Template)]
#[template(path = "about.html")]
struct AboutPage {
    layout: super::layout::Layout,
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
        layout: super::layout::Layout::new(data),
        title: "About the data",
        entities: data.index().counted.len(),
        links: data.links().len(),
        report_links: count(&|l| l.provenance == Provenance::Report),
        compiled_links: count(&|l| l.provenance == Provenance::Compiled),
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
