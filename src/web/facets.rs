//! The filter controls shared by the views: Datasette-style facets, one per dimension of
//! [`DIMENSIONS`](crate::dataset::DIMENSIONS), whose values are links that add or remove
//! themselves from the current filter, each with the count of entities it would select.

use super::href;
use crate::dataset::{CRIME, Dataset, Dim};
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

/// The facet of one dimension, as seen from `path`, each value with what `count` says the
/// filter with it toggled in would select.
fn facet(
    data: &Dataset,
    filter: &Filter,
    path: &str,
    dim: Dim,
    count: &dyn Fn(&Filter) -> usize,
) -> Facet {
    // Values of one dimension are alternatives (OR), so each is counted over the filter
    // without that dimension; crime types under `match=all` narrow instead, so each is
    // counted over the current selection.
    let narrowing = dim == CRIME && filter.match_ == Match::All;
    let selected = filter.get(dim);
    let values = data
        .vocabulary(dim)
        .iter()
        .map(|(term, info)| {
            let chosen = if narrowing {
                filter.with(dim, selected.iter().copied().chain([term]))
            } else {
                filter.with(dim, [term])
            };
            FacetValue {
                value: info.id.clone(),
                label: info.label.clone(),
                count: count(&chosen),
                selected: selected.contains(&term),
                href: href(data, path, &filter.toggle(dim, term), &[]),
            }
        })
        .collect();
    Facet {
        param: dim.get().param,
        label: dim.get().label,
        values,
    }
}

/// The facets for every filter dimension, as seen from `path`, counting UN System entities as
/// every page does: the chart's boxes (see [`stats::tally`](crate::stats::tally)).
pub fn facets(data: &Dataset, filter: &Filter, path: &str) -> Vec<Facet> {
    let entities = |f: &Filter| crate::stats::tally(data, &f.select(data)).counted;
    Dim::all()
        .map(|d| facet(data, filter, path, d, &entities))
        .collect()
}

/// The text search among a view's filters: where the form goes, the text, and the rest of the
/// filter as hidden fields, so that a search keeps the other selections.
pub struct Search {
    pub action: &'static str,
    pub q: String,
    pub hidden: Vec<(&'static str, String)>,
}

pub fn search(data: &Dataset, filter: &Filter, action: &'static str) -> Search {
    Search {
        action,
        q: filter.q.clone().unwrap_or_default(),
        hidden: filter
            .pairs(data)
            .into_iter()
            .filter(|(k, _)| *k != "q")
            .map(|(k, v)| (k, v.into_owned()))
            .collect(),
    }
}

/// A view's filter controls (`templates/partials/facets.html` reads them): its facets, the
/// any/all switch when several crime types are selected (naming what is selected), the link
/// clearing the filter (in the same edition), and the text search beside the facets, where
/// the view takes one and has no search box of its own.
pub struct Controls {
    pub facets: Vec<Facet>,
    pub match_switch: Option<MatchSwitch>,
    pub clear_href: Option<String>,
    pub search: Option<Search>,
}

impl Controls {
    fn new(
        data: &Dataset,
        filter: &Filter,
        path: &'static str,
        noun: &'static str,
        facets: Vec<Facet>,
        search: Option<Search>,
    ) -> Controls {
        Controls {
            facets,
            match_switch: match_switch(data, filter, path, noun),
            clear_href: (!filter.is_empty()).then(|| href(data, path, &Filter::default(), &[])),
            search,
        }
    }

    /// The controls of a view of entities at `path`: a facet for every dimension, and the
    /// text search when `with_search` (a view with a search box of its own passes false).
    pub fn of_entities(
        data: &Dataset,
        filter: &Filter,
        path: &'static str,
        with_search: bool,
    ) -> Controls {
        let search = with_search.then(|| search(data, filter, path));
        Controls::new(
            data,
            filter,
            path,
            "Entities",
            facets(data, filter, path),
            search,
        )
    }

    /// The controls of a view of things with crime types but no organ or pillar (bodies,
    /// instruments, mandates): the crime-type facet alone, counting what `count` says each
    /// selection holds; these views take no text search.
    pub fn of_crimes(
        data: &Dataset,
        filter: &Filter,
        path: &'static str,
        noun: &'static str,
        count: &dyn Fn(&Filter) -> usize,
    ) -> Controls {
        let facets = vec![facet(data, filter, path, CRIME, count)];
        Controls::new(data, filter, path, noun, facets, None)
    }
}

/// The "any / all" switch, shown when several crime types are selected.
pub struct MatchSwitch {
    /// What is selected, in the plural ("Entities", "Bodies").
    pub noun: &'static str,
    pub all: bool,
    pub any_href: String,
    pub all_href: String,
}

pub fn match_switch(
    data: &Dataset,
    filter: &Filter,
    path: &str,
    noun: &'static str,
) -> Option<MatchSwitch> {
    (filter.crimes().len() > 1).then(|| MatchSwitch {
        noun,
        all: filter.match_ == Match::All,
        any_href: href(data, path, &filter.matching(Match::Any), &[]),
        all_href: href(data, path, &filter.matching(Match::All), &[]),
    })
}
