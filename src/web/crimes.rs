//! Crime-type views: `/crimes/{id}` (a profile) and `/overlap` (which crime types the same
//! entities share, the report's "fragmented" made measurable).

use askama::Template;
use axum::Router;
use axum::extract::{Path, RawQuery};
use axum::response::Html;
use axum::routing::get;

use super::charts::{ChartPanel, Origin, panel};
use super::facets::href;
use super::{AppState, Data, Error};
use crate::charts::{ChartName, ChartRequest};
use crate::dataset::{Basis, Category, CrimeId, Dataset, EntitySet, Organ, Pillar};
use crate::query::{Filter, Match};
use crate::stats::{breakdown, co_occurrence};

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

struct EntityRef {
    id: String,
    acronym: String,
    name: String,
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
    title: String,
    id: &'static str,
    description: String,
    count: usize,
    total: usize,
    percent: u32,
    mandate: Vec<EntityRef>,
    agenda: Vec<EntityRef>,
    quotes: Vec<Quote>,
    by_pillar: Vec<Bar>,
    by_organ: Vec<Bar>,
    co: Vec<Bar>,
    groups: Vec<GroupRef>,
    list_href: String,
    system_href: String,
}

fn refs(data: &Dataset, set: EntitySet) -> Vec<EntityRef> {
    data.entities_in(set)
        .map(|(_, e)| EntityRef {
            id: e.id.clone(),
            acronym: e.acronym.clone(),
            name: e.name.clone(),
        })
        .collect()
}

fn crime_page(data: &Dataset, crime: CrimeId) -> CrimePage {
    let index = data.index();
    let ct = data.crime_type(crime);
    let set = index.crime(crime, None);
    let only = |f: Filter| {
        href(
            "/entities",
            &Filter {
                crimes: vec![crime],
                ..f
            },
        )
    };
    let matrix = co_occurrence(data, index.all, None);
    let co_rows: Vec<(CrimeId, usize)> = CrimeId::ALL
        .iter()
        .filter(|&&c| c != crime)
        .map(|&c| (c, matrix[crime.index()][c.index()]))
        .collect();
    CrimePage {
        title: ct.label.clone(),
        id: crime.as_str(),
        description: ct.description.clone(),
        count: set.len(),
        total: data.entities().len(),
        percent: crate::stats::percent_floor(
            set.len() as f64 / data.entities().len().max(1) as f64,
        ),
        mandate: refs(data, index.crime(crime, Some(Basis::Mandate))),
        agenda: refs(data, index.crime(crime, Some(Basis::Agenda))),
        quotes: data
            .links()
            .iter()
            .filter(|l| l.crime == crime)
            .filter_map(|l| {
                l.evidence.quote().map(|q| Quote {
                    acronym: data.entities()[l.entity].acronym.clone(),
                    text: q.to_owned(),
                })
            })
            .collect(),
        by_pillar: bars(
            breakdown(Pillar::ALL, set, |p| index.pillar(p)),
            |p| p.label().to_owned(),
            |p| {
                only(Filter {
                    pillars: vec![p],
                    ..Filter::default()
                })
            },
        ),
        by_organ: bars(
            breakdown(Organ::ALL, set, |o| index.organ(o)),
            |o| o.label().to_owned(),
            |o| {
                only(Filter {
                    organs: vec![o],
                    ..Filter::default()
                })
            },
        ),
        co: bars(
            co_rows,
            |c| data.crime_type(c).label.clone(),
            |c| {
                href(
                    "/entities",
                    &Filter {
                        crimes: vec![crime, c],
                        match_: Match::All,
                        ..Filter::default()
                    }
                    .normalized(),
                )
            },
        ),
        groups: data
            .groups()
            .iter()
            .filter(|g| g.crimes.contains(&crime))
            .map(|g| GroupRef {
                name: g.name.clone(),
                members: g
                    .members
                    .iter()
                    .map(|m| data.entities()[m.entity].acronym.clone())
                    .collect(),
            })
            .collect(),
        list_href: only(Filter::default()),
        system_href: href(
            "/system",
            &Filter {
                crimes: vec![crime],
                ..Filter::default()
            },
        ),
    }
}

async fn profile(Data(data): Data, Path(id): Path<String>) -> Result<Html<String>, Error> {
    let crime: CrimeId = id.parse().map_err(|e: crate::dataset::UnknownValue| {
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
    id: &'static str,
    label: String,
    entities: usize,
    organs: usize,
    categories: usize,
    pillars: usize,
}

#[derive(Template)]
#[template(path = "overlap.html")]
struct OverlapPage {
    title: &'static str,
    entities: usize,
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
    let index = data.index();
    let set = filter.select(data);
    let matrix = co_occurrence(data, set, filter.basis);
    let max_off = (0..CrimeId::ALL.len())
        .flat_map(|a| {
            (0..CrimeId::ALL.len())
                .filter(move |&b| b != a)
                .map(move |b| (a, b))
        })
        .map(|(a, b)| matrix[a][b])
        .max()
        .unwrap_or(0)
        .max(1);
    let label = |c: CrimeId| data.crime_type(c).label.clone();
    let rows = CrimeId::ALL
        .iter()
        .map(|&a| MatrixRow {
            label: label(a),
            short: data.crime_type(a).short_label.clone(),
            cells: CrimeId::ALL
                .iter()
                .map(|&b| {
                    let count = matrix[a.index()][b.index()];
                    let both = Filter {
                        crimes: vec![a, b],
                        match_: Match::All,
                        ..filter.clone()
                    }
                    .normalized();
                    Cell {
                        count,
                        level: if a == b { 0 } else { count * 100 / max_off },
                        diagonal: a == b,
                        href: href("/entities", &both),
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
        .collect();
    let spread = CrimeId::ALL
        .iter()
        .map(|&c| {
            let on = set.intersection(index.crime(c, filter.basis));
            Spread {
                id: c.as_str(),
                label: label(c),
                entities: on.len(),
                organs: breakdown(Organ::ALL, on, |o| index.organ(o)).len(),
                categories: breakdown(Category::ALL, on, |k| index.category(k)).len(),
                pillars: breakdown(Pillar::ALL, on, |p| index.pillar(p)).len(),
            }
        })
        .collect();
    let multi = set
        .iter()
        .filter(|&i| {
            data.links_of(i)
                .filter(|l| filter.basis.is_none_or(|b| b == l.basis))
                .count()
                > 1
        })
        .count();
    OverlapPage {
        title: "Overlaps",
        entities: set.len(),
        columns: CrimeId::ALL
            .iter()
            .map(|&c| data.crime_type(c).short_label.clone())
            .collect(),
        rows,
        spread,
        multi,
        panel: panel(
            &ChartRequest {
                filter: filter.clone(),
                ..ChartRequest::new(ChartName::Overlap)
            },
            origin,
        ),
        organs_total: Organ::ALL.len(),
        categories_total: Category::ALL.len(),
        pillars_total: Pillar::ALL.len(),
    }
}

async fn overlap(
    Data(data): Data,
    origin: Origin,
    RawQuery(query): RawQuery,
) -> Result<Html<String>, Error> {
    let filter = Filter::from_query(query.as_deref().unwrap_or(""))?;
    Ok(Html(overlap_page(&data, &filter, &origin).render()?))
}
