//! A data file kept for download exactly as it was read: a small file as its bytes, a large
//! one in an unlinked temporary file where one can be made, else gzip-compressed in memory.
//! At 10,000 generated entities the files are 51 MB: kept compressed in memory, the server's
//! RSS after start-up fell from 199 to 169 MB; kept on disk, the copies leave the heap too
//! (docs/performance.md). On disk they are kept as read, not compressed: compressing them
//! took a sixth of the 10,000-entity start-up, to save disk space the operating system's page
//! cache holds anyway.

use std::fs::File;
use std::io::{BufWriter, Cursor, Read, Write};
use std::sync::Arc;

use bytes::Bytes;
use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;

use super::source::LoadError;

/// Files up to this size are kept on the heap as read (every file of the shipped data is);
/// larger ones are spooled to disk.
const KEPT_AS_READ: usize = 1 << 20;

/// The gzip level a large file is kept in memory at: the cheapest, since it is done while the
/// server starts (the files of 10,000 entities compress at about 300 MB/s at level 1).
const LEVEL: u32 = 1;

/// A data file, as it was read.
#[derive(Debug, Clone)]
pub struct DataFile {
    /// Its name in `data/` (`links.csv`).
    pub name: &'static str,
    /// Its size as read, in bytes.
    pub len: usize,
    kept: Kept,
}

#[derive(Debug, Clone)]
enum Kept {
    AsRead(Bytes),
    /// Compressed, in memory (where no temporary file could be made).
    Gzip(Bytes),
    /// As read, in an unlinked temporary file: the operating system's page cache holds what
    /// is read of it, not the server's heap. It goes when the last copy of the data does.
    OnDisk(Arc<File>),
}

/// A data file being kept as its bytes arrive (see [`Piece`](super::source::Piece)).
pub struct Keeping {
    name: &'static str,
    len: usize,
    state: State,
}

enum State {
    /// A small file's bytes, as they came (one piece when it was read at once).
    Pieces(Vec<Bytes>),
    /// A large file's bytes, as they come.
    Spooled(Spool),
    /// Writing the copy failed: the load fails with this.
    Failed(std::io::Error),
}

/// Where a large file's copy is written.
enum Spool {
    /// Compressed, in memory.
    Memory(Box<GzEncoder<Vec<u8>>>),
    /// As read, on disk.
    Disk(BufWriter<File>),
}

impl Spool {
    /// An unlinked temporary file (in `TMPDIR`, else `/tmp`) if one can be made, else memory
    /// with room for a quarter of `len` bytes, up to 64 MB (it grows if need be).
    fn new(len: u64) -> Spool {
        match tempfile::tempfile() {
            Ok(file) => Spool::Disk(BufWriter::with_capacity(64 << 10, file)),
            Err(e) => {
                tracing::warn!(error = %e, "no temporary file: large data files are kept in memory");
                let room = usize::try_from(len / 4).unwrap_or(0).min(64 << 20);
                Spool::Memory(Box::new(GzEncoder::new(
                    Vec::with_capacity(room),
                    Compression::new(LEVEL),
                )))
            }
        }
    }

    fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        match self {
            Spool::Memory(gzip) => gzip.write_all(bytes),
            Spool::Disk(disk) => disk.write_all(bytes),
        }
    }

    fn kept(self) -> std::io::Result<Kept> {
        Ok(match self {
            Spool::Memory(gzip) => {
                let mut gzip = gzip.finish()?;
                // Kept for as long as the data is: no spare capacity.
                gzip.shrink_to_fit();
                Kept::Gzip(Bytes::from(gzip))
            }
            Spool::Disk(disk) => {
                Kept::OnDisk(Arc::new(disk.into_inner().map_err(|e| e.into_error())?))
            }
        })
    }
}

impl Keeping {
    /// Starts keeping `name`, of `len` bytes: spooled if that is large.
    pub fn new(name: &'static str, len: u64) -> Keeping {
        let state = match usize::try_from(len) {
            Ok(len) if len <= KEPT_AS_READ => State::Pieces(Vec::new()),
            _ => State::Spooled(Spool::new(len)),
        };
        Keeping {
            name,
            len: 0,
            state,
        }
    }

    /// Keeps the next bytes of the file.
    pub fn add(&mut self, bytes: Bytes) {
        self.len += bytes.len();
        match &mut self.state {
            State::Pieces(pieces) => pieces.push(bytes),
            State::Spooled(spool) => {
                if let Err(e) = spool.write_all(&bytes) {
                    self.state = State::Failed(e);
                }
            }
            State::Failed(_) => {}
        }
    }

