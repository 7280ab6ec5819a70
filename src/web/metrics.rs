//! Metrics for operators, in Prometheus's text format on an address of their own
//! (`serve --metrics-addr`, off by default: they are not for the public).
//!
//! What is measured, and where:
//! - requests by route (the route's pattern, `unmatched` for a 404 of no route) and status,
//!   and their latency: [`track`], the router's outermost layer, for requests routed; the
//!   cache layer, which answers stored responses before routing, for the others (under the
//!   route that rendered the stored response, or [`UNROUTED`]);
//! - the response store's hits, misses, evictions, entries and bytes held: the cache layer;
//! - the pools' queues (requests waiting for a turn) and rejections (background work
//!   skipped because the pool was busy): `pool`;
//! - reloads by outcome, and the data version served as a label: `reload`.
//!
//! The recorder is the `metrics` crate's facade: with no `--metrics-addr`, none is installed
//! and every recording is a no-op.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;
use axum::routing::get;
use metrics::{counter, describe_counter, describe_gauge, describe_histogram, gauge, histogram};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

pub const REQUESTS: &str = "mandate_map_http_requests_total";
pub const LATENCY: &str = "mandate_map_http_request_duration_seconds";
pub const CACHE_HITS: &str = "mandate_map_cache_hits_total";
pub const CACHE_MISSES: &str = "mandate_map_cache_misses_total";
pub const CACHE_EVICTIONS: &str = "mandate_map_cache_evictions_total";
pub const CACHE_BYTES: &str = "mandate_map_cache_bytes";
pub const CACHE_ENTRIES: &str = "mandate_map_cache_entries";
pub const POOL_WAITING: &str = "mandate_map_pool_waiting";
pub const POOL_REJECTIONS: &str = "mandate_map_pool_rejections_total";
pub const RELOADS: &str = "mandate_map_reloads_total";
pub const DATA_INFO: &str = "mandate_map_data_info";
pub const DATA_LOADED: &str = "mandate_map_data_loaded_timestamp_seconds";

/// Latency buckets, in seconds: a cached page takes well under a millisecond, a miss a few,
/// a PNG tens, and the request timeout is 10 s.
const BUCKETS: &[f64] = &[
    0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
    10.0,
];

/// Installs the recorder and serves its metrics at `http://ADDR/metrics` from the current
/// tokio runtime. Fails if the address cannot be bound.
pub async fn serve(addr: SocketAddr) -> std::io::Result<SocketAddr> {
    let handle = install().map_err(std::io::Error::other)?;
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let bound = listener.local_addr()?;
    let upkeep = handle.clone();
    tokio::spawn(async move {
        // Histograms are drained into their buckets on upkeep; every few seconds keeps
        // their memory small between scrapes.
        let mut every = tokio::time::interval(Duration::from_secs(5));
        loop {
            every.tick().await;
            upkeep.run_upkeep();
        }
    });
    let app = axum::Router::new().route("/metrics", get(move || render(handle.clone())));
    tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, app).await {
            tracing::error!(error = %e, "the metrics listener stopped");
        }
    });
    Ok(bound)
}

async fn render(handle: PrometheusHandle) -> ([(axum::http::HeaderName, &'static str); 1], String) {
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        handle.render(),
    )
}

/// Whether a recorder is installed: without one, [`track`] leaves the request alone rather
/// than build labels nobody records.
static INSTALLED: AtomicBool = AtomicBool::new(false);

fn install() -> Result<PrometheusHandle, metrics_exporter_prometheus::BuildError> {
    let handle = PrometheusBuilder::new()
        .set_buckets_for_metric(Matcher::Full(LATENCY.to_owned()), BUCKETS)?
        .install_recorder()?;
    INSTALLED.store(true, Ordering::Relaxed);
    describe_counter!(
        REQUESTS,
        "HTTP requests answered, by route pattern and status."
    );
    describe_histogram!(
        LATENCY,
        metrics::Unit::Seconds,
        "Time to answer a request (to its headers), by route pattern."
    );
    describe_counter!(CACHE_HITS, "Requests answered from the response store.");
    describe_counter!(
        CACHE_MISSES,
        "Requests rendered because the store did not hold them."
    );
    describe_counter!(CACHE_EVICTIONS, "Stored responses evicted to make room.");
    describe_gauge!(
        CACHE_BYTES,
        metrics::Unit::Bytes,
        "Bytes the response store holds, as it counts them."
    );
    describe_gauge!(CACHE_ENTRIES, "Responses the store holds.");
    describe_gauge!(
        POOL_WAITING,
        "Jobs waiting for a turn, by pool (render, charts)."
    );
    describe_counter!(
        POOL_REJECTIONS,
        "Background jobs skipped because their pool was busy, by pool."
    );
    describe_counter!(RELOADS, "Reloads of the data directory, by outcome.");
    describe_gauge!(DATA_INFO, "1 for the data version being served (labels).");
    describe_gauge!(
        DATA_LOADED,
        metrics::Unit::Seconds,
        "When the data being served was loaded (Unix time)."
    );
    Ok(handle)
}

/// Records that the data `version` (with its `fingerprint`) is served from now on, in place
/// of `previous` if there was one.
pub fn data_served(version: &str, fingerprint: &str, previous: Option<(&str, &str)>) {
    if let Some((version, fingerprint)) = previous {
        gauge!(DATA_INFO, "version" => version.to_owned(), "fingerprint" => fingerprint.to_owned())
            .set(0.0);
    }
    gauge!(DATA_INFO, "version" => version.to_owned(), "fingerprint" => fingerprint.to_owned())
        .set(1.0);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64());
    gauge!(DATA_LOADED).set(now);
}

/// The route label of a request answered 304 from its ETag before it was routed, its stored
/// response having been evicted: which route it would have taken is not known.
pub const UNROUTED: &str = "unrouted";

/// The route label of a request no route matched.
const UNMATCHED: &str = "unmatched";

/// Whether a recorder is installed (`--metrics-addr`): when not, nothing is worth timing.
pub fn installed() -> bool {
    INSTALLED.load(Ordering::Relaxed)
}

/// Counts a request answered with `status` by `route` (its pattern), and the time since
/// `start`.
pub fn answered(route: &str, status: StatusCode, start: Instant) {
    histogram!(LATENCY, "route" => route.to_owned()).record(start.elapsed().as_secs_f64());
    counter!(REQUESTS, "route" => route.to_owned(), "status" => status.as_str().to_owned())
        .increment(1);
}

/// The layer counting every routed request by route pattern and status, and timing it. It
/// leaves the route's pattern on the response, for the cache layer to count the stored
/// response's hits under it.
pub async fn track(request: Request, next: Next) -> Response {
    if !installed() {
        return next.run(request).await;
    }
    let route = request.extensions().get::<MatchedPath>().cloned();
    let start = Instant::now();
    let mut response = next.run(request).await;
    let label = route.as_ref().map_or(UNMATCHED, MatchedPath::as_str);
    answered(label, response.status(), start);
    if let Some(route) = route {
        response.extensions_mut().insert(route);
    }
    response
}
