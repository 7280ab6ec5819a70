//! The plain types of the data model: what a row of each CSV file means once it has been
//! parsed and checked. Nothing here reads files or knows about HTTP.

use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};

/// A value outside a closed vocabulary: names what was given and every accepted value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", describe(self))]
pub struct UnknownValue {
    /// What kind of value it should have been ("crime type", "pillar", ...).
    pub kind: &'static str,
    /// The text that was given.
    pub given: String,
    /// Every accepted spelling, in display order.
    pub expected: Vec<&'static str>,
}

fn describe(e: &UnknownValue) -> String {
    match e.expected.as_slice() {
        [only] => format!("invalid {} '{}' (expected {only})", e.kind, e.given),
        all => format!(
            "unknown {} '{}' (expected one of: {})",
            e.kind,
            e.given,
            all.join(", ")
        ),
    }
}

/// Declares a closed vocabulary: an enum whose values are written as fixed slugs in the
/// data files and URLs, with `ALL`, `as_str`, `FromStr`, `Display` and `Serialize`.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident, $kind:literal { $($(#[$vmeta:meta])* $variant:ident => $slug:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            /// Every value, in the order the vocabulary declares them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// What kind of value this is, for error messages.
            pub const KIND: &'static str = $kind;

            /// The slug used in the data files and URLs.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $slug),+ }
            }

            /// Position in `ALL`, for indexing per-value tables.
            pub fn index(self) -> usize {
                self as usize
            }

            /// Every accepted slug, for error messages and help texts.
            pub fn slugs() -> Vec<&'static str> {
                Self::ALL.iter().map(|v| v.as_str()).collect()
            }
        }

        impl FromStr for $name {
            type Err = UnknownValue;
            fn from_str(s: &str) -> Result<Self, UnknownValue> {
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str() == s)
                    .ok_or_else(|| UnknownValue { kind: $kind, given: s.to_owned(), expected: Self::slugs() })
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}

vocabulary! {
    /// The six crime types the report reviewed.
    CrimeId, "crime type" {
        HumanTrafficking => "human-trafficking",
        IllicitDrugs => "illicit-drugs",
        EnvironmentalCrime => "environmental-crime",
        Cybercrime => "cybercrime",
        FinancialCrime => "financial-crime",
        ArmsTrafficking => "arms-trafficking",
    }
}

vocabulary! {
    /// The three pillars of the UN's work.
    Pillar, "pillar" {
        PeaceSecurity => "peace-security",
        HumanRights => "human-rights",
        Development => "development",
    }
}

vocabulary! {
    /// The principal organ an entity sits under on the UN System chart.
    Organ, "organ" {
        GeneralAssembly => "general-assembly",
        SecurityCouncil => "security-council",
        Ecosoc => "ecosoc",
        Secretariat => "secretariat",
        Icj => "icj",
        TrusteeshipCouncil => "trusteeship-council",
    }
}

vocabulary! {
    /// The box an entity sits in on the UN System chart. The data files may write either
    /// the slug or the chart's label ("Funds and Programmes").
    Category, "category" {
        PrincipalOrgans => "principal-organs",
        SubsidiaryOrgans => "subsidiary-organs",
        FundsAndProgrammes => "funds-and-programmes",
        ResearchAndTraining => "research-and-training",
        OtherEntities => "other-entities",
        RelatedOrganizations => "related-organizations",
        FunctionalCommissions => "functional-commissions",
        RegionalCommissions => "regional-commissions",
        OtherBodies => "other-bodies",
        SpecializedAgencies => "specialized-agencies",
        DepartmentsAndOffices => "departments-and-offices",
    }
}

vocabulary! {
    /// Why a link exists: an explicit mandate from a UN governing body, or a working agenda.
    Basis, "basis" {
        Mandate => "mandate",
        Agenda => "agenda",
    }
}

vocabulary! {
    /// Where a link's evidence comes from.
    Provenance, "provenance" {
        /// The report states it; the link carries a verbatim quote.
        Report => "report",
        /// Established from elsewhere; the link names its source.
        Compiled => "compiled",
    }
}

vocabulary! {
    /// An entity's part in a coordination group.
    Role, "role" {
        Lead => "lead",
        Member => "member",
    }
}

impl Organ {
    /// The organ's name as the UN System chart writes it.
    pub fn label(self) -> &'static str {
        match self {
            Organ::GeneralAssembly => "General Assembly",
            Organ::SecurityCouncil => "Security Council",
            Organ::Ecosoc => "Economic and Social Council",
            Organ::Secretariat => "Secretariat",
            Organ::Icj => "International Court of Justice",
            Organ::TrusteeshipCouncil => "Trusteeship Council",
        }
    }
}

impl Pillar {
    /// The pillar's name for display.
    pub fn label(self) -> &'static str {
        match self {
            Pillar::PeaceSecurity => "Peace and security",
            Pillar::HumanRights => "Human rights",
            Pillar::Development => "Development",
        }
    }
}

impl Category {
    /// The box's label as the UN System chart writes it.
    pub fn label(self) -> &'static str {
        match self {
            Category::PrincipalOrgans => "Principal Organs",
            Category::SubsidiaryOrgans => "Subsidiary Organs",
            Category::FundsAndProgrammes => "Funds and Programmes",
            Category::ResearchAndTraining => "Research and Training",
            Category::OtherEntities => "Other Entities",
            Category::RelatedOrganizations => "Related Organizations",
            Category::FunctionalCommissions => "Functional Commissions",
            Category::RegionalCommissions => "Regional Commissions",
            Category::OtherBodies => "Other Bodies",
            Category::SpecializedAgencies => "Specialized Agencies",
            Category::DepartmentsAndOffices => "Departments and Offices",
        }
    }

    /// Parses the slug or the label, ignoring case ("Funds and Programmes",
    /// "funds-and-programmes").
    pub fn parse_loose(s: &str) -> Result<Self, UnknownValue> {
        let wanted = s.trim().to_lowercase();
        Self::ALL
            .iter()
            .copied()
            .find(|c| c.as_str() == wanted || c.label().to_lowercase() == wanted)
            .ok_or_else(|| UnknownValue {
                kind: Self::KIND,
                given: s.to_owned(),
                expected: Self::slugs(),
            })
    }
}

impl Basis {
    /// The basis's name for display.
    pub fn label(self) -> &'static str {
        match self {
            Basis::Mandate => "Mandate",
            Basis::Agenda => "Working agenda",
        }
    }
}

/// One of the six crime types, as described in `crime_types.csv`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CrimeType {
    pub id: CrimeId,
    pub label: String,
    pub short_label: String,
    pub description: String,
}

/// One entity of the UN System, as described in `entities.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct Entity {
    pub id: String,
    pub acronym: String,
    pub name: String,
    pub organ: Organ,
    pub category: Category,
    pub pillars: Vec<Pillar>,
    pub website: String,
    pub summary: String,
    pub notes: String,
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
    pub crime: CrimeId,
    pub basis: Basis,
    pub summary: String,
    pub evidence: Evidence,
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
    pub crimes: Vec<CrimeId>,
    pub quote: String,
    pub notes: String,
    pub members: Vec<Member>,
}
