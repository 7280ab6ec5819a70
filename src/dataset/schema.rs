//! The data files, their columns and what each column holds, declared once: the loader reads
//! the files through [`files`], `datapackage.json` describes them from the same list, and the
//! embedded copy of `data/` is compiled from it.
//!
//! The vocabulary files come from [`DIMENSIONS`]; the columns an entity or a link has in each
//! dimension are inserted where [`FileSpec::dimensions`] says.

use super::dimension::{Dim, Of, Values};
use super::model::{InstrumentKind, MandateKind, Provenance, Role, Unit};

/// What a column holds, for validation and the data package's constraints.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// Free text.
    Text,
    /// A lower-case slug naming the row.
    Slug,
    /// The values of a filter dimension.
    Dimension(Dim),
    /// One of a closed set of values declared in code.
    Fixed(fn() -> Vec<String>),
    /// The key of a row of another file: `(resource, field)`.
    Ref(&'static str, &'static str),
}

/// One column of a data file.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    pub description: &'static str,
    /// Every row must fill it.
    pub required: bool,
    /// The header may leave it out altogether.
    pub optional: bool,
    pub kind: Kind,
}

const fn text(name: &'static str, description: &'static str, required: bool) -> Column {
    Column {
        name,
        description,
        required,
        optional: false,
        kind: Kind::Text,
    }
}

const fn notes(description: &'static str) -> Column {
    Column {
        optional: true,
        ..text("notes", description, false)
    }
}

const fn slug(name: &'static str, description: &'static str) -> Column {
    Column {
        kind: Kind::Slug,
        ..text(name, description, true)
    }
}

const fn reference(
    name: &'static str,
    description: &'static str,
    to: (&'static str, &'static str),
) -> Column {
    Column {
        kind: Kind::Ref(to.0, to.1),
        ..text(name, description, true)
    }
}

const fn fixed(name: &'static str, description: &'static str, f: fn() -> Vec<String>) -> Column {
    Column {
        kind: Kind::Fixed(f),
        ..text(name, description, true)
    }
}

/// One data file.
#[derive(Debug, Clone, Copy)]
pub struct FileSpec {
    /// The file's name in `data/`.
    pub name: &'static str,
    /// Its resource name in `datapackage.json`.
    pub resource: &'static str,
    pub title: &'static str,
    /// Its columns, in the order of the shipped file's header.
    pub columns: &'static [Column],
    /// The columns of the entity or link dimensions, inserted after the column named here.
    pub dimensions: Option<(Of, &'static str)>,
    /// The columns that identify a row.
    pub key: &'static [&'static str],
    /// The copy compiled into the binary.
    pub embedded: &'static [u8],
}

impl FileSpec {
    /// Every column, the dimensions' included, in header order.
    pub fn all_columns(&self) -> Vec<Column> {
        let mut columns = Vec::new();
        for column in self.columns {
            columns.push(*column);
            if let Some((of, after)) = self.dimensions
                && column.name == after
            {
                columns.extend(dimension_columns(of));
            }
        }
        columns
    }
}

fn dimension_columns(of: Of) -> impl Iterator<Item = Column> {
    Dim::all()
        .filter(move |d| (d.get().of == Of::Link) == (of == Of::Link))
        .map(|d| {
            let dimension = d.get();
            Column {
                kind: Kind::Dimension(d),
                ..text(dimension.column, dimension.description, true)
            }
        })
}

/// The columns of every vocabulary file.
pub const VOCABULARY_COLUMNS: &[Column] = &[
    slug(
        "id",
        "Stable lower-case slug, used in the other files and in URLs",
    ),
    text("label", "Full name", true),
    text(
        "short_label",
        "A word or two for chart axes and narrow screens",
        true,
    ),
    Column {
        optional: true,
        ..text(
            "colour",
            "A colour for the views that draw it (#rrggbb); white text must be legible on it",
            false,
        )
    },
    Column {
        optional: true,
        ..text("description", "What it covers", false)
    },
];

fn provenances() -> Vec<String> {
    Provenance::slugs()
}

fn roles() -> Vec<String> {
    Role::slugs()
}

fn units() -> Vec<String> {
    Unit::slugs()
}

fn instrument_kinds() -> Vec<String> {
    InstrumentKind::slugs()
}

fn mandate_kinds() -> Vec<String> {
    MandateKind::slugs()
}

fn booleans() -> Vec<String> {
    vec!["true".to_owned(), "false".to_owned()]
}

