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

pub mod dimension;
pub mod index;
pub mod load;
pub mod model;
pub mod schema;
pub mod vocab;

use std::collections::HashMap;
use std::path::Path;

pub use dimension::{
    BASIS, CATEGORY, CRIME, DIMENSIONS, Dim, Dimension, EVIDENCE, ORGAN, Of, PILLAR, Values,
};
pub use index::{EntitySet, Index};
pub use load::{LoadError, LoadErrors};
pub use model::{
    Basis, Entity, Evidence, Grade, Group, Instrument, InstrumentKind, Link, MandateKind, Member,
    PartialDate, Provenance, REPORT_YEAR, ReportFigure, Role, SpecialProcedure, Terms, Unit,
};
pub use vocab::{Term, TermInfo, UnknownValue, Vocabulary};

use load::{Source, Sources};

/// The whole mapping: the vocabularies, entities, their links and the coordination groups.
#[derive(Debug, Clone)]
pub struct Dataset {
    /// One per dimension, by [`Dim`].
    vocabularies: Vec<Vocabulary>,
    entities: Vec<Entity>,
    links: Vec<Link>,
    groups: Vec<Group>,
    report_figures: Vec<ReportFigure>,
    instruments: Vec<Instrument>,
    special_procedures: Vec<SpecialProcedure>,
    index: Index,
    by_id: HashMap<String, usize>,
    /// Per entity, its links' positions in `links`, in crime-type order.
    links_by_entity: Vec<Vec<usize>>,
    /// Per dimension and term, its `param=id` query pair, encoded once (links are built from
    /// these many times a page).
    query_pairs: Vec<Vec<String>>,
    /// The files as they were read, by file name, for download.
    files: Vec<(&'static str, Vec<u8>)>,
    /// Each file's header as read, by file name.
    headers: HashMap<&'static str, Vec<String>>,
    /// A digest of the files: changes whenever the data does (for HTTP validators).
    version: String,
}

impl Dataset {
    /// Reads and validates the data files in `dir`, reporting every problem at once.
    pub fn load(dir: &Path) -> Result<Dataset, LoadErrors> {
        Dataset::from_sources(&Sources::read(|file| {
            let path = dir.join(file);
            let shown = path.display().to_string();
            match std::fs::read(&path) {
                Ok(bytes) => Source::new(file, shown, bytes),
                Err(e) => Source::unreadable(file, shown, format!("cannot read the file: {e}")),
            }
        }))
    }

    /// The data compiled into the binary from the repository's `data/`.
    pub fn embedded() -> Result<Dataset, LoadErrors> {
        Dataset::from_sources(&Dataset::embedded_sources())
    }

    /// The files compiled into the binary, as sources to load (or to change, in tests).
    pub fn embedded_sources() -> Sources {
        let files = schema::files();
        Sources::read(|file| {
            let spec = files.iter().find(|f| f.name == file);
            // `Sources::read` asks for exactly the files `schema::files` lists.
            let bytes = spec.map_or(&[][..], |f| f.embedded);
            Source::new(file, format!("data/{file}"), bytes)
        })
    }

    /// Parses and validates already-read file contents.
    pub fn from_sources(sources: &Sources) -> Result<Dataset, LoadErrors> {
        let tables = load::parse(sources)?;
        let files: Vec<(&'static str, Vec<u8>)> = sources
            .0
            .iter()
            .map(|s| (s.file, s.bytes.clone().unwrap_or_default()))
            .collect();
        let version = digest(&files);
        let mut links = tables.links;
        links.sort_by_key(|l| (l.entity, l.crime()));
        let mut links_by_entity = vec![Vec::new(); tables.entities.len()];
        for (i, link) in links.iter().enumerate() {
            links_by_entity[link.entity].push(i);
        }
        let by_id = tables
            .entities
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.clone(), i))
            .collect();
        let index = Index::build(&tables.vocabularies, &tables.entities, &links);
        let query_pairs = Dim::all()
            .map(|dim| {
                let vocabulary = &tables.vocabularies[dim.0];
                vocabulary
                    .ids()
                    .iter()
                    .map(|id| crate::query::encode([(dim.get().param, id)]))
                    .collect()
            })
            .collect();
        Ok(Dataset {
            vocabularies: tables.vocabularies,
            entities: tables.entities,
            links,
            groups: tables.groups,
            report_figures: tables.report_figures,
            instruments: tables.instruments,
            special_procedures: tables.special_procedures,
            index,
            by_id,
            links_by_entity,
            query_pairs,
            files,
            headers: tables.headers,
            version,
        })
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
        &self.entities
    }

