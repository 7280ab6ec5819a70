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
