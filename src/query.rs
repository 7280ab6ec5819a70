//! A request's filters: parsed once from a query string (or the CLI's flags) into terms of the
//! data's vocabularies, then evaluated against the index as set operations.
//!
//! Every dimension of [`DIMENSIONS`](crate::dataset::DIMENSIONS) is a parameter. Dimensions
//! combine with AND; several values of one dimension combine with OR, except crime types
//! under `match=all`. The link dimensions (crime type, basis) restrict which links count:
//! `crime=X&basis=mandate` selects the entities with a mandate on X; `basis=mandate` alone,
//! those with a mandate on any crime type.

use std::borrow::Cow;

use crate::dataset::model::WithCrimes;
use crate::dataset::{
    CRIME, Dataset, Dim, Edition, EntitySet, Group, Instrument, Link, SpecialProcedure, Term,
    UnknownValue,
};
use crate::vocabulary;

vocabulary! {
    /// How several crime types combine.
    #[derive(Default)]
    Match, "match" {
        /// Entities working on at least one of them.
        #[default]
        Any => "any", "Any of them",
        /// Entities working on every one of them.
        All => "all", "All of them",
    }
}

vocabulary! {
    /// The order of a list of entities.
    Sort, "sort order" {
        /// The order of the UN System chart (the data's order).
        Chart => "chart", "Place on the chart",
        Acronym => "acronym", "Acronym",
        Name => "name", "Name",
        /// Most crime types first.
        Links => "links", "Most crime types",
    }
}

/// The query parameter naming the edition of the data a request reads (the default edition
/// when absent).
pub const EDITION: &str = "edition";

/// The query parameter naming the entity whose panel is open on the org chart (`/system`),
/// without JavaScript.
pub const ENTITY: &str = "entity";

/// The most characters a search text may have: every link of a page that keeps the selection
/// repeats it, so a longer one would multiply into an answer many times its request.
pub const Q_MAX: usize = 200;

/// The query parameters read here besides the filter dimensions: the edition, how crime
/// types combine, the search text, a list's order, and which page of a long list.
pub const PARAMS: &[&str] = &[EDITION, "match", "q", "sort", "page", "size"];

/// A selection of entities. The default selects every entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    /// Per dimension (by [`Dim`]), the terms selected, sorted and without repeats.
    terms: Vec<Vec<Term>>,
    pub match_: Match,
    /// Text to find in acronym, name and summaries (case- and accent-insensitive).
    pub q: Option<String>,
}

impl Default for Filter {
    fn default() -> Self {
        Filter {
            terms: vec![Vec::new(); Dim::all().len()],
            match_: Match::Any,
            q: None,
        }
    }
}

/// A query parameter whose value is not one of the accepted ones.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("parameter '{param}': {problem}")]
pub struct FilterError {
    /// The parameter's name as it appeared in the query string.
    pub param: &'static str,
    /// What was wrong, with the accepted values.
    pub problem: UnknownValue,
}

impl FilterError {
    /// Every accepted value of the parameter.
    pub fn expected(&self) -> &[String] {
        &self.problem.expected
    }
}

/// Parses one parameter's value, naming the parameter if it is wrong.
pub fn parse_param<T: std::str::FromStr<Err = UnknownValue>>(
    param: &'static str,
    value: &str,
) -> Result<T, FilterError> {
    value
        .parse()
        .map_err(|problem| FilterError { param, problem })
}