    /// The entity with this id and its position.
    pub fn entity(&self, id: &str) -> Option<(usize, &Entity)> {
        self.by_id.get(id).map(|&i| (i, &self.entities[i]))
    }

    /// Every link, ordered by entity position then crime type.
    pub fn links(&self) -> &[Link] {
        &self.links
    }

    /// The links of the entity at `position`, in crime-type order.
    pub fn links_of(&self, position: usize) -> impl Iterator<Item = &Link> {
        self.links_by_entity
            .get(position)
            .into_iter()
            .flatten()
            .map(|&i| &self.links[i])
    }

    /// The link of the entity at `position` on `crime`, if it has one.
    pub fn link(&self, position: usize, crime: Term) -> Option<&Link> {
        self.links_of(position).find(|l| l.crime() == crime)
    }

    /// The figures the report states, in file order.
    pub fn report_figures(&self) -> &[ReportFigure] {
        &self.report_figures
    }

    /// The report's figure with this id.
    pub fn report_figure(&self, id: &str) -> Option<&ReportFigure> {
        self.report_figures.iter().find(|f| f.id == id)
    }

    /// The report's figure about `crime` in `unit` (its share or its count).
    pub fn report_figure_on(&self, crime: Term, unit: Unit) -> Option<&ReportFigure> {
        self.report_figures
            .iter()
            .find(|f| f.crime == Some(crime) && f.unit == unit)
    }

    /// The coordination groups, in file order.
    pub fn groups(&self) -> &[Group] {
        &self.groups
    }

    /// The coordination group with this id.
    pub fn group(&self, id: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.id == id)
    }

    /// The groups the entity at `position` belongs to.
    pub fn groups_of(&self, position: usize) -> impl Iterator<Item = &Group> {
        self.groups
            .iter()
            .filter(move |g| g.members.iter().any(|m| m.entity == position))
    }

    /// The instruments and bodies of the crime and drug regimes, in file order.
    pub fn instruments(&self) -> &[Instrument] {
        &self.instruments
    }

    /// The Human Rights Council's special procedures mandates, in file order.
    pub fn special_procedures(&self) -> &[SpecialProcedure] {
        &self.special_procedures
    }

    /// A short digest of the data files; it changes whenever the data does.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The data files as read: `(file name, bytes)`, in the order they are loaded.
    pub fn files(&self) -> &[(&'static str, Vec<u8>)] {
        &self.files
    }

    /// A file's header as read (its columns in the file's order).
    pub fn header(&self, file: &str) -> Option<&[String]> {
        self.headers.get(file).map(Vec::as_slice)
    }

    pub fn index(&self) -> &Index {
        &self.index
    }

    /// Positions for a set, as entities.
    pub fn entities_in<'a, 's>(
        &'a self,
        set: &'s EntitySet,
    ) -> impl Iterator<Item = (usize, &'a Entity)> + use<'a, 's> {
        set.iter().map(|i| (i, &self.entities[i]))
    }
}

/// A short digest of the files, for HTTP validators.
fn digest(files: &[(&'static str, Vec<u8>)]) -> String {
    use sha2::{Digest, Sha256};
    let mut hash = Sha256::new();
    for (name, bytes) in files {
        hash.update(name.as_bytes());
        hash.update((bytes.len() as u64).to_le_bytes());
        hash.update(bytes);
    }
    hash.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
