//! What a reference needs once every file has been read: the vocabularies, and the key of
//! every row of every table with its position.

use foldhash::HashMap;

use super::dimension::Dim;
use super::vocab::{Term, Vocabulary};

/// Finds what the cells of a row name: a row of another table, or terms of a vocabulary.
pub struct Resolver<'a> {
    vocabularies: &'a [Vocabulary],
    /// Per table file, the position of each key (the first row that has it).
    keys: HashMap<&'static str, HashMap<String, usize>>,
}

impl<'a> Resolver<'a> {
    pub fn new(vocabularies: &'a [Vocabulary]) -> Resolver<'a> {
        Resolver {
            vocabularies,
            keys: HashMap::default(),
        }
    }

    /// Records the keys of a table's rows, in row order.
    pub fn add_keys(&mut self, file: &'static str, keys: impl IntoIterator<Item = String>) {
        let map = self.keys.entry(file).or_default();
        for (position, key) in keys.into_iter().enumerate() {
            map.entry(key).or_insert(position);
        }
    }

    /// The position of the row of `file` whose key is `id`.
    pub fn position(&self, file: &str, id: &str) -> Option<usize> {
        self.keys.get(file)?.get(id).copied()
    }

    /// The vocabulary of a dimension.
    pub fn vocabulary(&self, dim: Dim) -> &Vocabulary {
        &self.vocabularies[dim.0]
    }

    /// The terms of `dim` that `ids` name, in the order given: each listed once; with
    /// `several`, messages say how to list more than one.
    pub fn terms<'t>(
        &self,
        dim: Dim,
        ids: impl IntoIterator<Item = &'t str>,
        several: bool,
    ) -> Result<Vec<Term>, String> {
        terms(self.vocabulary(dim), dim.get().by_label, ids, several)
    }
}

/// The terms of `vocabulary` that `ids` name (by slug, or with `by_label` also by label).
pub fn terms<'t>(
    vocabulary: &Vocabulary,
    by_label: bool,
    ids: impl IntoIterator<Item = &'t str>,
    several: bool,
) -> Result<Vec<Term>, String> {
    let mut terms = Vec::new();
    for id in ids {
        let parsed = if by_label {
            vocabulary.parse_loose(id)
        } else {
            vocabulary.parse(id)
        };
        match parsed {
            Ok(term) if terms.contains(&term) => {
                return Err(format!("{} '{id}' listed twice", vocabulary.kind()));
            }
            Ok(term) => terms.push(term),
            Err(e) if several => return Err(format!("{e}; separate several with ';'")),
            Err(e) => return Err(e.to_string()),
        }
    }
    Ok(terms)
}
