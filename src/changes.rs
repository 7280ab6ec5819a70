//! What changed between two editions, crime type by crime type: each edition's coverage of
//! its own chart, the entities that started and stopped working on the crime type (followed
//! across renamings, mergers and splits through the lineage), and the lineage itself.
//!
//! A later edition may be a first reading: an entity with a link in the earlier edition and
//! none in the later one is "stopped" only where the later edition's searches record that
//! nothing was found; otherwise the change says it was not examined, or that the entity
//! closed.

use std::collections::HashSet;
use std::sync::Arc;

use crate::dataset::{CRIME, Dataset, Lineage, Outcome, Term};
use crate::query::Filter;
use crate::stats::{self, CrimeCoverage};

/// The two editions compared: the one asked for and the one before it (or, for the first
/// edition, the one after it).
pub struct Pair {
    pub before: Arc<Dataset>,
    pub after: Arc<Dataset>,
}

impl Pair {
    /// The pair `data`'s edition belongs to, if the data has another edition.
    pub fn of(data: &Dataset) -> Option<Pair> {
        let editions = data.editions();
        let here = editions.iter().position(|e| e.id == data.edition().id)?;
        let (before, after) = if here == 0 { (0, 1) } else { (here - 1, here) };
        let get = |i: usize| editions.get(i).and_then(|e| data.in_edition(&e.id));
        Some(Pair {
            before: get(before)?,
            after: get(after)?,
        })
    }
}

/// Why an entity's work on a crime type is not in the later edition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gone {
    /// The entity, and anything it became, is not in the later edition.
    Closed,
    /// What it became was searched in the later edition, and nothing was found.
    NotFound,
    /// What it became was not examined for the later edition yet.
    NotExamined,
}

impl Gone {
    pub fn as_str(self) -> &'static str {
        match self {
            Gone::Closed => "closed",
            Gone::NotFound => "not-found",
            Gone::NotExamined => "not-examined",
        }
    }

    /// What it says of the entity's work, as a heading.
    pub fn label(self) -> &'static str {
        match self {
            Gone::Closed => "No longer in the UN System chart",
            Gone::NotFound => "Not found again: searched, no evidence of the later period found",
            Gone::NotExamined => "Not yet examined for the later edition",
        }
    }
}

/// An entity whose work on a crime type changed: its id in the edition it is counted in,
/// and its counterparts in the other edition (itself, or what it was or became).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shift {
    pub entity: String,
    pub counterparts: Vec<String>,
}

/// One crime type's change.
pub struct CrimeChange {
    pub crime: Term,
    pub before: CrimeCoverage,
    pub after: CrimeCoverage,
    /// Entities of the later edition with a link on it whose counterparts in the earlier one
    /// had none (or that have no counterpart: created since).
    pub started: Vec<Shift>,
    /// Entities of the earlier edition with a link on it whose counterparts in the later one
    /// have none, with why.
    pub stopped: Vec<(Shift, Gone)>,
    /// Entities with a link on it in both.
    pub continued: usize,
}

/// What changed between the editions of a pair, for a selection.
pub struct Changes {
    /// Chart boxes of each edition in the selection.
    pub before_entities: usize,
    pub after_entities: usize,
    /// Per crime type selected (every crime type when none is), in vocabulary order.
    pub crimes: Vec<CrimeChange>,
}