impl Filter {
    /// Parses decoded `(name, value)` pairs against the data's vocabularies. Parameters that
    /// are not filters are ignored (links from elsewhere carry tracking parameters); empty
    /// values count as absent (a form's "any" choice). A value is matched as written: one
    /// padded with spaces is not a value of the vocabulary (the search text is trimmed).
    pub fn from_pairs<'a, I>(data: &Dataset, pairs: I) -> Result<Filter, FilterError>
    where
        I: IntoIterator<Item = (&'a str, &'a str)>,
    {
        let mut filter = Filter::default();
        for (name, value) in pairs {
            if value.is_empty() {
                continue;
            }
            match name {
                "match" => filter.match_ = parse_param("match", value)?,
                "q" if value.chars().count() > Q_MAX => {
                    return Err(FilterError {
                        param: "q",
                        problem: UnknownValue::expected(
                            "search text",
                            value,
                            &format!("a search text of at most {Q_MAX} characters"),
                        ),
                    });
                }
                "q" if value.trim().is_empty() => {}
                "q" => filter.q = Some(value.trim().to_owned()),
                _ => {
                    if let Some(dim) = Dim::by_param(name) {
                        let term = parse_term(data, dim, value)?;
                        filter.terms[dim.0].push(term);
                    }
                }
            }
        }
        Ok(filter.normalized())
    }

