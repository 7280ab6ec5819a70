//! HTTP caching and compression in one layer.
//!
//! - **One key per meaning.** A request's key is its canonical form ([`canonical`]): the path
//!   and the parameters the application reads, decoded, tidied and sorted, unknown ones
//!   dropped. Equivalent URLs share one stored entry and one `ETag`.
//! - Every successful GET carries a strong `ETag` derived from the data version and that key
//!   (plus the content coding), and a `Cache-Control`; a matching `If-None-Match` is answered
//!   304 without rendering anything.
//! - Each distinct request is rendered once per data version and kept in a bounded store whose
//!   weight is every byte it holds; a full store evicts by policy (quick_cache's scan-resistant
//!   hot/cold queues), never all at once. A new data version starts a fresh store.
//! - **Compression costs the first visitor little.** A miss is compressed with gzip level 1
//!   (66 µs for a 46 KB page); once an entry is asked for again, brotli quality 5 is made in
//!   the background for later browsers. All compression runs in [`pool::COMPRESS`], never on
//!   the async workers. The figures behind the levels are in docs/performance.md.
//!
//! Whether a miss waits for a render turn is not decided here but by its route (see
//! `web::router` and `pool::render_turn`); a hit never reaches a route, so never waits.
//!
//! The data snapshot the key is derived from is put into the request's extensions, and
//! handlers read that same snapshot (`web::Data`), so the validator always matches the body.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

use arc_swap::ArcSwap;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use sha2::{Digest, Sha256};

use super::AppState;
use super::pool;

/// The most bytes the rendered-response store holds: bodies in every encoding, headers, keys
/// and bookkeeping, each entry counted at its upper bound when it is stored.
pub const CAPACITY_BYTES: usize = 4 << 20;

/// The largest body that is kept (a bigger one is served but not stored).
const MAX_ENTRY_BYTES: usize = 512 << 10;

/// What an entry costs beyond its bytes: the `Arc`, the struct and the store's slot.
const ENTRY_OVERHEAD: usize = 256;

/// gzip level for a response's first compression: the cheapest level that still compresses
/// well (46 KB → 8.5 KB in 66 µs; level 6 is 6.1 KB in 316 µs).
const GZIP_LEVEL: u32 = 1;

/// The largest body gzipped on the async worker that rendered it (~100 µs at level 1, less
/// than rendering a page takes); bigger ones, and every brotli, go to the compression pool.
const INLINE_GZIP_BYTES: usize = 64 << 10;

/// brotli quality made for entries asked for again: 5.7 KB in 0.7 ms, where quality 9 saves
/// 2 % more for 13 times the work and 11 saves 13 % for 80 times.
const BROTLI_QUALITY: i32 = 5;

/// How a parameter's repeated values combine.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Repeats {
    /// The values form a set: order and duplicates mean nothing (`crime=a&crime=b`).
    Set,
    /// The last non-empty value wins; earlier ones are still validated.
    Last,
}

/// A query parameter the application reads.
#[derive(Debug)]
pub struct Param {
    pub name: &'static str,
    pub repeats: Repeats,
}

const fn param(name: &'static str, repeats: Repeats) -> Param {
    Param { name, repeats }
}

/// The query parameters routes read besides the filter dimensions, each of which keeps its
/// last value: the filter's `match` and `q`, the list's `sort`, the system view's `entity`,
/// and the charts' options. A parameter missing here would be dropped from the key and its
/// variants served one body, so a new one must be added here.
const OTHER_PARAMS: &[&str] = &[
    "by", "entity", "height", "match", "mode", "q", "scale", "sort", "source", "split", "stack",
    "title", "width",
];

/// The query parameters the application reads, sorted by name: every filter dimension of
/// [`DIMENSIONS`](crate::dataset::DIMENSIONS) (a set of values), then the others.
pub fn known_params() -> &'static [Param] {
    static PARAMS: std::sync::OnceLock<Vec<Param>> = std::sync::OnceLock::new();
    PARAMS.get_or_init(|| {
        let mut params: Vec<Param> = crate::dataset::Dim::all()
            .map(|d| param(d.get().param, Repeats::Set))
            .chain(OTHER_PARAMS.iter().map(|&name| param(name, Repeats::Last)))
            .collect();
        params.sort_by_key(|p| p.name);
        params
    })
}

