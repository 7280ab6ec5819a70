//! Crime-type views: `/crimes/{id}` (a profile) and `/overlap` (which crime types the same
//! entities share, the report's "fragmented" made measurable).

use askama::Template;
use axum::Router;
use axum::extract::Path;
use axum::response::Html;
use axum::routing::get;

use super::charts::{ChartPanel, Origin, panel};
use super::evidence::Evidence;
use super::facets::Controls;
use super::paging::Cut;
use super::{AppState, Data, Error, Selection, href};
use crate::charts::{self, ChartRequest};
use crate::dataset::{
    BASIS, Basis, CATEGORY, CRIME, Dataset, Dim, EntitySet, ORGAN, PILLAR, Term, Unit,
};
use crate::query::{Filter, Match};
use crate::stats::{Tally, tally};
use crate::stats::{boxes, breakdown, co_occurrence, of_basis, working_on};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/crimes/{id}", get(profile))
        .route("/overlap", get(overlap))
}

/// A labelled count drawn as a bar; `width` is a percentage of the longest bar.
struct Bar {
    label: String,
    count: usize,
    width: usize,
    href: String,
}

fn bars<T: Copy>(
    rows: Vec<(T, usize)>,
    label: impl Fn(T) -> String,
    link: impl Fn(T) -> String,
) -> Vec<Bar> {
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
    rows.into_iter()
        .map(|(v, count)| Bar {
            label: label(v),
            count,
            width: count * 100 / max,
            href: link(v),
        })
        .collect()
}

/// An entity working on the crime type, with the evidence of its link.
struct EntityRef {
    id: String,
    acronym: String,
    name: String,
    evidence: Evidence,
}

/// The report's own figure for the crime type: its share and count, with its words.
struct Published {
    /// The share, in per cent as the report writes it.
    share: f64,
    /// The count of entities, and whether the report states it or only implies it.
    count: Option<(f64, bool)>,
    /// The denominator the report counted (its entities).
    of: f64,
    quote: String,
}

struct Quote {
    acronym: String,
    text: String,
}

struct GroupRef {
    name: String,
    members: Vec<String>,
}

#[derive(Template)]
#[template(path = "crime.html")]
struct CrimePage {
    layout: super::layout::Layout,
    title: String,
    id: String,
    description: String,
    tally: Tally,
    mandate: Cut<EntityRef>,
    agenda: Cut<EntityRef>,
    /// The report's quotes; all of them are in the links CSV.
    quotes: Cut<Quote>,
    by_pillar: Vec<Bar>,
    by_organ: Vec<Bar>,
    co: Vec<Bar>,
    groups: Vec<GroupRef>,
    report: Option<Published>,
    list_href: String,
    system_href: String,
    /// The crime type's instruments, coordination bodies and rapporteurs.
    timeline_href: String,
    groups_href: String,
    rapporteurs_href: String,
    /// Its links, with every evidence column.
    links_csv: String,
}

/// The entities of `set` with their link on `crime`, cut at the section's length; the whole
/// list is `whole`.
fn refs(data: &Dataset, set: &EntitySet, crime: Term, whole: String) -> Cut<EntityRef> {
    let linked = data
        .entities_in(set)
        .filter_map(|(i, e)| Some((e, data.link(i, crime)?)));
    Cut::of(
        linked,
        |(e, link)| EntityRef {
            id: e.id.to_string(),
            acronym: e.acronym.to_string(),
            name: e.name.to_string(),
            evidence: Evidence::of(data, link),
        },
        whole,
    )
}

/// The report's figure for `crime`, if it publishes one.
fn report_figure(data: &Dataset, crime: Term) -> Option<Published> {
    let share = data.report_figure_on(crime, Unit::Percent)?;
    Some(Published {
        share: share.value,
        count: data
            .report_figure_on(crime, Unit::Count)
            .map(|c| (c.value, c.stated())),
        of: data.report_figure("entities-total")?.value,
        quote: share.quote.to_string(),
    })
}

/// The bars of one entity dimension over the chart boxes of `set`, each linking to the list
/// of `crime`'s entities with that value.
fn dimension_bars(data: &Dataset, crime: Term, set: &EntitySet, dim: Dim) -> Vec<Bar> {
    let index = data.index();
    bars(
        breakdown(data.vocabulary(dim).terms(), &boxes(data, set), |t| {
            index.value(dim, t).clone()
        }),
        |t| data.label(dim, t).to_owned(),
        |t| {
            let filter = Filter::default().with(CRIME, [crime]).with(dim, [t]);
            href(data, "/entities", &filter, &[])
        },
    )
}

