//! The data files, one declaration each: a row type of typed cells whose doc comments are the
//! columns' descriptions (see [`table!`](crate::table)). The loader, the codebook check, the
//! data package, the exports and the test fixtures all follow from these declarations and
//! from the list in [`TABLES`]. Adding a file is its CSV, its declaration here, its line in
//! [`tables!`](crate::tables) below, and its section in `data/README.md`.
//!
//! A row's values in the filter dimensions (organ, pillars, crime type, basis, ...) are kept
//! as [`Terms`], one list per dimension of [`DIMENSIONS`](super::DIMENSIONS), so that a new
//! dimension needs no new field here.

use std::sync::Arc;

use super::cell::{Cell, Colour, Date, Digest, Slug, Text, Version, WebAddress, Year};
use super::codes::{
    Basis, Grade, InstrumentKind, LineageKind, MandateKind, Outcome, Provenance, Role, Unit,
};
use super::date::PartialDate;
use super::dimension::{BASIS, CATEGORY, CRIME, Dim, EVIDENCE, ORGAN, PILLAR};
use super::refs::{CrimeType, Crimes, Filled, Ref, Refs};
use super::vocab::{Term, Terms};
use crate::{row, table, tables};

/// The year the report was published: what is dated later is not in its picture, and is
/// shown apart from it.
pub const REPORT_YEAR: u16 = 2019;

table! {
    /// The editions of the data: the UN System at a moment, as a chart draws it, with the
    /// period its evidence falls in
    pub struct Edition in "editions.csv" as "editions" {
        noun: "edition",
        key: ["id"],
        duplicate: |_, k| format!("duplicate edition '{}'", k[0]),
    }
    {
        /// Stable slug, used in URLs (`?edition=2019`) and in the other files
        pub id: Slug,
        /// Its name ("2019: the report's UN System")
        pub label: Text,
        /// A word for switches and chart legends ("2019")
        pub short_label: Text,
        /// The UN System chart it draws the UN System from: document number, date, and how it was read
        pub chart: Text,
        /// The first year its evidence may be dated (empty: no limit)
        pub evidence_from: Option<Year>,
        /// The last year its strong evidence may be dated; later evidence makes a link partial (empty: no limit)
        pub evidence_to: Option<Year>,
        /// Whether the explorer shows it when a request names no edition (exactly one does)
        pub default: bool,
        /// Whether it is the UN System the report reviewed, which the report's figures and the groups and special procedures (compiled for it, not re-examined since) are set beside (at most one is)
        pub report: bool,
        /// What it is and how complete, in a sentence or two
        pub description: Text,
        /// When a second reader last checked the row against its sources (YYYY-MM-DD)
        pub checked: Date,
    }
}

table! {
    /// The entities of the UN System
    pub struct Entity in "entities.csv" as "entities" {
        noun: "entity",
        key: ["id"],
        duplicate: |_, k| format!("duplicate entity id '{}'", k[0]),
        check: Entity::rules,
    }
    {
        /// Stable lower-case slug
        pub id: Slug,
        /// Usual acronym
        pub acronym: Text,
        /// Full English name (2018-2019)
        pub name: Text,
        /// Its values in the entity dimensions (organ, category, pillars, ...)
        pub values: Terms = entity_dimensions,
        /// The editions whose chart draws it (or which list it, for a body within another), `;`-separated
        pub editions: Refs<Edition>,
        /// For a body the chart does not draw as a box: the chart entity it belongs to or is served by (never counted in the denominator); empty for a chart box
        pub parent: Option<Ref<Entity>> = optional,
        /// Official website, empty where none was verified
        pub website: Option<WebAddress>,
        /// One to three sentences on its general mandate
        pub summary: Text,
        /// What the row covers, successor bodies, uncertainty
        pub notes: Arc<str> = optional,
        /// When a second reader last checked the row against its sources (YYYY-MM-DD)
        pub checked: Date,
    }
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

    /// The position of the chart entity it belongs to, for a body the chart does not draw.
    pub fn parent(&self) -> Option<usize> {
        self.parent.as_ref().map(Ref::index)
    }

    /// Its official website, or nothing.
    pub fn website(&self) -> &str {
        self.website.as_deref().unwrap_or_default()
    }

    /// A parent is a chart box: neither the entity itself nor a body with a parent of its own.
    fn rules(&self, rows: &[Entity]) -> Vec<(&'static str, String)> {
        let Some(parent) = &self.parent else {
            return Vec::new();
        };
        let problem = if parent.id() == self.id.as_str() {
            "an entity cannot be its own parent".to_owned()
        } else if rows.get(parent.index()).is_some_and(|p| p.parent.is_some()) {
            format!(
                "'{}' has a parent itself: name the chart box it belongs to",
                parent.id()
            )
        } else {
            return Vec::new();
        };
        vec![("parent", problem)]
    }
}

