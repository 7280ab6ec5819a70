//! Validation and the caching headers: the strong ETag each coding of an answer carries
//! (`"KEY"`, `"KEY.gzip"`, `"KEY.br"`), `If-None-Match` checked against them with the weak
//! comparison RFC 9110 asks for (so `W/"KEY"` and `*` match too), the 304, and what every
//! answer from the store carries besides: `Cache-Control` by kind of path and `Vary`.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use headers::{ETag, HeaderMapExt, IfNoneMatch, Vary};

use super::encoding::Coding;
use crate::web::assets;

/// The ETag of `key` in `coding`; `None` only for a key no header could carry (a data version
/// is a digest, so in practice never).
fn etag(key: &str, coding: Coding) -> Option<ETag> {
    format!("\"{key}{}\"", coding.etag_suffix()).parse().ok()
}

/// Whether the request's `If-None-Match` names a representation of `key`, in any coding: a
/// copy a client holds in one coding is as current as the others.
pub(super) fn matches(request: &HeaderMap, key: &str) -> bool {
    let Some(Ok(if_none_match)) = request.typed_try_get::<IfNoneMatch>().transpose() else {
        return false;
    };
    Coding::ALL
        .iter()
        .filter_map(|&coding| etag(key, coding))
        .any(|tag| !if_none_match.precondition_passes(&tag))
}

/// How long shared caches may keep a response without revalidating. Written out rather than
/// built with `headers::CacheControl`, which orders directives its own way (`public,
/// immutable, max-age=…`) where this text is what clients and tests have always seen.
fn cache_control(path: &str) -> HeaderValue {
    HeaderValue::from_static(if assets::is_fingerprinted(path) {
        "public, max-age=31536000, immutable"
    } else if path.starts_with("/static/") || path == "/favicon.ico" {
        "public, max-age=3600"
    } else {
        "public, max-age=60"
    })
}

/// The headers a response in `coding` carries: the rendered ones, its coding, `Vary` when it
/// has copies in other codings, its ETag and (unless the route set one) `Cache-Control`.
pub(super) fn sent_headers(
    rendered: &HeaderMap,
    coding: Coding,
    compressible: bool,
    key: &str,
    path: &str,
) -> HeaderMap {
    let mut headers = rendered.clone();
    headers.remove(header::CONTENT_LENGTH);
    if let Some(encoding) = coding.content_encoding() {
        headers.typed_insert(encoding);
    }
    if compressible {
        headers.typed_insert(Vary::from(header::ACCEPT_ENCODING));
    }
    if let Some(etag) = etag(key, coding) {
        headers.typed_insert(etag);
    }
    headers
        .entry(header::CACHE_CONTROL)
        .or_insert_with(|| cache_control(path));
    headers
}

/// A 304 for a client whose copy has the ETag `key` (in any coding).
pub(super) fn not_modified(key: &str, path: &str) -> Response {
    let mut response = StatusCode::NOT_MODIFIED.into_response();
    let headers = response.headers_mut();
    if let Some(etag) = etag(key, Coding::Identity) {
        headers.typed_insert(etag);
    }
    headers.insert(header::CACHE_CONTROL, cache_control(path));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn if_none_match(value: &'static str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::IF_NONE_MATCH, HeaderValue::from_static(value));
        h
    }

    #[test]
    fn if_none_match_matches_any_coding_of_the_same_key() {
        let h = if_none_match("\"v1-abc.gzip\", \"other\"");
        assert!(matches(&h, "v1-abc"));
        assert!(!matches(&h, "v1-ab"));
        assert!(!matches(&h, "v2-abc"));
        assert!(matches(&if_none_match("\"v1-abc.br\""), "v1-abc"));
        assert!(!matches(&if_none_match("\"v1-abc.gzip2\""), "v1-abc"));
    }

    #[test]
    fn if_none_match_compares_weakly_and_takes_a_star() {
        assert!(matches(&if_none_match("W/\"v1-abc\""), "v1-abc"));
        assert!(matches(&if_none_match("W/\"v1-abc.gzip\""), "v1-abc"));
        assert!(matches(&if_none_match("*"), "v1-abc"));
        assert!(!matches(&HeaderMap::new(), "v1-abc"));
    }

    #[test]
    fn a_malformed_if_none_match_matches_nothing() {
        for value in ["\"v1-abc", "v1-abc", "\"v1 abc\"", "\"v1-abc\tx\""] {
            assert!(!matches(&if_none_match(value), "v1-abc"), "{value}");
        }
        let mut h = if_none_match("\"");
        h.append(
            header::IF_NONE_MATCH,
            HeaderValue::from_static("\"v1-abc\""),
        );
        assert!(
            !matches(&h, "v1-abc"),
            "two values that join into one bad list"
        );
        // A bad tag beside a good one does not hide it.
        assert!(matches(&if_none_match("\"a b\", W/\"v1-abc\""), "v1-abc"));
    }

    #[test]
    fn each_coding_sends_its_own_strong_etag() {
        let h = sent_headers(&HeaderMap::new(), Coding::Gzip, true, "v1-abc", "/");
        assert_eq!(h[header::ETAG], "\"v1-abc.gzip\"");
        assert_eq!(h[header::CONTENT_ENCODING], "gzip");
        assert_eq!(h[header::VARY], "accept-encoding");
        assert_eq!(h[header::CACHE_CONTROL], "public, max-age=60");
        let h = sent_headers(&HeaderMap::new(), Coding::Identity, false, "v1-abc", "/");
        assert_eq!(h[header::ETAG], "\"v1-abc\"");
        assert!(h.get(header::CONTENT_ENCODING).is_none() && h.get(header::VARY).is_none());
    }
}
