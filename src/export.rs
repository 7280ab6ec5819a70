//! The public shapes of exported data: the JSON objects (also served by the JSON API) and
//! the spreadsheet-ready CSV. Both are built from a filtered [`EntitySet`].

use serde::Serialize;

use crate::dataset::{CrimeId, CrimeType, Dataset, Entity, EntitySet, Link, Pillar};

/// The export's top-level JSON object.
#[derive(Debug, Serialize)]
pub struct Export<'a> {
    pub entities: Vec<EntityRecord<'a>>,
    pub crime_types: &'a [CrimeType],
}

/// One entity as exported: the public contract of the JSON export and API.
#[derive(Debug, Serialize)]
pub struct EntityRecord<'a> {
    pub id: &'a str,
    pub acronym: &'a str,
    pub name: &'a str,
    /// The principal organ's id, e.g. `general-assembly`.
    pub organ: &'a str,
    /// The chart box's label, e.g. `Funds and Programmes`.
    pub category: &'a str,
    pub pillars: &'a [Pillar],
    pub website: &'a str,
    pub summary: &'a str,
    pub notes: &'a str,
    pub links: Vec<LinkRecord<'a>>,
    /// Ids of the coordination groups it belongs to.
    pub groups: Vec<&'a str>,
}

/// One link as exported.
#[derive(Debug, Serialize)]
pub struct LinkRecord<'a> {
    pub crime: CrimeId,
    pub basis: &'a str,
    pub summary: &'a str,
    pub provenance: &'a str,
    /// The report's verbatim words, for `provenance: report`; otherwise null.
    pub quote: Option<&'a str>,
    /// Where the link is established, for `provenance: compiled`; otherwise null.
    pub source: Option<&'a str>,
    pub notes: &'a str,
}

impl<'a> LinkRecord<'a> {
    pub fn new(link: &'a Link) -> Self {
        LinkRecord {
            crime: link.crime,
            basis: link.basis.as_str(),
            summary: &link.summary,
            provenance: link.evidence.provenance().as_str(),
            quote: link.evidence.quote(),
            source: link.evidence.source(),
            notes: &link.notes,
        }
    }
}

impl<'a> EntityRecord<'a> {
    /// The record of the entity at `position`.
    pub fn new(data: &'a Dataset, position: usize, entity: &'a Entity) -> Self {
        EntityRecord {
            id: &entity.id,
            acronym: &entity.acronym,
            name: &entity.name,
            organ: entity.organ.as_str(),
            category: entity.category.label(),
            pillars: &entity.pillars,
            website: &entity.website,
            summary: &entity.summary,
            notes: &entity.notes,
            links: data.links_of(position).map(LinkRecord::new).collect(),
            groups: data.groups_of(position).map(|g| g.id.as_str()).collect(),
        }
    }
}

/// The export of the entities in `set`, in data order.
pub fn export(data: &Dataset, set: EntitySet) -> Export<'_> {
    Export {
        entities: data
            .entities_in(set)
            .map(|(i, e)| EntityRecord::new(data, i, e))
            .collect(),
        crime_types: data.crime_types(),
    }
}

/// Writes the export as pretty JSON.
pub fn write_json(
    data: &Dataset,
    set: EntitySet,
    out: impl std::io::Write,
) -> serde_json::Result<()> {
    serde_json::to_writer_pretty(out, &export(data, set))
}

/// The CSV export's fixed columns, before one column per crime type.
pub const CSV_COLUMNS: [&str; 7] = [
    "id", "acronym", "name", "organ", "category", "pillars", "website",
];

/// Writes one row per entity, with one column per crime type holding `mandate`, `agenda`
/// or nothing: ready for a spreadsheet.
pub fn write_csv(data: &Dataset, set: EntitySet, out: impl std::io::Write) -> csv::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    let header = CSV_COLUMNS
        .iter()
        .copied()
        .chain(CrimeId::ALL.iter().map(|c| c.as_str()));
    w.write_record(header)?;
    for (i, e) in data.entities_in(set) {
        let pillars = e
            .pillars
            .iter()
            .map(|p| p.as_str())
            .collect::<Vec<_>>()
            .join(";");
        let fixed = [
            e.id.as_str(),
            &e.acronym,
            &e.name,
            e.organ.as_str(),
            e.category.label(),
            &pillars,
            &e.website,
        ];
        let crimes = CrimeId::ALL
            .iter()
            .map(|&c| data.link(i, c).map_or("", |l| l.basis.as_str()));
        w.write_record(fixed.into_iter().chain(crimes))?;
    }
    w.flush()?;
    Ok(())
}
