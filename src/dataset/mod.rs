//! The loaded, validated data and its index. [`Dataset::load`] reads a data directory;
//! [`Dataset::embedded`] parses the copy of `data/` compiled into the binary.
//!
//! A `Dataset` is immutable: a reload builds a new one and swaps it in whole.

/// The copy of a file of `data/` compiled into the binary.
macro_rules! data_file {
    ($name:literal) => {
        include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/", $name))
    };
}

pub mod cell;
pub mod codes;
pub mod date;
mod declare;
pub mod dimension;
pub mod editions;
mod editions_rules;
pub mod file;
pub mod index;
pub mod json_schema;
pub mod lineage;
pub mod load;
pub mod loading;
pub mod model;
mod numerals;
mod records;
pub mod refs;
pub mod resolve;
pub mod rules;
pub mod schema;
pub mod source;
pub mod table;
pub mod vocab;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

pub use codes::{
    Basis, Grade, InstrumentKind, LineageKind, MandateKind, Outcome, Provenance, Role, Unit,
};
pub use date::PartialDate;
pub use dimension::{
    BASIS, CATEGORY, CRIME, DIMENSIONS, Dim, Dimension, EVIDENCE, ORGAN, Of, PILLAR, Values,
};
pub use editions::Editions;
pub use index::{EntitySet, Index};
pub use lineage::Whereabouts;
pub use model::{
    Edition, Entity, Group, Instrument, Lineage, Link, Member, REPORT_YEAR, Release, ReportFigure,
    Search, SpecialProcedure, Tables,
};
pub use source::{LoadError, LoadErrors};
pub use table::{Has, Table};
pub use vocab::{Term, TermInfo, Terms, UnknownValue, Vocabulary};

use file::DataFile;
use load::{Source, Sources};

/// What every edition of the data shares: the files as read, their digests, the documents
/// beside them, and the rows that span editions (the lineage of entities, the searches).
#[derive(Debug)]
pub struct Shared {
    /// The files as they were read, for download.
    files: Vec<DataFile>,
    /// Each file's header as read, by file name.
    headers: HashMap<&'static str, Vec<String>>,
    /// A digest of the files and documents: changes whenever the data does (for HTTP
    /// validators).
    fingerprint: String,
    /// A digest of every file but `releases.csv`: what a release records.
    content: String,
    /// The documents beside the data files, by name.
    documents: Vec<(&'static str, String)>,
    /// Every edition, in file order.
    editions: Vec<Edition>,
    /// Every entity of every edition, as the lineage and the searches name them.
    entities: Vec<Entity>,
    /// The position of each of them in `entities`, by id.
    entity_by_id: HashMap<Arc<str>, usize>,
    lineage: Vec<Lineage>,
    searches: Vec<Search>,
    /// Every edition's dataset, set once they are built; weak, so that an edition reaching
    /// another makes no cycle (they live as long as the [`Editions`] that holds them).
    siblings: std::sync::OnceLock<Vec<std::sync::Weak<Dataset>>>,
}

/// One edition of the mapping: the vocabularies and every table of [`model`], narrowed to the
/// entities of the edition and their links, and indexed. Every view works on one.
#[derive(Debug, Clone)]
pub struct Dataset {
    /// One per dimension, by [`Dim`].
    vocabularies: Vec<Vocabulary>,
    tables: Tables,
    index: Index,
    by_id: HashMap<Arc<str>, usize>,
    /// Per entity, its links' positions in `links`, in crime-type order.
    links_by_entity: Vec<Vec<usize>>,
    /// Per group, its members' positions in `group_members`, in file order.
    members_by_group: Vec<Vec<usize>>,
    /// Per dimension and term, its `param=id` query pair, encoded once (links are built from
    /// these many times a page).
    query_pairs: Vec<Vec<String>>,
    /// This edition's position in [`Shared::editions`].
    edition: usize,
    shared: Arc<Shared>,
}

impl Dataset {
    /// Reads and validates the data files in `dir`, reporting every problem at once; the
    /// default edition.
    pub fn load(dir: &Path) -> Result<Dataset, LoadErrors> {
        Editions::load(dir).map(|e| e.default_edition().as_ref().clone())
    }

    /// The data compiled into the binary from the repository's `data/`; the default edition.
    pub fn embedded() -> Result<Dataset, LoadErrors> {
        Editions::embedded().map(|e| e.default_edition().as_ref().clone())
    }

    /// Parses and validates already-read file contents; the default edition.
    pub fn from_sources(sources: &Sources) -> Result<Dataset, LoadErrors> {
        Editions::from_sources(sources).map(|e| e.default_edition().as_ref().clone())
    }

    /// The files compiled into the binary, as sources to load (or to change, in tests).
    pub fn embedded_sources() -> Sources {
        let files = schema::files();
        Sources::read(|file| {
            let spec = files.iter().find(|f| f.name() == file);
            // `Sources::read` asks for exactly the files `schema::files` lists.
            let bytes = spec.map_or(&[][..], |f| f.spec.embedded);
            Source::embedded(file, format!("data/{file}"), bytes)
        })
    }