/// The canonical form of a request: `path`, then the known parameters of `query`, decoded,
/// trimmed, without empty values, sorted by name and re-encoded. A set-valued parameter's
/// values are sorted and de-duplicated; a last-wins parameter keeps the order of its distinct
/// values (an identical pair repeated counts once, at its last place), so the value that wins
/// and every value that is validated stay the same. Two queries with one canonical form
/// therefore get the same answer, byte for byte.
pub fn canonical(path: &str, query: Option<&str>) -> String {
    let mut pairs: Vec<(&'static Param, String)> = Vec::new();
    let mut seen = HashSet::new();
    let decoded: Vec<_> = form_urlencoded::parse(query.unwrap_or("").as_bytes()).collect();
    // Walk backwards so a repeated last-wins pair is kept at its last place.
    for (name, value) in decoded.iter().rev() {
        let Some(known) = known_params().iter().find(|p| p.name == name.as_ref()) else {
            continue;
        };
        let value = value.trim();
        if value.is_empty() || !seen.insert((known.name, value)) {
            continue;
        }
        pairs.push((known, value.to_owned()));
    }
    pairs.reverse();
    // Stable: a last-wins parameter's values keep their order.
    pairs.sort_by(|(a, x), (b, y)| {
        a.name.cmp(b.name).then_with(|| match a.repeats {
            Repeats::Set => x.cmp(y),
            Repeats::Last => std::cmp::Ordering::Equal,
        })
    });
    if pairs.is_empty() {
        return path.to_owned();
    }
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (param, value) in &pairs {
        query.append_pair(param.name, value);
    }
    format!("{path}?{}", query.finish())
}

/// The validator of a canonical request against a data version: the same on every server copy.
fn etag_key(version: &str, canonical: &str) -> String {
    let mut hash = Sha256::new();
    hash.update(version.as_bytes());
    hash.update([0]);
    hash.update(canonical.as_bytes());
    let digest: String = hash.finalize()[..10]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("{version}-{digest}")
}

/// A rendered response. Its weight is fixed when it is made: a compressed copy is kept only if
/// it fits the room reserved for it, so the store's accounting stays an upper bound.
struct Entry {
    /// Its ETag without quotes or coding suffix.
    key: String,
    /// The headers to send with each coding's body, made once (by [`Coding`] index).
    sent: [HeaderMap; 3],
    identity: Bytes,
    compressible: bool,
    /// The most bytes each compressed copy may take to be kept.
    reserve: usize,
    weight: u64,
    gzip: OnceLock<Bytes>,
    br: OnceLock<Bytes>,
    /// Whether the brotli copy has been asked for in the background already.
    upgrading: AtomicBool,
}

impl Entry {
    fn new(headers: HeaderMap, identity: Bytes, key: String, path: &str) -> Entry {
        let compressible = compressible(&headers) && identity.len() > 256;
        // Text compresses to under a fifth with either coding; a third leaves room.
        let reserve = if compressible { identity.len() / 3 } else { 0 };
        let sent = [Coding::Identity, Coding::Gzip, Coding::Br]
            .map(|coding| sent_headers(&headers, coding, compressible, &key, path));
        let header_bytes: usize = (sent.iter().flatten())
            .map(|(name, value)| name.as_str().len() + value.len() + 32)
            .sum();
        let weight = ENTRY_OVERHEAD + key.len() + header_bytes + identity.len() + 2 * reserve;
        Entry {
            key,
            sent,
            identity,
            compressible,
            reserve,
            weight: weight as u64,
            gzip: OnceLock::new(),
            br: OnceLock::new(),
            upgrading: AtomicBool::new(false),
        }
    }

    fn cell(&self, coding: Coding) -> Option<&OnceLock<Bytes>> {
        match coding {
            Coding::Gzip => Some(&self.gzip),
            Coding::Br => Some(&self.br),
            Coding::Identity => None,
        }
    }

    /// The body in `coding`: the kept copy, or one made now in the compression pool (and kept
    /// if it fits its reserve).
    async fn encode(&self, coding: Coding) -> Option<Bytes> {
        let cell = self.cell(coding)?;
        if let Some(bytes) = cell.get() {
            return Some(bytes.clone());
        }
        let bytes = if coding == Coding::Gzip && self.identity.len() <= INLINE_GZIP_BYTES {
            compress(coding, &self.identity)?
        } else {
            let identity = self.identity.clone();
            pool::COMPRESS
                .run(move || compress(coding, &identity))
                .await
                .flatten()?
        };
        if bytes.len() <= self.reserve {
            // Another request may have made it meanwhile; either copy is the same bytes.
            let _ = cell.set(bytes.clone());
        }
        Some(bytes)
    }

    /// Makes the brotli copy in the background, once, if the compression pool has room now.
    fn upgrade(self: &Arc<Self>) {
        if self.br.get().is_some() || self.upgrading.swap(true, Ordering::Relaxed) {
            return;
        }
        let entry = Arc::clone(self);
        let started = pool::COMPRESS.try_spawn(move || {
            if let Some(br) = compress(Coding::Br, &entry.identity)
                && br.len() <= entry.reserve
            {
                let _ = entry.br.set(br);
            }
        });
        if !started {
            // Busy: the next request for this entry tries again.
            self.upgrading.store(false, Ordering::Relaxed);
        }
    }

    /// The body to send for a client accepting `accepts`; `again` when the entry was stored
    /// before this request (it has proven popular).
    async fn body(self: &Arc<Self>, accepts: Accepts, again: bool) -> (Bytes, Coding) {
        if self.compressible {
            if accepts.br
                && let Some(br) = self.br.get()
            {
                return (br.clone(), Coding::Br);
            }
            let coding = if accepts.gzip {
                if accepts.br && again {
                    self.upgrade();
                }
                Coding::Gzip
            } else if accepts.br {
                // A client that takes brotli only: made now, off the workers.
                Coding::Br
            } else {
                Coding::Identity
            };
            if let Some(bytes) = self.encode(coding).await {
                return (bytes, coding);
            }
        }
        (self.identity.clone(), Coding::Identity)
    }
}

/// The store's measure of an entry: every byte it holds.
#[derive(Clone)]
struct ByWeight;

impl quick_cache::Weighter<String, Arc<Entry>> for ByWeight {
    fn weight(&self, key: &String, entry: &Arc<Entry>) -> u64 {
        key.len() as u64 + entry.weight
    }
}

type Entries = quick_cache::sync::Cache<String, Arc<Entry>, ByWeight>;

/// The entries of one data version.
struct Generation {
    version: String,
    entries: Entries,
}

/// Rendered responses by canonical request, for the current data version.
pub struct Store {
    capacity: u64,
    generation: ArcSwap<Generation>,
}

impl Default for Store {
    fn default() -> Store {
        Store::with_capacity(CAPACITY_BYTES)
    }
}

impl Store {
    fn with_capacity(bytes: usize) -> Store {
        let capacity = bytes as u64;
        Store {
            capacity,
            generation: ArcSwap::from_pointee(Generation::new(String::new(), capacity)),
        }
    }

    fn get(&self, version: &str, key: &str) -> Option<Arc<Entry>> {
        let generation = self.generation.load();
        (generation.version == version)
            .then(|| generation.entries.get(key))
            .flatten()
    }

    fn put(&self, version: &str, key: String, entry: Arc<Entry>) {
        let mut generation = self.generation.load_full();
        if generation.version != version {
            // The data changed: the old version's entries can never be served again.
            let fresh = Arc::new(Generation::new(version.to_owned(), self.capacity));
            self.generation
                .compare_and_swap(&generation, Arc::clone(&fresh));
            generation = self.generation.load_full();
            if generation.version != version {
                return;
            }
        }
        generation.entries.insert(key, entry);
    }

    /// How many responses are stored.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.generation.load().entries.len()
    }

    /// The bytes the stored responses hold, as the store counts them.
    #[cfg(test)]
    fn weight(&self) -> u64 {
        self.generation.load().entries.weight()
    }
}