table! {
    /// Which entity works on which crime type, with evidence
    pub struct Link in "links.csv" as "links" {
        noun: "link",
        key: ["entity", "crime", "edition"],
        duplicate: |_, k| format!("duplicate link: entity '{}' already has a row for '{}' in edition '{}'", k[0], k[1], k[2]),
        check: Link::rules,
    }
    {
        /// An entity id
        pub entity: Ref<Entity>,
        /// The edition it belongs to; its entity is one of that edition's
        pub edition: Ref<Edition>,
        /// Its values in the link dimensions (crime type, basis, evidence grade): one term each
        pub values: Terms = link_dimensions,
        /// For mandate links: the governing body's decision, as resolution or decision symbols with years
        pub mandate_source: Option<Text>,
        /// What the entity does on the crime type
        pub summary: Text,
        /// report: the report states it; compiled: established from elsewhere
        pub provenance: Provenance,
        /// For report links: the report's verbatim words
        pub quote: Option<Text>,
        /// For compiled links: the page or document, with title, issuer, URL or UN document symbol, and date
        pub source: Option<Text>,
        /// For compiled links: the year of the evidence cited
        pub source_year: Option<Year>,
        /// Uncertainty and reasoning; a partial link says why it is partial
        pub notes: Arc<str> = optional,
        /// When a second reader last checked the row against its sources (YYYY-MM-DD)
        pub checked: Date,
    }
}

impl Link {
    /// The position of its entity.
    pub fn entity(&self) -> usize {
        self.entity.index()
    }

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

    /// The report's words, for a link the report states.
    pub fn quote(&self) -> Option<&str> {
        self.quote.as_deref()
    }

    /// The named source, for a compiled link.
    pub fn source(&self) -> Option<&str> {
        self.source.as_deref()
    }

    /// The year of the evidence cited, for a compiled link.
    pub fn source_year(&self) -> Option<u16> {
        self.source_year.map(|y| y.0)
    }

    /// For a mandate, the governing body's decision; otherwise empty.
    pub fn mandate_source(&self) -> &str {
        self.mandate_source.as_deref().unwrap_or_default()
    }

    /// A mandate names its decision; a report link carries a quote, a compiled one a source
    /// and its year; a partial link says why.
    fn rules(&self, _: &[Link]) -> Vec<(&'static str, String)> {
        let mut problems = Vec::new();
        match (self.basis(), self.mandate_source.is_some()) {
            (Basis::Mandate, false) => problems.push((
                "mandate_source",
                "a 'mandate' link names the governing body's decision (a resolution or decision symbol)",
            )),
            (Basis::Agenda, true) => problems.push((
                "mandate_source",
                "an 'agenda' link rests on no governing body's decision: leave it empty, or make the basis 'mandate'",
            )),
            _ => {}
        }
        let (quote, source) = (self.quote.is_some(), self.source.is_some());
        match self.provenance {
            Provenance::Report if !quote => problems.push((
                "quote",
                "a 'report' link needs the report's verbatim quote",
            )),
            Provenance::Compiled if !source => problems.push((
                "source",
                "a 'compiled' link needs its source (official page, founding resolution or UN document symbol)",
            )),
            Provenance::Compiled if quote => problems.push((
                "quote",
                "a 'compiled' link carries a source, not a quote (quotes are for links the report states)",
            )),
            Provenance::Compiled if self.source_year.is_none() => problems.push((
                "source_year",
                "a 'compiled' link gives the year of the evidence it cites",
            )),
            _ => {}
        }
        if self.grade() == Grade::Partial && self.notes.is_empty() {
            problems.push((
                "notes",
                "a 'partial' link says in its notes why the evidence is partial",
            ));
        }
        problems
            .into_iter()
            .map(|(column, message)| (column, message.to_owned()))
            .collect()
    }
}

