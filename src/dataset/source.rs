//! The data files as read, before any parsing, and the problems found in them, each located
//! by file, line and column.

use std::fmt;
use std::io::{self, BufRead, BufReader, Cursor, Read};
use std::path::PathBuf;
use std::sync::mpsc::SyncSender;

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
    /// A large file left on disk until it is parsed, then read as a stream: its bytes are
    /// never held whole (see [`Source::stream`]).
    pub path: Option<PathBuf>,
}

impl Source {
    /// A file's contents that were read successfully.
    pub fn new(file: &'static str, name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        Source {
            file,
            name: name.into(),
            bytes: Some(Bytes::from(bytes.into())),
            read_error: None,
            path: None,
        }
    }

    /// A file read from disk as it is parsed (a large one: see [`Source::stream`]).
    pub fn on_disk(file: &'static str, name: impl Into<String>, path: PathBuf) -> Self {
        Source {
            file,
            name: name.into(),
            bytes: None,
            read_error: None,
            path: Some(path),
        }
    }

    /// A file compiled into the binary: its bytes are not copied.
    pub fn embedded(file: &'static str, name: impl Into<String>, bytes: &'static [u8]) -> Self {
        Source {
            file,
            name: name.into(),
            bytes: Some(Bytes::from_static(bytes)),
            read_error: None,
            path: None,
        }
    }

    /// A file that could not be read.
    pub fn unreadable(file: &'static str, name: impl Into<String>, why: impl Into<String>) -> Self {
        Source {
            file,
            name: name.into(),
            bytes: None,
            read_error: Some(why.into()),
            path: None,
        }
    }
}

/// What the parser hands on of each file as it reads it (in the order of [`schema::files`]),
/// for the copy kept for download and the digests.
#[derive(Debug)]
pub enum Piece {
    /// A file starts: its name and length.
    File(&'static str, u64),
    /// The next bytes of the file last started.
    Bytes(Bytes),
}

/// The bytes read from disk are handed on in pieces of about this size.
const PIECE_BYTES: usize = 64 << 10;

impl Source {
    /// The file's text as a stream, without a byte-order mark. What is read is handed to
    /// `keeper`, the whole of it once [`SourceStream::finish`] is called: bytes held in memory
    /// at once, a file on disk piece by piece as it is read.
    pub fn stream<'a>(
        &'a self,
        keeper: Option<&'a SyncSender<Piece>>,
    ) -> Result<SourceStream<'a>, String> {
        let send = |piece: Piece| {
            // A keeper that has gone (the load failed elsewhere) needs nothing more.
            if let Some(keeper) = keeper {
                let _ = keeper.send(piece);
            }
        };
        let (inner, len, tee): (Box<dyn Read + 'a>, u64, bool) = match (&self.bytes, &self.path) {
            (Some(bytes), _) => {
                send(Piece::File(self.file, bytes.len() as u64));
                send(Piece::Bytes(bytes.clone()));
                (Box::new(Cursor::new(&bytes[..])), bytes.len() as u64, false)
            }
            (None, Some(path)) => {
                let file =
                    std::fs::File::open(path).map_err(|e| format!("cannot read the file: {e}"))?;
                let len = file
                    .metadata()
                    .map_err(|e| format!("cannot read the file: {e}"))?
                    .len();
                send(Piece::File(self.file, len));
                (Box::new(file), len, true)
            }
            (None, None) => {
                return Err(self
                    .read_error
                    .clone()
                    .unwrap_or_else(|| "cannot be read".to_owned()));
            }
        };
        let tee = Tee {
            inner,
            keeper: keeper.filter(|_| tee),
            read: 0,
        };
        let mut reader = BufReader::with_capacity(PIECE_BYTES, tee);
        // A UTF-8 byte-order mark is not part of the text (it is of the file kept).
        if reader
            .fill_buf()
            .map_err(|e| format!("cannot read the file: {e}"))?
            .starts_with(b"\xEF\xBB\xBF")
        {
            reader.consume(3);
        }
        Ok(SourceStream { reader, len })
    }
}

/// A reader that hands what it reads to the keeper.
struct Tee<'a> {
    inner: Box<dyn Read + 'a>,
    keeper: Option<&'a SyncSender<Piece>>,
    read: u64,
}

impl Read for Tee<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        if let Some(keeper) = self.keeper
            && n > 0
        {
            let _ = keeper.send(Piece::Bytes(Bytes::copy_from_slice(&buf[..n])));
        }
        Ok(n)
    }
}

/// A source's text as it is read (see [`Source::stream`]).
pub struct SourceStream<'a> {
    reader: BufReader<Tee<'a>>,
    len: u64,
}

impl Read for SourceStream<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.reader.read(buf)
    }
}

impl SourceStream<'_> {
    /// Reads what the parser left (after a problem) so that the keeper has the whole file,
    /// and checks that the file was as long as it was when opened.
    pub fn finish(mut self) -> Result<(), String> {
        io::copy(&mut self.reader, &mut io::sink())
            .map_err(|e| format!("cannot read the file: {e}"))?;
        let read = self.reader.get_ref().read;
        if read == self.len {
            Ok(())
        } else {
            Err(format!(
                "the file changed while it was read ({} bytes when opened, {read} read): load the data again",
                self.len
            ))
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
