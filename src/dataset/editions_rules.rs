//! The rules between the editions' files (see [`rules`](super::rules)), each problem located
//! at the row that must change.

use std::collections::{HashMap, HashSet};

use super::codes::{Grade, LineageKind, Outcome, Provenance};
use super::loading::Loading;
use super::model::{Edition, Lineage, Link, Search, Tables};
use super::vocab::Term;

/// Checks the rules of the editions, their links, lineage and searches.
pub fn check(loading: &mut Loading, tables: &Tables) {
    // One default edition, and at most one the report's: a second is reported on its row.
    let mut defaults = 0;
    let mut reports = 0;
    for (i, edition) in tables.editions.iter().enumerate() {
        defaults += usize::from(edition.default);
        reports += usize::from(edition.report);
        if edition.default && defaults > 1 {
            let message = "a second default edition: exactly one row has default=true";
            loading.report::<Edition>(i, "default", message.to_owned());
        }
        if edition.report && reports > 1 {
            let message = "a second edition of the report: at most one row has report=true";
            loading.report::<Edition>(i, "report", message.to_owned());
        }
    }
    if defaults == 0 {
        loading.report_file::<Edition>("no default edition: exactly one row has default=true");
    }
    for (i, link) in tables.links.iter().enumerate() {
        let entity = &tables.entities[link.entity()];
        let edition = &tables.editions[link.edition.index()];
        if !entity.editions.contains(&edition.id) {
            let message = format!(
                "'{}' is not an entity of edition '{}' (its editions: {})",
                entity.id,
                edition.id,
                entity.editions.ids().collect::<Vec<_>>().join(", ")
            );
            loading.report::<Link>(i, "edition", message);
        } else if let Some((column, message)) = period(link, edition) {
            loading.report::<Link>(i, column, message);
        }
    }
    lineage(loading, tables);
    // Every (entity, edition, crime type) with a link, once: each search looks itself up.
    let linked: HashSet<(usize, usize, Term)> = tables
        .links
        .iter()
        .map(|l| (l.entity(), l.edition.index(), l.crime()))
        .collect();
    for (i, search) in tables.searches.iter().enumerate() {
        if let Some((column, message)) = found(tables, &linked, search) {
            loading.report::<Search>(i, column, message);
        }
    }
}

/// A link's evidence falls in its edition's period: nothing earlier than `evidence_from`,
/// and strong evidence no later than `evidence_to` (later evidence makes a link partial).
fn period(link: &Link, edition: &Edition) -> Option<(&'static str, String)> {
    let year = match link.provenance {
        // The report is of 2019.
        Provenance::Report => super::REPORT_YEAR,
        Provenance::Compiled => link.source_year()?,
    };
    if let Some(from) = edition.evidence_from
        && year < from.0
    {
        let column = match link.provenance {
            Provenance::Report => "provenance",
            Provenance::Compiled => "source_year",
        };
        let message = format!(
            "evidence of {year} is earlier than edition '{}' ({} on): cite evidence from its period",
            edition.id, from
        );
        return Some((column, message));
    }
    match edition.evidence_to {
        Some(to) if year > to.0 && link.grade() == Grade::Strong => Some((
            "evidence",
            format!(
                "evidence of {year} is later than edition '{}' (up to {to}): such a link is partial",
                edition.id
            ),
        )),
        _ => None,
    }
}

/// The lineage rows are acyclic and dated in order, and account for every entity that
/// leaves or joins the chart between consecutive editions.
fn lineage(loading: &mut Loading, tables: &Tables) {
    let id = |r: &Option<super::refs::Ref<super::Entity>>| r.as_ref().map(|r| r.id().to_owned());
    // Dated in order, and acyclic: following `to` from a row never comes back to it.
    let next: HashMap<String, Vec<usize>> =
        tables
            .lineage
            .iter()
            .enumerate()
            .fold(HashMap::new(), |mut m, (i, row)| {
                if let Some(from) = id(&row.from) {
                    m.entry(from).or_default().push(i);
                }
                m
            });
    for (i, row) in tables.lineage.iter().enumerate() {
        let mut seen = HashSet::from([i]);
        let mut frontier = vec![i];
        while let Some(k) = frontier.pop() {
            let Some(to) = id(&tables.lineage[k].to) else {
                continue;
            };
            for &n in next.get(&to).into_iter().flatten() {
                if tables.lineage[n].date < tables.lineage[k].date && k == i {
                    let message = format!(
                        "{} follows from this row but is dated {} (before {})",
                        to,
                        tables.lineage[n].date.iso(),
                        row.date.iso()
                    );
                    loading.report::<Lineage>(n, "date", message);
                }
                if n == i {
                    loading.report::<Lineage>(
                        i,
                        "to",
                        "the lineage comes back to this row: it must not form a circle".to_owned(),
                    );
                    frontier.clear();
                    break;
                }
                if seen.insert(n) {
                    frontier.push(n);
                }
            }
        }
        if let Some(problem) = kind_sides(row) {
            loading.report::<Lineage>(i, problem.0, problem.1);
        }
    }
    coverage(loading, tables);
}

