//! Vocabularies: the closed sets of values a field may take.
//!
//! Two kinds, one error type ([`UnknownValue`]) and one way to list the accepted values:
//!
//! - [`Vocabulary`]: read from the data (crime types, principal organs, chart categories,
//!   pillars), so a researcher extends it by adding a row. Its values are [`Term`]s, positions
//!   in the vocabulary's rows.
//! - [`vocabulary!`](crate::vocabulary): sets whose meaning lives in code (a link's basis, an
//!   export format, a sort order), declared once as an enum with slugs and labels.

use std::collections::HashMap;

use serde::Serialize;

/// A value outside a closed vocabulary: names what was given and every accepted value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", describe(self))]
pub struct UnknownValue {
    /// What kind of value it should have been ("crime type", "pillar", ...).
    pub kind: &'static str,
    /// The text that was given.
    pub given: String,
    /// Every accepted spelling, in display order (or a description of them).
    pub expected: Vec<String>,
}

fn describe(e: &UnknownValue) -> String {
    let given = shortened(&e.given);
    match e.expected.as_slice() {
        [only] => format!("invalid {} '{given}' (expected {only})", e.kind),
        all => format!(
            "unknown {} '{given}' (expected one of: {})",
            e.kind,
            all.join(", ")
        ),
    }
}

/// The most characters of a wrong value a message repeats: an answer never grows with the
/// request that caused it.
const GIVEN_SHOWN: usize = 240;

/// `given`, cut to [`GIVEN_SHOWN`] characters with an ellipsis.
fn shortened(given: &str) -> std::borrow::Cow<'_, str> {
    match given.char_indices().nth(GIVEN_SHOWN) {
        Some((end, _)) => format!("{}…", &given[..end]).into(),
        None => given.into(),
    }
}

impl UnknownValue {
    /// A value that should have matched a description rather than a list ("a whole number
    /// from 1 to 4").
    pub fn expected(kind: &'static str, given: &str, description: &str) -> UnknownValue {
        UnknownValue {
            kind,
            given: given.to_owned(),
            expected: vec![description.to_owned()],
        }
    }
}

/// Declares a closed vocabulary whose meaning lives in code: an enum whose values are
/// written as fixed slugs in the data files and URLs, with a label for display, `ALL`,
/// `as_str`, `label`, `FromStr`, `Display` and `Serialize`.
#[macro_export]
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident, $kind:literal { $($(#[$vmeta:meta])* $variant:ident => $slug:literal, $label:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            /// Every value, in the order the vocabulary declares them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// What kind of value this is, for error messages.
            pub const KIND: &'static str = $kind;

            /// The slug used in the data files and URLs.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $slug),+ }
            }

            /// The value's name for display.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            /// Position in `ALL`, for indexing per-value tables.
            pub fn index(self) -> usize {
                self as usize
            }

            /// Every accepted slug, for error messages and help texts.
            pub fn slugs() -> Vec<String> {
                Self::ALL.iter().map(|v| v.as_str().to_owned()).collect()
            }

            /// The vocabulary as data, for code that handles every vocabulary alike.
            pub fn vocabulary() -> $crate::dataset::Vocabulary {
                $crate::dataset::Vocabulary::fixed(
                    $kind,
                    Self::ALL.iter().map(|v| (v.as_str(), v.label())),
                )
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::dataset::UnknownValue;
            fn from_str(s: &str) -> Result<Self, $crate::dataset::UnknownValue> {
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str() == s)
                    .ok_or_else(|| $crate::dataset::UnknownValue {
                        kind: $kind,
                        given: s.to_owned(),
                        expected: Self::slugs(),
                    })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        /// Its slugs, as a string enumeration.
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some(Self::ALL.iter().map(|v| v.as_str())))
                    .into()
            }
        }

        impl utoipa::ToSchema for $name {}
    };
}

/// A value of a [`Vocabulary`]: its position among the vocabulary's rows. A `Term` only
/// exists once its text has been checked against the vocabulary it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Term(u16);