impl Generation {
    fn new(version: String, capacity: u64) -> Generation {
        // Options are set from constants, so building them cannot fail.
        let options = quick_cache::OptionsBuilder::new()
            .estimated_items_capacity((capacity / 8192).max(64) as usize)
            .weight_capacity(capacity)
            // A tenth of the room for entries seen once: junk and one-off requests churn
            // there while entries asked for again stay in the hot part.
            .hot_allocation(0.9)
            .shards(4)
            .build()
            .expect("constant cache options are valid");
        Generation {
            version,
            entries: Entries::with_options(
                options,
                ByWeight,
                Default::default(),
                Default::default(),
            ),
        }
    }
}

/// Whether `If-None-Match` names a representation of `key` (any content coding).
fn matches(headers: &HeaderMap, key: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|tag| tag.trim().trim_start_matches("W/").trim_matches('"'))
        .any(|tag| {
            tag == "*"
                || tag == key
                || tag
                    .strip_prefix(key)
                    .is_some_and(|rest| rest.starts_with('.'))
        })
}

/// A content coding we answer with.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Coding {
    Identity,
    Gzip,
    Br,
}

impl Coding {
    /// The `Content-Encoding` value and the `ETag` suffix.
    fn names(self) -> Option<(&'static str, &'static str)> {
        match self {
            Coding::Identity => None,
            Coding::Gzip => Some(("gzip", ".gzip")),
            Coding::Br => Some(("br", ".br")),
        }
    }
}

