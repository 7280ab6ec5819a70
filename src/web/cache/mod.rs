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
//!   store whose weight is every byte it holds. A body over the store's entry limit is
//!   streamed to its client as it comes and not kept.
//! - [`encoding`]: gzip level 1 on a miss, brotli made in the background for repeats, all
//!   compression beyond a small gzip in [`pool::COMPRESS`](super::pool::COMPRESS).
//!
//! Whether a miss waits for a render turn is not decided here but by its route: the routes
//! that render on the async workers sit behind [`pool::render_turn`](super::pool::render_turn)
//! (see `web::router`), and the chart files take a turn in their handler unless they are
//! PNGs, rasterised in their own pool. The layer sits in front of the router: a hit is never
//! routed, so never waits, and costs no more than the lookup and the copy of its headers.
//!
//! The data snapshot the key is derived from is put into the request's extensions, and
//! handlers read that same snapshot (`web::Data`), so the validator always matches the body.

mod conditional;
mod encoding;
pub(super) mod key;
mod store;

use std::sync::Arc;
use std::time::Instant;

use axum::body::Body;
use axum::extract::{MatchedPath, Request};
use axum::http::response::Parts;
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use futures_util::{StreamExt, stream};

use super::{AppState, Error};
use encoding::{Coding, negotiate};
use key::canonical;
use store::{Entry, MAX_ENTRY_BYTES};

pub use store::Store;

/// The caching layer: answers a hit from the store (304 or the stored body in the client's
/// best coding); has `next` render a miss, stores it if it fits, and answers it.
pub async fn validate(state: &AppState, mut request: Request, next: Next) -> Response {
    // Borrowed for a hit: a count bumped by both workers on every request cost cached
    // answers 2 to 4 % of their throughput (`/charts/coverage.svg`). A miss takes it.
    let current = state.data.load();
    let cacheable = matches!(*request.method(), Method::GET | Method::HEAD);
    let path = request.uri().path().to_owned();
    // Pages quote the site's origin (embed snippets, citations): each origin has its own
    // entries, so a request naming another Host cannot change what others are sent.
    let page = canonical(&path, request.uri().query());
    let origin = super::charts::Origin::of(state, request.headers()).0;
    let canonical = format!("{page}#{origin}");
    let accepts = negotiate(request.headers());
    // A hit carries its ETag: no digest to compute.
    if cacheable && let Some(entry) = state.responses.get(current.fingerprint(), &canonical) {
        metrics::counter!(super::metrics::CACHE_HITS).increment(1);
        let start = super::metrics::installed().then(Instant::now);
        let response = if conditional::matches(request.headers(), &entry.key) {
            conditional::not_modified(&entry.key, &path)
        } else {
            entry.respond(accepts, true).await
        };
        if let Some(start) = start {
            super::metrics::answered(entry.route(), response.status(), start);
        }
        return response;
    }
    if cacheable {
        metrics::counter!(super::metrics::CACHE_MISSES).increment(1);
    }
    let data = arc_swap::Guard::into_inner(current);
    let key = key::etag_key(data.fingerprint(), &canonical);
    if cacheable && conditional::matches(request.headers(), &key) {
        let response = conditional::not_modified(&key, &path);
        if super::metrics::installed() {
            super::metrics::answered(super::metrics::UNROUTED, response.status(), Instant::now());
        }
        return response;
    }
    request.extensions_mut().insert(Arc::clone(&data));
    // Rendered as the canonical page it is, for its head to say so (see `share`).
    let url = super::share::canonical_url(&data, &origin, &page);
    let response = super::share::scope(url, origin, &path, next.run(request)).await;
    if !cacheable || response.status() != StatusCode::OK {
        return response;
    }
    let (parts, body) = response.into_parts();
    let identity = match read_at_most(body, MAX_ENTRY_BYTES).await {
        Ok(Read::Whole(identity)) => identity,
        Ok(Read::TooLarge(body)) => {
            tracing::debug!(path, "over {MAX_ENTRY_BYTES} bytes: streamed, not stored");
            // What rendering a body this large allocated is freed by now, but glibc keeps it
            // in the worker's heap: at 10,000 entities each worker that rendered `/changes`
            // (2.5 MB) held 20 MB more. Handing it back takes about a millisecond.
            super::pool::release_free_memory();
            return uncached(parts, body, &key, &path);
        }
        Err(e) => {
            tracing::warn!(path, error = %e, "the rendered body could not be read");
            return Error::internal(format!("the answer for {path} could not be read"))
                .into_response();
        }
    };
    let route = parts.extensions.get::<MatchedPath>().cloned();
    let entry = Arc::new(Entry::new(parts.headers, identity, key, &path, route));
    // Stored only while its data is current: a request that straddled a reload must not
    // start a store for the version just replaced.
    if Arc::ptr_eq(&data, &state.data()) {
        state
            .responses
            .put(data.fingerprint(), canonical, Arc::clone(&entry));
    }
    entry.respond(accepts, false).await
}

