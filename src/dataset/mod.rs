//! The loaded, validated data and its index. [`Dataset::load`] reads a data directory;
//! [`Dataset::embedded`] parses the copy of `data/` compiled into the binary.
//!
//! A `Dataset` is immutable: a reload builds a new one and swaps it in whole.

pub mod index;
pub mod load;
pub mod model;

use std::collections::HashMap;
use std::path::Path;

pub use index::{EntitySet, Index};
pub use load::{LoadError, LoadErrors};
pub use model::{
    Basis, Category, CrimeId, CrimeType, Entity, Evidence, Group, Link, Member, Organ, Pillar,
    Provenance, Role, UnknownValue,
};

use load::{Source, Sources};

/// The embedded copy of `data/`, as (file name, contents).
const EMBEDDED: [(&str, &[u8]); 5] = [
    (
        load::CRIME_TYPES,
        include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/crime_types.csv")),
    ),
    (
        load::ENTITIES,
        include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/entities.csv")),
    ),
    (
        load::LINKS,
        include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/links.csv")),
    ),
    (
        load::GROUPS,
        include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/groups.csv")),
    ),
    (
        load::GROUP_MEMBERS,
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/data/group_members.csv"
        )),
    ),
];

/// The whole mapping: crime types, entities, their links and the coordination groups.
#[derive(Debug, Clone)]
pub struct Dataset {
    /// Indexed by `CrimeId::index()`.
    crime_types: Vec<CrimeType>,
    entities: Vec<Entity>,
    links: Vec<Link>,
    groups: Vec<Group>,
    index: Index,
    by_id: HashMap<String, usize>,
    /// Per entity, its links' positions in `links`, in crime-type order.
    links_by_entity: Vec<Vec<usize>>,
    /// The five files as they were read, by file name, for download.
    files: Vec<(&'static str, Vec<u8>)>,
    /// A digest of the files: changes whenever the data does (for HTTP validators).
    version: String,
}

impl Dataset {
    /// Reads and validates the five CSV files in `dir`, reporting every problem at once.
    pub fn load(dir: &Path) -> Result<Dataset, LoadErrors> {
        let read = |name: &str| {
            let path = dir.join(name);
            let shown = path.display().to_string();
            match std::fs::read(&path) {
                Ok(bytes) => Source::new(shown, bytes),
                Err(e) => Source::unreadable(shown, format!("cannot read the file: {e}")),
            }
        };
        Dataset::from_sources(&Sources {
            crime_types: read(load::CRIME_TYPES),
            entities: read(load::ENTITIES),
            links: read(load::LINKS),
            groups: read(load::GROUPS),
            group_members: read(load::GROUP_MEMBERS),
        })
    }

    /// The data compiled into the binary from the repository's `data/`.
    pub fn embedded() -> Result<Dataset, LoadErrors> {
        let [c, e, l, g, m] =
            EMBEDDED.map(|(name, bytes)| Source::new(format!("data/{name}"), bytes));
        Dataset::from_sources(&Sources {
            crime_types: c,
            entities: e,
            links: l,
            groups: g,
            group_members: m,
        })
    }

    /// Parses and validates already-read file contents.
    pub fn from_sources(sources: &Sources) -> Result<Dataset, LoadErrors> {
        let tables = load::parse(sources)?;
        let files = [
            (load::CRIME_TYPES, &sources.crime_types),
            (load::ENTITIES, &sources.entities),
            (load::LINKS, &sources.links),
            (load::GROUPS, &sources.groups),
            (load::GROUP_MEMBERS, &sources.group_members),
        ]
        .into_iter()
        .map(|(name, source)| (name, source.bytes.clone().unwrap_or_default()))
        .collect::<Vec<_>>();
        let version = {
            use sha2::{Digest, Sha256};
            let mut hash = Sha256::new();
            for (name, bytes) in &files {
                hash.update(name.as_bytes());
                hash.update((bytes.len() as u64).to_le_bytes());
                hash.update(bytes);
            }
            hash.finalize()[..8]
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect()
        };
        let mut links = tables.links;
        links.sort_by_key(|l| (l.entity, l.crime));
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
        let index = Index::build(&tables.entities, &links);
        Ok(Dataset {
            crime_types: tables.crime_types,
            entities: tables.entities,
            links,
            groups: tables.groups,
            index,
            by_id,
            links_by_entity,
            files,
            version,
        })
    }

    /// The six crime types, in their canonical order.
    pub fn crime_types(&self) -> &[CrimeType] {
        &self.crime_types
    }

    pub fn crime_type(&self, id: CrimeId) -> &CrimeType {
        &self.crime_types[id.index()]
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
    pub fn link(&self, position: usize, crime: CrimeId) -> Option<&Link> {
        self.links_of(position).find(|l| l.crime == crime)
    }

    /// The coordination groups, in file order.
    pub fn groups(&self) -> &[Group] {
        &self.groups
    }

    /// The groups the entity at `position` belongs to.
    pub fn groups_of(&self, position: usize) -> impl Iterator<Item = &Group> {
        self.groups
            .iter()
            .filter(move |g| g.members.iter().any(|m| m.entity == position))
    }

    /// A short digest of the data files; it changes whenever the data does.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The data files as read: `(file name, bytes)`, in the order they are loaded.
    pub fn files(&self) -> &[(&'static str, Vec<u8>)] {
        &self.files
    }

    pub fn index(&self) -> &Index {
        &self.index
    }

    /// Positions for a set, as entities.
    pub fn entities_in(&self, set: EntitySet) -> impl Iterator<Item = (usize, &Entity)> {
        set.iter().map(|i| (i, &self.entities[i]))
    }
}
