//! Numbers computed from a set of entities: coverage per crime type. Pure functions over an
//! [`EntitySet`]; nothing here parses input or formats output.

use serde::Serialize;

use crate::dataset::{BASIS, Basis, CRIME, Dataset, Dim, EntitySet, Grade, Term};
use crate::query::Filter;

/// How many entities of a set work on each crime type. Only chart boxes count: bodies within
/// another entity (CTED, INCB) are left out of every figure, as the report's denominator is
/// the chart's boxes.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Coverage {
    /// The number of chart entities in the set: what the shares are taken of.
    pub entities: usize,
    /// How many of them work on at least one crime type.
    pub with_any: usize,
    /// How many of them have strong evidence on at least one crime type.
    pub with_strong: usize,
    /// `with_any / entities` (0 when the set is empty).
    pub share: f64,
    /// One row per crime type, in canonical order.
    pub crimes: Vec<CrimeCoverage>,
}

/// One crime type's row of [`Coverage`].
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct CrimeCoverage {
    pub id: String,
    pub label: String,
    /// A word for chart axes.
    pub short_label: String,
    /// Entities of the set with a link on this crime type (of the counted basis and grade).
    pub count: usize,
    /// Of `count`, those whose link is an explicit mandate.
    pub mandate: usize,
    /// Of `count`, those whose link is a working agenda.
    pub agenda: usize,
    /// Of `count`, those whose link rests on strong evidence.
    pub strong: usize,
    /// Of `count`, those whose link rests on partial evidence.
    pub partial: usize,
    /// `count / entities` (0 when the set is empty).
    pub share: f64,
}

/// How many UN System entities a set holds, counted one way on every page: the chart's boxes it
/// holds, of all the chart's boxes (the report's denominator); the bodies within another
/// entity (CTED, INCB) it holds are listed apart and never counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Tally {
    /// The chart boxes in the set.
    pub counted: usize,
    /// Every chart box of the UN System.
    pub of: usize,
    /// The bodies within another entity in the set.
    pub within: usize,
}

impl Tally {
    /// `counted` as a share of `of`, in whole per cent rounded down (as the report rounds).
    pub fn percent(&self) -> u32 {
        percent_floor(share(self.counted, self.of))
    }
}

/// The chart boxes of `set`: the entities every figure counts, with the bodies within another
/// entity (CTED, INCB) left out. Lists show a selection whole; counts are taken of this.
pub fn boxes(data: &Dataset, set: &EntitySet) -> EntitySet {
    set.intersection(&data.index().counted)
}

/// The tally of a set of entities.
pub fn tally(data: &Dataset, set: &EntitySet) -> Tally {
    let counted = set.intersection_len(&data.index().counted);
    Tally {
        counted,
        of: data.index().counted.len(),
        within: set.len() - counted,
    }
}

