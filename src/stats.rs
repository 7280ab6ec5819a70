//! Numbers computed from a set of entities: coverage per crime type. Pure functions over an
//! [`EntitySet`]; nothing here parses input or formats output.

use serde::Serialize;

use crate::dataset::{Basis, CrimeId, Dataset, EntitySet};

/// How many entities of a set work on each crime type.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coverage {
    /// The size of the set the shares are taken of.
    pub entities: usize,
    /// How many of them work on at least one crime type.
    pub with_any: usize,
    /// `with_any / entities` (0 when the set is empty).
    pub share: f64,
    /// One row per crime type, in canonical order.
    pub crimes: Vec<CrimeCoverage>,
}

/// One crime type's row of [`Coverage`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CrimeCoverage {
    pub id: CrimeId,
    pub label: String,
    /// Entities of the set with a link on this crime type (of the counted basis).
    pub count: usize,
    /// Of `count`, those whose link is an explicit mandate.
    pub mandate: usize,
    /// Of `count`, those whose link is a working agenda.
    pub agenda: usize,
    /// `count / entities` (0 when the set is empty).
    pub share: f64,
}

fn share(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// Coverage of `set`, counting links of `basis` only (or of either basis with `None`).
pub fn coverage(data: &Dataset, set: EntitySet, basis: Option<Basis>) -> Coverage {
    let index = data.index();
    let entities = set.len();
    let with_any = set.intersection(index.any_crime(basis)).len();
    let crimes = data
        .crime_types()
        .iter()
        .map(|ct| {
            let count_of = |b: Basis| -> usize {
                if basis.is_some_and(|wanted| wanted != b) {
                    0
                } else {
                    set.intersection(index.crime(ct.id, Some(b))).len()
                }
            };
            let (mandate, agenda) = (count_of(Basis::Mandate), count_of(Basis::Agenda));
            let count = mandate + agenda;
            CrimeCoverage {
                id: ct.id,
                label: ct.label.clone(),
                count,
                mandate,
                agenda,
                share: share(count, entities),
            }
        })
        .collect();
    Coverage {
        entities,
        with_any,
        share: share(with_any, entities),
        crimes,
    }
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
    fn percent_floor_truncates_like_the_report() {
        assert_eq!(percent_floor(38.0 / 102.0), 37);
        assert_eq!(percent_floor(21.0 / 102.0), 20);
        assert_eq!(percent_floor(0.29), 29);
        assert_eq!(percent_floor(1.0), 100);
        assert_eq!(percent_floor(0.0), 0);
    }
}
