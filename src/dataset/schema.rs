//! Every data file, declared once: the vocabularies of the filter dimensions (whose files
//! [`DIMENSIONS`](super::DIMENSIONS) names) and the tables of [`model`](super::model). The
//! loader reads the files in this order, the data package describes them, the embedded copy
//! of `data/` is compiled from them, and the tests iterate them.

use super::dimension::{Dim, Values};
use super::model::{self, VocabularyRow};
use super::table::{self, File, Row, Spec};

/// The spec of the vocabulary file of a dimension whose values are read from the data.
pub fn vocabulary_spec(dim: Dim) -> Option<Spec> {
    match dim.get().values {
        Values::File {
            name,
            title,
            embedded,
        } => Some(Spec {
            file: name,
            resource: name.trim_end_matches(".csv"),
            title,
            noun: dim.get().kind,
            key: &["id"],
            duplicate: |noun, key| format!("duplicate {noun} '{}'", key[0]),
            embedded,
        }),
        Values::Fixed(_) => None,
    }
}

/// The documents beside the data files: the codebook and the change log, shown as pages and
/// served as they are; `(name, the copy compiled into the binary)`.
pub const DOCUMENTS: &[(&str, &str)] = &[
    (
        "README.md",
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/README.md")),
    ),
    (
        "CHANGES.md",
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/CHANGES.md")),
    ),
];

/// Every data file in loading order: the vocabularies, then the tables.
pub fn files() -> Vec<File> {
    Dim::all()
        .filter_map(vocabulary_spec)
        .map(|spec| File {
            spec,
            columns: table::expand(VocabularyRow::columns()),
        })
        .chain(model::tables())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::model::{Entity, Link};
    use crate::dataset::table::Table;

    #[test]
    fn every_file_is_listed_once_with_its_dimension_columns() {
        let files = files();
        let mut names: Vec<_> = files.iter().map(File::name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), files.len());
        let columns = |spec: Spec| -> Vec<&str> {
            let file = files.iter().find(|f| f.spec.file == spec.file).unwrap();
            file.columns.iter().map(|c| c.name).collect()
        };
        for d in Dim::all() {
            let listed = if d.get().of_links() {
                columns(Link::SPEC).contains(&d.get().column)
            } else {
                columns(Entity::SPEC).contains(&d.get().column)
            };
            assert!(listed, "dimension {} has no column", d.get().param);
        }
    }
}