table! {
    /// The figures the report states, with its words
    pub struct ReportFigure in "report_figures.csv" as "report_figures" {
        noun: "figure",
        key: ["id"],
        duplicate: |_, k| format!("duplicate figure '{}'", k[0]),
    }
    {
        /// Stable lower-case slug
        pub id: Slug,
        /// What the figure counts
        pub label: Text,
        /// The figure, a number
        pub value: f64,
        /// count or percent
        pub unit: Unit,
        /// The crime type it is about, if one
        pub crime: Option<CrimeType>,
        /// The report's verbatim words stating or implying it
        pub quote: Text,
        /// For the per-crime counts: why the evidence here differs from the report's figure
        pub notes: String = optional,
        /// When a second reader last checked the row against its sources (YYYY-MM-DD)
        pub checked: Date,
    }
}

impl ReportFigure {
    /// The crime type it is about, if one.
    pub fn crime(&self) -> Option<Term> {
        self.crime.as_ref().map(CrimeType::term)
    }

    /// Whether the report states the figure in its quote, rather than implying it: a number
    /// of the quote (read with the report's thin spaces between thousands, "1 113") is the
    /// value.
    pub fn stated(&self) -> bool {
        super::numerals::numbers(&self.quote).any(|n| n == self.value)
    }
}

table! {
    /// Inter-agency coordination groups the report names
    pub struct Group in "groups.csv" as "groups" {
        noun: "group",
        key: ["id"],
        duplicate: |_, k| format!("duplicate group id '{}'", k[0]),
    }
    {
        /// Stable lower-case slug
        pub id: Slug,
        /// Full name
        pub name: Text,
        /// Acronym, if any
        pub acronym: String,
        /// A few words for chart columns: the acronym, or a short form of the name
        pub short_name: Text,
        /// Crime type ids separated by ';' (may be empty, see notes)
        pub crimes: Crimes,
        /// The report's verbatim words naming it; empty for a body the report does not name
        pub quote: Option<Text>,
        /// Non-UN members, uncertainty
        pub notes: String = optional,
        /// When a second reader last checked the row against its sources (YYYY-MM-DD)
        pub checked: Date,
    }
}

table! {
    /// Members of the coordination groups
    pub struct Member in "group_members.csv" as "group_members" {
        noun: "member",
        key: ["group", "entity"],
        duplicate: |_, k| format!("'{}' is already a member of '{}'", k[1], k[0]),
        check: Member::rules,
    }
    {
        /// A group id
        pub group: Ref<Group>,
        /// An entity id
        pub entity: Ref<Entity>,
        /// lead or member
        pub role: Role,
        /// report or compiled
        pub provenance: Provenance,
        /// For compiled members: the page that lists it
        pub source: String,
        /// When a second reader last checked the row against its sources (YYYY-MM-DD)
        pub checked: Date,
    }
}

impl Member {
    /// The position of the member entity.
    pub fn entity(&self) -> usize {
        self.entity.index()
    }

    /// A compiled membership names the source that lists it.
    fn rules(&self, _: &[Member]) -> Vec<(&'static str, String)> {
        if self.provenance == Provenance::Compiled && self.source.is_empty() {
            let message = "a 'compiled' member needs the source that lists it";
            return vec![("source", message.to_owned())];
        }
        Vec::new()
    }
}

table! {
    /// Conventions, protocols and bodies of the UN's crime and drug regimes (the report's Figure 2, rebuilt)
    pub struct Instrument in "instruments.csv" as "instruments" {
        noun: "instrument",
        key: ["id"],
        duplicate: |_, k| format!("duplicate id '{}'", k[0]),
        check: Instrument::rules,
    }
    {
        /// Stable lower-case slug
        pub id: Slug,
        /// Full name
        pub name: Text,
        /// A few words for the timeline
        pub short_name: Text,
        /// convention, treaty, protocol, political-instrument, commission, conference, expert-group, board or office
        pub kind: InstrumentKind as "type",
        /// Adopted (an instrument) or established (a body): YYYY, YYYY-MM or YYYY-MM-DD, as precise as the source
        pub date: PartialDate,
        /// Symbol of the adopting or establishing decision, as the source writes it; empty for a treaty adopted by a conference
        pub adopting_decision: String,
        /// Crime type ids separated by ';'
        pub crimes: Filled<Crimes>,
        /// The entity it is, if it is one
        pub entity: Option<Ref<Entity>>,
        /// The entity serving as its secretariat, if one
        pub secretariat: Option<Ref<Entity>>,
        /// true for what is dated after the report (2019): shown apart from its picture
        pub later_than_report: bool,
        /// The report's verbatim words naming it; empty for what the report does not name
        pub report_quote: String,
        /// Where the date, decision and crime types are stated
        pub source: Text,
        /// Uncertainty, other dates in the sources, and whether the report names it
        pub notes: String = optional,
        /// When a second reader last checked the row against its sources (YYYY-MM-DD)
        pub checked: Date,
    }
}