/// A rendered body, read as far as the store's limit.
enum Read {
    /// All of it, in one buffer of exactly its length.
    Whole(Bytes),
    /// More than the limit: what was read, then the rest as it comes.
    TooLarge(Body),
}

/// Reads `body` into memory unless it proves longer than `limit` bytes.
async fn read_at_most(body: Body, limit: usize) -> Result<Read, axum::Error> {
    let mut chunks = body.into_data_stream();
    let mut read: Vec<Bytes> = Vec::new();
    let mut len = 0;
    while let Some(chunk) = chunks.next().await {
        let chunk = chunk?;
        len += chunk.len();
        read.push(chunk);
        if len > limit {
            let read = stream::iter(read).map(Ok::<_, axum::Error>);
            return Ok(Read::TooLarge(Body::from_stream(read.chain(chunks))));
        }
    }
    // A copy of exactly its length: the rendered String's spare capacity would otherwise be
    // held, uncounted, for as long as the entry is. The original goes now, not after the
    // response has waited its turn for compression.
    let mut whole = Vec::with_capacity(len);
    read.iter().for_each(|chunk| whole.extend_from_slice(chunk));
    Ok(Read::Whole(Bytes::from(whole)))
}

/// An answer too large to keep, sent as it is rendered, with the identity coding's headers.
fn uncached(parts: Parts, body: Body, key: &str, path: &str) -> Response {
    let mut response = Response::new(body);
    *response.headers_mut() =
        conditional::sent_headers(&parts.headers, Coding::Identity, false, key, path);
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::Router;
    use axum::extract::State;
    use axum::routing::get;
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

    /// The caching layer alone, as a middleware.
    async fn layer(State(state): State<AppState>, request: Request, next: Next) -> Response {
        validate(&state, request, next).await
    }

    /// `n` bytes of text in chunks of 64 KB, as a streaming handler would send them.
    fn chunked(n: usize) -> Body {
        let chunks = (0..n.div_ceil(64 << 10)).map(move |i| {
            let len = (64 << 10).min(n - i * (64 << 10));
            Ok::<_, std::io::Error>(Bytes::from(vec![b'a' + (i % 26) as u8; len]))
        });
        Body::from_stream(stream::iter(chunks))
    }

    #[tokio::test]
    async fn a_body_over_the_entry_limit_arrives_whole_and_is_not_stored() {
        let state = AppState::new(crate::dataset::Dataset::embedded().unwrap());
        // Just over the limit, and over the 16 MB that once made an empty 500.
        for len in [MAX_ENTRY_BYTES + 1, 17 << 20] {
            let app = Router::new()
                .route("/big", get(move || async move { chunked(len) }))
                .layer(axum::middleware::from_fn_with_state(state.clone(), layer))
                .with_state(state.clone());
            let (status, body) = get_body(&app, "/big").await;
            assert_eq!(status, StatusCode::OK, "{len}");
            assert_eq!(body.len(), len);
            let expected = chunked(len).collect().await.unwrap().to_bytes();
            assert!(body == expected, "{len} bytes arrive in order");
            assert_eq!(state.responses.len(), 0, "{len} bytes are not stored");
        }
    }

    #[tokio::test]
    async fn a_body_at_the_entry_limit_is_stored() {
        let state = AppState::new(crate::dataset::Dataset::embedded().unwrap());
        let app = Router::new()
            .route("/edge", get(|| async { chunked(MAX_ENTRY_BYTES) }))
            .layer(axum::middleware::from_fn_with_state(state.clone(), layer))
            .with_state(state.clone());
        let (status, body) = get_body(&app, "/edge").await;
        assert_eq!((status, body.len()), (StatusCode::OK, MAX_ENTRY_BYTES));
        assert_eq!(state.responses.len(), 1);
    }
}
