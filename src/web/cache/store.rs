//! The bounded store of rendered answers, per data version.
//!
//! Each distinct request is rendered once per data version and kept here; the store's weight
//! is every byte it holds, and a full store evicts by policy (quick_cache's scan-resistant
//! hot/cold queues), never all at once. A new data version starts a fresh generation, so no
//! answer of an old version is served again.

use std::sync::Arc;

use arc_swap::ArcSwap;
use axum::body::Body;
use axum::extract::MatchedPath;
use axum::http::HeaderMap;
use axum::response::Response;
use bytes::Bytes;

use super::conditional::sent_headers;
use super::encoding::{Accepts, Bodies, Coding, compressible};

/// The most bytes the rendered-response store holds: bodies in every encoding, headers, keys
/// and bookkeeping, each entry counted at its upper bound when it is stored.
pub const CAPACITY_BYTES: usize = 4 << 20;

/// The largest body that is kept; a bigger one is streamed to its client and not stored.
pub(super) const MAX_ENTRY_BYTES: usize = 512 << 10;

/// What an entry costs beyond its bytes: the `Arc`s, the structs and the store's slot.
const ENTRY_OVERHEAD: usize = 256;

/// A rendered answer. Its weight is fixed when it is made: the bodies' bound (see [`Bodies`])
/// plus its headers and key.
pub(super) struct Entry {
    /// Its ETag without quotes or coding suffix.
    pub(super) key: String,
    /// The headers to send with each coding's body, made once (by [`Coding`] index).
    sent: [HeaderMap; 3],
    bodies: Arc<Bodies>,
    /// The pattern of the route that rendered it, when metrics are recorded: its hits are
    /// counted under it.
    route: Option<MatchedPath>,
    weight: u64,
}

impl Entry {
    pub(super) fn new(
        headers: HeaderMap,
        identity: Bytes,
        key: String,
        path: &str,
        route: Option<MatchedPath>,
    ) -> Entry {
        let bodies = Bodies::new(identity, compressible(&headers));
        let sent = Coding::ALL
            .map(|coding| sent_headers(&headers, coding, bodies.compressible(), &key, path));
        let header_bytes: usize = (sent.iter().flatten())
            .map(|(name, value)| name.as_str().len() + value.len() + 32)
            .sum();
        let weight = ENTRY_OVERHEAD + key.len() + header_bytes + bodies.bound();
        Entry {
            key,
            sent,
            bodies: Arc::new(bodies),
            route,
            weight: weight as u64,
        }
    }

    /// The pattern of the route that rendered it (see [`metrics`](crate::web::metrics)).
    pub(super) fn route(&self) -> &str {
        self.route
            .as_ref()
            .map_or(crate::web::metrics::UNROUTED, MatchedPath::as_str)
    }

    /// The answer in the best coding the client accepts; `again` when the entry was stored
    /// before this request.
    pub(super) async fn respond(&self, accepts: Accepts, again: bool) -> Response {
        let (body, coding) = self.bodies.pick(accepts, again).await;
        let mut response = Response::new(Body::from(body));
        response
            .headers_mut()
            .clone_from(&self.sent[coding as usize]);
        response
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

/// Counts evictions for the operators' metrics.
#[derive(Clone, Default)]
struct CountEvictions;

impl quick_cache::Lifecycle<String, Arc<Entry>> for CountEvictions {
    type RequestState = ();

    fn on_evict(&self, _: &mut (), _: String, _: Arc<Entry>) {
        metrics::counter!(crate::web::metrics::CACHE_EVICTIONS).increment(1);
    }
}

type Entries = quick_cache::sync::Cache<
    String,
    Arc<Entry>,
    ByWeight,
    quick_cache::DefaultHashBuilder,
    CountEvictions,
>;

/// The entries of one data version.
struct Generation {
    version: String,
    entries: Entries,
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

    pub(super) fn get(&self, version: &str, key: &str) -> Option<Arc<Entry>> {
        let generation = self.generation.load();
        (generation.version == version)
            .then(|| generation.entries.get(key))
            .flatten()
    }

    pub(super) fn put(&self, version: &str, key: String, entry: Arc<Entry>) {
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
        metrics::gauge!(crate::web::metrics::CACHE_BYTES).set(generation.entries.weight() as f64);
        metrics::gauge!(crate::web::metrics::CACHE_ENTRIES).set(generation.entries.len() as f64);
    }

    /// How many responses are stored.
    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.generation.load().entries.len()
    }

    /// The bytes the stored responses hold, as the store counts them.
    #[cfg(test)]
    fn weight(&self) -> u64 {
        self.generation.load().entries.weight()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::{HeaderValue, header};

    fn entry(n: usize) -> Arc<Entry> {
        Arc::new(Entry::new(
            HeaderMap::new(),
            Bytes::from(vec![0; n]),
            "v-k".into(),
            "/",
            None,
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

    #[test]
    fn the_weight_counts_every_encoding_kept() {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
        let e = Entry::new(
            headers,
            Bytes::from(vec![b'a'; 3000]),
            "v-k".into(),
            "/",
            None,
        );
        assert!(e.bodies.compressible());
        assert!(e.weight as usize >= 3000 + 2 * 1000);
    }
}
