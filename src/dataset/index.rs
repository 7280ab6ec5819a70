//! The in-memory index: one set of entities per value of every entity dimension, and per
//! combination of link-dimension values, so that a filter is a handful of bitset unions and
//! intersections. Sets are sized when the data is loaded: any number of entities.

use std::fmt;

use fixedbitset::FixedBitSet;

use super::dimension::{Dim, Of};
use super::model::{Entity, Link};
use super::vocab::{Term, Vocabulary};

/// A set of entities, one bit per position in `Dataset::entities`.
#[derive(Clone, Default)]
pub struct EntitySet(FixedBitSet);

impl EntitySet {
    /// No entity.
    pub const EMPTY: EntitySet = EntitySet(FixedBitSet::new());

    /// The first `n` entities.
    pub fn first(n: usize) -> EntitySet {
        let mut set = FixedBitSet::with_capacity(n);
        set.insert_range(..);
        EntitySet(set)
    }

    /// The set holding only entity `i`.
    pub fn single(i: usize) -> EntitySet {
        let mut set = EntitySet::EMPTY;
        set.insert(i);
        set
    }

    pub fn insert(&mut self, i: usize) {
        self.0.grow_and_insert(i);
    }

    pub fn contains(&self, i: usize) -> bool {
        self.0.contains(i)
    }

    pub fn union(&self, other: impl AsRef<EntitySet>) -> EntitySet {
        let mut set = self.clone();
        set.0.union_with(&other.as_ref().0);
        set
    }

    pub fn intersection(&self, other: impl AsRef<EntitySet>) -> EntitySet {
        let mut set = self.clone();
        set.0.intersect_with(&other.as_ref().0);
        set
    }

    pub fn difference(&self, other: impl AsRef<EntitySet>) -> EntitySet {
        let mut set = self.clone();
        set.0.difference_with(&other.as_ref().0);
        set
    }

    /// Keeps only the entities also in `other`, in place.
    pub fn intersect_with(&mut self, other: impl AsRef<EntitySet>) {
        self.0.intersect_with(&other.as_ref().0);
    }

    /// Adds the entities of `other`, in place.
    pub fn union_with(&mut self, other: impl AsRef<EntitySet>) {
        self.0.union_with(&other.as_ref().0);
    }

    pub fn len(&self) -> usize {
        self.0.count_ones(..)
    }

    /// How many entities both sets hold, without making their intersection.
    pub fn intersection_len(&self, other: impl AsRef<EntitySet>) -> usize {
        self.0.intersection_count(&other.as_ref().0)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_clear()
    }

    /// Entity positions in ascending order.
    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.0.ones()
    }
}

impl AsRef<EntitySet> for EntitySet {
    fn as_ref(&self) -> &EntitySet {
        self
    }
}

/// Two sets are equal when they hold the same entities, whatever their capacity.
impl PartialEq for EntitySet {
    fn eq(&self, other: &Self) -> bool {
        self.0.ones().eq(other.0.ones())
    }
}

impl Eq for EntitySet {}

impl FromIterator<usize> for EntitySet {
    fn from_iter<I: IntoIterator<Item = usize>>(iter: I) -> Self {
        let mut set = EntitySet::EMPTY;
        for i in iter {
            set.insert(i);
        }
        set
    }
}

impl fmt::Debug for EntitySet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

/// Which links count: for each link dimension, the terms allowed (an empty list allows
/// every term). Indexed by [`Dim`].
pub type LinkTerms<'a> = [&'a [Term]];

/// Per-dimension sets of entities.
#[derive(Debug, Clone)]
pub struct Index {
    /// Every entity.
    pub all: EntitySet,
    /// The entities the chart draws as boxes: every entity but those with a parent. Shares of
    /// the UN System are taken of these.
    pub counted: EntitySet,
    /// `[dimension][term]`: the entities with that value, for the entity dimensions.
    by_value: Vec<Vec<EntitySet>>,
    /// The link dimensions and their sizes: a link's combination of values is a number in
    /// this mixed radix.
    link_dims: Vec<(Dim, usize)>,
    /// `[combination]`: the entities with a link of that combination of values.
    by_link: Vec<EntitySet>,
    /// Per entity, its acronym, name and summaries folded for search (see [`fold`]).
    search_text: Vec<String>,
}

impl Index {
    /// Builds the index over entities and their links.
    pub fn build(vocabularies: &[Vocabulary], entities: &[Entity], links: &[Link]) -> Index {
        let n = entities.len();
        let empty = EntitySet(FixedBitSet::with_capacity(n));
        let mut by_value: Vec<Vec<EntitySet>> = Dim::all()
            .map(|d| match d.get().of {
                Of::Entity { .. } => vec![empty.clone(); vocabularies[d.0].len()],
                Of::Link => Vec::new(),
            })
            .collect();
        let link_dims: Vec<(Dim, usize)> = Dim::of(true)
            .map(|d| (d, vocabularies[d.0].len()))
            .collect();
        let combinations = link_dims.iter().map(|(_, n)| n).product();
        let mut by_link = vec![empty.clone(); combinations];
        let mut search_text: Vec<String> = Vec::with_capacity(n);
        for (i, e) in entities.iter().enumerate() {
            for d in Dim::of(false) {
                for term in e.values.get(d) {
                    by_value[d.0][term.index()].insert(i);
                }
            }
            search_text.push(fold(&format!("{}\n{}\n{}", e.acronym, e.name, e.summary)));
        }
        let mut index = Index {
            all: EntitySet::first(n),
            counted: (0..n).filter(|&i| entities[i].parent.is_none()).collect(),
            by_value,
            link_dims,
            by_link: Vec::new(),
            search_text,
        };
        for link in links {
            let key = index.combination(|d| link.values.get(d)[0]);
            by_link[key].insert(link.entity());
            let text = &mut index.search_text[link.entity()];
            text.push('\n');
            fold_into(text, &link.summary);
        }
        index.by_link = by_link;
        index
    }

