//! The in-memory index: one bitset of entities per value of every filterable dimension, so
//! that a filter is a handful of `u128` unions and intersections.

use std::fmt;

use super::model::{Basis, Category, CrimeId, Entity, Link, Organ, Pillar};

/// A set of entities, one bit per position in `Dataset::entities` (at most 128).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct EntitySet(u128);

impl EntitySet {
    /// No entity.
    pub const EMPTY: EntitySet = EntitySet(0);

    /// The first `n` entities.
    pub fn first(n: usize) -> EntitySet {
        match n {
            0 => EntitySet(0),
            n if n >= 128 => EntitySet(u128::MAX),
            n => EntitySet((1u128 << n) - 1),
        }
    }

    /// The set holding only entity `i`.
    pub fn single(i: usize) -> EntitySet {
        debug_assert!(i < 128);
        EntitySet(1u128 << i)
    }

    pub fn insert(&mut self, i: usize) {
        *self = self.union(EntitySet::single(i));
    }

    pub fn contains(self, i: usize) -> bool {
        i < 128 && self.0 & (1u128 << i) != 0
    }

    pub fn union(self, other: EntitySet) -> EntitySet {
        EntitySet(self.0 | other.0)
    }

    pub fn intersection(self, other: EntitySet) -> EntitySet {
        EntitySet(self.0 & other.0)
    }

    pub fn difference(self, other: EntitySet) -> EntitySet {
        EntitySet(self.0 & !other.0)
    }

    pub fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Entity positions in ascending order.
    pub fn iter(self) -> impl Iterator<Item = usize> {
        let mut bits = self.0;
        std::iter::from_fn(move || {
            (bits != 0).then(|| {
                let i = bits.trailing_zeros() as usize;
                bits &= bits - 1;
                i
            })
        })
    }
}

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

/// Per-dimension sets of entities.
#[derive(Debug, Clone)]
pub struct Index {
    /// Every entity.
    pub all: EntitySet,
    /// `[crime][basis]`: the entities with a link of that basis on that crime type.
    by_crime_basis: Vec<[EntitySet; 2]>,
    by_pillar: Vec<EntitySet>,
    by_organ: Vec<EntitySet>,
    by_category: Vec<EntitySet>,
    /// Per entity, its acronym, name and summaries folded for search (see [`fold`]).
    search_text: Vec<String>,
}

impl Index {
    /// Builds the index over entities and their links.
    pub fn build(entities: &[Entity], links: &[Link]) -> Index {
        let mut by_crime_basis = vec![[EntitySet::EMPTY; 2]; CrimeId::ALL.len()];
        let mut by_pillar = vec![EntitySet::EMPTY; Pillar::ALL.len()];
        let mut by_organ = vec![EntitySet::EMPTY; Organ::ALL.len()];
        let mut by_category = vec![EntitySet::EMPTY; Category::ALL.len()];
        let mut search_text: Vec<String> = Vec::with_capacity(entities.len());
        for (i, e) in entities.iter().enumerate() {
            for p in &e.pillars {
                by_pillar[p.index()].insert(i);
            }
            by_organ[e.organ.index()].insert(i);
            by_category[e.category.index()].insert(i);
            search_text.push(fold(&format!("{}\n{}\n{}", e.acronym, e.name, e.summary)));
        }
        for link in links {
            by_crime_basis[link.crime.index()][link.basis.index()].insert(link.entity);
            let text = &mut search_text[link.entity];
            text.push('\n');
            text.push_str(&fold(&link.summary));
        }
        Index {
            all: EntitySet::first(entities.len()),
            by_crime_basis,
            by_pillar,
            by_organ,
            by_category,
            search_text,
        }
    }

    /// The entities with a link on `crime`, of the given basis or (with `None`) of either.
    pub fn crime(&self, crime: CrimeId, basis: Option<Basis>) -> EntitySet {
        let [mandate, agenda] = self.by_crime_basis[crime.index()];
        match basis {
            Some(Basis::Mandate) => mandate,
            Some(Basis::Agenda) => agenda,
            None => mandate.union(agenda),
        }
    }

    /// The entities with a link on any crime type, of the given basis or of either.
    pub fn any_crime(&self, basis: Option<Basis>) -> EntitySet {
        CrimeId::ALL
            .iter()
            .fold(EntitySet::EMPTY, |acc, &c| acc.union(self.crime(c, basis)))
    }

    pub fn pillar(&self, pillar: Pillar) -> EntitySet {
        self.by_pillar[pillar.index()]
    }

    pub fn organ(&self, organ: Organ) -> EntitySet {
        self.by_organ[organ.index()]
    }

    pub fn category(&self, category: Category) -> EntitySet {
        self.by_category[category.index()]
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
    use unicode_normalization::{UnicodeNormalization, char::is_combining_mark};
    let folded: String = text
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entity_set_iterates_in_order_and_counts() {
        let s: EntitySet = [3, 0, 127, 64].into_iter().collect();
        assert_eq!(s.iter().collect::<Vec<_>>(), vec![0, 3, 64, 127]);
        assert_eq!(s.len(), 4);
        assert!(s.contains(127) && !s.contains(1) && !s.contains(500));
        assert_eq!(EntitySet::first(128).len(), 128);
        assert_eq!(EntitySet::first(102).len(), 102);
        assert_eq!(s.difference(EntitySet::single(3)).len(), 3);
    }

    #[test]
    fn fold_ignores_case_accents_and_spacing() {
        assert_eq!(fold("Côte  d'Ivoire"), "cote d'ivoire");
        assert_eq!(fold("ÉLÉMENT\tÀ"), "element a");
    }
}