/// What the report says of `crime`: its quotes, by entity, cut at the section's length; the
/// whole list is `whole`.
fn quotes(data: &Dataset, crime: Term, whole: String) -> Cut<Quote> {
    let quoted = data
        .links()
        .iter()
        .filter(|l| l.crime() == crime)
        .filter_map(|l| Some((l.entity(), l.quote()?)));
    Cut::of(
        quoted,
        |(entity, quote)| Quote {
            acronym: data.entities()[entity].acronym.to_string(),
            text: quote.to_owned(),
        },
        whole,
    )
}

/// The coordination groups on `crime`, with their members.
fn groups(data: &Dataset, crime: Term) -> Vec<GroupRef> {
    data.groups()
        .iter()
        .filter(|g| g.crimes.contains(&crime))
        .map(|g| GroupRef {
            name: g.name.to_string(),
            members: data
                .members_of(g)
                .map(|m| data.entities()[m.entity()].acronym.to_string())
                .collect(),
        })
        .collect()
}

fn crime_page(data: &Dataset, crime: Term) -> CrimePage {
    let index = data.index();
    let ct = data.crime_type(crime);
    let set = data.working_on(crime);
    let only = Filter::default().with(CRIME, [crime]);
    // Each basis's entities, and their whole list (which shows the evidence too).
    let with_basis = |b: Basis| {
        let set = working_on(
            data,
            &index.all,
            &Filter::default(),
            Some(crime),
            of_basis(b),
        );
        let whole = only.with(BASIS, [Term::new(b.index())]);
        refs(data, &set, crime, href(data, "/entities", &whole, &[]))
    };
    let links_csv = href(data, "/export/links.csv", &only, &[]);
    let matrix = co_occurrence(data, &index.all, &Filter::default());
    let co_rows: Vec<(Term, usize)> = data
        .crimes()
        .terms()
        .filter(|&c| c != crime)
        .map(|c| (c, matrix[crime.index()][c.index()]))
        .collect();
    CrimePage {
        layout: super::layout::Layout::of_edition(data, &Filter::default()),
        title: ct.label.clone(),
        id: ct.id.clone(),
        description: ct.description.clone(),
        tally: tally(data, &set),
        mandate: with_basis(Basis::Mandate),
        agenda: with_basis(Basis::Agenda),
        quotes: quotes(data, crime, links_csv.clone()),
        by_pillar: dimension_bars(data, crime, &set, PILLAR),
        by_organ: dimension_bars(data, crime, &set, ORGAN),
        co: bars(
            co_rows,
            |c| data.crime_type(c).label.clone(),
            |c| {
                let both = Filter::default()
                    .with(CRIME, [crime, c])
                    .matching(Match::All);
                href(data, "/entities", &both, &[])
            },
        ),
        groups: groups(data, crime),
        report: report_figure(data, crime),
        list_href: href(data, "/entities", &only, &[]),
        system_href: href(data, "/system", &only, &[]),
        timeline_href: href(data, "/timeline", &only, &[]),
        groups_href: href(data, "/groups", &only, &[]),
        rapporteurs_href: href(data, "/rapporteurs", &only, &[]),
        links_csv,
    }
}

async fn profile(Data(data): Data, Path(id): Path<String>) -> Result<Html<String>, Error> {
    let crime = data.crimes().parse(&id).map_err(|e| {
        Error::not_found(format!(
            "there is no crime type '{id}'; the crime types are: {}",
            e.expected.join(", ")
        ))
    })?;
    Ok(Html(crime_page(&data, crime).render()?))
}

/// One cell of the co-occurrence heatmap.
struct Cell {
    count: usize,
    /// 0 to 100: the cell's shade, relative to the largest off-diagonal value.
    level: usize,
    diagonal: bool,
    href: String,
    title: String,
}

struct MatrixRow {
    label: String,
    short: String,
    cells: Vec<Cell>,
}

