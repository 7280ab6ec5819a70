//! The rules between files, checked once every file has been read and resolved: what one file
//! says must agree with what another says of the same thing. Each problem is located at the
//! row that must change.
//!
//! - The data has a release (`releases.csv` has a row).
//! - An instrument that is itself an entity (the CND, the CCPCJ, the INCB, UNODC) lists the
//!   crime types of that entity's links in any edition, no more and no fewer.
//! - A special procedure is dated by its first establishment: the year in the symbol of its
//!   establishing resolution (`1987/16`) is its `established` year.
//! - Editions: exactly one is the default; a link names an entity of its edition, and its
//!   evidence falls in the edition's period; the lineage is acyclic, dated in order, and
//!   accounts for every entity that leaves or joins the chart from one edition to the next; a
//!   search found a link exactly where the edition has it.

use super::editions_rules as editions;
use super::loading::Loading;
use super::model::{Instrument, Release, SpecialProcedure, Tables};
use super::vocab::{Term, Vocabulary};

/// Checks every rule between files, reporting each problem through `loading`.
pub fn check(loading: &mut Loading, crimes: &Vocabulary, tables: &Tables) {
    if tables.releases.is_empty() {
        loading.report_file::<Release>("no release: the file needs at least one row");
    }
    for (i, instrument) in tables.instruments.iter().enumerate() {
        if let Some(problem) = instrument_and_links(crimes, tables, instrument) {
            loading.report::<Instrument>(i, "crimes", problem);
        }
    }
    for (i, mandate) in tables.special_procedures.iter().enumerate() {
        if let Some(problem) = established_year(mandate) {
            loading.report::<SpecialProcedure>(i, "established", problem);
        }
    }
    editions::check(loading, tables);
}

/// An instrument that is an entity has the crime types of that entity's links in the first
/// edition that has the entity (the timeline draws it as first mapped).
fn instrument_and_links(crimes: &Vocabulary, tables: &Tables, i: &Instrument) -> Option<String> {
    let entity = i.entity()?;
    let first = tables
        .editions
        .iter()
        .find(|e| tables.entities[entity].editions.contains(&e.id))?;
    let mut linked: Vec<Term> = tables
        .links
        .iter()
        .filter(|l| l.entity() == entity && l.edition.id() == first.id.as_str())
        .map(|l| l.crime())
        .collect();
    linked.sort();
    linked.dedup();
    if linked.as_slice() == i.crimes.terms() {
        return None;
    }
    let listed = |terms: &[Term]| crimes.ids_of(terms).join(";");
    Some(format!(
        "'{}' is the entity '{}', whose links of edition '{}' in links.csv are on '{}', but this row lists '{}': make the two agree",
        i.id,
        tables.entities[entity].id,
        first.id,
        listed(&linked),
        listed(i.crimes.terms()),
    ))
}

/// The year a resolution symbol carries (`Commission on Human Rights resolution 1987/16` →
/// 1987), if it carries one.
fn symbol_year(symbol: &str) -> Option<u16> {
    symbol
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')')
        .find_map(|word| {
            let (year, number) = word.split_once('/')?;
            let year: u16 = year.parse().ok().filter(|y| (1945..=2100).contains(y))?;
            number.chars().all(|c| c.is_ascii_digit()).then_some(year)
        })
}

/// A special procedure's `established` is the year of the resolution that first established
/// it, when the symbol carries its year.
fn established_year(m: &SpecialProcedure) -> Option<String> {
    let year = symbol_year(&m.establishing_resolution)?;
    match m.established() {
        Some(established) if established == year => None,
        Some(established) => Some(format!(
            "is {established}, but the establishing resolution '{}' is of {year}: a mandate is dated by its first establishment",
            m.establishing_resolution
        )),
        None => Some(format!(
            "is empty, but the establishing resolution '{}' is of {year}",
            m.establishing_resolution
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symbols_carry_their_year() {
        assert_eq!(
            symbol_year("Commission on Human Rights resolution 1987/16"),
            Some(1987)
        );
        assert_eq!(symbol_year("decision 2004/110"), Some(2004));
        assert_eq!(symbol_year("Human Rights Council resolution 7/12"), None);
        assert_eq!(symbol_year("A/RES/55/25"), None);
        assert_eq!(symbol_year(""), None);
    }
}
