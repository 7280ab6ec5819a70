//! The public shapes of exported data: the JSON objects (also served by the JSON API) and
//! the spreadsheet-ready CSV, of entities (from a filtered [`EntitySet`]) and of links (one
//! row per entity and crime type, with every evidence column, from a [`Filter`]).

use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::dataset::{Dataset, Dim, Entity, EntitySet, Group, Link, Member, Of, TermInfo, Terms};
use crate::query::Filter;

/// A sequence serialised as its iterator produces it, never collected: an export of any
/// size is written in the memory of one row.
pub struct Each<I>(std::cell::RefCell<Option<I>>);

impl<I> Each<I> {
    pub fn new(items: I) -> Each<I> {
        Each(std::cell::RefCell::new(Some(items)))
    }
}

impl<I> Serialize for Each<I>
where
    I: Iterator,
    I::Item: Serialize,
{
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let items = self
            .0
            .borrow_mut()
            .take()
            .ok_or_else(|| serde::ser::Error::custom("a streamed sequence is written once"))?;
        s.collect_seq(items)
    }
}

/// A row's values in the dimensions of one kind, serialised under each dimension's column
/// name: a dimension written by label (the chart's box) as its label, a single value as its
/// id, several as a list of ids.
#[derive(Debug)]
pub struct DimensionValues<'a> {
    data: &'a Dataset,
    terms: &'a Terms,
    links: bool,
}

impl DimensionValues<'_> {
    /// The value of one dimension as text: several values are `;`-separated.
    pub fn text(&self, dim: Dim) -> String {
        let vocabulary = self.data.vocabulary(dim);
        let by_label = dim.get().by_label;
        self.terms
            .get(dim)
            .iter()
            .map(|&t| {
                if by_label {
                    vocabulary.get(t).label.as_str()
                } else {
                    vocabulary.id(t)
                }
            })
            .collect::<Vec<_>>()
            .join(";")
    }
}

impl Serialize for DimensionValues<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        for dim in Dim::of(self.links) {
            let dimension = dim.get();
            if dimension.of == (Of::Entity { several: true }) {
                let vocabulary = self.data.vocabulary(dim);
                let ids: Vec<&str> = self
                    .terms
                    .get(dim)
                    .iter()
                    .map(|&t| vocabulary.id(t))
                    .collect();
                map.serialize_entry(dimension.column, &ids)?;
            } else {
                map.serialize_entry(dimension.column, &self.text(dim))?;
            }
        }
        map.end()
    }
}

/// The JSON of the entity dimensions' values.
fn entity_dimensions() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    crate::dataset::json_schema::dimensions(false)
}

/// The JSON of the link dimensions' values.
fn link_dimensions() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    crate::dataset::json_schema::dimensions(true)
}

/// One entity as exported: the public contract of the JSON export and API.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
#[schema(as = Entity)]
pub struct EntityRecord<'a> {
    pub id: &'a str,
    pub acronym: &'a str,
    pub name: &'a str,
    /// Its values in the entity dimensions: `organ` (id), `category` (the chart's label),
    /// `pillars` (ids).
    #[serde(flatten)]
    #[schema(schema_with = entity_dimensions)]
    pub dimensions: DimensionValues<'a>,
    /// For a body the chart does not draw as a box: the id of the chart entity it belongs
    /// to; otherwise null.
    pub parent: Option<&'a str>,
    pub website: &'a str,
    pub summary: &'a str,
    pub notes: &'a str,
    pub links: Vec<LinkRecord<'a>>,
    /// Ids of the coordination groups it belongs to.
    pub groups: Vec<&'a str>,
}

/// One link as exported.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
#[schema(as = Link)]
pub struct LinkRecord<'a> {
    /// Its values in the link dimensions: `crime`, `basis` and `evidence` (ids).
    #[serde(flatten)]
    #[schema(schema_with = link_dimensions)]
    pub dimensions: DimensionValues<'a>,
    /// For a mandate: the governing body's decision; otherwise null.
    pub mandate_source: Option<&'a str>,
    /// For a compiled link: the year of the evidence cited; otherwise null.
    pub source_year: Option<u16>,
    pub summary: &'a str,
    pub provenance: &'a str,
    /// The report's verbatim words, for `provenance: report`; otherwise null.
    pub quote: Option<&'a str>,
    /// Where the link is established, for `provenance: compiled`; otherwise null.
    pub source: Option<&'a str>,
    pub notes: &'a str,
}

impl<'a> LinkRecord<'a> {
    pub fn new(data: &'a Dataset, link: &'a Link) -> Self {
        LinkRecord {
            dimensions: DimensionValues {
                data,
                terms: &link.values,
                links: true,
            },
            mandate_source: link.mandate_source.as_deref(),
            source_year: link.source_year(),
            summary: &link.summary,
            provenance: link.provenance.as_str(),
            quote: link.quote(),
            source: link.source(),
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
            dimensions: DimensionValues {
                data,
                terms: &entity.values,
                links: false,
            },
            parent: entity.parent.as_ref().map(|p| p.id()),
            website: entity.website(),
            summary: &entity.summary,
            notes: &entity.notes,
            links: data
                .links_of(position)
                .map(|l| LinkRecord::new(data, l))
                .collect(),
            groups: data.groups_of(position).map(|g| g.id.as_str()).collect(),
        }
    }
}

/// The entities export's JSON object: the entities in `set`, in data order, then the crime
/// types.
#[derive(serde::Serialize)]
#[serde(bound = "")]
struct Export<'a, I: Iterator<Item = EntityRecord<'a>>> {
    entities: Each<I>,
    crime_types: Vec<&'a TermInfo>,
}