/// The codings a client accepts (besides identity).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
struct Accepts {
    gzip: bool,
    br: bool,
}

fn negotiate(headers: &HeaderMap) -> Accepts {
    let mut accepts = Accepts::default();
    for value in headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
    {
        for part in value.split(',') {
            let mut pieces = part.split(';');
            let coding = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
            let refused = pieces.any(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            match coding.as_str() {
                "br" => accepts.br |= !refused,
                "gzip" => accepts.gzip |= !refused,
                _ => {}
            }
        }
    }
    accepts
}

/// How long shared caches may keep a response without revalidating.
fn cache_control(path: &str) -> &'static str {
    if super::assets::is_fingerprinted(path) {
        "public, max-age=31536000, immutable"
    } else if path.starts_with("/static/") || path == "/favicon.ico" {
        "public, max-age=3600"
    } else {
        "public, max-age=60"
    }
}

fn compressible(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| !t.starts_with("image/png"))
}

fn compress(coding: Coding, bytes: &[u8]) -> Option<Bytes> {
    let mut out = match coding {
        Coding::Identity => return None,
        Coding::Gzip => gzip(bytes)?,
        Coding::Br => brotli(bytes)?,
    };
    // Kept bytes are counted by their length: let them hold no spare capacity.
    out.shrink_to_fit();
    Some(Bytes::from(out))
}

/// gzip with one deflate state per thread, reset between bodies: a fresh state is ~300 KB
/// allocated and freed per response, which left the allocator's per-thread heaps bloated.
fn gzip(bytes: &[u8]) -> Option<Vec<u8>> {
    use flate2::{Compress, Compression, Crc, FlushCompress, Status};
    thread_local! {
        static DEFLATE: std::cell::RefCell<Compress> =
            std::cell::RefCell::new(Compress::new(Compression::new(GZIP_LEVEL), false));
    }
    // RFC 1952: deflate, no name or time, "fastest" extra flags, unknown OS.
    let mut out = Vec::with_capacity(bytes.len() / 3 + 64);
    out.extend_from_slice(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 4, 255]);
    DEFLATE.with_borrow_mut(|deflate| {
        deflate.reset();
        loop {
            let done = deflate.total_in() as usize;
            match deflate
                .compress_vec(&bytes[done..], &mut out, FlushCompress::Finish)
                .ok()?
            {
                Status::StreamEnd => return Some(()),
                Status::Ok | Status::BufError => out.reserve(out.capacity().max(4096)),
            }
        }
    })?;
    let mut crc = Crc::new();
    crc.update(bytes);
    out.extend_from_slice(&crc.sum().to_le_bytes());
    out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
    Some(out)
}

/// brotli with a window no larger than the body, which keeps its buffers small.
fn brotli(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(bytes.len() / 4 + 64);
    let params = brotli::enc::BrotliEncoderParams {
        quality: BROTLI_QUALITY,
        lgwin: (usize::BITS - bytes.len().leading_zeros()).clamp(16, 22) as i32,
        size_hint: bytes.len(),
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).ok()?;
    Some(out)
}