    /// One edition of the tables, indexed.
    fn build(
        vocabularies: Vec<Vocabulary>,
        mut tables: Tables,
        edition: usize,
        shared: Arc<Shared>,
    ) -> Dataset {
        tables.links.sort_by_key(|l| (l.entity(), l.crime()));
        let mut links_by_entity = vec![Vec::new(); tables.entities.len()];
        for (i, link) in tables.links.iter().enumerate() {
            links_by_entity[link.entity()].push(i);
        }
        let mut members_by_group = vec![Vec::new(); tables.groups.len()];
        for (i, member) in tables.group_members.iter().enumerate() {
            members_by_group[member.group.index()].push(i);
        }
        let by_id = positions_by_id(&tables.entities);
        let index = Index::build(&vocabularies, &tables.entities, &tables.links);
        let query_pairs = Dim::all()
            .map(|dim| {
                vocabularies[dim.0]
                    .ids()
                    .iter()
                    .map(|id| {
                        form_urlencoded::Serializer::new(String::new())
                            .append_pair(dim.get().param, id)
                            .finish()
                    })
                    .collect()
            })
            .collect();
        Dataset {
            vocabularies,
            tables,
            index,
            by_id,
            links_by_entity,
            members_by_group,
            query_pairs,
            edition,
            shared,
        }
    }

    /// The edition this is.
    pub fn edition(&self) -> &Edition {
        &self.shared.editions[self.edition]
    }

    /// Whether this is the edition shown when a request names none.
    pub fn is_default_edition(&self) -> bool {
        self.edition().default
    }

    /// Edition `id`'s dataset, while the [`Editions`] this one came from is alive (a request
    /// holds its snapshot for as long as it runs).
    pub fn in_edition(&self, id: &str) -> Option<Arc<Dataset>> {
        let position = self.shared.editions.iter().position(|e| e.id == id)?;
        self.shared.siblings.get()?.get(position)?.upgrade()
    }

    /// The edition of the UN System the report reviewed, if the data has it.
    pub fn report_edition(&self) -> Option<&Edition> {
        self.shared.editions.iter().find(|e| e.report)
    }

    /// Every edition, in file order.
    pub fn editions(&self) -> &[Edition] {
        &self.shared.editions
    }

    /// How entities changed between editions, in file order (entities named by id).
    pub fn lineage(&self) -> &[Lineage] {
        &self.shared.lineage
    }

    /// The entity and crime type pairs examined for each edition, and what was found.
    pub fn searches(&self) -> &[Search] {
        &self.shared.searches
    }

    /// An entity of any edition, by id.
    pub fn any_entity(&self, id: &str) -> Option<&Entity> {
        let &i = self.shared.entity_by_id.get(id)?;
        Some(&self.shared.entities[i])
    }

    /// A document beside the data (`README.md`, `CHANGES.md`): empty if there is none.
    pub fn document(&self, name: &str) -> &str {
        self.shared
            .documents
            .iter()
            .find(|(n, _)| *n == name)
            .map_or("", |(_, text)| text.as_str())
    }

    /// The values of a dimension.
    pub fn vocabulary(&self, dim: Dim) -> &Vocabulary {
        &self.vocabularies[dim.0]
    }

    /// The encoded query pair `param=id` of a term of dimension `dim`.
    pub fn query_pair(&self, dim: Dim, term: Term) -> &str {
        &self.query_pairs[dim.0][term.index()]
    }

    /// The crime types, in their canonical order.
    pub fn crimes(&self) -> &Vocabulary {
        self.vocabulary(CRIME)
    }

    /// The label of a term of dimension `dim`.
    pub fn label(&self, dim: Dim, term: Term) -> &str {
        &self.vocabulary(dim).get(term).label
    }

    /// The entities with a link on `crime`, of either basis.
    pub fn working_on(&self, crime: Term) -> EntitySet {
        let mut allowed: Vec<&[Term]> = vec![&[]; DIMENSIONS.len()];
        let crimes = [crime];
        allowed[CRIME.0] = &crimes;
        self.index.with_link(&allowed)
    }

    /// One crime type's description.
    pub fn crime_type(&self, id: Term) -> &TermInfo {
        self.crimes().get(id)
    }

    /// Every entity, in the order of `entities.csv`; positions are what `EntitySet` holds.
    pub fn entities(&self) -> &[Entity] {
        &self.tables.entities
    }

    /// The entity with this id and its position.
    pub fn entity(&self, id: &str) -> Option<(usize, &Entity)> {
        self.by_id.get(id).map(|&i| (i, &self.tables.entities[i]))
    }

    /// Every link, ordered by entity position then crime type.
    pub fn links(&self) -> &[Link] {
        &self.tables.links
    }

    /// The links of the entity at `position`, in crime-type order.
    pub fn links_of(&self, position: usize) -> impl Iterator<Item = &Link> {
        self.links_by_entity
            .get(position)
            .into_iter()
            .flatten()
            .map(|&i| &self.tables.links[i])
    }

