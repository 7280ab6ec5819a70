//! The filter dimensions, declared once. Every layer iterates [`DIMENSIONS`]: the loader
//! reads each dimension's column, the index keeps a set of entities per value, the query
//! parser takes each `param`, the facets, the CLI's flags, the breakdown chart, the exports
//! and the data package list them.
//!
//! A dimension's values are a [`Vocabulary`](super::Vocabulary): read from a file in `data/`
//! ([`Values::File`]) or declared in code ([`Values::Fixed`]). Adding a dimension is one entry
//! here plus its data: the column in `entities.csv` or `links.csv` and, for a new vocabulary,
//! its file.

use super::codes::{Basis, Grade};
use super::vocab::Vocabulary;

/// Which rows a dimension describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Of {
    /// A property of the entity (its organ, its pillars): `several` allows more than one
    /// value, `;`-separated in the file.
    Entity { several: bool },
    /// A property of a link (its crime type, its basis): it selects the entities with a link
    /// of that value, and restricts which links count for the other link dimensions.
    Link,
}

/// Where a dimension's values come from.
#[derive(Debug, Clone, Copy)]
pub enum Values {
    /// A vocabulary file in `data/` (columns `id,label,short_label[,colour][,description]`),
    /// with the copy compiled into the binary.
    File {
        name: &'static str,
        title: &'static str,
        embedded: &'static [u8],
    },
    /// A vocabulary whose meaning lives in code.
    Fixed(fn() -> Vocabulary),
}

/// One filter dimension.
#[derive(Debug)]
pub struct Dimension {
    /// The query parameter and CLI flag (`crime` for `?crime=...` and `--crime`).
    pub param: &'static str,
    /// Its column in `entities.csv` or `links.csv`.
    pub column: &'static str,
    /// Heading of its facet ("Crime type").
    pub label: &'static str,
    /// What one value is called in error messages ("organ").
    pub kind: &'static str,
    /// What one value is called in prose, e.g. chart titles ("principal organ").
    pub noun: &'static str,
    /// The column's description, for the codebook checks and `datapackage.json`.
    pub description: &'static str,
    pub of: Of,
    pub values: Values,
    /// Values may be written by label as well as by slug (the chart's box names).
    pub by_label: bool,
    /// Offered as a `by=` split of the breakdown chart.
    pub breakdown: bool,
}

/// A dimension's position in [`DIMENSIONS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Dim(pub usize);

impl Dim {
    /// Its declaration.
    pub fn get(self) -> &'static Dimension {
        &DIMENSIONS[self.0]
    }

    /// Every dimension, in declaration order (the order of facets and flags).
    pub fn all() -> impl ExactSizeIterator<Item = Dim> {
        (0..DIMENSIONS.len()).map(Dim)
    }

    /// The dimensions of entities or of links.
    pub fn of(link: bool) -> impl Iterator<Item = Dim> {
        Dim::all().filter(move |d| (d.get().of == Of::Link) == link)
    }

    /// The dimension whose parameter is `param`.
    pub fn by_param(param: &str) -> Option<Dim> {
        Dim::all().find(|d| d.get().param == param)
    }
}

impl From<Dim> for usize {
    fn from(dim: Dim) -> usize {
        dim.0
    }
}

/// The crime types: what the mapping is about. `match=all` applies to it.
pub const CRIME: Dim = Dim(0);
/// A link's basis: an explicit mandate or a working agenda.
pub const BASIS: Dim = Dim(1);
/// How well a link's evidence supports it: strong or partial.
pub const EVIDENCE: Dim = Dim(2);
/// The principal organ an entity sits under on the chart.
pub const ORGAN: Dim = Dim(3);
/// The box an entity sits in on the chart.
pub const CATEGORY: Dim = Dim(4);
/// The UN's pillars of work.
pub const PILLAR: Dim = Dim(5);

/// Every filter dimension, in the order facets and flags show them.
pub static DIMENSIONS: &[Dimension] = &[
    Dimension {
        param: "crime",
        kind: "crime type",
        column: "crime",
        label: "Crime type",
        noun: "crime type",
        description: "A crime type id",
        of: Of::Link,
        values: Values::File {
            name: "crime_types.csv",
            title: "The crime types",
            embedded: data_file!("crime_types.csv"),
        },
        by_label: false,
        breakdown: false,
    },
    Dimension {
        param: "basis",
        kind: "basis",
        column: "basis",
        label: "Basis",
        noun: "basis",
        description: "mandate: an explicit mandate from a UN governing body; agenda: a working agenda",
        of: Of::Link,
        values: Values::Fixed(Basis::vocabulary),
        by_label: false,
        breakdown: false,
    },
    Dimension {
        param: "evidence",
        kind: "evidence grade",
        column: "evidence",
        label: "Evidence",
        noun: "evidence grade",
        description: "strong: the quote or source states the entity's own work on the crime type, dated 2019 or earlier; partial: indirect evidence (a partnership, a membership, an event, one mention in a list, a co-mention in the report) or evidence dated after 2019",
        of: Of::Link,
        values: Values::Fixed(Grade::vocabulary),
        by_label: false,
        breakdown: false,
    },
    Dimension {
        param: "organ",
        kind: "organ",
        column: "organ",
        label: "Principal organ",
        noun: "principal organ",
        description: "Principal organ it sits under on the UN System chart",
        of: Of::Entity { several: false },
        values: Values::File {
            name: "organs.csv",
            title: "The principal organs of the UN",
            embedded: data_file!("organs.csv"),
        },
        by_label: false,
        breakdown: true,
    },
    Dimension {
        param: "category",
        kind: "category",
        column: "category",
        label: "Place on the chart",
        noun: "place on the UN System chart",
        description: "Its box on the chart, as the chart labels it (the slug is also accepted)",
        of: Of::Entity { several: false },
        values: Values::File {
            name: "categories.csv",
            title: "The boxes of the UN System chart",
            embedded: data_file!("categories.csv"),
        },
        by_label: true,
        breakdown: true,
    },
    Dimension {
        param: "pillar",
        kind: "pillar",
        column: "pillars",
        label: "Pillar",
        noun: "pillar",
        description: "The entity's main lines of work: one or more pillar ids, separated by ';'",
        of: Of::Entity { several: true },
        values: Values::File {
            name: "pillars.csv",
            title: "The pillars of the UN's work",
            embedded: data_file!("pillars.csv"),
        },
        by_label: false,
        breakdown: true,
    },
];

impl Dimension {
    /// Whether it describes links (rather than entities).
    pub fn of_links(&self) -> bool {
        self.of == Of::Link
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_named_dimensions_are_where_their_constants_say() {
        for (dim, param) in [
            (CRIME, "crime"),
            (BASIS, "basis"),
            (EVIDENCE, "evidence"),
            (PILLAR, "pillar"),
            (ORGAN, "organ"),
            (CATEGORY, "category"),
        ] {
            assert_eq!(dim.get().param, param);
            assert_eq!(Dim::by_param(param), Some(dim));
        }
        assert_eq!(
            CRIME.get().of,
            Of::Link,
            "match=all and coverage count links"
        );
    }

    #[test]
    fn parameters_and_columns_are_unique() {
        let mut params: Vec<_> = DIMENSIONS.iter().map(|d| d.param).collect();
        params.sort();
        params.dedup();
        assert_eq!(params.len(), DIMENSIONS.len());
    }
}
