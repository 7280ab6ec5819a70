//! The editions of the data, loaded together: the files are read and checked once, then each
//! edition of `editions.csv` becomes a [`Dataset`] of its own, holding only the entities its
//! chart draws and their links in that edition (and the rows of the other tables that name
//! them). Views work on one edition at a time; what spans editions (the lineage of entities,
//! the searches, what changed) reads [`Editions`].

use std::path::Path;
use std::sync::Arc;

use super::file::{DataFile, Keeping};
use super::load::{self, LoadError, Piece, Source, Sources};
use super::model::{Entity, Link, Release};
use super::table::Table;
use super::{Dataset, Digest, LoadErrors, Shared, schema};

/// Files up to this size are read whole before they are parsed; larger ones as they are.
const READ_WHOLE_BYTES: u64 = 1 << 20;

/// Every edition of the data, each a [`Dataset`].
#[derive(Debug, Clone)]
pub struct Editions {
    /// In the order of `editions.csv`.
    editions: Vec<Arc<Dataset>>,
    /// The position of the default edition.
    default: usize,
}

impl Editions {
    /// Reads and validates the data files in `dir`, and the documents beside them.
    pub fn load(dir: &Path) -> Result<Editions, LoadErrors> {
        // A large file stays on disk until it is parsed, and is read as a stream then.
        let sources = Sources::read(|file| {
            let path = dir.join(file);
            let shown = path.display().to_string();
            let large = std::fs::metadata(&path).is_ok_and(|m| m.len() > READ_WHOLE_BYTES);
            if large {
                return Source::on_disk(file, shown, path);
            }
            match std::fs::read(&path) {
                Ok(bytes) => Source::new(file, shown, bytes),
                Err(e) => Source::unreadable(file, shown, format!("cannot read the file: {e}")),
            }
        });
        // A copy without the codebook or the change log still loads: its pages say so.
        let documents = schema::DOCUMENTS.iter().map(|(name, _)| {
            let text = std::fs::read_to_string(dir.join(name)).unwrap_or_default();
            (*name, text)
        });
        Editions::build(sources, documents.collect())
    }

    /// The data compiled into the binary from the repository's `data/`.
    pub fn embedded() -> Result<Editions, LoadErrors> {
        let documents = schema::DOCUMENTS
            .iter()
            .map(|(name, text)| (*name, (*text).to_owned()))
            .collect();
        Editions::build(Dataset::embedded_sources(), documents)
    }

    /// Parses and validates already-read files (without documents).
    pub fn from_sources(sources: &Sources) -> Result<Editions, LoadErrors> {
        Editions::build(sources.clone(), Vec::new())
    }

