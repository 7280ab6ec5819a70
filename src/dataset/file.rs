//! A data file kept for download exactly as it was read: a small file as its bytes, a large
//! one gzip-compressed. At 10,000 generated entities the files are 51 MB; kept compressed,
//! the server's RSS after start-up fell from 199 to 169 MB (docs/performance.md).

use std::io::{Cursor, Read, Write};

use bytes::Bytes;
use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;

/// Files up to this size are kept as read (every file of the shipped data is); larger ones
/// are compressed.
const KEPT_AS_READ: usize = 1 << 20;

/// The gzip level a large file is kept at: the cheapest, since it is done while the server
/// starts (the files of 10,000 entities compress at about 300 MB/s at level 1).
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
    Gzip(Bytes),
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
    Gzip(Box<GzEncoder<Vec<u8>>>),
}

impl Keeping {
    /// Starts keeping `name`, of `len` bytes: compressed if that is large.
    pub fn new(name: &'static str, len: u64) -> Keeping {
        let state = match usize::try_from(len) {
            Ok(len) if len <= KEPT_AS_READ => State::Pieces(Vec::new()),
            _ => State::Gzip(Box::new(GzEncoder::new(
                // Room for a quarter of the file, up to 64 MB (it grows if need be).
                Vec::with_capacity(usize::try_from(len / 4).unwrap_or(0).min(64 << 20)),
                Compression::new(LEVEL),
            ))),
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
            // Writing into a Vec fails only when memory does, which aborts anyway.
            State::Gzip(encoder) => encoder.write_all(&bytes).expect("writing into memory"),
        }
    }

    /// The file as kept.
    pub fn finish(self) -> DataFile {
        let kept = match self.state {
            State::Pieces(mut pieces) if pieces.len() == 1 => Kept::AsRead(pieces.remove(0)),
            State::Pieces(pieces) => Kept::AsRead(pieces.concat().into()),
            State::Gzip(encoder) => {
                let mut gzip = encoder.finish().expect("writing into memory");
                // Kept for as long as the data is: no spare capacity.
                gzip.shrink_to_fit();
                Kept::Gzip(Bytes::from(gzip))
            }
        };
        DataFile {
            name: self.name,
            len: self.len,
            kept,
        }
    }
}

impl DataFile {
    /// The whole file, if it is kept as read (sent without a copy).
    pub fn as_read(&self) -> Option<&Bytes> {
        match &self.kept {
            Kept::AsRead(bytes) => Some(bytes),
            Kept::Gzip(_) => None,
        }
    }

    /// Reads the file from its start, decompressing it if need be.
    pub fn reader(&self) -> Box<dyn Read + Send> {
        match self.kept.clone() {
            Kept::AsRead(bytes) => Box::new(Cursor::new(bytes)),
            Kept::Gzip(gzip) => Box::new(GzDecoder::new(Cursor::new(gzip))),
        }
    }
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
    fn a_small_file_is_kept_as_read_and_a_large_one_compressed_whole_or_in_pieces() {
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
                let file = keeping.finish();
                assert_eq!(file.len, bytes.len());
                assert_eq!(file.as_read().is_some(), kept_as_read);
                assert_eq!(read_back(&file), bytes);
            }
        }
    }
}