    /// Parses a raw (percent-encoded) query string.
    pub fn from_query(data: &Dataset, query: &str) -> Result<Filter, FilterError> {
        let pairs = decode_query(query);
        Filter::from_pairs(data, pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }

    /// Sorts and deduplicates every list, so that equal selections compare equal and
    /// print the same canonical query string.
    fn normalized(mut self) -> Filter {
        for list in &mut self.terms {
            list.sort();
            list.dedup();
        }
        self
    }

    /// The terms selected in dimension `dim` (empty: no restriction).
    pub fn get(&self, dim: Dim) -> &[Term] {
        &self.terms[dim.0]
    }

    /// The crime types selected.
    pub fn crimes(&self) -> &[Term] {
        self.get(CRIME)
    }

    /// This filter with dimension `dim` set to `terms`.
    pub fn with(&self, dim: Dim, terms: impl IntoIterator<Item = Term>) -> Filter {
        let mut filter = self.clone();
        filter.terms[dim.0] = terms.into_iter().collect();
        filter.normalized()
    }

    /// This filter with `term` added to dimension `dim`, or removed if it was there.
    pub fn toggle(&self, dim: Dim, term: Term) -> Filter {
        let current = self.get(dim);
        if current.contains(&term) {
            self.with(dim, current.iter().copied().filter(|t| *t != term))
        } else {
            self.with(dim, current.iter().copied().chain([term]))
        }
    }

    /// This filter with crime types combined by `match_`.
    pub fn matching(&self, match_: Match) -> Filter {
        Filter {
            match_,
            ..self.clone()
        }
    }

    /// Whether it selects every entity.
    pub fn is_empty(&self) -> bool {
        *self == Filter::default()
    }

    /// The link terms this filter allows, per dimension (see [`Index::with_link`]).
    ///
    /// [`Index::with_link`]: crate::dataset::Index::with_link
    pub fn link_terms(&self) -> Vec<&[Term]> {
        Dim::all()
            .map(|d| if d.get().of_links() { self.get(d) } else { &[] })
            .collect()
    }

    /// Whether any link dimension restricts which links count.
    pub fn restricts_links(&self) -> bool {
        Dim::of(true).any(|d| !self.get(d).is_empty())
    }

    /// Whether `link` counts under this filter's link dimensions other than the crime type
    /// (its basis, ...): the crime types select entities, the others which of their links
    /// count.
    pub fn counts(&self, link: &Link) -> bool {
        Dim::of(true).filter(|&d| d != CRIME).all(|d| {
            let wanted = self.get(d);
            wanted.is_empty() || wanted.contains(&link.values.get(d)[0])
        })
    }

    /// Whether `link` counts and is on one of the selected crime types (any, if none is).
    pub fn selects(&self, link: &Link) -> bool {
        let crimes = self.crimes();
        self.counts(link) && (crimes.is_empty() || crimes.contains(&link.crime()))
    }

    /// Whether a thing that works on `crimes` (a coordination body, an instrument, a
    /// mandate) is selected by this filter's crime types: one of them, or every one under
    /// `match=all`; everything when none is selected.
    pub fn admits(&self, crimes: &[Term]) -> bool {
        let wanted = self.crimes();
        match self.match_ {
            Match::Any => wanted.is_empty() || wanted.iter().any(|c| crimes.contains(c)),
            Match::All => wanted.iter().all(|c| crimes.contains(c)),
        }
    }

    /// The rows of a table of things with crime types that this filter's crime types select,
    /// in the table's order.
    pub fn pick<'a, T: WithCrimes>(&self, rows: &'a [T]) -> Vec<&'a T> {
        rows.iter().filter(|r| self.admits(r.crimes())).collect()
    }

    /// The coordination bodies selected, in file order.
    pub fn bodies<'a>(&self, data: &'a Dataset) -> Vec<&'a Group> {
        self.pick(data.groups())
    }

    /// The instruments selected, in the timeline's order: by date, what is later than the
    /// report after the rest.
    pub fn instruments<'a>(&self, data: &'a Dataset) -> Vec<&'a Instrument> {
        let mut rows = self.pick(data.instruments());
        rows.sort_by_key(|i| (i.later_than_report, i.date));
        rows
    }

    /// The special procedures mandates selected, in file order.
    pub fn mandates<'a>(&self, data: &'a Dataset) -> Vec<&'a SpecialProcedure> {
        self.pick(data.special_procedures())
    }

    /// Refuses any filter but the crime types and `match`, for the views of things that
    /// have crime types but no organ, pillar or links (bodies, instruments, mandates).
    pub fn crime_only(&self) -> Result<(), FilterError> {
        let other = Dim::all()
            .filter(|&d| d != CRIME)
            .find(|&d| !self.get(d).is_empty())
            .map(|d| d.get().param)
            .or(self.q.as_ref().map(|_| "q"));
        match other {
            None => Ok(()),
            Some(param) => Err(FilterError {
                param,
                problem: UnknownValue {
                    kind: "filter for this view",
                    given: param.to_owned(),
                    expected: vec![CRIME.get().param.to_owned(), "match".to_owned()],
                },
            }),
        }
    }

    /// The entities this filter selects.
    pub fn select(&self, data: &Dataset) -> EntitySet {
        let index = data.index();
        let mut set = index.all.clone();
        if self.restricts_links() {
            let mut allowed = self.link_terms();
            let crimes = self.crimes();
            if self.match_ == Match::All && crimes.len() > 1 {
                for crime in crimes {
                    allowed[CRIME.0] = std::slice::from_ref(crime);
                    set.intersect_with(index.with_link(&allowed));
                }
            } else {
                set.intersect_with(index.with_link(&allowed));
            }
        }
        for dim in Dim::of(false) {
            let terms = self.get(dim);
            if !terms.is_empty() {
                let mut any = EntitySet::EMPTY;
                for &term in terms {
                    any.union_with(index.value(dim, term));
                }
                set.intersect_with(any);
            }
        }
        if let Some(q) = &self.q {
            set.intersect_with(index.text(q));
        }
        set
    }

    /// The filter as `(parameter, value)` pairs in canonical order, without defaults, after
    /// the edition of `data` when it is not the default (a link keeps its edition); the
    /// values borrow from the data and the filter (callers add owned ones as `Cow::Owned`).
    pub fn pairs<'a>(&'a self, data: &'a Dataset) -> Vec<(&'static str, Cow<'a, str>)> {
        let mut pairs: Vec<(&'static str, Cow<'a, str>)> = Vec::new();
        if !data.is_default_edition() {
            pairs.push((EDITION, Cow::Borrowed(data.edition().id.as_str())));
        }
        for dim in Dim::all() {
            let vocabulary = data.vocabulary(dim);
            pairs.extend(
                self.get(dim)
                    .iter()
                    .map(|&t| (dim.get().param, Cow::Borrowed(vocabulary.id(t)))),
            );
            if dim == CRIME && self.match_ != Match::Any {
                pairs.push(("match", Cow::Borrowed(self.match_.as_str())));
            }
        }
        if let Some(q) = &self.q {
            pairs.push(("q", Cow::Borrowed(q.as_str())));
        }
        pairs
    }

    /// The links this filter selects, in data order: of the entities it selects, the links it
    /// counts on the crime types it names (on any, when it names none).
    pub fn links<'a>(&self, data: &'a Dataset) -> Vec<&'a Link> {
        self.select(data)
            .iter()
            .flat_map(|i| data.links_of(i))
            .filter(|l| self.selects(l))
            .collect()
    }

    /// The selection in words, for a chart's footer and a page's title: each dimension's
    /// heading and its values' labels ("Pillar: Development; Crime type: Cybercrime or
    /// Illicit drugs"), then the text searched; empty for the default filter.
    pub fn describe(&self, data: &Dataset) -> String {
        let mut parts: Vec<String> = Dim::all()
            .filter(|&d| !self.get(d).is_empty())
            .map(|d| {
                let labels: Vec<&str> = self.get(d).iter().map(|&t| data.label(d, t)).collect();
                let joiner = if d == CRIME && self.match_ == Match::All {
                    " and "
                } else {
                    " or "
                };
                format!("{}: {}", d.get().label, labels.join(joiner))
            })
            .collect();
        if let Some(q) = &self.q {
            parts.push(format!("text \u{201c}{q}\u{201d}"));
        }
        parts.join("; ")
    }

    /// The canonical query string (sorted, without defaults), for links and cache keys: the
    /// same as `encode(self.pairs(data))`, from the data's pre-encoded pairs.
    pub fn to_query(&self, data: &Dataset) -> String {
        self.to_query_in(data, data.edition())
    }

    /// The canonical query string of this selection in `edition` (named unless it is the
    /// default): the editions share their vocabularies, so a filter means the same in each.
    pub fn to_query_in(&self, data: &Dataset, edition: &Edition) -> String {
        let mut query = String::new();
        let mut push = |pair: &str| {
            if !query.is_empty() {
                query.push('&');
            }
            query.push_str(pair);
        };
        if !edition.default {
            push(&encode([(EDITION, edition.id.as_str())]));
        }
        for dim in Dim::all() {
            for &term in self.get(dim) {
                push(data.query_pair(dim, term));
            }
            if dim == CRIME && self.match_ != Match::Any {
                push(&encode([("match", self.match_.as_str())]));
            }
        }
        if let Some(q) = &self.q {
            push(&encode([("q", q)]));
        }
        query
    }
}