/// Writes the export as pretty JSON, each entity as it is made.
pub fn write_json(
    data: &Dataset,
    set: &EntitySet,
    out: impl std::io::Write,
) -> serde_json::Result<()> {
    let export = Export {
        entities: Each::new(
            data.entities_in(set)
                .map(|(i, e)| EntityRecord::new(data, i, e)),
        ),
        crime_types: data.crimes().iter().map(|(_, ct)| ct).collect(),
    };
    serde_json::to_writer_pretty(out, &export)
}

/// The CSV export's columns before one column per crime type: the entity's own, with a
/// column per entity dimension after its name.
pub fn csv_columns() -> Vec<&'static str> {
    ["id", "acronym", "name"]
        .into_iter()
        .chain(Dim::of(false).map(|d| d.get().column))
        .chain(["website"])
        .collect()
}

/// Writes one row per entity, with one column per crime type holding `mandate`, `agenda`
/// or nothing: ready for a spreadsheet.
pub fn write_csv(data: &Dataset, set: &EntitySet, out: impl std::io::Write) -> csv::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    let crimes = data.crimes();
    let header = csv_columns()
        .into_iter()
        .map(str::to_owned)
        .chain(crimes.ids());
    w.write_record(header)?;
    for (i, e) in data.entities_in(set) {
        let dimensions = DimensionValues {
            data,
            terms: &e.values,
            links: false,
        };
        let mut row: Vec<String> =
            vec![e.id.to_string(), e.acronym.to_string(), e.name.to_string()];
        row.extend(Dim::of(false).map(|d| dimensions.text(d)));
        row.push(e.website().to_owned());
        row.extend(crimes.terms().map(|c| {
            data.link(i, c)
                .map_or("", |l| l.basis().as_str())
                .to_owned()
        }));
        w.write_record(&row)?;
    }
    w.flush()?;
    Ok(())
}

/// One coordination body as exported: its row, with its members' rows.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
#[schema(as = GroupWithMembers)]
pub struct GroupRecord<'a> {
    #[serde(flatten)]
    pub group: &'a Group,
    pub members: Vec<&'a Member>,
}

impl<'a> GroupRecord<'a> {
    pub fn new(data: &'a Dataset, group: &'a Group) -> GroupRecord<'a> {
        GroupRecord {
            group,
            members: data.members_of(group).collect(),
        }
    }
}

/// One link on its own row: its entity and edition named, then its evidence.
#[derive(Debug, serde::Serialize)]
pub struct LinkRow<'a> {
    /// The entity's id and acronym.
    pub entity: &'a str,
    pub acronym: &'a str,
    /// The edition it belongs to.
    pub edition: &'a str,
    #[serde(flatten)]
    pub link: LinkRecord<'a>,
    /// When a second reader last checked it (YYYY-MM-DD).
    pub checked: String,
}

impl<'a> LinkRow<'a> {
    pub fn new(data: &'a Dataset, link: &'a Link) -> Self {
        let entity = &data.entities()[link.entity()];
        LinkRow {
            entity: &entity.id,
            acronym: &entity.acronym,
            edition: &data.edition().id,
            link: LinkRecord::new(data, link),
            checked: link.checked.0.iso(),
        }
    }

    /// Its cells, in the order of [`LINK_COLUMNS`].
    fn cells(&self) -> Vec<String> {
        let link = &self.link;
        let mut cells = vec![
            self.entity.to_owned(),
            self.acronym.to_owned(),
            self.edition.to_owned(),
        ];
        cells.extend(Dim::of(true).map(|d| link.dimensions.text(d)));
        cells.extend([
            link.mandate_source.unwrap_or_default().to_owned(),
            link.source_year.map_or(String::new(), |y| y.to_string()),
            link.summary.to_owned(),
            link.provenance.to_owned(),
            link.quote.unwrap_or_default().to_owned(),
            link.source.unwrap_or_default().to_owned(),
            link.notes.to_owned(),
            self.checked.clone(),
        ]);
        cells
    }
}

/// The links export's JSON object: the links, then the crime types.
#[derive(serde::Serialize)]
#[serde(bound = "")]
struct LinksExport<'a, I: Iterator<Item = LinkRow<'a>>> {
    links: Each<I>,
    crime_types: Vec<&'a TermInfo>,
}

/// The link export's CSV columns: the entity, the edition, a column per link dimension
/// (`crime`, `basis`, `evidence`), then the evidence, named as in `links.csv`.
pub fn link_columns() -> Vec<&'static str> {
    ["entity", "acronym", "edition"]
        .into_iter()
        .chain(Dim::of(true).map(|d| d.get().column))
        .chain([
            "mandate_source",
            "source_year",
            "summary",
            "provenance",
            "quote",
            "source",
            "notes",
            "checked",
        ])
        .collect()
}

/// Writes the links `filter` selects as pretty JSON, each as it is made.
pub fn write_links_json(
    data: &Dataset,
    filter: &Filter,
    out: impl std::io::Write,
) -> serde_json::Result<()> {
    let export = LinksExport {
        links: Each::new(
            filter
                .links(data)
                .into_iter()
                .map(|l| LinkRow::new(data, l)),
        ),
        crime_types: data.crimes().iter().map(|(_, ct)| ct).collect(),
    };
    serde_json::to_writer_pretty(out, &export)
}

/// Writes one row per link `filter` selects, with every evidence column.
pub fn write_links_csv(
    data: &Dataset,
    filter: &Filter,
    out: impl std::io::Write,
) -> csv::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(link_columns())?;
    for link in filter.links(data) {
        w.write_record(LinkRow::new(data, link).cells())?;
    }
    w.flush()?;
    Ok(())
}