    fn build(
        mut sources: Sources,
        documents: Vec<(&'static str, String)>,
    ) -> Result<Editions, LoadErrors> {
        // The files are parsed on this thread while another digests them and keeps them for
        // download (compressing the large ones: a core that would otherwise wait). The parser
        // hands each file on as it reads it, so a large file read from disk as a stream is
        // never held whole; one in memory is shared, and each side lets go of it when done.
        let (keeper, pieces) = std::sync::mpsc::sync_channel::<Piece>(KEEPER_QUEUE);
        let (parsed, (files, content, fingerprint)) = std::thread::scope(|scope| {
            let kept = scope.spawn(|| keep(pieces, &documents));
            let parsed = load::parse(&mut sources, Some(&keeper));
            // The keeper's queue ends here: it finishes the last file.
            drop(keeper);
            let kept = kept
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (parsed, kept)
        });
        let parsed = parsed?;
        let files = files?;
        let kept: Vec<&str> = files.iter().map(|f| f.name).collect();
        let expected: Vec<&str> = schema::files().iter().map(|f| f.name()).collect();
        if kept != expected {
            return Err(LoadErrors(vec![LoadError {
                file: "data".to_owned(),
                line: None,
                column: None,
                message: format!(
                    "the files were read as {kept:?}, not as {expected:?}: this is a bug in mandate-map"
                ),
            }]));
        }
        let mut tables = parsed.tables;
        // The rows that span editions move into the shared part: no edition holds a copy.
        let lineage = std::mem::take(&mut tables.lineage);
        let searches = std::mem::take(&mut tables.searches);
        let shared = Arc::new(Shared {
            fingerprint,
            content,
            files,
            headers: parsed.headers,
            documents,
            editions: tables.editions.clone(),
            entities: tables.entities.clone(),
            entity_by_id: super::positions_by_id(&tables.entities),
            lineage,
            searches,
            siblings: std::sync::OnceLock::new(),
        });
        // Each link belongs to one edition: it moves there rather than being copied, and the
        // table that held them all goes before the editions are indexed.
        let mut links = std::mem::take(&mut tables.links);
        let by_edition: Vec<Vec<Link>> = (tables.editions.iter())
            .map(|e| {
                let mut moved: Vec<Link> =
                    (links.extract_if(.., |l| l.edition.id() == e.id.as_str())).collect();
                // Kept for as long as the data is: no spare capacity.
                moved.shrink_to_fit();
                moved
            })
            .collect();
        drop(links);
        let editions: Vec<Arc<Dataset>> = (by_edition.into_iter().enumerate())
            .map(|(e, links)| {
                Arc::new(Dataset::build(
                    parsed.vocabularies.clone(),
                    narrowed(&tables, &tables.editions[e], links),
                    e,
                    Arc::clone(&shared),
                ))
            })
            .collect();
        // Set once, here, just after they were built: the set cannot fail.
        let _ = shared
            .siblings
            .set(editions.iter().map(Arc::downgrade).collect());
        // The loader refuses data without exactly one default edition.
        let default = tables.editions.iter().position(|e| e.default).unwrap_or(0);
        Ok(Editions { editions, default })
    }

    /// The digest of every file and document the editions were read from (one for all
    /// editions: they come from the same files).
    pub fn fingerprint(&self) -> &str {
        self.default_edition().fingerprint()
    }

    /// The edition shown when a request names none.
    pub fn default_edition(&self) -> &Arc<Dataset> {
        &self.editions[self.default]
    }

    /// The edition with this id.
    pub fn get(&self, id: &str) -> Option<&Arc<Dataset>> {
        self.editions.iter().find(|d| d.edition().id == id)
    }

    /// Every edition, in file order.
    pub fn all(&self) -> &[Arc<Dataset>] {
        &self.editions
    }

    /// The edition `id` names (the default for `None`), or the problem, listing the editions.
    pub fn pick(&self, id: Option<&str>) -> Result<&Arc<Dataset>, super::UnknownValue> {
        let Some(id) = id else {
            return Ok(self.default_edition());
        };
        self.get(id).ok_or_else(|| super::UnknownValue {
            kind: "edition",
            given: id.to_owned(),
            expected: self.ids(),
        })
    }

    /// The ids of the editions, in file order (for messages listing them).
    pub fn ids(&self) -> Vec<String> {
        self.editions
            .iter()
            .map(|d| d.edition().id.to_string())
            .collect()
    }
}

/// How many pieces of the files the parser may be ahead of the keeper (64 KB each, or a file
/// held in memory).
const KEEPER_QUEUE: usize = 16;

/// Keeps the files the parser hands on, in its order, with the digests of the files and
/// documents: (the files, or why one could not be kept; the digest of the content; the
/// fingerprint).
fn keep(
    pieces: std::sync::mpsc::Receiver<Piece>,
    documents: &[(&'static str, String)],
) -> (Result<Vec<DataFile>, LoadErrors>, String, String) {
    let mut content = Digest::default();
    let mut fingerprint = Digest::default();
    let mut files = Vec::new();
    let mut current: Option<(Keeping, bool)> = None;
    for piece in pieces {
        match piece {
            Piece::File(name, len) => {
                files.extend(current.take().map(|(file, _)| file.finish()));
                let in_content = name != Release::SPEC.file;
                if in_content {
                    content.start(name, len);
                }
                fingerprint.start(name, len);
                current = Some((Keeping::new(name, len), in_content));
            }
            Piece::Bytes(bytes) => {
                let Some((file, in_content)) = &mut current else {
                    continue;
                };
                if *in_content {
                    content.update(&bytes);
                }
                fingerprint.update(&bytes);
                file.add(bytes);
            }
        }
    }
    files.extend(current.map(|(file, _)| file.finish()));
    for (name, text) in documents {
        fingerprint.start(name, text.len() as u64);
        fingerprint.update(text.as_bytes());
    }
    let files = files
        .into_iter()
        .collect::<Result<Vec<DataFile>, LoadError>>()
        .map_err(|e| LoadErrors(vec![e]));
    (files, content.finish(), fingerprint.finish())
}

/// One dataset, served as the only edition there is (a test's fixture, a generated copy).
impl From<Dataset> for Editions {
    fn from(data: Dataset) -> Editions {
        Editions {
            editions: vec![Arc::new(data)],
            default: 0,
        }
    }
}

impl From<Arc<Dataset>> for Editions {
    fn from(data: Arc<Dataset>) -> Editions {
        Editions {
            editions: vec![data],
            default: 0,
        }
    }
}

/// The tables of one edition: its entities, their `links` in it, and the rows of the other
/// tables that name no entity left out (an optional reference to one becomes empty). The
/// report's figures stay only in the report's edition.
fn narrowed(tables: &super::Tables, edition: &super::Edition, links: Vec<Link>) -> super::Tables {
    use super::table::Row;
    let report = edition.report;
    let edition = edition.id.as_str();
    let mut map = Vec::with_capacity(tables.entities.len());
    let mut entities: Vec<Entity> = Vec::new();
    for e in &tables.entities {
        if e.editions.contains(edition) {
            map.push(Some(entities.len()));
            entities.push(e.clone());
        } else {
            map.push(None);
        }
    }
    entities.shrink_to_fit();
    let mut narrowed = tables.remapped(Entity::SPEC.file, &map);
    // A parent left out of the edition leaves its body a box of its own.
    narrowed.entities = entities;
    for e in &mut narrowed.entities {
        use super::cell::Cell;
        e.parent.remap(Entity::SPEC.file, &map);
    }
    narrowed.links = links;
    narrowed
        .links
        .retain_mut(|l| l.remap(Entity::SPEC.file, &map));
    if !report {
        narrowed.report_figures.clear();
    }
    narrowed
}
