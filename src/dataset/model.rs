//! The plain types of the data model: what a row of each CSV file means once it has been
//! parsed and checked. Nothing here reads files or knows about HTTP.
//!
//! An entity's and a link's values in the filter dimensions (organ, pillars, crime type,
//! basis, ...) are kept as [`Terms`], one list per dimension of [`DIMENSIONS`], so that a
//! new dimension needs no new field here.
//!
//! [`DIMENSIONS`]: super::dimension::DIMENSIONS

use super::dimension::{BASIS, CATEGORY, CRIME, Dim, EVIDENCE, ORGAN, PILLAR};
use super::vocab::Term;
use crate::vocabulary;

vocabulary! {
    /// Why a link exists: an explicit mandate from a UN governing body, or a working agenda.
    Basis, "basis" {
        Mandate => "mandate", "Mandate",
        Agenda => "agenda", "Working agenda",
    }
}

vocabulary! {
    /// How well a link's evidence supports it.
    Grade, "evidence grade" {
        /// The quote or source states the entity's own work on the crime type, dated 2019
        /// or earlier.
        Strong => "strong", "Strong evidence",
        /// Indirect: a partnership, a membership, an event, one mention in a list, a
        /// co-mention in the report, or evidence dated after 2019.
        Partial => "partial", "Partial evidence",
    }
}

vocabulary! {
    /// What a figure the report states counts.
    Unit, "unit" {
        Count => "count", "Count",
        Percent => "percent", "Per cent",
    }
}

vocabulary! {
    /// Where a link's evidence comes from.
    Provenance, "provenance" {
        /// The report states it; the link carries a verbatim quote.
        Report => "report", "The report",
        /// Established from elsewhere; the link names its source.
        Compiled => "compiled", "Compiled",
    }
}

vocabulary! {
    /// An entity's part in a coordination group.
    Role, "role" {
        Lead => "lead", "Lead",
        Member => "member", "Member",
    }
}

/// A row's values in every filter dimension: `values[d]` lists the terms of dimension `d`
/// (empty for the dimensions of the other kind of row).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Terms(pub Vec<Vec<Term>>);

impl Terms {
    /// The terms of dimension `dim`, in the vocabulary's order.
    pub fn get(&self, dim: Dim) -> &[Term] {
        self.0.get(dim.0).map_or(&[], Vec::as_slice)
    }

    /// The one term of a single-valued dimension.
    fn one(&self, dim: Dim) -> Term {
        // The loader gives every single-valued dimension exactly one term.
        self.get(dim)[0]
    }
}

/// One entity of the UN System, as described in `entities.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct Entity {
    pub id: String,
    pub acronym: String,
    pub name: String,
    /// Its values in the entity dimensions (organ, category, pillars, ...).
    pub values: Terms,
    /// For a body the chart does not draw as a box (CTED, INCB): the position of the chart
    /// entity it belongs to or is served by. Such bodies are never counted in shares of
    /// the UN System.
    pub parent: Option<usize>,
    pub website: String,
    pub summary: String,
    pub notes: String,
}

impl Entity {
    /// The principal organ it sits under on the chart.
    pub fn organ(&self) -> Term {
        self.values.one(ORGAN)
    }

    /// Its box on the chart.
    pub fn category(&self) -> Term {
        self.values.one(CATEGORY)
    }

    /// Its pillars.
    pub fn pillars(&self) -> &[Term] {
        self.values.get(PILLAR)
    }
}

/// The evidence behind a link: a quote from the report, or a named source.
#[derive(Debug, Clone, PartialEq)]
pub enum Evidence {
    /// A verbatim sentence or clause from the report.
    Report { quote: String },
    /// The entity's official page, a founding resolution or a UN document symbol.
    Compiled { source: String },
}

impl Evidence {
    /// Which kind of evidence this is.
    pub fn provenance(&self) -> Provenance {
        match self {
            Evidence::Report { .. } => Provenance::Report,
            Evidence::Compiled { .. } => Provenance::Compiled,
        }
    }

    /// The report's words, for a link the report states.
    pub fn quote(&self) -> Option<&str> {
        match self {
            Evidence::Report { quote } => Some(quote),
            Evidence::Compiled { .. } => None,
        }
    }

