//! `mandate-map build`: the site as a tree of files that any static host or CDN can serve.
//!
//! The export asks the application's own router for each page, so every file holds the bytes
//! the server sends for the same address. It starts from the canonical pages the sitemap
//! lists ([`sitemap::canonical_pages`](super::sitemap::canonical_pages)), the JSON API's
//! answers for the same selections, the assets and the site's maps, then follows every link
//! of every page written whose address a static host can serve (a path without a query; see
//! [`address`](super::address)): the charts as SVG, PNG and CSV, the embeds, the data files,
//! the downloads. A page is written as `DIR/index.html`, so every host serves it at `DIR/`;
//! an unknown address gets `404.html`.
//!
//! A link the export does not follow keeps its query (two filter values, a search, an order):
//! a static host answers it with the page of its directory, which filters itself in the
//! browser. What is written is checked as it is: a link to an address that has no file is
//! reported ([`Built::broken`]).
//!
//! An earlier export in the same directory is rebuilt in place: a file whose bytes are the
//! same is left as it is (its inode and modification time too, so `rsync` and object-storage
//! syncs upload only what changed), a changed one is overwritten, and a file this export did
//! not write is removed.

use std::collections::{BTreeMap, BTreeSet, HashSet, VecDeque};
use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use lol_html::{HtmlRewriter, Settings, element};
use tokio::task::JoinSet;
use tower::ServiceExt;

use super::address::publish;
use super::sitemap::{at_every_selection, canonical_pages};
use super::{AppState, href};

/// The API's answers that take every filter, and those that take the crime types only.
const API_ENTITY_VIEWS: [&str; 3] = ["/api/entities", "/api/coverage", "/api/changes"];
const API_CRIME_VIEWS: [&str; 3] = ["/api/groups", "/api/timeline", "/api/rapporteurs"];

/// The address the 404 page is rendered from: no route answers it.
const NOT_FOUND: &str = "/404.html";

/// What the export wrote, and what it could not.
#[derive(Debug, Default)]
pub struct Built {
    /// Every file of the export, by its path under the output directory, with its size.
    pub files: BTreeMap<String, u64>,
    /// Of `files`, those an earlier export had already written with the same bytes, and so
    /// were left as they were.
    pub unchanged: usize,
    /// Files of an earlier export that this one did not write, removed.
    pub removed: usize,
    /// Addresses asked for that did not answer 200, with their status.
    pub failed: Vec<(String, StatusCode)>,
    /// Links (page, target) whose target has no file in the export.
    pub broken: Vec<(String, String)>,
}

impl Built {
    pub fn bytes(&self) -> u64 {
        self.files.values().sum()
    }
}

