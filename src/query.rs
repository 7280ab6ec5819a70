//! A request's filters: parsed once from a query string (or the CLI's flags) into typed
//! values, then evaluated against the index as set operations.
//!
//! Dimensions combine with AND; several values of one dimension combine with OR, except
//! crime types under `match=all`. `basis` restricts which links count: `crime=X&basis=mandate`
//! selects the entities with a mandate on X; `basis=mandate` alone, those with a mandate on
//! any crime type.

use crate::dataset::{Basis, Category, CrimeId, Dataset, EntitySet, Organ, Pillar, UnknownValue};

/// How several crime types combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Match {
    /// Entities working on at least one of them.
    #[default]
    Any,
    /// Entities working on every one of them.
    All,
}

impl Match {
    pub fn as_str(self) -> &'static str {
        match self {
            Match::Any => "any",
            Match::All => "all",
        }
    }
}

impl std::str::FromStr for Match {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, UnknownValue> {
        match s {
            "any" => Ok(Match::Any),
            "all" => Ok(Match::All),
            _ => Err(UnknownValue {
                kind: "match",
                given: s.to_owned(),
                expected: vec!["any", "all"],
            }),
        }
    }
}

/// A selection of entities. The default selects every entity.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Filter {
    pub crimes: Vec<CrimeId>,
    pub match_: Match,
    pub pillars: Vec<Pillar>,
    pub organs: Vec<Organ>,
    pub categories: Vec<Category>,
    pub basis: Option<Basis>,
    /// Text to find in acronym, name and summaries (case- and accent-insensitive).
    pub q: Option<String>,
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
    pub fn expected(&self) -> &[&'static str] {
        &self.problem.expected
    }
}

impl Filter {
    /// Parses decoded `(name, value)` pairs. Parameters that are not filters are ignored
    /// (links from elsewhere carry tracking parameters); empty values count as absent.
    pub fn from_pairs<'a, I>(pairs: I) -> Result<Filter, FilterError>
    where
        I: IntoIterator<Item = (&'a str, &'a str)>,
    {
        fn parse<T: std::str::FromStr<Err = UnknownValue>>(
            param: &'static str,
            value: &str,
        ) -> Result<T, FilterError> {
            value
                .parse()
                .map_err(|problem| FilterError { param, problem })
        }

        let mut filter = Filter::default();
        for (name, value) in pairs {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            match name {
                "crime" => filter.crimes.push(parse("crime", value)?),
                "match" => filter.match_ = parse("match", value)?,
                "pillar" => filter.pillars.push(parse("pillar", value)?),
                "organ" => filter.organs.push(parse("organ", value)?),
                "category" => {
                    filter
                        .categories
                        .push(Category::parse_loose(value).map_err(|problem| FilterError {
                            param: "category",
                            problem,
                        })?)
                }
                "basis" => filter.basis = Some(parse("basis", value)?),
                "q" => filter.q = Some(value.to_owned()),
                _ => {}
            }
        }
        Ok(filter.normalized())
    }

    /// Sorts and deduplicates every list, so that equal selections compare equal and
    /// print the same canonical query string.
    pub fn normalized(mut self) -> Filter {
        fn tidy<T: Ord>(list: &mut Vec<T>) {
            list.sort();
            list.dedup();
        }
        tidy(&mut self.crimes);
        tidy(&mut self.pillars);
        tidy(&mut self.organs);
        tidy(&mut self.categories);
        self
    }

    /// Parses a raw (percent-encoded) query string.
    pub fn from_query(query: &str) -> Result<Filter, FilterError> {
        let pairs = decode_query(query);
        Filter::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }

    /// The entities this filter selects.
    pub fn select(&self, data: &Dataset) -> EntitySet {
        let index = data.index();
        let mut set = index.all;
        if self.crimes.is_empty() {
            if self.basis.is_some() {
                set = set.intersection(index.any_crime(self.basis));
            }
        } else {
            let sets = self.crimes.iter().map(|&c| index.crime(c, self.basis));
            let crimes = match self.match_ {
                Match::Any => sets.fold(EntitySet::EMPTY, EntitySet::union),
                Match::All => sets.fold(index.all, EntitySet::intersection),
            };
            set = set.intersection(crimes);
        }
        if !self.pillars.is_empty() {
            set = set.intersection(union_of(&self.pillars, |&p| index.pillar(p)));
        }
        if !self.organs.is_empty() {
            set = set.intersection(union_of(&self.organs, |&o| index.organ(o)));
        }
        if !self.categories.is_empty() {
            set = set.intersection(union_of(&self.categories, |&c| index.category(c)));
        }
        if let Some(q) = &self.q {
            set = set.intersection(index.text(q));
        }
        set
    }

    /// The filter as `(parameter, value)` pairs in canonical order, without defaults.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs: Vec<(&'static str, String)> = Vec::new();
        pairs.extend(self.crimes.iter().map(|c| ("crime", c.to_string())));
        if self.match_ != Match::Any {
            pairs.push(("match", self.match_.as_str().to_owned()));
        }
        pairs.extend(self.pillars.iter().map(|p| ("pillar", p.to_string())));
        pairs.extend(self.organs.iter().map(|o| ("organ", o.to_string())));
        pairs.extend(self.categories.iter().map(|c| ("category", c.to_string())));
        if let Some(b) = self.basis {
            pairs.push(("basis", b.to_string()));
        }
        if let Some(q) = &self.q {
            pairs.push(("q", q.clone()));
        }
        pairs
    }

    /// The canonical query string (sorted, without defaults), for links and cache keys.
    pub fn to_query(&self) -> String {
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(self.pairs())
            .finish()
    }
}

fn union_of<T>(values: &[T], set: impl Fn(&T) -> EntitySet) -> EntitySet {
    values
        .iter()
        .fold(EntitySet::EMPTY, |acc, v| acc.union(set(v)))
}

/// Decodes a raw query string into pairs. Malformed percent-escapes are kept as text and
/// invalid UTF-8 is replaced, so a mangled link still gets a useful answer.
pub fn decode_query(query: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// The order of a list of entities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// The order of the UN System chart (the data's order).
    #[default]
    Chart,
    Acronym,
    Name,
    /// Most crime types first.
    Links,
}

impl Sort {
    pub const ALL: [Sort; 4] = [Sort::Chart, Sort::Acronym, Sort::Name, Sort::Links];

    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Chart => "chart",
            Sort::Acronym => "acronym",
            Sort::Name => "name",
            Sort::Links => "links",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Sort::Chart => "Place on the chart",
            Sort::Acronym => "Acronym",
            Sort::Name => "Name",
            Sort::Links => "Most crime types",
        }
    }

    /// Reads `sort` from a raw query string; absent or empty means the chart's order.
    pub fn from_query(query: &str) -> Result<Sort, FilterError> {
        let Some(value) = param(query, "sort") else {
            return Ok(Sort::Chart);
        };
        Sort::ALL
            .into_iter()
            .find(|s| s.as_str() == value)
            .ok_or_else(|| FilterError {
                param: "sort",
                problem: UnknownValue {
                    kind: "sort order",
                    given: value.clone(),
                    expected: Sort::ALL.iter().map(|s| s.as_str()).collect(),
                },
            })
    }
}

/// The last non-empty value of one parameter in a raw query string.
pub fn param(query: &str, name: &str) -> Option<String> {
    decode_query(query)
        .into_iter()
        .rfind(|(k, v)| k == name && !v.trim().is_empty())
        .map(|(_, v)| v.trim().to_owned())
}