    /// The number of a combination of link-dimension values.
    fn combination(&self, term: impl Fn(Dim) -> Term) -> usize {
        self.link_dims
            .iter()
            .fold(0, |key, &(d, size)| key * size + term(d).index())
    }

    /// The entities with `term` in the entity dimension `dim`.
    pub fn value(&self, dim: Dim, term: Term) -> &EntitySet {
        &self.by_value[dim.0][term.index()]
    }

    /// The entities with at least one link whose value in every link dimension is allowed
    /// by `allowed` (indexed by [`Dim`]; an empty or missing list allows every value).
    pub fn with_link(&self, allowed: &LinkTerms) -> EntitySet {
        let mut set = EntitySet(FixedBitSet::with_capacity(self.search_text.len()));
        self.add_links(allowed, 0, 0, &mut set);
        set
    }

    /// Adds to `set` the entities of every allowed combination that extends `key`, the
    /// combination of the first `level` link dimensions' values.
    fn add_links(&self, allowed: &LinkTerms, level: usize, key: usize, set: &mut EntitySet) {
        let Some(&(dim, size)) = self.link_dims.get(level) else {
            set.union_with(&self.by_link[key]);
            return;
        };
        match allowed.get(dim.0).copied().unwrap_or(&[]) {
            [] => (0..size).for_each(|t| self.add_links(allowed, level + 1, key * size + t, set)),
            terms => terms
                .iter()
                .for_each(|t| self.add_links(allowed, level + 1, key * size + t.index(), set)),
        }
    }

    /// The entities whose acronym, name or summaries contain `needle` once both are folded.
    pub fn text(&self, needle: &str) -> EntitySet {
        let needle = fold(needle);
        self.search_text
            .iter()
            .enumerate()
            .filter(|(_, text)| text.contains(needle.as_str()))
            .map(|(i, _)| i)
            .collect()
    }
}

/// Folds text for case- and accent-insensitive matching: decomposes (NFD), drops combining
/// marks, lower-cases and collapses white space.
pub fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    fold_into(&mut folded, text);
    folded
}

/// Appends `text` folded (see [`fold`]) to `out`. Plain ASCII, most of the data, needs no
/// decomposition and is lower-cased as it is copied: at 10,000 entities folding took a
/// third of the loading thread's time, and the search texts are folded as the data loads.
pub fn fold_into(out: &mut String, text: &str) {
    use unicode_normalization::{UnicodeNormalization, char::is_combining_mark};
    let words = |out: &mut String, folded: &str| {
        for (i, word) in folded.split_whitespace().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(word);
        }
    };
    if text.is_ascii() {
        let start = out.len();
        words(out, text);
        out[start..].make_ascii_lowercase();
    } else {
        let folded: String = text
            .nfd()
            .filter(|c| !is_combining_mark(*c))
            .flat_map(char::to_lowercase)
            .collect();
        words(out, &folded);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entity_set_iterates_in_order_and_counts() {
        let s: EntitySet = [3, 0, 127, 64, 300].into_iter().collect();
        assert_eq!(s.iter().collect::<Vec<_>>(), vec![0, 3, 64, 127, 300]);
        assert_eq!(s.len(), 5);
        assert!(s.contains(127) && !s.contains(1) && !s.contains(500));
        assert_eq!(EntitySet::first(128).len(), 128);
        assert_eq!(EntitySet::first(1000).len(), 1000);
        assert_eq!(EntitySet::first(1000).intersection(&s), s);
        assert_eq!(s.difference(EntitySet::single(3)).len(), 4);
    }

    #[test]
    fn fold_ignores_case_accents_and_spacing() {
        assert_eq!(fold("Côte  d'Ivoire"), "cote d'ivoire");
        assert_eq!(fold("ÉLÉMENT\tÀ"), "element a");
        assert_eq!(fold(" UN\x0bWomen \r\n"), "un women");
    }

    proptest::proptest! {
        /// Plain ASCII takes a shortcut: it folds as decomposing would fold it.
        #[test]
        fn ascii_folds_as_any_text_does(text in "[ -~\t\n\r\x0b\x0c]{0,40}") {
            use unicode_normalization::{UnicodeNormalization, char::is_combining_mark};
            let decomposed: String = (text.nfd())
                .filter(|c| !is_combining_mark(*c))
                .flat_map(char::to_lowercase)
                .collect();
            let expected = decomposed.split_whitespace().collect::<Vec<_>>().join(" ");
            let mut appended = String::from("x\n");
            fold_into(&mut appended, &text);
            proptest::prop_assert_eq!(fold(&text), expected.clone());
            proptest::prop_assert_eq!(appended, format!("x\n{expected}"));
        }
    }
}