impl Term {
    /// The term at position `i` of its vocabulary.
    pub fn new(i: usize) -> Term {
        // Vocabularies are read from files of a few rows; the loader refuses more.
        Term(u16::try_from(i).expect("vocabulary larger than u16"))
    }

    /// Position in its vocabulary, for indexing per-value tables.
    pub fn index(self) -> usize {
        usize::from(self.0)
    }
}

/// A row's values in every filter dimension: `get(d)` lists the terms of dimension `d`
/// (empty for the dimensions of the other kind of row), each in its vocabulary's order.
///
/// Kept in one allocation per row: the number of dimensions, where each dimension's terms
/// end (as positions in the same slice), then the terms. A `Vec` per dimension took about ten
/// times the bytes (at 10,000 entities, over 10 MB of the server's memory).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Terms(Box<[Term]>);

impl Terms {
    /// The terms `values[d]` of each dimension `d`; `None` if a row has more values than a
    /// position can count (65,535 with its dimensions).
    pub fn new(values: &[Vec<Term>]) -> Option<Terms> {
        let count: usize = values.iter().map(Vec::len).sum();
        let mut all = Vec::with_capacity(1 + values.len() + count);
        all.push(Term(u16::try_from(values.len()).ok()?));
        let mut end = 1 + values.len();
        for terms in values {
            end += terms.len();
            all.push(Term(u16::try_from(end).ok()?));
        }
        for terms in values {
            all.extend_from_slice(terms);
        }
        Some(Terms(all.into_boxed_slice()))
    }

    /// The terms of the dimension at position `dim`, in the vocabulary's order.
    pub fn get(&self, dim: impl Into<usize>) -> &[Term] {
        let dim = dim.into();
        let dims = self.0.first().map_or(0, |n| n.index());
        if dim >= dims {
            return &[];
        }
        let start = match dim {
            0 => 1 + dims,
            _ => self.0[dim].index(),
        };
        &self.0[start..self.0[dim + 1].index()]
    }
}

/// One value of a vocabulary, as a row of its file describes it.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct TermInfo {
    /// The slug used in the data files and URLs.
    pub id: String,
    /// The full name ("Human trafficking and smuggling").
    pub label: String,
    /// A word or two for chart axes and narrow screens ("Trafficking").
    pub short_label: String,
    /// A colour for the views that draw the value (`#rrggbb`), if it has one.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub colour: String,
    /// What the value covers.
    pub description: String,
}

/// The most values one vocabulary may have.
pub const MAX_TERMS: usize = u16::MAX as usize;

/// A closed set of values, in display order.
#[derive(Debug, Clone, PartialEq)]
pub struct Vocabulary {
    kind: &'static str,
    terms: Vec<TermInfo>,
    by_id: HashMap<String, Term>,
}