    /// The link of the entity at `position` on `crime`, if it has one.
    pub fn link(&self, position: usize, crime: Term) -> Option<&Link> {
        self.links_of(position).find(|l| l.crime() == crime)
    }

    /// The figures the report states, in file order.
    pub fn report_figures(&self) -> &[ReportFigure] {
        &self.tables.report_figures
    }

    /// The report's figure with this id.
    pub fn report_figure(&self, id: &str) -> Option<&ReportFigure> {
        self.tables.report_figures.iter().find(|f| f.id == id)
    }

    /// The report's figure about `crime` in `unit` (its share or its count).
    pub fn report_figure_on(&self, crime: Term, unit: Unit) -> Option<&ReportFigure> {
        self.tables
            .report_figures
            .iter()
            .find(|f| f.crime() == Some(crime) && f.unit == unit)
    }

    /// The coordination groups, in file order.
    pub fn groups(&self) -> &[Group] {
        &self.tables.groups
    }

    /// The coordination group with this id.
    pub fn group(&self, id: &str) -> Option<&Group> {
        self.tables.groups.iter().find(|g| g.id == id)
    }

    /// The groups the entity at `position` belongs to, in file order.
    pub fn groups_of(&self, position: usize) -> impl Iterator<Item = &Group> {
        self.groups()
            .iter()
            .enumerate()
            .filter(move |(i, _)| self.members(*i).any(|m| m.entity() == position))
            .map(|(_, g)| g)
    }

    /// The members of the group at `position`, in file order.
    pub fn members(&self, position: usize) -> impl Iterator<Item = &Member> {
        self.members_by_group
            .get(position)
            .into_iter()
            .flatten()
            .map(|&i| &self.tables.group_members[i])
    }

    /// The members of `group`.
    pub fn members_of<'a>(&'a self, group: &Group) -> impl Iterator<Item = &'a Member> + use<'a> {
        let position = self.groups().iter().position(|g| g.id == group.id);
        position.into_iter().flat_map(|p| self.members(p))
    }

    /// The rows of any table, by its row type.
    pub fn rows<T>(&self) -> &[T]
    where
        Tables: Has<T>,
    {
        self.tables.rows()
    }

    /// The instruments and bodies of the crime and drug regimes, in file order.
    pub fn instruments(&self) -> &[Instrument] {
        &self.tables.instruments
    }

    /// The Human Rights Council's special procedures mandates, in file order.
    pub fn special_procedures(&self) -> &[SpecialProcedure] {
        &self.tables.special_procedures
    }

    /// A short digest of the data files; it changes whenever the data does (for HTTP
    /// validators and cache keys).
    pub fn fingerprint(&self) -> &str {
        &self.shared.fingerprint
    }

    /// The latest release of the data (the last row of `releases.csv`).
    pub fn release(&self) -> &Release {
        // The loader refuses a releases.csv without rows.
        &self.tables.releases[self.tables.releases.len() - 1]
    }

    /// The digest of the data files a release records: every file but `releases.csv`.
    pub fn content_digest(&self) -> &str {
        &self.shared.content
    }

    /// Whether the files are those of the latest release (a copy being edited is not).
    pub fn is_released(&self) -> bool {
        self.release().digest.as_str() == self.shared.content
    }

    /// The version to cite: the latest release's, marked `+modified` for files that have
    /// changed since.
    pub fn version(&self) -> String {
        let version = &self.release().version;
        if self.is_released() {
            version.to_string()
        } else {
            format!("{version}+modified")
        }
    }

    /// The data files as read: `(file name, bytes)`, in the order they are loaded.
    pub fn files(&self) -> &[DataFile] {
        &self.shared.files
    }

    /// A file's header as read (its columns in the file's order).
    pub fn header(&self, file: &str) -> Option<&[String]> {
        self.shared.headers.get(file).map(Vec::as_slice)
    }

    pub fn index(&self) -> &Index {
        &self.index
    }

    /// Positions for a set, as entities.
    pub fn entities_in<'a, 's>(
        &'a self,
        set: &'s EntitySet,
    ) -> impl Iterator<Item = (usize, &'a Entity)> + use<'a, 's> {
        set.iter().map(|i| (i, &self.tables.entities[i]))
    }
}

/// A short digest of files (each name, length and bytes, in order).
#[derive(Default)]
struct Digest(sha2::Sha256);

impl Digest {
    /// Starts a file: its name and length.
    fn start(&mut self, name: &str, len: u64) {
        use sha2::Digest as _;
        self.0.update(name.as_bytes());
        self.0.update(len.to_le_bytes());
    }

    /// The next bytes of the file started last.
    fn update(&mut self, bytes: &[u8]) {
        use sha2::Digest as _;
        self.0.update(bytes);
    }

    fn finish(self) -> String {
        use sha2::Digest as _;
        self.0.finalize()[..8]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

/// The position of each entity in `entities`, by id.
fn positions_by_id(entities: &[Entity]) -> HashMap<Arc<str>, usize> {
    (entities.iter().enumerate())
        .map(|(i, e)| (e.id.0.clone(), i))
        .collect()
}