/// A reference that may be left empty.
const fn optional_reference(
    name: &'static str,
    description: &'static str,
    to: (&'static str, &'static str),
) -> Column {
    Column {
        required: false,
        ..reference(name, description, to)
    }
}

/// The files that are not vocabularies, in loading order.
pub const ENTITIES: FileSpec = FileSpec {
    name: "entities.csv",
    resource: "entities",
    title: "The entities of the UN System",
    columns: &[
        slug("id", "Stable lower-case slug"),
        text("acronym", "Usual acronym", true),
        text("name", "Full English name (2018-2019)", true),
        Column {
            required: false,
            optional: true,
            ..reference(
                "parent",
                "For a body the chart does not draw as a box: the chart entity it belongs to or is served by (never counted in the denominator); empty for a chart box",
                ("entities", "id"),
            )
        },
        text(
            "website",
            "Official website, empty where none was verified",
            false,
        ),
        text(
            "summary",
            "One to three sentences on its general mandate",
            true,
        ),
        notes("What the row covers, successor bodies, uncertainty"),
    ],
    dimensions: Some((Of::Entity { several: false }, "name")),
    key: &["id"],
    embedded: data_file!("entities.csv"),
};

pub const LINKS: FileSpec = FileSpec {
    name: "links.csv",
    resource: "links",
    title: "Which entity works on which crime type, with evidence",
    columns: &[
        reference("entity", "An entity id", ("entities", "id")),
        text(
            "mandate_source",
            "For mandate links: the governing body's decision, as resolution or decision symbols with years",
            false,
        ),
        text("summary", "What the entity does on the crime type", true),
        fixed(
            "provenance",
            "report: the report states it; compiled: established from elsewhere",
            provenances,
        ),
        text(
            "quote",
            "For report links: the report's verbatim words",
            false,
        ),
        text(
            "source",
            "For compiled links: the page or document, with title, issuer, URL or UN document symbol, and date",
            false,
        ),
        text(
            "source_year",
            "For compiled links: the year of the evidence cited",
            false,
        ),
        notes("Uncertainty and reasoning; a partial link says why it is partial"),
    ],
    dimensions: Some((Of::Link, "entity")),
    key: &["entity", "crime"],
    embedded: data_file!("links.csv"),
};

pub const GROUPS: FileSpec = FileSpec {
    name: "groups.csv",
    resource: "groups",
    title: "Inter-agency coordination groups the report names",
    columns: &[
        slug("id", "Stable lower-case slug"),
        text("name", "Full name", true),
        text("acronym", "Acronym, if any", false),
        text(
            "crimes",
            "Crime type ids separated by ';' (may be empty, see notes)",
            false,
        ),
        text("quote", "The report's verbatim words naming it", true),
        notes("Non-UN members, uncertainty"),
    ],
    dimensions: None,
    key: &["id"],
    embedded: data_file!("groups.csv"),
};

pub const GROUP_MEMBERS: FileSpec = FileSpec {
    name: "group_members.csv",
    resource: "group_members",
    title: "Members of the coordination groups",
    columns: &[
        reference("group", "A group id", ("groups", "id")),
        reference("entity", "An entity id", ("entities", "id")),
        fixed("role", "lead or member", roles),
        fixed("provenance", "report or compiled", provenances),
        text(
            "source",
            "For compiled members: the page that lists it",
            false,
        ),
    ],
    dimensions: None,
    key: &["group", "entity"],
    embedded: data_file!("group_members.csv"),
};

pub const REPORT_FIGURES: FileSpec = FileSpec {
    name: "report_figures.csv",
    resource: "report_figures",
    title: "The figures the report states, with its words",
    columns: &[
        slug("id", "Stable lower-case slug"),
        text("label", "What the figure counts", true),
        text("value", "The figure, a number", true),
        fixed("unit", "count or percent", units),
        Column {
            required: false,
            kind: Kind::Dimension(super::dimension::CRIME),
            ..text("crime", "The crime type it is about, if one", false)
        },
        text(
            "quote",
            "The report's verbatim words stating or implying it",
            true,
        ),
        notes("For the per-crime counts: why the evidence here differs from the report's figure"),
    ],
    dimensions: None,
    key: &["id"],
    embedded: data_file!("report_figures.csv"),
};

