//! CSV → model. Reads every file of [`schema::files`]: the vocabularies first, then the tables
//! of [`model`](super::model), whose references are resolved once every table has been read;
//! returns the tables, or every problem found, each naming file, line and column.
//!
//! Nothing in here panics on any input: bytes that are not UTF-8, rows of the wrong length,
//! unknown values and dangling references all become a [`LoadError`].

use std::collections::HashMap;
use std::sync::mpsc::SyncSender;

use super::dimension::{Dim, Values};
use super::loading::Loading;
use super::model::{Tables, VocabularyRow};
use super::records;
pub use super::source::{LoadError, LoadErrors, Piece, Source, Sources};
use super::vocab::{MAX_TERMS, TermInfo, Vocabulary};
use super::{CRIME, rules, schema};

impl Sources {
    /// Reads every file of [`schema::files`] with `read(file name)`.
    pub fn read(mut read: impl FnMut(&'static str) -> Source) -> Sources {
        Sources(schema::files().iter().map(|f| read(f.name())).collect())
    }
}

/// The vocabularies and tables, read, resolved and cross-checked.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// One per dimension, by [`Dim`].
    pub vocabularies: Vec<Vocabulary>,
    pub tables: Tables,
    /// Each file's header as read, by file name (for the data package).
    pub headers: HashMap<&'static str, Vec<String>>,
}

/// Parses and checks every file, returning every problem at once, in file and line order.
/// Each table's file is released from `sources` once its rows are read. What is read of each
/// file is handed to `keeper` as it is read, in the order of [`schema::files`] when the data
/// loads.
pub fn parse(
    sources: &mut Sources,
    keeper: Option<&SyncSender<Piece>>,
) -> Result<Parsed, LoadErrors> {
    let mut errors = Vec::new();
    let mut headers = HashMap::new();
    let vocabularies: Option<Vec<Vocabulary>> = Dim::all()
        .map(|dim| vocabulary(sources, dim, &mut errors, &mut headers, keeper))
        .collect::<Vec<_>>()
        .into_iter()
        .collect();
    let Some(vocabularies) = vocabularies else {
        // Rows that refer to a vocabulary that failed would only repeat its problems, but
        // the other files' headers can still be checked.
        let mut loading = Loading::new(sources, &[], None);
        Tables::check_headers(&mut loading);
        errors.extend(loading.errors);
        return Err(sorted(errors, sources));
    };
    let mut loading = Loading::new(sources, &vocabularies, keeper);
    let tables = Tables::load(&mut loading);
    if loading.errors.is_empty() {
        rules::check(&mut loading, &vocabularies[CRIME.0], &tables);
    }
    errors.extend(loading.errors);
    headers.extend(loading.headers);
    if !errors.is_empty() {
        return Err(sorted(errors, sources));
    }
    Ok(Parsed {
        vocabularies,
        tables,
        headers,
    })
}

/// The problems in the order of the files, then of their lines (each file's own order kept).
fn sorted(mut errors: Vec<LoadError>, sources: &Sources) -> LoadErrors {
    let place = |e: &LoadError| {
        let file = sources.0.iter().position(|s| s.name == e.file);
        (file.unwrap_or(usize::MAX), e.line.unwrap_or(0))
    };
    errors.sort_by_key(place);
    LoadErrors(errors)
}

/// The vocabulary of dimension `dim`: declared in code, or read from its file. A file with
/// any problem gives no vocabulary, so that the rows using it are not reported again.
fn vocabulary(
    sources: &Sources,
    dim: Dim,
    errors: &mut Vec<LoadError>,
    headers: &mut HashMap<&'static str, Vec<String>>,
    keeper: Option<&SyncSender<Piece>>,
) -> Option<Vocabulary> {
    let kind = dim.get().kind;
    let spec = match dim.get().values {
        Values::Fixed(vocabulary) => return Some(vocabulary()),
        Values::File { .. } => schema::vocabulary_spec(dim)?,
    };
    let Some(source) = sources.get(spec.file) else {
        errors.push(LoadError {
            file: spec.file.to_owned(),
            line: None,
            column: None,
            message: "the file was not given".to_owned(),
        });
        return None;
    };
    let before = errors.len();
    let read = records::read::<VocabularyRow>(source, &spec, &[], errors, keeper)?;
    headers.insert(spec.file, read.header);
    let terms: Vec<TermInfo> = read.rows.into_iter().map(term).collect();
    let problem = if terms.is_empty() && errors.len() == before {
        format!("no {kind}: the file needs at least one row")
    } else if terms.len() > MAX_TERMS {
        format!("more than {MAX_TERMS} rows")
    } else if errors.len() == before {
        return Some(Vocabulary::new(kind, terms));
    } else {
        return None;
    };
    errors.push(LoadError {
        file: source.name.clone(),
        line: None,
        column: None,
        message: problem,
    });
    None
}

fn term(row: VocabularyRow) -> TermInfo {
    TermInfo {
        id: row.id.0.to_string(),
        label: row.label.0.to_string(),
        short_label: row.short_label.0.to_string(),
        colour: row.colour.map(|c| c.0.to_string()).unwrap_or_default(),
        description: row.description,
    }
}