impl Instrument {
    /// The position of the entity it is, if it is one.
    pub fn entity(&self) -> Option<usize> {
        self.entity.as_ref().map(Ref::index)
    }

    /// The position of its secretariat, if it has one.
    pub fn secretariat(&self) -> Option<usize> {
        self.secretariat.as_ref().map(Ref::index)
    }

    /// `later_than_report` says whether the date is after the report's year.
    fn rules(&self, _: &[Instrument]) -> Vec<(&'static str, String)> {
        let later = self.later_than_report;
        let after = self.date.year > REPORT_YEAR;
        if later == after {
            return Vec::new();
        }
        let position = if after { "after" } else { "not after" };
        let message = format!(
            "is {later}, but the date {} is {position} the report ({REPORT_YEAR}): true exactly for what is dated after it",
            self.date.iso(),
        );
        vec![("later_than_report", message)]
    }
}

table! {
    /// Human Rights Council special procedures whose work touches the crime types (the report's Figure 4, rebuilt)
    pub struct SpecialProcedure in "special_procedures.csv" as "special_procedures" {
        noun: "special procedure",
        key: ["id"],
        duplicate: |_, k| format!("duplicate id '{}'", k[0]),
        check: SpecialProcedure::rules,
    }
    {
        /// Stable lower-case slug
        pub id: Slug,
        /// The mandate's title
        pub title: Text,
        /// A few words for chart rows (SR: Special Rapporteur, IE: Independent Expert, WG: Working Group)
        pub short_title: Text,
        /// special-rapporteur, independent-expert or working-group
        pub kind: MandateKind as "type",
        /// Year the mandate was first established (empty if not confirmed)
        pub established: Option<Year>,
        /// The resolution or decision that established it (empty if not confirmed)
        pub establishing_resolution: String,
        /// Crime type ids separated by ';'
        pub crimes: Filled<Crimes>,
        /// Those of its crime types whose evidence is partial: indirect, or resting on a document whose symbol was not confirmed (see notes)
        pub partial: Crimes,
        /// The report's verbatim words naming it, if it does
        pub report_quote: String,
        /// The entity that appoints its holders
        pub appointed_by: Ref<Entity>,
        /// The entity that supports it
        pub supported_by: Ref<Entity>,
        /// The documents of the mandate, dated, that show its work on each crime type
        pub source: Text,
        /// What each crime type rests on, and what is uncertain
        pub notes: String = optional,
        /// When a second reader last checked the row against its sources (YYYY-MM-DD)
        pub checked: Date,
    }
}

impl SpecialProcedure {
    /// The year it was first established, if a source says.
    pub fn established(&self) -> Option<u16> {
        self.established.map(|y| y.0)
    }

    /// `partial` lists some of `crimes`.
    fn rules(&self, _: &[SpecialProcedure]) -> Vec<(&'static str, String)> {
        let crimes: Vec<String> = self.crimes.text().split(';').map(str::to_owned).collect();
        let partial = self.partial.text();
        match partial
            .split(';')
            .find(|id| !id.is_empty() && !crimes.iter().any(|c| c == id))
        {
            Some(stray) => vec![(
                "partial",
                format!(
                    "'{stray}' is not one of the row's crime types (partial lists some of 'crimes')"
                ),
            )],
            None => Vec::new(),
        }
    }
}

row! {
    /// The row every vocabulary file shares (crime types, organs, chart boxes, pillars).
    pub struct VocabularyRow {
        /// Stable lower-case slug, used in the other files and in URLs
        pub id: Slug,
        /// Full name
        pub label: Text,
        /// A word or two for chart axes and narrow screens
        pub short_label: Text,
        /// A colour for the views that draw it (#rrggbb); white text must be legible on it
        pub colour: Option<Colour> = optional,
        /// What it covers
        pub description: String = optional,
        /// When a second reader last checked the row against its sources (YYYY-MM-DD)
        pub checked: Date,
    }
}