    /// The named source, for a compiled link.
    pub fn source(&self) -> Option<&str> {
        match self {
            Evidence::Report { .. } => None,
            Evidence::Compiled { source } => Some(source),
        }
    }
}

/// An entity's work on one crime type, as described in `links.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// Position of the entity in `Dataset::entities`.
    pub entity: usize,
    /// Its values in the link dimensions (crime type, basis, evidence grade): one term each.
    pub values: Terms,
    /// For a mandate: the governing body's decision (resolution or decision symbols).
    pub mandate_source: String,
    /// For a compiled link: the year of the evidence cited.
    pub source_year: Option<u16>,
    pub summary: String,
    pub evidence: Evidence,
    pub notes: String,
}

impl Link {
    /// The crime type it is about.
    pub fn crime(&self) -> Term {
        self.values.one(CRIME)
    }

    /// Its basis: a mandate or a working agenda.
    pub fn basis(&self) -> Basis {
        Basis::ALL[self.values.one(BASIS).index()]
    }

    /// How well its evidence supports it.
    pub fn grade(&self) -> Grade {
        Grade::ALL[self.values.one(EVIDENCE).index()]
    }
}

/// A figure the report states, with its words, from `report_figures.csv`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ReportFigure {
    pub id: String,
    pub label: String,
    pub value: f64,
    pub unit: Unit,
    /// The crime type it is about, if one.
    #[serde(skip)]
    pub crime: Option<Term>,
    /// The report's verbatim words stating (or, for a count the label calls implied,
    /// implying) it.
    pub quote: String,
    /// Why the evidence here differs from it, for the per-crime counts.
    pub notes: String,
}

/// An entity's place in a coordination group.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// Position of the entity in `Dataset::entities`.
    pub entity: usize,
    pub role: Role,
    /// `Report`: the group's quote names it; `Compiled`: `source` says where it is stated.
    pub provenance: Provenance,
    /// The page or document that lists the member (empty for `Report`).
    pub source: String,
}

/// An inter-agency coordination body the report names, from `groups.csv` and
/// `group_members.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub id: String,
    pub name: String,
    pub acronym: String,
    pub crimes: Vec<Term>,
    pub quote: String,
    pub notes: String,
    pub members: Vec<Member>,
}

/// The year the report was published: what is dated later is not in its picture, and is
/// shown apart from it.
pub const REPORT_YEAR: u16 = 2019;

/// A date as precise as its source: a year, a month of a year, or a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    pub year: u16,
    /// 1 to 12.
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl PartialDate {
    /// The date as written in the data: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub fn iso(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{:04}-{m:02}-{d:02}", self.year),
            (Some(m), None) => format!("{:04}-{m:02}", self.year),
            _ => format!("{:04}", self.year),
        }
    }

    /// Where the date falls in its year, from 0 (1 January, or a date given as a year
    /// alone) to just under 1, for placing it on a time axis.
    pub fn fraction_of_year(&self) -> f64 {
        let month = f64::from(self.month.map_or(0, |m| m - 1));
        let day = f64::from(self.day.map_or(0, |d| d - 1));
        (month + day / 31.0) / 12.0
    }
}

impl std::str::FromStr for PartialDate {
    type Err = String;

    fn from_str(s: &str) -> Result<PartialDate, String> {
        let invalid = || format!("'{s}' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD");
        let mut parts = s.split('-');
        let year: u16 = parts
            .next()
            .filter(|y| y.len() == 4)
            .and_then(|y| y.parse().ok())
            .ok_or_else(invalid)?;
        let mut part = |len: usize| -> Result<Option<u8>, String> {
            parts
                .next()
                .map(|p| {
                    p.parse()
                        .ok()
                        .filter(|_| p.len() == len)
                        .ok_or_else(invalid)
                })
                .transpose()
        };
        let (month, day) = (part(2)?, part(2)?);
        if parts.next().is_some() {
            return Err(invalid());
        }
        let month_of_year = month
            .map(|m| time::Month::try_from(m).map_err(|_| format!("'{s}': no month {m}")))
            .transpose()?;
        if let (Some(m), Some(d)) = (month_of_year, day) {
            time::Date::from_calendar_date(i32::from(year), m, d)
                .map_err(|_| format!("'{s}': {m} {year} has no day {d}"))?;
        }
        Ok(PartialDate { year, month, day })
    }
}

