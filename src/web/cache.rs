//! HTTP caching and compression in one layer.
//!
//! - Every successful GET carries a strong `ETag` derived from the data version and the
//!   request (plus the content coding), and a `Cache-Control`; a matching `If-None-Match` is
//!   answered 304 without rendering anything.
//! - Each distinct request is rendered once per data version: the body is kept with its gzip
//!   and brotli encodings, and later requests get the encoding they accept from memory. The
//!   store is bounded and starts afresh when the data version changes.
//!
//! The data snapshot the key is derived from is put into the request's extensions, and
//! handlers read that same snapshot (`web::Data`), so the validator always matches the body.

use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use super::AppState;

/// The most bytes the rendered-response store holds (all encodings counted).
pub const CAPACITY_BYTES: usize = 8 << 20;

/// The largest body that is kept (a bigger one is served but not stored).
const MAX_ENTRY_BYTES: usize = 1 << 20;

/// A rendered response; its compressed encodings are made the first time a client asks for
/// them, and kept.
struct Entry {
    headers: HeaderMap,
    identity: bytes::Bytes,
    compressible: bool,
    gzip: OnceLock<Option<bytes::Bytes>>,
    br: OnceLock<Option<bytes::Bytes>>,
}

impl Entry {
    fn new(headers: HeaderMap, identity: bytes::Bytes) -> Entry {
        Entry {
            compressible: compressible(&headers) && identity.len() > 256,
            headers,
            identity,
            gzip: OnceLock::new(),
            br: OnceLock::new(),
        }
    }

    /// The body's size; compressed copies, made later, are at most about as large again.
    fn size(&self) -> usize {
        self.identity.len() * 2
    }

    fn gzip(&self) -> Option<bytes::Bytes> {
        self.gzip
            .get_or_init(|| self.compressible.then(|| gzip(&self.identity)).flatten())
            .clone()
    }

    fn br(&self) -> Option<bytes::Bytes> {
        self.br
            .get_or_init(|| self.compressible.then(|| brotli(&self.identity)).flatten())
            .clone()
    }
}

/// Rendered responses by key, for one data version.
#[derive(Default)]
pub struct Store {
    inner: Mutex<StoreInner>,
}

#[derive(Default)]
struct StoreInner {
    version: String,
    bytes: usize,
    entries: HashMap<String, Arc<Entry>>,
}

impl Store {
    fn get(&self, version: &str, key: &str) -> Option<Arc<Entry>> {
        let inner = self.inner.lock().ok()?;
        (inner.version == version)
            .then(|| inner.entries.get(key).cloned())
            .flatten()
    }

    fn put(&self, version: &str, key: String, entry: Arc<Entry>) {
        let Ok(mut inner) = self.inner.lock() else {
            return;
        };
        if inner.version != version || inner.bytes + entry.size() > CAPACITY_BYTES {
            // A new data version, or full: start afresh (simple, bounded, and cheap to refill).
            *inner = StoreInner {
                version: version.to_owned(),
                ..StoreInner::default()
            };
        }
        inner.bytes += entry.size();
        inner.entries.insert(key, entry);
    }
}

/// The validator of a request against a data version: the same on every server copy.
fn key(version: &str, uri: &axum::http::Uri) -> String {
    let mut hash = Sha256::new();
    hash.update(version.as_bytes());
    hash.update([0]);
    hash.update(uri.path().as_bytes());
    hash.update([0]);
    hash.update(uri.query().unwrap_or("").as_bytes());
    let digest: String = hash.finalize()[..10]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("{version}-{digest}")
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

/// The content coding to answer with: brotli, then gzip, if the client accepts them.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Coding {
    Identity,
    Gzip,
    Br,
}

fn negotiate(headers: &HeaderMap) -> Coding {
    let mut gzip = false;
    let mut br = false;
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
                "br" => br |= !refused,
                "gzip" => gzip |= !refused,
                _ => {}
            }
        }
    }
    if br {
        Coding::Br
    } else if gzip {
        Coding::Gzip
    } else {
        Coding::Identity
    }
}

