//! A data file's records read into rows of a table: its header checked against the
//! declaration, each record's key checked for repeats, and every problem located by file,
//! line and column (the rows' cells are read by [`RowReader`]).

use std::fmt::Write as _;
use std::sync::mpsc::SyncSender;

use foldhash::{HashMap as FastMap, HashSet as FastSet};

use super::source::{LoadError, Piece, Source};
use super::table::{Column, Row, RowReader, Spec, expand};
use super::vocab::Vocabulary;

/// A file read into rows, each with its line, and the key of every record.
pub struct Read<R> {
    pub rows: Vec<R>,
    /// Each row's line.
    pub lines: Vec<u64>,
    /// The key of every record in order (valid or not), for references to check against.
    pub keys: Vec<String>,
    /// The header as read.
    pub header: Vec<String>,
}

/// Reads a file into rows of `R`, reporting every problem in `errors`; what is read is handed
/// to `keeper`. A file that cannot be split into records at all yields `None`.
pub fn read<R: Row>(
    source: &Source,
    spec: &Spec,
    vocabularies: &[Vocabulary],
    errors: &mut Vec<LoadError>,
    keeper: Option<&SyncSender<Piece>>,
) -> Option<Read<R>> {
    let file = source.name.as_str();
    let mut stream = match source.stream(keeper) {
        Ok(stream) => stream,
        Err(why) => {
            errors.push(file_error(file, None, why));
            return None;
        }
    };
    let read = read_records(&mut stream, file, spec, vocabularies, errors);
    if let Err(why) = stream.finish() {
        errors.push(file_error(file, None, why));
        return None;
    }
    read
}

/// A problem the CSV reader found: its line, and what is wrong (`what` names what was read).
fn csv_problem(e: &csv::Error, what: &str) -> (Option<u64>, String) {
    match e.kind() {
        csv::ErrorKind::Utf8 { pos, err } => (
            pos.as_ref().map(csv::Position::line),
            format!(
                "not valid UTF-8 (field {}, after {} valid bytes of it): save the file as UTF-8",
                err.field() + 1,
                err.valid_up_to()
            ),
        ),
        _ => (
            e.position().map(csv::Position::line),
            format!("{what}: {e}"),
        ),
    }
}

fn read_records<R: Row>(
    text: &mut impl std::io::Read,
    file: &str,
    spec: &Spec,
    vocabularies: &[Vocabulary],
    errors: &mut Vec<LoadError>,
) -> Option<Read<R>> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text);
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|s| s.trim().to_owned()).collect(),
        Err(e) => {
            let (line, message) = csv_problem(&e, "malformed header");
            errors.push(file_error(file, line.or(Some(1)), message));
            return None;
        }
    };
    let columns = check_header(file, &header, &expand(R::columns()), errors)?;
    let mut read = Read {
        rows: Vec::new(),
        lines: Vec::new(),
        keys: Vec::new(),
        header,
    };
    let mut seen: FastSet<String> = FastSet::default();
    // One record, read into again for each row.
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let (line, message) = csv_problem(&e, "malformed CSV");
                errors.push(file_error(file, line, message));
                return None;
            }
        }
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(|f| f.trim().is_empty()) {
            continue; // a blank line, e.g. a trailing one
        }
        if record.len() != read.header.len() {
            errors.push(file_error(
                file,
                Some(line),
                format!(
                    "has {} fields, the header has {} (is a comma inside a field missing its double quotes?)",
                    record.len(),
                    read.header.len()
                ),
            ));
            continue;
        }
        let key: Vec<&str> = spec
            .key
            .iter()
            .map(|c| {
                columns
                    .get(c)
                    .and_then(|&i| record.get(i))
                    .map_or("", str::trim)
            })
            .collect();
        // A complete key as one string, each part after its length, so that two keys are
        // the same only if every part is.
        let tuple = key.iter().all(|k| !k.is_empty()).then(|| {
            key.iter().fold(String::new(), |mut tuple, part| {
                let _ = write!(tuple, "{}:{part}", part.len());
                tuple
            })
        });
        let mut reader = RowReader {
            file,
            line,
            columns: &columns,
            fields: &record,
            vocabularies,
            errors,
        };
        if tuple.as_ref().is_some_and(|tuple| seen.contains(tuple)) {
            let column = spec.key[spec.key.len() - 1];
            reader.error(column, (spec.duplicate)(spec.noun, &key));
            continue;
        }
        read.keys.push(key.join(";"));
        seen.extend(tuple);
        if let Some(row) = R::read(&mut reader) {
            read.rows.push(row);
            read.lines.push(line);
        }
    }
    // The rows are kept for as long as the data is: no spare capacity.
    read.rows.shrink_to_fit();
    Some(read)
}

pub(super) fn file_error(file: &str, line: Option<u64>, message: impl Into<String>) -> LoadError {
    LoadError {
        file: file.to_owned(),
        line,
        column: None,
        message: message.into(),
    }
}

/// Checks a header against the file's columns: each known, none twice, none required
/// missing. Answers each column's position.
pub(super) fn check_header(
    file: &str,
    header: &[String],
    spec: &[Column],
    errors: &mut Vec<LoadError>,
) -> Option<FastMap<&'static str, usize>> {
    let names: Vec<&'static str> = spec.iter().map(|c| c.name).collect();
    let problem = |message: String| file_error(file, Some(1), message);
    if header.iter().all(|h| h.is_empty()) {
        let required: Vec<&str> = spec
            .iter()
            .filter(|c| !c.optional)
            .map(|c| c.name)
            .collect();
        errors.push(problem(format!(
            "empty file: expected a header row with columns {}",
            required.join(",")
        )));
        return None;
    }
    let before = errors.len();
    let mut columns = FastMap::default();
    for (i, name) in header.iter().enumerate() {
        match names.iter().find(|c| **c == name.as_str()) {
            Some(&known) if columns.contains_key(known) => {
                errors.push(problem(format!("column '{name}' appears twice")));
            }
            Some(&known) => {
                columns.insert(known, i);
            }
            None => errors.push(problem(format!(
                "unknown column '{name}' (expected: {})",
                names.join(", ")
            ))),
        }
    }
    for column in spec.iter().filter(|c| !c.optional) {
        if !columns.contains_key(column.name) {
            errors.push(problem(format!("missing column '{}'", column.name)));
        }
    }
    (errors.len() == before).then_some(columns)
}