pub const INSTRUMENTS: FileSpec = FileSpec {
    name: "instruments.csv",
    resource: "instruments",
    title: "Conventions, protocols and bodies of the UN's crime and drug regimes (the report's Figure 2, rebuilt)",
    columns: &[
        slug("id", "Stable lower-case slug"),
        text("name", "Full name", true),
        text("short_name", "A few words for the timeline", true),
        fixed(
            "type",
            "convention, protocol, commission, board or office",
            instrument_kinds,
        ),
        text(
            "date",
            "Adopted (an instrument) or established (a body): YYYY, YYYY-MM or YYYY-MM-DD, as precise as the source",
            true,
        ),
        text(
            "adopting_decision",
            "Symbol of the adopting or establishing decision, as the source writes it; empty for a treaty adopted by a conference",
            false,
        ),
        text("crimes", "Crime type ids separated by ';'", true),
        optional_reference(
            "entity",
            "The entity it is, if it is one",
            ("entities", "id"),
        ),
        optional_reference(
            "secretariat",
            "The entity serving as its secretariat, if one",
            ("entities", "id"),
        ),
        fixed(
            "later_than_report",
            "true for what is dated after the report (2019): shown apart from its picture",
            booleans,
        ),
        text(
            "report_quote",
            "The report's verbatim words naming it; empty for what the report does not name",
            false,
        ),
        text(
            "source",
            "Where the date, decision and crime types are stated",
            true,
        ),
        notes("Uncertainty, other dates in the sources, and whether the report names it"),
    ],
    dimensions: None,
    key: &["id"],
    embedded: data_file!("instruments.csv"),
};

pub const SPECIAL_PROCEDURES: FileSpec = FileSpec {
    name: "special_procedures.csv",
    resource: "special_procedures",
    title: "Human Rights Council special procedures whose work touches the crime types (the report's Figure 4, rebuilt)",
    columns: &[
        slug("id", "Stable lower-case slug"),
        text("title", "The mandate's title", true),
        text(
            "short_title",
            "A few words for chart rows (SR: Special Rapporteur, IE: Independent Expert, WG: Working Group)",
            true,
        ),
        fixed(
            "type",
            "special-rapporteur, independent-expert or working-group",
            mandate_kinds,
        ),
        text(
            "established",
            "Year the mandate was first established (empty if not confirmed)",
            false,
        ),
        text(
            "establishing_resolution",
            "The resolution or decision that established it (empty if not confirmed)",
            false,
        ),
        text("crimes", "Crime type ids separated by ';'", true),
        text(
            "partial",
            "Those of its crime types whose evidence is partial: indirect, or resting on a document whose symbol was not confirmed (see notes)",
            false,
        ),
        text(
            "report_quote",
            "The report's verbatim words naming it, if it does",
            false,
        ),
        reference(
            "appointed_by",
            "The entity that appoints its holders",
            ("entities", "id"),
        ),
        reference(
            "supported_by",
            "The entity that supports it",
            ("entities", "id"),
        ),
        text(
            "source",
            "The documents of the mandate, dated, that show its work on each crime type",
            true,
        ),
        notes("What each crime type rests on, and what is uncertain"),
    ],
    dimensions: None,
    key: &["id"],
    embedded: data_file!("special_procedures.csv"),
};

/// The vocabulary file of a dimension whose values are read from the data.
pub fn vocabulary_file(dim: Dim) -> Option<FileSpec> {
    match dim.get().values {
        Values::File {
            name,
            title,
            embedded,
        } => Some(FileSpec {
            name,
            resource: name.trim_end_matches(".csv"),
            title,
            columns: VOCABULARY_COLUMNS,
            dimensions: None,
            key: &["id"],
            embedded,
        }),
        Values::Fixed(_) => None,
    }
}

/// Every data file: the vocabularies of the dimensions, then the entities, links and groups.
pub fn files() -> Vec<FileSpec> {
    Dim::all()
        .filter_map(vocabulary_file)
        .chain([
            ENTITIES,
            LINKS,
            GROUPS,
            GROUP_MEMBERS,
            REPORT_FIGURES,
            INSTRUMENTS,
            SPECIAL_PROCEDURES,
        ])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_is_listed_once_with_its_dimension_columns() {
        let files = files();
        let mut names: Vec<_> = files.iter().map(|f| f.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), files.len());
        let entity_columns: Vec<_> = ENTITIES.all_columns().iter().map(|c| c.name).collect();
        for d in Dim::all() {
            let listed = if d.get().of_links() {
                LINKS.all_columns().iter().any(|c| c.name == d.get().column)
            } else {
                entity_columns.contains(&d.get().column)
            };
            assert!(listed, "dimension {} has no column", d.get().param);
        }
    }
}