/// Why the export stopped.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0} is not empty and is not an export: give an empty or new directory")]
    NotEmpty(PathBuf),
    #[error("cannot remove {path}, which the export no longer has: {source}")]
    Remove {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Writes the site `state` serves into `out` (created if need be; an earlier export there
/// is rebuilt in place). Pages are asked for as many at once as the machine has cores, twice
/// over.
pub async fn build(state: AppState, out: &Path) -> Result<Built, BuildError> {
    prepare(out)?;
    super::pool::charts_on_every_core();
    crate::charts::png::keep_recent_trees();
    let base = state.base.path.clone();
    // The site's address as its pages give it (a request with no Host names the default).
    let site = super::charts::Origin::of(&state, &axum::http::HeaderMap::new()).0;
    let app = super::router(state.clone());
    let mut queue: VecDeque<String> = seeds(&state).into_iter().collect();
    let mut seen: HashSet<String> = queue.iter().cloned().collect();
    let mut built = Built::default();
    let mut links: Vec<(String, String)> = Vec::new();
    let width = super::pool::cores() * 2;
    let mut running = JoinSet::new();
    loop {
        while running.len() < width
            && let Some(address) = queue.pop_front()
        {
            let app = app.clone();
            let out = out.to_owned();
            let (base, site) = (base.clone(), site.clone());
            running.spawn(async move { fetch(app, &out, (&base, &site), address).await });
        }
        let Some(done) = running.join_next().await else {
            break;
        };
        let fetched = done.expect("an export task does not panic")?;
        match fetched {
            Fetched::Written {
                file,
                size,
                changed,
                found,
            } => {
                for target in found {
                    if target.contains('?') {
                        links.push((file.clone(), target));
                    } else if seen.insert(target.clone()) {
                        links.push((file.clone(), target.clone()));
                        queue.push_back(target);
                    } else {
                        links.push((file.clone(), target));
                    }
                }
                built.unchanged += usize::from(!changed);
                built.files.insert(file, size);
            }
            Fetched::Failed { address, status } => built.failed.push((address, status)),
        }
    }
    not_found_page(&app, &base, out, &mut built).await?;
    built.removed = sweep(out, &built.files)?;
    built.broken = links
        .into_iter()
        .filter(|(_, target)| !built.files.contains_key(&file_of(target)))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    built.failed.sort();
    Ok(built)
}

/// Makes `out` ready: new, empty, or an earlier export (rebuilt in place).
fn prepare(out: &Path) -> Result<(), BuildError> {
    let write = |source| BuildError::Write {
        path: out.to_owned(),
        source,
    };
    if out.exists() {
        let mut entries = std::fs::read_dir(out).map_err(write)?;
        if entries.next().is_some()
            && (!out.join("index.html").is_file() || !out.join("sitemap.xml").is_file())
        {
            return Err(BuildError::NotEmpty(out.to_owned()));
        }
    }
    std::fs::create_dir_all(out).map_err(write)
}

/// Removes every file under `out` that is not one of `kept` (paths under `out`, with `/`),
/// and then the directories left empty; answers how many files it removed.
fn sweep(out: &Path, kept: &BTreeMap<String, u64>) -> Result<usize, BuildError> {
    let fail = |path: &Path| {
        let path = path.to_owned();
        move |source| BuildError::Remove { path, source }
    };
    let mut removed = 0;
    // Contents first: a directory is reached once everything in it has been looked at.
    for entry in walkdir::WalkDir::new(out).min_depth(1).contents_first(true) {
        let entry = entry.map_err(|e| BuildError::Remove {
            path: e.path().unwrap_or(out).to_owned(),
            source: e.into(),
        })?;
        let path = entry.path();
        if entry.file_type().is_dir() {
            // Removed if nothing is left in it: the walk has read it once already.
            match std::fs::remove_dir(path) {
                Err(e) if e.kind() != std::io::ErrorKind::DirectoryNotEmpty => {
                    return Err(fail(path)(e));
                }
                _ => continue,
            }
        }
        let relative = path.strip_prefix(out).unwrap_or(path);
        let name: Vec<_> = relative.iter().map(|part| part.to_string_lossy()).collect();
        if !kept.contains_key(&name.join("/")) {
            std::fs::remove_file(path).map_err(fail(path))?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// Where the crawl starts: every canonical page, the API's answers for the same selections,
/// the assets and the site's maps, each in its published form.
fn seeds(state: &AppState) -> Vec<String> {
    let editions = state.data();
    let mut seeds = canonical_pages(&editions);
    for data in editions.all() {
        seeds.extend(at_every_selection(
            data,
            &API_ENTITY_VIEWS,
            &API_CRIME_VIEWS,
        ));
        let none = crate::query::Filter::default();
        seeds.push(href(data, "/api/crime-types", &none, &[]));
        let query = none.to_query(data);
        seeds.extend(
            data.entities()
                .iter()
                .map(|e| crate::query::url(&format!("/api/entities/{}", e.id), &query)),
        );
        seeds.extend(
            data.groups()
                .iter()
                .map(|g| crate::query::url(&format!("/api/groups/{}", g.id), &query)),
        );
    }
    seeds.extend(
        [
            "/api/openapi.json",
            "/sitemap.xml",
            "/robots.txt",
            "/favicon.ico",
            "/taxonomy.css",
        ]
        .map(String::from),
    );
    seeds.extend(super::assets::all().map(String::from));
    let mut unique = BTreeSet::new();
    seeds
        .into_iter()
        .map(|s| publish(&s, ""))
        .filter(|s| unique.insert(s.clone()))
        .collect()
}

/// What asking for one address gave.
enum Fetched {
    /// Written to `file` (`changed`: not already there with the same bytes), with the
    /// same-site links found in it (published, base removed).
    Written {
        file: String,
        size: u64,
        changed: bool,
        found: Vec<String>,
    },
    Failed {
        address: String,
        status: StatusCode,
    },
}

/// Asks the router for `address` (under `base`) and writes what it answers.
async fn fetch(
    app: axum::Router,
    out: &Path,
    (base, site): (&str, &str),
    address: String,
) -> Result<Fetched, BuildError> {
    let (status, kind, body) = get(&app, &format!("{base}{address}")).await;
    if status != StatusCode::OK {
        return Ok(Fetched::Failed { address, status });
    }
    let file = file_of(&address);
    let found = match kind {
        Kind::Page => same_site_links(&body, base, site),
        Kind::Json => next_page(&body, base).into_iter().collect(),
        Kind::Other => Vec::new(),
    };
    let changed = write(out, &file, &body)?;
    Ok(Fetched::Written {
        size: body.len() as u64,
        file,
        changed,
        found,
    })
}

/// What an answer is, for the links the export follows from it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Page,
    Json,
    Other,
}

/// The status, the kind and the body the router answers a GET of `address`.
async fn get(app: &axum::Router, address: &str) -> (StatusCode, Kind, bytes::Bytes) {
    let request = Request::get(address)
        .body(Body::empty())
        .expect("a published address is a valid URI");
    let Ok(response) = app.clone().oneshot(request).await;
    let status = response.status();
    let content_type = response.headers().get(header::CONTENT_TYPE);
    let kind = match content_type.map(|t| t.as_bytes()) {
        Some(t) if t.starts_with(b"text/html") => Kind::Page,
        Some(t) if t.starts_with(b"application/json") => Kind::Json,
        _ => Kind::Other,
    };
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap_or_default();
    (status, kind, body)
}

/// The 404 page, as the server answers an unknown address, written as `404.html` (the name
/// static hosts look for).
async fn not_found_page(
    app: &axum::Router,
    base: &str,
    out: &Path,
    built: &mut Built,
) -> Result<(), BuildError> {
    let (status, _, body) = get(app, &format!("{base}{NOT_FOUND}")).await;
    if status != StatusCode::NOT_FOUND {
        built.failed.push((NOT_FOUND.to_owned(), status));
        return Ok(());
    }
    let changed = write(out, "404.html", &body)?;
    built.unchanged += usize::from(!changed);
    built.files.insert("404.html".to_owned(), body.len() as u64);
    Ok(())
}

/// The file that holds `address` (a path, maybe with a query and fragment, which a static
/// host ignores): a directory's `index.html`, else the file named.
pub fn file_of(address: &str) -> String {
    let path = address
        .split(['?', '#'])
        .next()
        .unwrap_or_default()
        .trim_start_matches('/');
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_owned()
    }
}

/// Writes `body` to `file` under `out`, and answers whether it did: a file an earlier export
/// left with the same bytes stays as it is. What an earlier export has in the way (a
/// directory where the file goes, a file where a directory does) is removed first.
fn write(out: &Path, file: &str, body: &[u8]) -> Result<bool, BuildError> {
    let path = out.join(file);
    let fail = |source| BuildError::Write {
        path: path.clone(),
        source,
    };
    let same_size = std::fs::metadata(&path).is_ok_and(|m| m.len() == body.len() as u64);
    if same_size && std::fs::read(&path).is_ok_and(|old| old == body) {
        return Ok(false);
    }
    if path.is_dir() {
        std::fs::remove_dir_all(&path).map_err(fail)?;
    }
    if let Some(dir) = path.parent()
        && std::fs::create_dir_all(dir).is_err()
    {
        for at in dir.ancestors().take_while(|at| *at != out) {
            if at.is_file()
                && let Err(e) = std::fs::remove_file(at)
                // Another page under the same directory may have removed it first.
                && e.kind() != std::io::ErrorKind::NotFound
            {
                return Err(fail(e));
            }
        }
        std::fs::create_dir_all(dir).map_err(fail)?;
    }
    std::fs::write(&path, body).map_err(fail)?;
    Ok(true)
}

/// The next page of an API answer that has one (`"next"`), under `base`, base removed.
fn next_page(json: &[u8], base: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(json).ok()?;
    let next = value.get("next")?.as_str()?;
    next.strip_prefix(base).map(str::to_owned)
}

/// The same-site links of a page (`href`, `src`, `action`, `data-href`) under `base`, with
/// the base removed and `&` entities decoded, and its card image if its absolute address is
/// under `site` (the site's origin and base); fragments are dropped.
pub fn same_site_links(html: &[u8], base: &str, site: &str) -> Vec<String> {
    let found = std::cell::RefCell::new(Vec::new());
    let card = element!("meta[property=\"og:image\"]", |el| {
        if let Some(url) = el.get_attribute("content")
            && let Some(local) = url.strip_prefix(site)
            && local.starts_with('/')
        {
            found
                .borrow_mut()
                .push(local.replace("&#38;", "&").replace("&amp;", "&"));
        }
        Ok(())
    });
    let handlers = super::address::LINK_ATTRIBUTES
        .into_iter()
        .map(|attribute| {
            let found = &found;
            element!(format!("[{attribute}^=\"/\"]"), move |el| {
                if let Some(url) = el.get_attribute(attribute)
                    && !url.starts_with("//")
                {
                    let url = url.replace("&#38;", "&").replace("&amp;", "&");
                    let url = url.split('#').next().unwrap_or_default();
                    if let Some(local) = url.strip_prefix(base) {
                        found.borrow_mut().push(local.to_owned());
                    }
                }
                Ok(())
            })
        })
        .chain([card])
        .collect();
    let mut rewriter = HtmlRewriter::new(
        Settings {
            element_content_handlers: handlers,
            ..Settings::new()
        },
        |_: &[u8]| {},
    );
    // Our own pages always parse; a page that did not would simply yield fewer links.
    let _ = rewriter.write(html).and_then(|()| rewriter.end());
    found.into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_map_to_files() {
        assert_eq!(file_of("/"), "index.html");
        assert_eq!(file_of("/entities/crime=x/"), "entities/crime=x/index.html");
        assert_eq!(file_of("/entities/?crime=a&crime=b"), "entities/index.html");
        assert_eq!(
            file_of("/charts/crime=x/coverage.svg"),
            "charts/crime=x/coverage.svg"
        );
        assert_eq!(file_of("/method/#within"), "method/index.html");
    }

    /// Writes `files` (path, bytes) under `dir`.
    fn lay_out(dir: &Path, files: &[(&str, &str)]) {
        for (file, body) in files {
            let path = dir.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, body).unwrap();
        }
    }

    #[test]
    #[cfg(unix)]
    fn an_earlier_export_is_rebuilt_in_place() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        lay_out(
            &out,
            &[
                ("index.html", "home"),
                ("sitemap.xml", "map"),
                ("a.txt", "old"),
                ("stale/b.txt", "gone"),
                ("x", "a file where a directory goes"),
                ("d/e.txt", "a directory where a file goes"),
            ],
        );
        let inode = |file: &str| std::fs::metadata(out.join(file)).unwrap().ino();
        let before = inode("index.html");
        prepare(&out).unwrap();
        assert!(
            !write(&out, "index.html", b"home").unwrap(),
            "the same bytes"
        );
        assert_eq!(inode("index.html"), before, "left as it was");
        assert!(write(&out, "sitemap.xml", b"map2").unwrap());
        assert!(write(&out, "a.txt", b"new").unwrap());
        assert!(write(&out, "x/y.txt", b"y").unwrap());
        assert!(write(&out, "d", b"d").unwrap());
        let kept: BTreeMap<String, u64> = ["index.html", "sitemap.xml", "a.txt", "x/y.txt", "d"]
            .into_iter()
            .map(|f| (f.to_owned(), 0))
            .collect();
        assert_eq!(sweep(&out, &kept).unwrap(), 1, "stale/b.txt");
        let mut left: Vec<String> = walkdir::WalkDir::new(&out)
            .min_depth(1)
            .into_iter()
            .map(|e| {
                let e = e.unwrap();
                let name = e.path().strip_prefix(&out).unwrap().to_string_lossy();
                format!("{name}{}", if e.file_type().is_dir() { "/" } else { "" })
            })
            .collect();
        left.sort();
        assert_eq!(
            left,
            ["a.txt", "d", "index.html", "sitemap.xml", "x/", "x/y.txt"]
        );
        assert_eq!(std::fs::read(out.join("a.txt")).unwrap(), b"new");
    }

    #[test]
    fn pages_written_at_once_under_a_file_in_the_way_all_land() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        lay_out(
            &out,
            &[
                ("index.html", "home"),
                ("x", "a file where a directory goes"),
            ],
        );
        let start = std::sync::Barrier::new(8);
        std::thread::scope(|scope| {
            let writers: Vec<_> = (0..8)
                .map(|i| {
                    let (out, start) = (&out, &start);
                    scope.spawn(move || {
                        start.wait();
                        write(out, &format!("x/{i}.txt"), b"page")
                    })
                })
                .collect();
            for writer in writers {
                assert!(writer.join().unwrap().unwrap(), "written");
            }
        });
        assert_eq!(std::fs::read_dir(out.join("x")).unwrap().count(), 8);
    }

    #[test]
    fn a_directory_that_is_not_an_export_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        lay_out(dir.path(), &[("notes.txt", "mine")]);
        assert!(matches!(prepare(dir.path()), Err(BuildError::NotEmpty(_))));
        assert_eq!(
            std::fs::read(dir.path().join("notes.txt")).unwrap(),
            b"mine"
        );
        let empty = dir.path().join("new");
        prepare(&empty).unwrap();
        assert!(empty.is_dir());
    }

    #[test]
    fn links_are_found_under_the_base() {
        let html = br##"<a href="/un/entities/">e</a><a href="#main">m</a><img src="/un/c.svg" alt=""><a href="/elsewhere/">x</a><a href="/un/entities/?crime=a&#38;crime=b#t">f</a><meta property="og:image" content="https://x.org/un/charts/w=1/c.png">"##;
        assert_eq!(
            same_site_links(html, "/un", "https://x.org/un"),
            [
                "/entities/",
                "/c.svg",
                "/entities/?crime=a&crime=b",
                "/charts/w=1/c.png"
            ]
        );
    }
}
