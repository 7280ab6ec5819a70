//! A data file is one declaration: the [`table!`](crate::table) macro turns a struct of typed
//! cells (see [`cell`](super::cell)) into its row type, its columns with their descriptions
//! (for the codebook check and the data package) and the code that reads a row field by
//! field, so that every problem is reported with its file, line and column.
//!
//! This module holds what every table shares: the declarations' shape ([`Spec`], [`Column`],
//! [`Row`], [`Table`]) and the reader of a row's cells ([`RowReader`]);
//! [`records`](super::records) turns a file's bytes into rows, and
//! [`loading`](super::loading) holds the state of a load.

use foldhash::HashMap as FastMap;

use super::cell::{Cell, Schema};
use super::dimension::{Dim, Of};
use super::resolve::{self, Resolver};
use super::source::LoadError;
use super::vocab::{Terms, Vocabulary};

/// What a data file is: its name, title and key.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    /// The file's name in `data/`.
    pub file: &'static str,
    /// Its resource name in `datapackage.json`.
    pub resource: &'static str,
    pub title: &'static str,
    /// What one row is called in messages ("entity", "crime type").
    pub noun: &'static str,
    /// The columns that identify a row; two rows with the same values are a problem.
    pub key: &'static [&'static str],
    /// The message for a row whose key another row already has, given the noun and the
    /// key's values.
    pub duplicate: fn(&str, &[&str]) -> String,
    /// The copy compiled into the binary.
    pub embedded: &'static [u8],
}

/// One column of a data file, as its declaration says.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    /// From the field's doc comment: what the codebook and the data package say of it.
    pub description: &'static str,
    pub schema: Schema,
    /// Every row must fill it.
    pub required: bool,
    /// The header may leave it out altogether.
    pub optional: bool,
    /// Its JSON is `null` when it is empty.
    pub nullable: bool,
}

impl Column {
    /// The column of a field of type `T`.
    pub const fn of<T: Cell>(
        name: &'static str,
        description: &'static str,
        optional: bool,
    ) -> Column {
        Column {
            name,
            description,
            schema: T::SCHEMA,
            required: T::REQUIRED,
            optional,
            nullable: T::NULLABLE,
        }
    }
}

/// A row type: read field by field, its references resolved once every table is read.
pub trait Row: Sized {
    /// Its columns in declaration order; the dimension columns, if any, stand in one entry
    /// of [`Schema::Dimensions`] (see [`expand`]).
    fn columns() -> &'static [Column];
    /// Reads one record; `None` if a field had a problem (each is in `reader`'s errors).
    fn read(reader: &mut RowReader) -> Option<Self>;
    /// Resolves every reference, reporting each failure with its column.
    fn resolve(&mut self, resolver: &Resolver, report: &mut dyn FnMut(&'static str, String));
    /// Follows the rows of `file` to a subset of that table (see
    /// [`Cell::remap`](super::cell::Cell::remap)): false if the row names a row left out.
    fn remap(&mut self, file: &str, map: &[Option<usize>]) -> bool;
}

/// The rows of `rows` that name no row of `file` left out of a subset, following the others to
/// their positions in the subset (`map[old]`).
pub fn remapped<R: Row + Clone>(rows: &[R], file: &str, map: &[Option<usize>]) -> Vec<R> {
    rows.iter()
        .filter_map(|row| {
            let mut row = row.clone();
            row.remap(file, map).then_some(row)
        })
        .collect()
}

/// A data file with a row type of its own (the vocabularies share one row type).
pub trait Table: Row + 'static {
    const SPEC: Spec;

    /// The rules a row must follow beyond its cells' types, as `(column, message)` problems
    /// (`rows` is the whole table, for rules between rows).
    fn check(&self, _rows: &[Self]) -> Vec<(&'static str, String)> {
        Vec::new()
    }
}

/// The columns of a row type with its dimension columns, if any, in place.
pub fn expand(columns: &[Column]) -> Vec<Column> {
    let mut all = Vec::new();
    for column in columns {
        match column.schema {
            Schema::Dimensions => all.extend(dimension_columns(column.name == "link_values")),
            _ => all.push(*column),
        }
    }
    all
}

/// The columns of the link dimensions (`links`) or of the entity dimensions.
pub(super) fn dimension_columns(links: bool) -> impl Iterator<Item = Column> {
    Dim::of(links).map(|dim| {
        let dimension = dim.get();
        Column {
            name: dimension.column,
            description: dimension.description,
            schema: Schema::Terms {
                dim,
                several: dimension.of == (Of::Entity { several: true }),
            },
            required: true,
            optional: false,
            nullable: false,
        }
    })
}

/// One record being read: its fields by column, and the problems found so far.
pub struct RowReader<'a> {
    pub(super) file: &'a str,
    pub(super) line: u64,
    pub(super) columns: &'a FastMap<&'static str, usize>,
    pub(super) fields: &'a csv::StringRecord,
    pub(super) vocabularies: &'a [Vocabulary],
    pub(super) errors: &'a mut Vec<LoadError>,
}

impl RowReader<'_> {
    /// The trimmed text of `column` (empty if the header leaves it out).
    fn text(&self, column: &str) -> &str {
        self.columns
            .get(column)
            .and_then(|&i| self.fields.get(i))
            .map_or("", str::trim)
    }

    pub(super) fn error(&mut self, column: &str, message: String) {
        self.errors.push(LoadError {
            file: self.file.to_owned(),
            line: Some(self.line),
            column: Some(column.to_owned()),
            message,
        });
    }

    /// Reads one field as its cell type.
    pub fn cell<T: Cell>(&mut self, column: &'static str) -> Option<T> {
        match super::cell::read(self.text(column)) {
            Ok(value) => Some(value),
            Err(message) => {
                self.error(column, message);
                None
            }
        }
    }

    /// Reads the columns of the link dimensions (`links`) or of the entity dimensions.
    pub fn dimensions(&mut self, links: bool) -> Option<Terms> {
        let mut values = vec![Vec::new(); self.vocabularies.len()];
        let mut ok = true;
        for dim in Dim::of(links) {
            let dimension = dim.get();
            let several = dimension.of == (Of::Entity { several: true });
            let text = self.text(dimension.column);
            if text.is_empty() {
                self.error(dimension.column, "required field is empty".to_owned());
                ok = false;
                continue;
            }
            let parts: Vec<&str> = if several {
                text.split(';')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .collect()
            } else {
                vec![text]
            };
            let vocabulary = &self.vocabularies[dim.0];
            match resolve::terms(vocabulary, dimension.by_label, parts, several) {
                Ok(mut terms) => {
                    terms.sort();
                    values[dim.0] = terms;
                }
                Err(message) => {
                    self.error(dimension.column, message);
                    ok = false;
                }
            }
        }
        if !ok {
            return None;
        }
        let terms = Terms::new(&values);
        if terms.is_none() {
            let column = Dim::of(links).last().map_or("", |d| d.get().column);
            self.error(
                column,
                "more values in one row than can be counted (65,535)".to_owned(),
            );
        }
        terms
    }
}

/// A data file as declared: its spec and its columns (the dimension columns in place).
#[derive(Debug, Clone)]
pub struct File {
    pub spec: Spec,
    pub columns: Vec<Column>,
}

impl File {
    /// The declaration of table `T`.
    pub fn of<T: Table>() -> File {
        File {
            spec: T::SPEC,
            columns: expand(T::columns()),
        }
    }

    /// The file's name in `data/`.
    pub fn name(&self) -> &'static str {
        self.spec.file
    }
}

/// A set of tables that holds the rows of `T`.
pub trait Has<T> {
    fn rows(&self) -> &[T];
}