/// Builds the answer from an entry in the best coding the client accepts.
/// The headers a response in `coding` carries: the rendered ones, its coding, `Vary`, its
/// ETag and `Cache-Control`.
fn sent_headers(
    rendered: &HeaderMap,
    coding: Coding,
    compressible: bool,
    key: &str,
    path: &str,
) -> HeaderMap {
    let mut headers = rendered.clone();
    headers.remove(header::CONTENT_LENGTH);
    let suffix = match coding.names() {
        Some((encoding, suffix)) => {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
            suffix
        }
        None => "",
    };
    if compressible {
        headers.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    }
    if let Ok(etag) = HeaderValue::from_str(&format!("\"{key}{suffix}\"")) {
        headers.insert(header::ETAG, etag);
    }
    headers
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static(cache_control(path)));
    headers
}

async fn respond(entry: &Arc<Entry>, accepts: Accepts, again: bool) -> Response {
    let (body, coding) = entry.body(accepts, again).await;
    let mut response = Response::new(Body::from(body));
    response
        .headers_mut()
        .clone_from(&entry.sent[coding as usize]);
    response
}

/// A 304 for a client whose copy has the ETag `key` (in any coding).
fn not_modified(key: &str, path: &str) -> Response {
    (
        StatusCode::NOT_MODIFIED,
        [
            (header::ETAG, format!("\"{key}\"")),
            (header::CACHE_CONTROL, cache_control(path).to_owned()),
        ],
    )
        .into_response()
}