    /// The file as kept, or why it could not be.
    pub fn finish(self) -> Result<DataFile, LoadError> {
        let kept = match self.state {
            State::Pieces(mut pieces) if pieces.len() == 1 => Ok(Kept::AsRead(pieces.remove(0))),
            State::Pieces(pieces) => Ok(Kept::AsRead(pieces.concat().into())),
            State::Spooled(spool) => spool.kept(),
            State::Failed(e) => Err(e),
        }
        .map_err(|e| LoadError {
            file: self.name.to_owned(),
            line: None,
            column: None,
            message: format!(
                "cannot keep a copy for download in a temporary file (set TMPDIR to a \
                 writable directory with room): {e}"
            ),
        })?;
        Ok(DataFile {
            name: self.name,
            len: self.len,
            kept,
        })
    }
}

impl DataFile {
    /// The whole file, if it is kept as read (sent without a copy).
    pub fn as_read(&self) -> Option<&Bytes> {
        match &self.kept {
            Kept::AsRead(bytes) => Some(bytes),
            Kept::Gzip(_) | Kept::OnDisk(_) => None,
        }
    }

    /// Reads the file from its start, decompressing it if it is kept compressed.
    pub fn reader(&self) -> Box<dyn Read + Send> {
        match self.kept.clone() {
            Kept::AsRead(bytes) => Box::new(Cursor::new(bytes)),
            Kept::Gzip(gzip) => Box::new(GzDecoder::new(Cursor::new(gzip))),
            Kept::OnDisk(file) => Box::new(FromStart { file, at: 0 }),
        }
    }
}

/// A shared file read from its start, by position: readers at once do not move each other.
struct FromStart {
    file: Arc<File>,
    at: u64,
}

impl Read for FromStart {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = read_at(&self.file, buf, self.at)?;
        self.at += n as u64;
        Ok(n)
    }
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], at: u64) -> std::io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(file, buf, at)
}

#[cfg(windows)]
fn read_at(file: &File, buf: &mut [u8], at: u64) -> std::io::Result<usize> {
    std::os::windows::fs::FileExt::seek_read(file, buf, at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_back(file: &DataFile) -> Vec<u8> {
        let mut bytes = Vec::new();
        file.reader().read_to_end(&mut bytes).expect("readable");
        bytes
    }

    #[test]
    fn a_small_file_is_kept_as_read_and_a_large_one_spooled_whole_or_in_pieces() {
        let small = b"id,name\nunodc,UNODC\n".to_vec();
        let large: Vec<u8> = (0..KEPT_AS_READ / 8 + 1)
            .flat_map(|i| format!("row{i:04},\n").into_bytes())
            .collect();
        assert!(large.len() > KEPT_AS_READ);
        for (bytes, kept_as_read) in [(small, true), (large, false)] {
            for piece in [bytes.len(), 7] {
                let mut keeping = Keeping::new("links.csv", bytes.len() as u64);
                for piece in bytes.chunks(piece) {
                    keeping.add(Bytes::copy_from_slice(piece));
                }
                let file = keeping.finish().expect("kept");
                assert_eq!(file.len, bytes.len());
                assert_eq!(file.as_read().is_some(), kept_as_read);
                // A large file's copy is in a temporary file, off the heap.
                assert_eq!(matches!(file.kept, Kept::OnDisk(_)), !kept_as_read);
                assert_eq!(read_back(&file), bytes);
            }
        }
    }

    #[test]
    fn readers_of_a_file_on_disk_at_once_do_not_move_each_other() {
        let large: Vec<u8> = (0..KEPT_AS_READ / 8 + 1)
            .flat_map(|i| format!("row{i:06},\n").into_bytes())
            .collect();
        let mut keeping = Keeping::new("links.csv", large.len() as u64);
        keeping.add(Bytes::from(large.clone()));
        let file = keeping.finish().expect("kept");
        let (mut first, mut second) = (file.reader(), file.reader());
        let (mut a, mut b) = (vec![0; 1000], Vec::new());
        first.read_exact(&mut a).expect("readable");
        second.read_to_end(&mut b).expect("readable");
        first.read_to_end(&mut a).expect("readable");
        assert!(a == large && b == large);
    }
}