/// Parses one value of a dimension.
pub fn parse_term(data: &Dataset, dim: Dim, value: &str) -> Result<Term, FilterError> {
    let dimension = dim.get();
    let vocabulary = data.vocabulary(dim);
    let parsed = if dimension.by_label {
        vocabulary.parse_loose(value)
    } else {
        vocabulary.parse(value)
    };
    parsed.map_err(|problem| FilterError {
        param: dimension.param,
        problem,
    })
}

/// Percent-encodes pairs into a query string.
pub fn encode<K: AsRef<str>, V: AsRef<str>>(pairs: impl IntoIterator<Item = (K, V)>) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

/// `path`, with `query` appended when it is not empty: the one way every link is built.
pub fn url(path: &str, query: &str) -> String {
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{query}")
    }
}

/// Decodes a raw query string into pairs. Malformed percent-escapes are kept as text and
/// invalid UTF-8 is replaced, so a mangled link still gets a useful answer.
pub fn decode_query(query: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

impl Sort {
    /// Reads `sort` from a raw query string; absent or empty means the chart's order.
    pub fn from_query(query: &str) -> Result<Sort, FilterError> {
        param(query, "sort").map_or(Ok(Sort::Chart), |value| parse_param("sort", &value))
    }
}

/// The last non-empty value of one parameter in a raw query string, as written.
pub fn param(query: &str, name: &str) -> Option<String> {
    decode_query(query)
        .into_iter()
        .rfind(|(k, v)| k == name && !v.is_empty())
        .map(|(_, v)| v)
}