fn share(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// The entities of `set` with a link on `crime` (any crime type with `None`) that counts under
/// `filter`'s other link dimensions, narrowed to links with the value `also` (a basis, a
/// grade) if given; `filter`'s own crime types are set aside.
pub fn working_on(
    data: &Dataset,
    set: &EntitySet,
    filter: &Filter,
    crime: Option<Term>,
    also: Option<(Dim, Term)>,
) -> EntitySet {
    set.intersection(linked(data, filter, crime, also))
}

/// The entities with such a link, in the whole data (see [`working_on`]).
fn linked(
    data: &Dataset,
    filter: &Filter,
    crime: Option<Term>,
    also: Option<(Dim, Term)>,
) -> EntitySet {
    let mut allowed = filter.link_terms();
    let crime = crime.map(|c| [c]);
    allowed[CRIME.0] = crime.as_ref().map_or(&[], |c| c.as_slice());
    let also = also.map(|(dim, term)| (dim, [term]));
    if let Some((dim, only)) = &also {
        if !(allowed[dim.0].is_empty() || allowed[dim.0].contains(&only[0])) {
            return EntitySet::EMPTY;
        }
        allowed[dim.0] = only;
    }
    data.index().with_link(&allowed)
}

/// The restriction to links of `basis`.
pub fn of_basis(basis: Basis) -> Option<(Dim, Term)> {
    Some((BASIS, Term::new(basis.index())))
}

/// Coverage of the chart entities in `set`, counting only the links `filter`'s link
/// dimensions allow (its crime types aside: every crime type gets its row). An entity has at
/// most one link per crime type, so counting links counts entities.
pub fn coverage(data: &Dataset, set: &EntitySet, filter: &Filter) -> Coverage {
    let set = boxes(data, set);
    // Per crime type: [count, mandate, agenda, strong, partial].
    let mut tally = vec![[0usize; 5]; data.crimes().len()];
    let (mut with_any, mut with_strong) = (0, 0);
    for i in set.iter() {
        let (mut any, mut strong) = (false, false);
        for link in data.links_of(i).filter(|l| filter.counts(l)) {
            let row = &mut tally[link.crime().index()];
            row[0] += 1;
            row[1 + link.basis().index()] += 1;
            row[3 + link.grade().index()] += 1;
            any = true;
            strong |= link.grade() == Grade::Strong;
        }
        with_any += usize::from(any);
        with_strong += usize::from(strong);
    }
    let entities = set.len();
    let crimes = data
        .crimes()
        .iter()
        .zip(tally)
        .map(
            |((_, ct), [count, mandate, agenda, strong, partial])| CrimeCoverage {
                id: ct.id.clone(),
                label: ct.label.clone(),
                short_label: ct.short_label.clone(),
                count,
                mandate,
                agenda,
                strong,
                partial,
                share: share(count, entities),
            },
        )
        .collect();
    Coverage {
        entities,
        with_any,
        with_strong,
        share: share(with_any, entities),
        crimes,
    }
}

/// `matrix[a][b]`: how many chart boxes of `set` work on both crime types `a` and `b` (the
/// diagonal is each crime type's own count, the same as [`coverage`]'s). Indexed by crime
/// type.
pub fn co_occurrence(data: &Dataset, set: &EntitySet, filter: &Filter) -> Vec<Vec<usize>> {
    let set = boxes(data, set);
    let per_crime: Vec<EntitySet> = data
        .crimes()
        .terms()
        .map(|c| working_on(data, &set, filter, Some(c), None))
        .collect();
    per_crime
        .iter()
        .map(|a| per_crime.iter().map(|b| a.intersection(b).len()).collect())
        .collect()
}

/// How many entities of `set` fall into each value of a dimension (pillar, organ,
/// category), in the dimension's order, with the values that have none left out.
pub fn breakdown<T: Copy>(
    values: impl IntoIterator<Item = T>,
    set: &EntitySet,
    members: impl Fn(T) -> EntitySet,
) -> Vec<(T, usize)> {
    values
        .into_iter()
        .map(|v| (v, set.intersection(members(v)).len()))
        .filter(|&(_, n)| n > 0)
        .collect()
}

/// A share as a whole percentage rounded down, the way the report states its figures
/// (38 of 102 is "37 per cent").
pub fn percent_floor(share: f64) -> u32 {
    // Shares are in [0, 1]; the small epsilon keeps exact fractions like 0.29 from
    // flooring to 28 through binary rounding.
    ((share * 100.0) + 1e-9).floor() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn breakdown_counts_members_and_drops_empty_values() {
        let set: EntitySet = [0, 1, 2, 5].into_iter().collect();
        let evens: EntitySet = [0, 2, 4].into_iter().collect();
        let odds: EntitySet = [1, 3, 5].into_iter().collect();
        let got = breakdown([0, 1, 2], &set, |v| match v {
            0 => evens.clone(),
            1 => odds.clone(),
            _ => EntitySet::EMPTY,
        });
        assert_eq!(got, vec![(0, 2), (1, 2)]);
    }

    #[test]
    fn percent_floor_truncates_like_the_report() {
        assert_eq!(percent_floor(38.0 / 102.0), 37);
        assert_eq!(percent_floor(21.0 / 102.0), 20);
        assert_eq!(percent_floor(0.29), 29);
        assert_eq!(percent_floor(1.0), 100);
        assert_eq!(percent_floor(0.0), 0);
    }
}