table! {
    /// The releases of the data, oldest first: each version, its date, the digest of the files
    /// it released and what changed (data/CHANGES.md gives each change with its reason)
    pub struct Release in "releases.csv" as "releases" {
        noun: "release",
        key: ["version"],
        duplicate: |_, k| format!("duplicate release '{}'", k[0]),
        check: Release::rules,
    }
    {
        /// Semantic version, MAJOR.MINOR.PATCH: a change of meaning; a new column or file; new rows or corrections
        pub version: Version,
        /// The day it was released
        pub date: Date,
        /// The digest of every other data file as released (mandate-map check prints the current one)
        pub digest: Digest,
        /// What changed, in a sentence or two
        pub summary: Text,
    }
}

impl Release {
    /// Versions rise and dates do not go back, row after row.
    fn rules(&self, rows: &[Release]) -> Vec<(&'static str, String)> {
        let position = rows.iter().position(|r| r.version == self.version);
        let Some(before) = position.and_then(|p| p.checked_sub(1)).map(|p| &rows[p]) else {
            return Vec::new();
        };
        if self.version.0 <= before.version.0 {
            let message = format!(
                "{} does not follow {}: list releases oldest first",
                self.version, before.version
            );
            return vec![("version", message)];
        }
        if self.date < before.date {
            let message = format!(
                "{} is dated before {} ({})",
                self.version, before.version, before.date
            );
            return vec![("date", message)];
        }
        Vec::new()
    }
}

table! {
    /// How entities changed between editions: renamed, split, merged, created, closed or moved, each with its date and the decision or document that did it
    pub struct Lineage in "lineage.csv" as "lineage" {
        noun: "lineage row",
        key: ["from", "to"],
        duplicate: |_, k| format!("duplicate lineage row from '{}' to '{}'", k[0], k[1]),
    }
    {
        /// The entity before the change (empty for one created)
        pub from: Option<Ref<Entity>>,
        /// The entity after it (empty for one closed)
        pub to: Option<Ref<Entity>>,
        /// renamed, split, merged, created, closed or moved
        pub kind: LineageKind,
        /// When it took effect: YYYY, YYYY-MM or YYYY-MM-DD, as precise as the source
        pub date: PartialDate,
        /// The symbol of the decision that did it, empty where none was seen
        pub decision: String,
        /// Where the change and its date are stated
        pub source: Text,
        /// Uncertainty, and what each side covers
        pub notes: String = optional,
        /// When a second reader last checked the row against its sources (YYYY-MM-DD)
        pub checked: Date,
    }
}

table! {
    /// Which entity and crime type pairs were examined for an edition, and what was found: a link, nothing, or not yet examined
    pub struct Search in "searches.csv" as "searches" {
        noun: "search",
        key: ["edition", "entity", "crime"],
        duplicate: |_, k| format!("duplicate search: '{}' on '{}' in edition '{}'", k[1], k[2], k[0]),
    }
    {
        /// An edition id
        pub edition: Ref<Edition>,
        /// An entity id
        pub entity: Ref<Entity>,
        /// A crime type id
        pub crime: CrimeType,
        /// link (the edition has it), not-found (searched, nothing found) or not-examined
        pub outcome: Outcome,
        /// What was searched, for a pair searched without result or not examined
        pub searched: String,
        /// When the row was last checked (YYYY-MM-DD)
        pub checked: Date,
    }
}

tables! {
    editions: Edition,
    entities: Entity,
    links: Link,
    groups: Group,
    group_members: Member,
    report_figures: ReportFigure,
    instruments: Instrument,
    special_procedures: SpecialProcedure,
    releases: Release,
    lineage: Lineage,
    searches: Search,
}

impl Terms {
    /// The one term of a single-valued dimension.
    pub fn one(&self, dim: Dim) -> Term {
        // The loader gives every single-valued dimension exactly one term.
        self.get(dim)[0]
    }
}

/// A row with crime types but no organ, pillar or links (a coordination body, an instrument,
/// a special procedure): a crime-type filter selects it by them.
pub trait WithCrimes {
    fn crimes(&self) -> &[Term];
}

impl WithCrimes for Group {
    fn crimes(&self) -> &[Term] {
        &self.crimes
    }
}

impl WithCrimes for Instrument {
    fn crimes(&self) -> &[Term] {
        &self.crimes
    }
}

impl WithCrimes for SpecialProcedure {
    fn crimes(&self) -> &[Term] {
        &self.crimes
    }
}
