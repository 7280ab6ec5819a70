//! The data files as read, before any parsing, and the problems found in them, each located
//! by file, line and column.

use std::fmt;

use bytes::Bytes;

/// One problem in the data, located as precisely as the problem allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    /// The file as the user named it (e.g. `data/links.csv`).
    pub file: String,
    /// 1-based line of the record, when the problem is in one record.
    pub line: Option<u64>,
    /// The column's header name, when the problem is in one field.
    pub column: Option<String>,
    /// What is wrong, and where useful what would be right.
    pub message: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(column) = &self.column {
            write!(f, ": column '{column}'")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Every problem found while loading, in file and line order.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct LoadErrors(pub Vec<LoadError>);

impl fmt::Display for LoadErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

/// The raw contents of one data file, with the name to report it under.
#[derive(Debug, Clone)]
pub struct Source {
    /// The file's name in `data/` (`links.csv`).
    pub file: &'static str,
    /// The name to report it under (`data/links.csv`, `/tmp/copy/links.csv`).
    pub name: String,
    /// `None` when the file could not be read; `read_error` says why. Shared: the loader
    /// lets go of its handle once the file's rows are read, and the copy kept for download is
    /// made from another.
    pub bytes: Option<Bytes>,
    pub read_error: Option<String>,
}

impl Source {
    /// A file's contents that were read successfully.
    pub fn new(file: &'static str, name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        Source {
            file,
            name: name.into(),
            bytes: Some(Bytes::from(bytes.into())),
            read_error: None,
        }
    }

    /// A file compiled into the binary: its bytes are not copied.
    pub fn embedded(file: &'static str, name: impl Into<String>, bytes: &'static [u8]) -> Self {
        Source {
            file,
            name: name.into(),
            bytes: Some(Bytes::from_static(bytes)),
            read_error: None,
        }
    }

    /// A file that could not be read.
    pub fn unreadable(file: &'static str, name: impl Into<String>, why: impl Into<String>) -> Self {
        Source {
            file,
            name: name.into(),
            bytes: None,
            read_error: Some(why.into()),
        }
    }
}

/// The files of a data directory, one per entry of [`schema::files`], in that order.
#[derive(Debug, Clone)]
pub struct Sources(pub Vec<Source>);

impl Sources {
    /// The file called `file` (e.g. `links.csv`).
    pub fn get(&self, file: &str) -> Option<&Source> {
        self.0.iter().find(|s| s.file == file)
    }

    /// The file called `file`, to replace or mangle it.
    pub fn get_mut(&mut self, file: &str) -> Option<&mut Source> {
        self.0.iter_mut().find(|s| s.file == file)
    }

    /// Lets go of the bytes of `file` (its rows are read); its name stays, for messages.
    pub fn release(&mut self, file: &str) {
        if let Some(source) = self.get_mut(file) {
            source.bytes = None;
        }
    }
}