/// A row's sides fit its kind: a creation has no `from`, a closure no `to`, the others both.
fn kind_sides(row: &Lineage) -> Option<(&'static str, String)> {
    match (row.kind, row.from.is_some(), row.to.is_some()) {
        (LineageKind::Created, true, _) => Some(("from", "a creation has no 'from'".to_owned())),
        (LineageKind::Created, _, false) => {
            Some(("to", "a creation names the entity created".to_owned()))
        }
        (LineageKind::Closed, _, true) => Some(("to", "a closure has no 'to'".to_owned())),
        (LineageKind::Closed, false, _) => {
            Some(("from", "a closure names the entity closed".to_owned()))
        }
        (LineageKind::Created | LineageKind::Closed, ..) => None,
        (kind, false, _) => Some((
            "from",
            format!("a row of kind '{kind}' names the entity before"),
        )),
        (kind, _, false) => Some((
            "to",
            format!("a row of kind '{kind}' names the entity after"),
        )),
        _ => None,
    }
}

/// Every entity that leaves the chart between two consecutive editions is the `from` of a
/// lineage row, and every one that joins it the `to` of one.
fn coverage(loading: &mut Loading, tables: &Tables) {
    let froms: HashSet<&str> = tables
        .lineage
        .iter()
        .filter_map(|r| r.from.as_ref().map(|f| f.id()))
        .collect();
    let tos: HashSet<&str> = tables
        .lineage
        .iter()
        .filter_map(|r| r.to.as_ref().map(|t| t.id()))
        .collect();
    for pair in tables.editions.windows(2) {
        let (before, after) = (&pair[0].id, &pair[1].id);
        for (i, e) in tables.entities.iter().enumerate() {
            let (was, is) = (e.editions.contains(before), e.editions.contains(after));
            let problem = match (was, is) {
                (true, false) if !froms.contains(e.id.as_str()) => format!(
                    "'{}' is in edition '{before}' but not in '{after}': lineage.csv must say what became of it (closed, merged, renamed or split)",
                    e.id
                ),
                (false, true) if !tos.contains(e.id.as_str()) => format!(
                    "'{}' joins the chart in edition '{after}': lineage.csv must say where it came from (created, renamed, split or merged)",
                    e.id
                ),
                _ => continue,
            };
            loading.report::<super::Entity>(i, "editions", problem);
        }
    }
}

/// A search found a link exactly where its edition has one, about an entity of the edition.
fn found(
    tables: &Tables,
    links: &HashSet<(usize, usize, Term)>,
    search: &Search,
) -> Option<(&'static str, String)> {
    let edition = &tables.editions[search.edition.index()];
    let entity = &tables.entities[search.entity.index()];
    if !entity.editions.contains(&edition.id) {
        return Some((
            "entity",
            format!(
                "'{}' is not an entity of edition '{}'",
                entity.id, edition.id
            ),
        ));
    }
    let linked = links.contains(&(
        search.entity.index(),
        search.edition.index(),
        search.crime.term(),
    ));
    match (search.outcome, linked) {
        (Outcome::Link, false) => Some((
            "outcome",
            format!(
                "says 'link', but links.csv has no link of '{}' on this crime type in edition '{}'",
                entity.id, edition.id
            ),
        )),
        (Outcome::NotFound | Outcome::NotExamined, true) => Some((
            "outcome",
            format!(
                "says '{}', but links.csv has the link in edition '{}': make it 'link'",
                search.outcome, edition.id
            ),
        )),
        (Outcome::NotFound, false) if search.searched.is_empty() => Some((
            "searched",
            "a search that found nothing says what was searched".to_owned(),
        )),
        _ => None,
    }
}