impl std::fmt::Display for PartialDate {
    /// "16 February 1946", "February 1946" or "1946".
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let month = self.month.and_then(|m| time::Month::try_from(m).ok());
        match (month, self.day) {
            (Some(m), Some(d)) => write!(f, "{d} {m} {}", self.year),
            (Some(m), None) => write!(f, "{m} {}", self.year),
            _ => write!(f, "{}", self.year),
        }
    }
}

vocabulary! {
    /// What an instrument or body of the report's Figure 2 is.
    InstrumentKind, "instrument type" {
        Convention => "convention", "Convention",
        Protocol => "protocol", "Protocol",
        Commission => "commission", "Commission",
        Board => "board", "Board",
        Office => "office", "Office",
    }
}

/// A convention, protocol, commission, board or office of the UN's crime and drug regimes
/// (the report's Figure 2, rebuilt), from `instruments.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct Instrument {
    pub id: String,
    pub name: String,
    pub short_name: String,
    pub kind: InstrumentKind,
    /// Adopted (an instrument) or established (a body), as precisely as the source says.
    pub date: PartialDate,
    /// The symbol of the adopting or establishing decision; empty for a treaty adopted by a
    /// conference.
    pub adopting_decision: String,
    pub crimes: Vec<Term>,
    /// Position of the entity it is, if it is one (a commission, a board, an office).
    pub entity: Option<usize>,
    /// Position of the entity serving as its secretariat, if one.
    pub secretariat: Option<usize>,
    /// Dated after the report: shown apart from the report's picture.
    pub later_than_report: bool,
    /// The report's words naming it; empty where the report does not (it was added to the
    /// reconstruction from the sources).
    pub report_quote: String,
    pub source: String,
    pub notes: String,
}

vocabulary! {
    /// What kind of special procedure of the Human Rights Council a mandate is.
    MandateKind, "mandate type" {
        SpecialRapporteur => "special-rapporteur", "Special Rapporteur",
        IndependentExpert => "independent-expert", "Independent Expert",
        WorkingGroup => "working-group", "Working Group",
    }
}

/// A special procedures mandate of the Human Rights Council whose work up to 2019 touches
/// the crime types (the report's Figure 4, rebuilt), from `special_procedures.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct SpecialProcedure {
    pub id: String,
    pub title: String,
    pub short_title: String,
    pub kind: MandateKind,
    /// The year the mandate was first established, if a source says.
    pub established: Option<u16>,
    /// The resolution or decision that established it; empty if not confirmed.
    pub establishing_resolution: String,
    pub crimes: Vec<Term>,
    /// Those of `crimes` whose evidence is partial (indirect, or an unconfirmed symbol).
    pub partial: Vec<Term>,
    /// The report's words naming it, if it does.
    pub report_quote: String,
    /// Position of the entity that appoints its holders (the Human Rights Council).
    pub appointed_by: usize,
    /// Position of the entity that supports it (OHCHR).
    pub supported_by: usize,
    pub source: String,
    pub notes: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_dates_parse_check_the_calendar_and_print() {
        let d: PartialDate = "1946-02-16".parse().unwrap();
        assert_eq!(d.to_string(), "16 February 1946");
        assert_eq!(d.iso(), "1946-02-16");
        assert_eq!("1992".parse::<PartialDate>().unwrap().to_string(), "1992");
        assert_eq!(
            "1946-02".parse::<PartialDate>().unwrap().to_string(),
            "February 1946"
        );
        assert!("2000-02-29".parse::<PartialDate>().is_ok(), "a leap day");
        for bad in [
            "1900-02-29",
            "2001-13",
            "2001-04-31",
            "20011",
            "2001-1-01",
            "x",
            "2001-01-01-01",
            "",
        ] {
            assert!(bad.parse::<PartialDate>().is_err(), "{bad}");
        }
        assert!(d < "1946-03".parse().unwrap());
    }
}
