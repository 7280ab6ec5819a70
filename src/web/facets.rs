//! The filter controls shared by the views: Datasette-style facets whose values are links
//! that add or remove themselves from the current filter, each with the count of entities
//! it would select.

use crate::dataset::{Basis, Category, CrimeId, Dataset, EntitySet, Organ, Pillar};
use crate::query::{Filter, Match};

/// One dimension's facet.
pub struct Facet {
    pub param: &'static str,
    pub label: &'static str,
    pub values: Vec<FacetValue>,
}

/// One value of a facet: selecting it (or unselecting it) is following `href`.
pub struct FacetValue {
    pub value: String,
    pub label: String,
    /// Entities the filter would select with this value toggled in (counts are taken over
    /// the filter without this dimension, so values within a dimension are alternatives).
    pub count: usize,
    pub selected: bool,
    pub href: String,
}

/// A link to `path` with `filter`'s canonical query string.
pub fn href(path: &str, filter: &Filter) -> String {
    let query = filter.to_query();
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{query}")
    }
}

fn toggle<T: PartialEq + Copy + Ord>(list: &[T], value: T) -> Vec<T> {
    let mut out: Vec<T> = list.iter().copied().filter(|v| *v != value).collect();
    if out.len() == list.len() {
        out.push(value);
        out.sort();
    }
    out
}

/// What every facet is computed from.
struct Context<'a> {
    data: &'a Dataset,
    filter: &'a Filter,
    path: &'a str,
}

/// A facet for a dimension that takes several values (combined with OR).
fn multi<T: Copy + Ord>(
    cx: &Context,
    (param, label): (&'static str, &'static str),
    values: &[T],
    field: fn(&mut Filter) -> &mut Vec<T>,
    members: impl Fn(T) -> EntitySet,
    describe: impl Fn(T) -> (String, String),
) -> Facet {
    // Values of one dimension are alternatives (OR), so each is counted over the filter
    // without that dimension; crime types under `match=all` narrow instead, so each is
    // counted over the current selection.
    let mut others = cx.filter.clone();
    if !(param == "crime" && cx.filter.match_ == Match::All) {
        field(&mut others).clear();
    }
    let base = others.select(cx.data);
    let mut current = cx.filter.clone();
    let selected = field(&mut current).clone();
    let values = values
        .iter()
        .map(|&v| {
            let (value, label) = describe(v);
            let mut toggled = cx.filter.clone();
            *field(&mut toggled) = toggle(&selected, v);
            FacetValue {
                value,
                label,
                count: base.intersection(members(v)).len(),
                selected: selected.contains(&v),
                href: href(cx.path, &toggled),
            }
        })
        .collect();
    Facet {
        param,
        label,
        values,
    }
}

/// The facets for every filter dimension, as seen from `path`.
pub fn facets(data: &Dataset, filter: &Filter, path: &str) -> Vec<Facet> {
    let index = data.index();
    let cx = Context { data, filter, path };
    let basis_facet = Facet {
        param: "basis",
        label: "Basis",
        values: Basis::ALL
            .iter()
            .map(|&b| {
                let selected = filter.basis == Some(b);
                let toggled = Filter {
                    basis: if selected { None } else { Some(b) },
                    ..filter.clone()
                };
                let chosen = Filter {
                    basis: Some(b),
                    ..filter.clone()
                };
                FacetValue {
                    value: b.as_str().to_owned(),
                    label: b.label().to_owned(),
                    count: chosen.select(data).len(),
                    selected,
                    href: href(path, &toggled),
                }
            })
            .collect(),
    };
    vec![
        multi(
            &cx,
            ("crime", "Crime type"),
            CrimeId::ALL,
            |f| &mut f.crimes,
            |c| index.crime(c, filter.basis),
            |c| (c.as_str().to_owned(), data.crime_type(c).label.clone()),
        ),
        basis_facet,
        multi(
            &cx,
            ("pillar", "Pillar"),
            Pillar::ALL,
            |f| &mut f.pillars,
            |p| index.pillar(p),
            |p| (p.as_str().to_owned(), p.label().to_owned()),
        ),
        multi(
            &cx,
            ("organ", "Principal organ"),
            Organ::ALL,
            |f| &mut f.organs,
            |o| index.organ(o),
            |o| (o.as_str().to_owned(), o.label().to_owned()),
        ),
        multi(
            &cx,
            ("category", "Place on the chart"),
            Category::ALL,
            |f| &mut f.categories,
            |c| index.category(c),
            |c| (c.as_str().to_owned(), c.label().to_owned()),
        ),
    ]
}

/// The "any / all" switch, shown when several crime types are selected.
pub struct MatchSwitch {
    pub all: bool,
    pub any_href: String,
    pub all_href: String,
}

pub fn match_switch(filter: &Filter, path: &str) -> Option<MatchSwitch> {
    (filter.crimes.len() > 1).then(|| MatchSwitch {
        all: filter.match_ == Match::All,
        any_href: href(
            path,
            &Filter {
                match_: Match::Any,
                ..filter.clone()
            },
        ),
        all_href: href(
            path,
            &Filter {
                match_: Match::All,
                ..filter.clone()
            },
        ),
    })
}