pub async fn validate(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let data = state.data();
    let cacheable = matches!(*request.method(), Method::GET | Method::HEAD);
    let path = request.uri().path().to_owned();
    let canonical = canonical(&path, request.uri().query());
    let accepts = negotiate(request.headers());
    // A hit carries its ETag: no digest to compute.
    if cacheable && let Some(entry) = state.responses.get(data.version(), &canonical) {
        if matches(request.headers(), &entry.key) {
            return not_modified(&entry.key, &path);
        }
        return respond(&entry, accepts, true).await;
    }
    let key = etag_key(data.version(), &canonical);
    if cacheable && matches(request.headers(), &key) {
        return not_modified(&key, &path);
    }
    request.extensions_mut().insert(Arc::clone(&data));
    let response = next.run(request).await;
    if !cacheable || response.status() != StatusCode::OK {
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(identity) = axum::body::to_bytes(body, MAX_ENTRY_BYTES * 32).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    // A copy of exactly its length: the rendered String's spare capacity would otherwise be
    // held, uncounted, for as long as the entry is. The original goes now, not after the
    // response has waited its turn for compression.
    let identity = Bytes::copy_from_slice(&identity);
    let entry = Arc::new(Entry::new(parts.headers, identity, key, &path));
    // Stored only while its data is current: a request that straddled a reload must not
    // start a store for the version just replaced.
    if entry.identity.len() <= MAX_ENTRY_BYTES && Arc::ptr_eq(&data, &state.data()) {
        state
            .responses
            .put(data.version(), canonical, Arc::clone(&entry));
    }
    respond(&entry, accepts, false).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_matches_any_coding_of_the_same_key() {
        let mut h = HeaderMap::new();
        h.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_static("\"v1-abc.gzip\", \"other\""),
        );
        assert!(matches(&h, "v1-abc"));
        assert!(!matches(&h, "v1-ab"));
        assert!(!matches(&h, "v2-abc"));
    }

    #[test]
    fn keys_differ_by_version_and_request() {
        let a = canonical("/entities", Some("crime=cybercrime"));
        let b = canonical("/entities", Some("crime=arms-trafficking"));
        assert_ne!(etag_key("v1", &a), etag_key("v1", &b));
        assert_ne!(etag_key("v1", &a), etag_key("v2", &a));
        assert_eq!(etag_key("v1", &a), etag_key("v1", &a));
    }

    #[test]
    fn equivalent_queries_have_one_canonical_form() {
        let c = |q: &str| canonical("/entities", Some(q));
        let base = c("crime=cybercrime&pillar=development");
        assert_eq!(base, "/entities?crime=cybercrime&pillar=development");
        for same in [
            "pillar=development&crime=cybercrime",
            "crime=cybercrime&crime=cybercrime&pillar=development",
            "crime=cybercrime&z=1&pillar=development&utm_source=x",
            "crime=%63ybercrime&pillar=+development+&organ=",
        ] {
            assert_eq!(c(same), base, "{same}");
        }
        assert_eq!(canonical("/", Some("z=1")), "/");
        assert_eq!(canonical("/", None), "/");
        assert_eq!(c("q=a+b"), c("q=a%20b"));
    }

    #[test]
    fn canonical_forms_keep_what_changes_the_answer() {
        let c = |q: &str| canonical("/entities", Some(q));
        assert_ne!(c("crime=cybercrime"), c("crime=illicit-drugs"));
        // Last wins: the order of different values matters, a repeat of one does not.
        assert_ne!(c("sort=name&sort=acronym"), c("sort=acronym&sort=name"));
        assert_eq!(
            c("sort=name&sort=acronym&sort=name"),
            c("sort=acronym&sort=name")
        );
        // An invalid value is still there to be reported.
        assert_ne!(c("match=bogus&match=all"), c("match=all"));
        assert_ne!(c("q=%26"), c(""));
    }

    #[test]
    fn negotiation_reads_gzip_and_brotli_and_honours_q_zero() {
        let h = |v: &'static str| {
            let mut m = HeaderMap::new();
            m.insert(header::ACCEPT_ENCODING, HeaderValue::from_static(v));
            m
        };
        let both = Accepts {
            gzip: true,
            br: true,
        };
        assert_eq!(negotiate(&h("gzip, deflate, br")), both);
        let gzip = Accepts {
            gzip: true,
            br: false,
        };
        assert_eq!(negotiate(&h("gzip, br;q=0")), gzip);
        assert_eq!(negotiate(&h("identity")), Accepts::default());
        assert_eq!(negotiate(&HeaderMap::new()), Accepts::default());
    }

    fn entry(n: usize) -> Arc<Entry> {
        Arc::new(Entry::new(
            HeaderMap::new(),
            Bytes::from(vec![0; n]),
            "v-k".into(),
            "/",
        ))
    }

    #[test]
    fn the_store_is_per_version() {
        let store = Store::default();
        store.put("v1", "a".into(), entry(10));
        assert!(store.get("v1", "a").is_some());
        assert!(store.get("v2", "a").is_none(), "another version misses");
        store.put("v2", "b".into(), entry(10));
        assert!(
            store.get("v1", "a").is_none(),
            "a new version starts afresh"
        );
    }

    #[test]
    fn a_full_store_evicts_by_policy_not_all_at_once() {
        let capacity = 1 << 20;
        let store = Store::with_capacity(capacity);
        let size = 4096;
        // Popular pages, each asked for again.
        for i in 0..20 {
            store.put("v1", format!("popular{i}"), entry(size));
        }
        for i in 0..20 {
            assert!(store.get("v1", &format!("popular{i}")).is_some());
        }
        // A flood of one-off requests, ten times the store's size.
        for i in 0..(10 * capacity / size) {
            store.put("v1", format!("junk{i}"), entry(size));
            let weight = store.weight();
            assert!(weight <= capacity as u64, "{weight} bytes held");
            assert!(store.len() > 20, "never emptied: {} entries", store.len());
        }
        let kept = (0..20)
            .filter(|i| store.get("v1", &format!("popular{i}")).is_some())
            .count();
        assert_eq!(kept, 20, "the popular pages survive the flood");
    }

    #[tokio::test]
    async fn equivalent_urls_are_one_store_entry() {
        use tower::ServiceExt;
        let state = AppState::new(crate::dataset::Dataset::embedded().unwrap());
        let app = super::super::router(state.clone());
        for uri in [
            "/entities?crime=cybercrime&pillar=development",
            "/entities?pillar=development&crime=cybercrime",
            "/entities?crime=cybercrime&crime=cybercrime&pillar=development&pillar=development",
            "/entities?z=1&crime=cybercrime&pillar=development",
            "/entities?z=2&crime=cybercrime&utm_source=x&pillar=development",
        ] {
            let request = axum::http::Request::get(uri).body(Body::empty()).unwrap();
            let response = app.clone().oneshot(request).await.unwrap();
            assert_eq!(response.status(), StatusCode::OK, "{uri}");
        }
        assert_eq!(state.responses.len(), 1);
    }

    #[test]
    fn the_weight_counts_every_encoding_kept() {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
        let e = Entry::new(headers, Bytes::from(vec![b'a'; 3000]), "v-k".into(), "/");
        assert!(e.compressible);
        assert!(e.weight as usize >= 3000 + 2 * 1000);
    }
}