impl Vocabulary {
    /// A vocabulary of rows read from a file; the caller has checked the ids are unique.
    pub fn new(kind: &'static str, terms: Vec<TermInfo>) -> Vocabulary {
        let by_id = terms
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id.clone(), Term::new(i)))
            .collect();
        Vocabulary { kind, terms, by_id }
    }

    /// A vocabulary declared in code, as `(slug, label)` pairs.
    pub fn fixed<'a>(
        kind: &'static str,
        values: impl Iterator<Item = (&'a str, &'a str)>,
    ) -> Vocabulary {
        let terms = values
            .map(|(id, label)| TermInfo {
                id: id.to_owned(),
                label: label.to_owned(),
                short_label: label.to_owned(),
                colour: String::new(),
                description: String::new(),
            })
            .collect();
        Vocabulary::new(kind, terms)
    }

    /// What kind of value this is ("crime type"), for messages.
    pub fn kind(&self) -> &'static str {
        self.kind
    }

    /// The number of values.
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Every value, in display order.
    pub fn terms(&self) -> impl ExactSizeIterator<Item = Term> + use<> {
        (0..self.terms.len()).map(Term::new)
    }

    /// Every value with its description, in display order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (Term, &TermInfo)> {
        self.terms
            .iter()
            .enumerate()
            .map(|(i, t)| (Term::new(i), t))
    }

    /// The description of a value.
    pub fn get(&self, term: Term) -> &TermInfo {
        &self.terms[term.index()]
    }

    /// The slug of a value.
    pub fn id(&self, term: Term) -> &str {
        &self.get(term).id
    }

    /// The slugs of several values, in their order.
    pub fn ids_of(&self, terms: &[Term]) -> Vec<&str> {
        terms.iter().map(|&t| self.id(t)).collect()
    }

    /// The value with this slug, exactly.
    pub fn find(&self, id: &str) -> Option<Term> {
        self.by_id.get(id).copied()
    }

    /// Every accepted slug, in display order.
    pub fn ids(&self) -> Vec<String> {
        self.terms.iter().map(|t| t.id.clone()).collect()
    }

    /// Parses a slug.
    pub fn parse(&self, s: &str) -> Result<Term, UnknownValue> {
        self.find(s).ok_or_else(|| self.unknown(s))
    }

    /// Parses a slug or a label, ignoring case ("Funds and Programmes",
    /// "funds-and-programmes").
    pub fn parse_loose(&self, s: &str) -> Result<Term, UnknownValue> {
        let wanted = s.to_lowercase();
        self.iter()
            .find(|(_, t)| t.id == wanted || t.label.to_lowercase() == wanted)
            .map(|(term, _)| term)
            .ok_or_else(|| self.unknown(s))
    }

    fn unknown(&self, given: &str) -> UnknownValue {
        UnknownValue {
            kind: self.kind,
            given: given.to_owned(),
            expected: self.ids(),
        }
    }
}

/// A count in words for prose ("six crime types"), in figures from ten up.
pub fn number_words(n: usize) -> String {
    const WORDS: [&str; 10] = [
        "no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
    ];
    WORDS
        .get(n)
        .map_or_else(|| n.to_string(), |w| (*w).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn colours() -> Vocabulary {
        Vocabulary::fixed(
            "colour",
            [("dark-red", "Dark red"), ("blue", "Blue")].into_iter(),
        )
    }

    #[test]
    fn terms_give_back_each_dimension_as_it_was_given() {
        let t = Term::new;
        let values = vec![
            vec![t(2)],
            vec![],
            vec![t(0), t(3), t(7)],
            vec![],
            vec![t(1)],
        ];
        let terms = Terms::new(&values).expect("a few values");
        for (d, expected) in values.iter().enumerate() {
            assert_eq!(terms.get(d), expected.as_slice(), "dimension {d}");
        }
        assert_eq!(terms.get(values.len()), &[] as &[Term]);
        assert_eq!(Terms::default().get(0usize), &[] as &[Term]);
        let all_empty = Terms::new(&[vec![], vec![]]).expect("no values");
        assert_eq!(all_empty.get(1usize), &[] as &[Term]);
        let too_many = vec![(0..u16::MAX as usize).map(t).collect::<Vec<_>>()];
        assert_eq!(Terms::new(&too_many), None);
    }

    #[test]
    fn parse_takes_slugs_and_names_the_alternatives() {
        let v = colours();
        assert_eq!(v.parse("blue"), Ok(Term::new(1)));
        let e = v.parse("Blue").unwrap_err();
        assert_eq!(
            e.to_string(),
            "unknown colour 'Blue' (expected one of: dark-red, blue)"
        );
    }

    #[test]
    fn parse_loose_also_takes_labels_ignoring_case() {
        let v = colours();
        assert_eq!(v.parse_loose("DARK RED"), Ok(Term::new(0)));
        assert_eq!(v.parse_loose("dark-red"), Ok(Term::new(0)));
        assert!(v.parse_loose("green").is_err());
    }

    #[test]
    fn numbers_read_as_words_below_ten() {
        assert_eq!(number_words(6), "six");
        assert_eq!(number_words(12), "12");
    }
}