/// The changes between `pair`'s editions among the entities `filter` selects, counting the
/// links its link dimensions allow; its crime types choose the rows.
pub fn changes(pair: &Pair, filter: &Filter) -> Changes {
    let entities_only = filter.with(CRIME, []);
    let before = side(&pair.before, &entities_only);
    let after = side(&pair.after, &entities_only);
    let before_cov = stats::coverage(&pair.before, &before, &entities_only);
    let after_cov = stats::coverage(&pair.after, &after, &entities_only);
    let wanted = filter.crimes();
    let in_vain = searched_in_vain(&pair.after);
    let crimes = pair
        .after
        .crimes()
        .iter()
        .map(|(term, _)| term)
        .filter(|t| wanted.is_empty() || wanted.contains(t))
        .map(|crime| {
            let has = |data: &Dataset, id: &str| {
                data.entity(id).is_some_and(|(i, _)| {
                    data.link(i, crime).is_some_and(|l| entities_only.counts(l))
                })
            };
            let mut started = Vec::new();
            let mut continued = 0;
            for i in after.iter() {
                let id = pair.after.entities()[i].id.as_str();
                if !has(&pair.after, id) {
                    continue;
                }
                let counterparts = counterparts(&pair.after, id, &pair.before, Direction::Back);
                if counterparts.iter().any(|c| has(&pair.before, c)) {
                    continued += 1;
                } else {
                    started.push(Shift {
                        entity: id.to_owned(),
                        counterparts,
                    });
                }
            }
            let mut stopped = Vec::new();
            for i in before.iter() {
                let id = pair.before.entities()[i].id.as_str();
                if !has(&pair.before, id) {
                    continue;
                }
                let counterparts = counterparts(&pair.before, id, &pair.after, Direction::Forward);
                if counterparts.iter().any(|c| has(&pair.after, c)) {
                    continue;
                }
                let gone = gone(&in_vain, &counterparts, crime);
                stopped.push((
                    Shift {
                        entity: id.to_owned(),
                        counterparts,
                    },
                    gone,
                ));
            }
            CrimeChange {
                crime,
                before: before_cov.crimes[crime.index()].clone(),
                after: after_cov.crimes[crime.index()].clone(),
                started,
                stopped,
                continued,
            }
        })
        .collect();
    Changes {
        before_entities: before_cov.entities,
        after_entities: after_cov.entities,
        crimes,
    }
}

/// The chart boxes of `data` that `filter` selects.
fn side(data: &Dataset, filter: &Filter) -> crate::dataset::EntitySet {
    filter.select(data).intersection(&data.index().counted)
}

/// Which way through the lineage.
#[derive(Clone, Copy)]
enum Direction {
    /// From a later entity to what it was.
    Back,
    /// From an earlier entity to what it became.
    Forward,
}

/// The entities of `other` that entity `id` of `data` is (the same id) or was or became,
/// following the lineage through entities neither edition has; sorted.
fn counterparts(data: &Dataset, id: &str, other: &Dataset, direction: Direction) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let mut seen: Vec<String> = vec![id.to_owned()];
    let mut queue: Vec<String> = vec![id.to_owned()];
    while let Some(current) = queue.pop() {
        if other.entity(&current).is_some() {
            found.push(current);
            continue;
        }
        for row in data.lineage() {
            let (near, far) = match direction {
                Direction::Back => (&row.to, &row.from),
                Direction::Forward => (&row.from, &row.to),
            };
            let (Some(near), Some(far)) = (near, far) else {
                continue;
            };
            if near.id() == current && !seen.iter().any(|s| s == far.id()) {
                seen.push(far.id().to_owned());
                queue.push(far.id().to_owned());
            }
        }
    }
    found.sort();
    found
}

/// The entities `after`'s searches record as searched in vain for a crime type, in that
/// edition: read once for a whole comparison, not once per entity (at 10,000 entities the
/// searches have 100,000 rows, and `/changes` took 7.7 s).
fn searched_in_vain(after: &Dataset) -> HashSet<(&str, Term)> {
    let edition = after.edition().id.as_str();
    after
        .searches()
        .iter()
        .filter(|s| s.edition.id() == edition && s.outcome == Outcome::NotFound)
        .map(|s| (s.entity.id(), s.crime.term()))
        .collect()
}

/// Why `counterparts` (entities of the later edition) have no link on `crime`: none exists,
/// or what that edition's searches record for them (not found if any was searched in vain:
/// see [`searched_in_vain`]).
fn gone(in_vain: &HashSet<(&str, Term)>, counterparts: &[String], crime: Term) -> Gone {
    if counterparts.is_empty() {
        Gone::Closed
    } else if counterparts
        .iter()
        .any(|c| in_vain.contains(&(c.as_str(), crime)))
    {
        Gone::NotFound
    } else {
        Gone::NotExamined
    }
}

/// The lineage rows between two editions: every row, in date order (the lineage table holds
/// only changes between editions).
pub fn lineage(data: &Dataset) -> Vec<&Lineage> {
    let mut rows: Vec<&Lineage> = data.lineage().iter().collect();
    rows.sort_by_key(|l| l.date);
    rows
}
