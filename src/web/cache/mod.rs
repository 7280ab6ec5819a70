//! HTTP caching and compression in one layer, [`validate`]: a hit is answered from memory
//! (304 or the stored body); a miss is rendered, stored and answered.
//!
//! - [`key`]: **one key per meaning.** A request's key is its canonical form: the path and
//!   the parameters the application reads, decoded, tidied and sorted, unknown ones dropped.
//!   Equivalent URLs share one stored entry and one `ETag`.
//! - [`conditional`]: every successful GET carries a strong `ETag` derived from the data
//!   version and that key (plus the content coding), and a `Cache-Control`; a matching
//!   `If-None-Match` is answered 304 without rendering anything.
//! - [`store`]: each distinct request is rendered once per data version and kept in a bounded
//!   store whose weight is every byte it holds.
//! - [`encoding`]: gzip level 1 on a miss, brotli made in the background for repeats, all
//!   compression beyond a small gzip in [`pool::COMPRESS`](super::pool::COMPRESS).
//!
//! Whether a miss waits for a render turn is not decided here but by its route: the routes
//! that render on the async workers sit behind [`pool::render_turn`](super::pool::render_turn)
//! (see `web::router`), and the chart files take a turn in their handler unless they are
//! PNGs, rasterised in their own pool. A hit never reaches a route, so never waits.
//!
//! The data snapshot the key is derived from is put into the request's extensions, and
//! handlers read that same snapshot (`web::Data`), so the validator always matches the body.

mod conditional;
mod encoding;
pub(super) mod key;
mod store;

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;

use super::AppState;
use encoding::negotiate;
use key::canonical;
use store::{Entry, MAX_ENTRY_BYTES};

pub use store::Store;

/// The caching layer: answers a hit from the store (304 or the stored body in the client's
/// best coding); renders a miss, stores it if it fits, and answers it.
pub async fn validate(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let data = state.data();
    let cacheable = matches!(*request.method(), Method::GET | Method::HEAD);
    let path = request.uri().path().to_owned();
    let canonical = canonical(&path, request.uri().query());
    let accepts = negotiate(request.headers());
    // A hit carries its ETag: no digest to compute.
    if cacheable && let Some(entry) = state.responses.get(data.version(), &canonical) {
        if conditional::matches(request.headers(), &entry.key) {
            return conditional::not_modified(&entry.key, &path);
        }
        return entry.respond(accepts, true).await;
    }
    let key = key::etag_key(data.version(), &canonical);
    if cacheable && conditional::matches(request.headers(), &key) {
        return conditional::not_modified(&key, &path);
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
    let identity_len = identity.len();
    let entry = Arc::new(Entry::new(parts.headers, identity, key, &path));
    // Stored only while its data is current: a request that straddled a reload must not
    // start a store for the version just replaced.
    if identity_len <= MAX_ENTRY_BYTES && Arc::ptr_eq(&data, &state.data()) {
        state
            .responses
            .put(data.version(), canonical, Arc::clone(&entry));
    }
    entry.respond(accepts, false).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::Router;
    use axum::body::Body;
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    async fn get_body(app: &Router, uri: &str) -> (StatusCode, Bytes) {
        let request = axum::http::Request::get(uri).body(Body::empty()).unwrap();
        let response = app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        (
            status,
            response.into_body().collect().await.unwrap().to_bytes(),
        )
    }

    #[tokio::test]
    async fn equivalent_urls_are_one_store_entry() {
        let state = AppState::new(crate::dataset::Dataset::embedded().unwrap());
        let app = super::super::router(state.clone());
        for uri in [
            "/entities?crime=cybercrime&pillar=development",
            "/entities?pillar=development&crime=cybercrime",
            "/entities?crime=cybercrime&crime=cybercrime&pillar=development&pillar=development",
            "/entities?z=1&crime=cybercrime&pillar=development",
            "/entities?z=2&crime=cybercrime&utm_source=x&pillar=development",
        ] {
            let (status, _) = get_body(&app, uri).await;
            assert_eq!(status, StatusCode::OK, "{uri}");
        }
        assert_eq!(state.responses.len(), 1);
    }
}