/// How widely one crime type is spread across the UN System.
struct Spread {
    id: String,
    label: String,
    entities: usize,
    organs: usize,
    categories: usize,
    pillars: usize,
}

#[derive(Template)]
#[template(path = "overlap.html")]
struct OverlapPage {
    layout: super::layout::Layout,
    title: &'static str,
    /// The filter controls.
    controls: Controls,
    /// The selection, counted: the chart boxes every figure below counts.
    tally: Tally,
    columns: Vec<String>,
    rows: Vec<MatrixRow>,
    spread: Vec<Spread>,
    multi: usize,
    panel: ChartPanel,
    /// The sizes of the vocabularies the spread is counted in.
    organs_total: usize,
    categories_total: usize,
    pillars_total: usize,
}

fn overlap_page(data: &Dataset, filter: &Filter, origin: &Origin) -> OverlapPage {
    // Every figure of the page counts the selected chart boxes, as the coverage does.
    let selected = filter.select(data);
    let set = boxes(data, &selected);
    let matrix = co_occurrence(data, &set, filter);
    let rows = heatmap(data, filter, &matrix);
    OverlapPage {
        layout: super::layout::Layout::of_edition(data, filter),
        title: "Overlaps",
        controls: Controls::of_entities(data, filter, "/overlap", true),
        tally: tally(data, &selected),
        columns: data
            .crimes()
            .iter()
            .map(|(_, ct)| ct.short_label.clone())
            .collect(),
        rows,
        spread: spread(data, &set, filter),
        multi: set
            .iter()
            .filter(|&i| data.links_of(i).filter(|l| filter.counts(l)).count() > 1)
            .count(),
        panel: panel(
            data,
            &ChartRequest {
                filter: filter.clone(),
                ..ChartRequest::new(&charts::overlap::OverlapChart)
            },
            origin,
        ),
        organs_total: data.vocabulary(ORGAN).len(),
        categories_total: data.vocabulary(CATEGORY).len(),
        pillars_total: data.vocabulary(PILLAR).len(),
    }
}

/// The rows of the co-occurrence heatmap: each cell links to the entities on both crime types.
fn heatmap(data: &Dataset, filter: &Filter, matrix: &[Vec<usize>]) -> Vec<MatrixRow> {
    let n = data.crimes().len();
    let max_off = (0..n)
        .flat_map(|a| (0..n).filter(move |&b| b != a).map(move |b| (a, b)))
        .map(|(a, b)| matrix[a][b])
        .max()
        .unwrap_or(0)
        .max(1);
    let label = |c: Term| data.crime_type(c).label.clone();
    data.crimes()
        .iter()
        .map(|(a, info)| MatrixRow {
            label: info.label.clone(),
            short: info.short_label.clone(),
            cells: data
                .crimes()
                .terms()
                .map(|b| {
                    let count = matrix[a.index()][b.index()];
                    let both = filter.with(CRIME, [a, b]).matching(Match::All);
                    Cell {
                        count,
                        level: if a == b { 0 } else { count * 100 / max_off },
                        diagonal: a == b,
                        href: href(data, "/entities", &both, &[]),
                        title: if a == b {
                            format!("{count} entities work on {}", label(a))
                        } else {
                            format!(
                                "{count} entities work on both {} and {}",
                                label(a),
                                label(b)
                            )
                        },
                    }
                })
                .collect(),
        })
        .collect()
}

/// How widely each crime type is spread across organs, chart boxes and pillars.
fn spread(data: &Dataset, set: &EntitySet, filter: &Filter) -> Vec<Spread> {
    let index = data.index();
    let values = |on: &EntitySet, dim: Dim| {
        breakdown(data.vocabulary(dim).terms(), on, |t| {
            index.value(dim, t).clone()
        })
        .len()
    };
    data.crimes()
        .iter()
        .map(|(c, ct)| {
            let on = working_on(data, set, filter, Some(c), None);
            Spread {
                id: ct.id.clone(),
                label: ct.label.clone(),
                entities: on.len(),
                organs: values(&on, ORGAN),
                categories: values(&on, CATEGORY),
                pillars: values(&on, PILLAR),
            }
        })
        .collect()
}

async fn overlap(selection: Selection, origin: Origin) -> Result<Html<String>, Error> {
    let page = overlap_page(&selection.data, &selection.filter, &origin);
    Ok(Html(page.render()?))
}
