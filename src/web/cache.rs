//! HTTP caching: every successful GET carries a strong `ETag` derived from the data version
//! and the request (and the content coding), and a `Cache-Control`; a matching
//! `If-None-Match` is answered 304 without rendering anything.
//!
//! The data snapshot used for the ETag is put into the request's extensions, and handlers
//! read that same snapshot (`web::Data`), so the validator always matches the body.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use super::AppState;

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

/// How long shared caches may keep a response without revalidating.
fn cache_control(path: &str) -> &'static str {
    if path.starts_with("/static/") {
        "public, max-age=3600"
    } else {
        "public, max-age=60"
    }
}

pub async fn validate(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let data = state.data();
    let cacheable = matches!(*request.method(), Method::GET | Method::HEAD);
    let key = key(data.version(), request.uri());
    let path = request.uri().path().to_owned();
    if cacheable && matches(request.headers(), &key) {
        let etag = format!("\"{key}\"");
        return (
            StatusCode::NOT_MODIFIED,
            [
                (header::ETAG, etag),
                (header::CACHE_CONTROL, cache_control(&path).to_owned()),
            ],
        )
            .into_response();
    }
    request.extensions_mut().insert(Arc::clone(&data));
    let mut response = next.run(request).await;
    if cacheable && response.status() == StatusCode::OK {
        // A compressed body is another representation: its tag says which.
        let coding = response
            .headers()
            .get(header::CONTENT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .map(|c| format!(".{c}"))
            .unwrap_or_default();
        let headers = response.headers_mut();
        if let Ok(etag) = HeaderValue::from_str(&format!("\"{key}{coding}\"")) {
            headers.insert(header::ETAG, etag);
        }
        headers
            .entry(header::CACHE_CONTROL)
            .or_insert(HeaderValue::from_static(cache_control(&path)));
    }
    response
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
}
