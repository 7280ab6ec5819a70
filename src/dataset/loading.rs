//! The state of one load ([`Loading`]): the files given, the vocabularies once read, the
//! problems found, each file's header, and the line each row came from, so that a problem
//! found after reading (a reference that does not resolve, a rule a row breaks) still names
//! its file, line and column. [`load`](super::load) drives it, table by table;
//! [`records`](super::records) reads each file's rows.

use std::collections::HashMap;
use std::sync::mpsc::SyncSender;

use super::records::{check_header, file_error, read};
use super::resolve::Resolver;
use super::source::{LoadError, Piece, Source, Sources};
use super::table::{Table, expand};
use super::vocab::Vocabulary;

/// The state of a load: the files, the vocabularies once read, the problems found, the
/// headers, and where each row came from (to locate problems found after reading).
pub struct Loading<'a> {
    sources: &'a mut Sources,
    /// Where each file read is handed on, as it is read.
    keeper: Option<&'a SyncSender<Piece>>,
    vocabularies: &'a [Vocabulary],
    pub errors: Vec<LoadError>,
    pub headers: HashMap<&'static str, Vec<String>>,
    resolver: Resolver<'a>,
    /// Per file: the name to report it under and each row's line.
    lines: HashMap<&'static str, (String, Vec<u64>)>,
    /// The rows whose references did not resolve, by file: their rules are not checked.
    unresolved: std::collections::HashSet<(&'static str, usize)>,
}

impl<'a> Loading<'a> {
    pub fn new(
        sources: &'a mut Sources,
        vocabularies: &'a [Vocabulary],
        keeper: Option<&'a SyncSender<Piece>>,
    ) -> Loading<'a> {
        Loading {
            sources,
            keeper,
            vocabularies,
            errors: Vec::new(),
            headers: HashMap::new(),
            resolver: Resolver::new(vocabularies),
            lines: HashMap::new(),
            unresolved: Default::default(),
        }
    }

    /// Reads table `T`, remembering each row's line, then lets go of the file's bytes (the
    /// rows own what they keep).
    pub fn read<T: Table>(&mut self) -> Vec<T> {
        let file = T::SPEC.file;
        let Some(source) = given(self.sources, file, &mut self.errors) else {
            self.lines.insert(file, (file.to_owned(), Vec::new()));
            return Vec::new();
        };
        let name = source.name.clone();
        let read = read::<T>(
            source,
            &T::SPEC,
            self.vocabularies,
            &mut self.errors,
            self.keeper,
        );
        self.sources.release(file);
        let Some(read) = read else {
            self.lines.insert(file, (name, Vec::new()));
            return Vec::new();
        };
        self.headers.insert(file, read.header);
        self.resolver.add_keys(file, read.keys);
        self.lines.insert(file, (name, read.lines));
        read.rows
    }

    /// Checks only the header of table `T` (when its rows cannot be read meaningfully).
    pub fn check_header<T: Table>(&mut self) {
        let Some(source) = given(self.sources, T::SPEC.file, &mut self.errors) else {
            return;
        };
        let mut stream = match source.stream(None) {
            Ok(stream) => stream,
            Err(why) => {
                self.errors.push(file_error(&source.name, None, why));
                return;
            }
        };
        let mut reader = csv::ReaderBuilder::new().from_reader(&mut stream);
        if let Ok(header) = reader.headers() {
            let header: Vec<String> = header.iter().map(|s| s.trim().to_owned()).collect();
            check_header(
                &source.name,
                &header,
                &expand(T::columns()),
                &mut self.errors,
            );
            self.headers.insert(T::SPEC.file, header);
        }
    }

    /// Reports a problem of the `i`th row of table `T`, at `column`.
    pub fn report<T: Table>(&mut self, i: usize, column: &str, message: String) {
        let (file, line) = match self.lines.get(T::SPEC.file) {
            Some((name, lines)) => (name.clone(), lines.get(i).copied()),
            None => (T::SPEC.file.to_owned(), None),
        };
        self.errors.push(LoadError {
            file,
            line,
            column: Some(column.to_owned()),
            message,
        });
    }

    /// Reports a problem of table `T`'s file as a whole.
    pub fn report_file<T: Table>(&mut self, message: &str) {
        let file = match self.lines.get(T::SPEC.file) {
            Some((name, _)) => name.clone(),
            None => T::SPEC.file.to_owned(),
        };
        self.errors.push(file_error(&file, None, message));
    }

    /// Resolves the references of every row of `T`.
    pub fn resolve<T: Table>(&mut self, rows: &mut [T]) {
        let mut problems = Vec::new();
        for (i, row) in rows.iter_mut().enumerate() {
            row.resolve(&self.resolver, &mut |column, message| {
                problems.push((i, column, message));
            });
        }
        for (i, column, message) in problems {
            self.unresolved.insert((T::SPEC.file, i));
            self.report::<T>(i, column, message);
        }
    }

    /// Checks every row of `T` against its table's rules.
    pub fn check<T: Table>(&mut self, rows: &[T]) {
        for (i, row) in rows.iter().enumerate() {
            if self.unresolved.contains(&(T::SPEC.file, i)) {
                continue;
            }
            for (column, message) in row.check(rows) {
                self.report::<T>(i, column, message);
            }
        }
    }
}

/// The source of `file`, or a problem saying it was not given.
fn given<'s>(sources: &'s Sources, file: &str, errors: &mut Vec<LoadError>) -> Option<&'s Source> {
    let source = sources.get(file);
    if source.is_none() {
        errors.push(file_error(file, None, "the file was not given"));
    }
    source
}