/// How long shared caches may keep a response without revalidating.
fn cache_control(path: &str) -> &'static str {
    if path.starts_with("/static/") {
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

fn gzip(bytes: &[u8]) -> Option<bytes::Bytes> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).ok()?;
    encoder.finish().ok().map(bytes::Bytes::from)
}

fn brotli(bytes: &[u8]) -> Option<bytes::Bytes> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 9,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).ok()?;
    Some(bytes::Bytes::from(out))
}

/// Builds the answer from a stored entry in the negotiated coding.
fn respond(entry: &Entry, key: &str, coding: Coding, path: &str) -> Response {
    let compressed = match coding {
        Coding::Br => entry.br().map(|b| (b, ".br", "br")),
        Coding::Gzip => entry.gzip().map(|g| (g, ".gzip", "gzip")),
        Coding::Identity => None,
    };
    let (body, suffix, encoding) = match compressed {
        Some((bytes, suffix, encoding)) => (bytes, suffix, Some(encoding)),
        None => (entry.identity.clone(), "", None),
    };
    let mut response = Response::new(Body::from(body));
    let headers = response.headers_mut();
    headers.clone_from(&entry.headers);
    headers.remove(header::CONTENT_LENGTH);
    if let Some(encoding) = encoding {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
    }
    if entry.compressible {
        headers.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    }
    if let Ok(etag) = HeaderValue::from_str(&format!("\"{key}{suffix}\"")) {
        headers.insert(header::ETAG, etag);
    }
    headers
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static(cache_control(path)));
    response
}

pub async fn validate(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let data = state.data();
    let cacheable = matches!(*request.method(), Method::GET | Method::HEAD);
    let key = key(data.version(), request.uri());
    let path = request.uri().path().to_owned();
    let coding = negotiate(request.headers());
    if cacheable && matches(request.headers(), &key) {
        return (
            StatusCode::NOT_MODIFIED,
            [
                (header::ETAG, format!("\"{key}\"")),
                (header::CACHE_CONTROL, cache_control(&path).to_owned()),
            ],
        )
            .into_response();
    }
    if cacheable && let Some(entry) = state.responses.get(data.version(), &key) {
        return respond(&entry, &key, coding, &path);
    }
    request.extensions_mut().insert(Arc::clone(&data));
    let response = next.run(request).await;
    if !cacheable || response.status() != StatusCode::OK {
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(identity) = axum::body::to_bytes(body, MAX_ENTRY_BYTES * 16).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let entry = Arc::new(Entry::new(parts.headers, identity));
    if entry.size() <= MAX_ENTRY_BYTES {
        state
            .responses
            .put(data.version(), key.clone(), Arc::clone(&entry));
    }
    respond(&entry, &key, coding, &path)
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
        let a: axum::http::Uri = "/entities?crime=cybercrime".parse().unwrap();
        let b: axum::http::Uri = "/entities?crime=arms-trafficking".parse().unwrap();
        assert_ne!(key("v1", &a), key("v1", &b));
        assert_ne!(key("v1", &a), key("v2", &a));
        assert_eq!(key("v1", &a), key("v1", &a));
    }

    #[test]
    fn negotiation_prefers_brotli_and_honours_q_zero() {
        let h = |v: &'static str| {
            let mut m = HeaderMap::new();
            m.insert(header::ACCEPT_ENCODING, HeaderValue::from_static(v));
            m
        };
        assert_eq!(negotiate(&h("gzip, deflate, br")), Coding::Br);
        assert_eq!(negotiate(&h("gzip, br;q=0")), Coding::Gzip);
        assert_eq!(negotiate(&h("identity")), Coding::Identity);
        assert_eq!(negotiate(&HeaderMap::new()), Coding::Identity);
    }

    #[test]
    fn the_store_is_bounded_and_per_version() {
        let store = Store::default();
        let entry =
            |n: usize| Arc::new(Entry::new(HeaderMap::new(), bytes::Bytes::from(vec![0; n])));
        store.put("v1", "a".into(), entry(10));
        assert!(store.get("v1", "a").is_some());
        assert!(store.get("v2", "a").is_none(), "another version misses");
        store.put("v1", "big".into(), entry(CAPACITY_BYTES / 2));
        assert!(store.get("v1", "a").is_none(), "full: started afresh");
        assert!(store.get("v1", "big").is_some());
    }
}
