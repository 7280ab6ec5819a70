//! The explorer's HTTP server: application state, the router assembled from one router per
//! module, and `serve`. Handlers read the shared [`Dataset`] and never parse CSV.

mod acceptor;
pub mod address;
mod api;
pub mod assets;
mod cache;
mod changes;
pub mod charts;
mod codebook;
pub mod corrections;
mod crimes;
mod data;
mod entities;
pub mod error;
mod event_loops;
mod evidence;
mod export;
pub(crate) mod facets;
mod groups;
mod health;
pub mod layout;
mod markdown;
mod method;
pub mod metrics;
mod openapi;
mod pages;
mod paging;
mod pool;
mod rapporteurs;
mod refs;
pub mod reload;
mod share;
mod sitemap;
pub mod static_export;
mod system;
pub mod text;
mod timeline;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use arc_swap::ArcSwap;
use axum::Router;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use tower::ServiceBuilder;
use tower::limit::GlobalConcurrencyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::dataset::{Dataset, Editions};
use crate::query::{Filter, encode, url};
pub use error::Error;
pub use paging::SECTION_MAX;
pub use system::TILES_SHOWN;

/// How long a request may take before it is answered 408.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// How many routed requests (those the response store cannot answer) are served at once; more
/// wait their turn. A stored answer is sent without waiting (see [`front`]).
pub const MAX_CONCURRENT_REQUESTS: usize = 512;

/// What every handler shares: the current data, swapped whole on reload, and where it was
/// read from (`None` for the embedded copy).
///
/// One `Arc` around the lot: every layer made with a state clones it on every request, and
/// on two cores the counts of five `Arc`s, bumped and dropped by both workers, cost cached
/// answers a quarter of their throughput (`/charts/coverage.svg`: 73,000 against 99,000
/// req/s).
#[derive(Clone)]
pub struct AppState(Arc<AppStateInner>);

/// The fields of an [`AppState`] (read through it).
#[derive(Clone)]
pub struct AppStateInner {
    data: Arc<ArcSwap<Editions>>,
    pub source: Option<PathBuf>,
    /// Rendered responses, reused until the data changes.
    responses: Arc<cache::Store>,
    /// Where "suggest a correction" links send their message.
    corrections: Arc<str>,
    /// Where the site is published (`--base-url`): its links' path and its pages' origin.
    pub base: Arc<address::Base>,
    /// When the data being served was loaded, in seconds since the Unix epoch (`/readyz`).
    loaded_at: Arc<AtomicU64>,
}

impl std::ops::Deref for AppState {
    type Target = AppStateInner;

    fn deref(&self) -> &AppStateInner {
        &self.0
    }
}

impl AppState {
    /// The state serving `data`: every edition, or one `Dataset` as an edition of its own.
    pub fn new(data: impl Into<Editions>) -> Self {
        AppState(Arc::new(AppStateInner {
            data: Arc::new(ArcSwap::from_pointee(data.into())),
            source: None,
            responses: Arc::default(),
            corrections: corrections::DEFAULT.into(),
            base: Arc::default(),
            loaded_at: Arc::new(AtomicU64::new(now())),
        }))
    }

    /// This state with `change` made to its fields; clones made before keep the old ones.
    fn with(self, change: impl FnOnce(&mut AppStateInner)) -> Self {
        let mut shared = Arc::unwrap_or_clone(self.0);
        change(&mut shared);
        AppState(Arc::new(shared))
    }

    /// Sends corrections to `to`: an issue tracker's "new issue" address or a `mailto:`.
    pub fn with_corrections(self, to: &str) -> Self {
        self.with(|shared| shared.corrections = to.into())
    }

    /// Publishes the site at `base`: every link under its path, every page's address under
    /// its origin (instead of the origin each request names).
    pub fn with_base(self, base: address::Base) -> Self {
        self.with(|shared| shared.base = Arc::new(base))
    }

    /// The state for data read from `dir`, which a reload reads again.
    pub fn from_dir(data: impl Into<Editions>, dir: PathBuf) -> Self {
        AppState::new(data).with(|shared| shared.source = Some(dir))
    }

    /// The current data, every edition: a snapshot that stays whole even if a reload swaps
    /// in another.
    pub fn data(&self) -> Arc<Editions> {
        self.data.load_full()
    }

    /// Replaces the data for every request that starts after this.
    pub fn replace(&self, data: impl Into<Editions>) {
        self.data.store(Arc::new(data.into()));
        self.loaded_at.store(now(), Ordering::Relaxed);
    }

    /// When the data being served was loaded (RFC 3339, UTC).
    pub fn loaded_at(&self) -> String {
        let seconds = self.loaded_at.load(Ordering::Relaxed);
        time::OffsetDateTime::from_unix_timestamp(seconds as i64)
            .ok()
            .and_then(|t| {
                t.format(&time::format_description::well_known::Rfc3339)
                    .ok()
            })
            .unwrap_or_default()
    }
}

/// Seconds since the Unix epoch.
fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Every edition of this request's data snapshot (see [`Data`]).
pub struct AllEditions(pub Arc<Editions>);

impl FromRequestParts<AppState> for AllEditions {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(AllEditions(
            parts
                .extensions
                .get::<Arc<Editions>>()
                .cloned()
                .unwrap_or_else(|| state.data()),
        ))
    }
}

/// The edition `query` asks for (`edition=ID`), or the default one.
pub fn edition_of(editions: &Editions, query: &str) -> Result<Arc<Dataset>, Error> {
    let id = crate::query::param(query, crate::query::EDITION);
    editions.pick(id.as_deref()).cloned().map_err(|problem| {
        Error::from(crate::query::FilterError {
            param: crate::query::EDITION,
            problem,
        })
    })
}

/// The edition of the data snapshot this request asks for (`edition=ID`, or the default):
/// the snapshot is taken once when the request arrives (by the caching layer, which derives
/// the ETag from it), so a reload never mixes two versions in one answer. An unknown edition
/// is a 400 naming the editions.
pub struct Data(pub Arc<Dataset>);

impl FromRequestParts<AppState> for Data {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Error> {
        let Ok(AllEditions(editions)) = AllEditions::from_request_parts(parts, state).await;
        edition_of(&editions, parts.uri.query().unwrap_or_default()).map(Data)
    }
}

/// What every view receives: the request's data snapshot, its filter parsed against that
/// data, and the raw query for the view's own parameters. A bad filter is answered 400 by
/// the extractor.
pub struct Selection {
    pub data: Arc<Dataset>,
    pub filter: Filter,
    pub query: String,
}

impl FromRequestParts<AppState> for Selection {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Error> {
        let Data(data) = Data::from_request_parts(parts, state).await?;
        let query = parts.uri.query().unwrap_or_default().to_owned();
        let filter = Filter::from_query(&data, &query)?;
        Ok(Selection {
            data,
            filter,
            query,
        })
    }
}

/// The selection of a view of things that have crime types but no organ, pillar or links
/// (bodies, instruments, mandates): any filter but the crime types and `match` is a 400
/// naming it.
pub struct CrimeSelection(pub Selection);

impl FromRequestParts<AppState> for CrimeSelection {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Error> {
        let selection = Selection::from_request_parts(parts, state).await?;
        selection.filter.crime_only()?;
        Ok(CrimeSelection(selection))
    }
}

impl Selection {
    /// A link to `path` with this request's filter (see [`href`]).
    pub fn href(&self, path: &str) -> String {
        href(&self.data, path, &self.filter, &[])
    }
}

/// A link to `path` with `filter`'s canonical query string (which names the edition when it
/// is not the default), then `extra` parameters: the one way the views build a link that
/// keeps or changes a selection.
pub fn href(data: &Dataset, path: &str, filter: &Filter, extra: &[(&str, &str)]) -> String {
    let mut query = filter.to_query(data);
    if !extra.is_empty() {
        if !query.is_empty() {
            query.push('&');
        }
        query.push_str(&encode(extra.iter().copied()));
    }
    url(path, &query)
}

/// The whole application: what every request meets before it is routed ([`front`]), behind
/// the layers every response goes through, then every route module's router.
pub fn router(state: AppState) -> Router {
    let application = ServiceBuilder::new()
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_response(
                    DefaultOnResponse::new()
                        .level(Level::INFO)
                        .latency_unit(tower_http::LatencyUnit::Micros),
                ),
        )
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(charts::NOT_FRAMEABLE),
        ))
        .layer(middleware::from_fn_with_state(state.clone(), front))
        .service(routes(state));
    Router::new().fallback_service(application)
}

/// What every request meets before it is routed, in one layer: its published address is
/// resolved to the request it stands for; the response store answers it if it can (see
/// [`cache::validate`]), else has it routed and rendered; and an error is written in the
/// format the request calls for (JSON for the API and JSON files, else a page).
///
/// A hit is answered here, never routed: routing, its layers and their boxed services cost a
/// cached answer more than the lookup itself. Routed, a hit made 45 allocations; here, 24
/// (heaptrack, `/api/coverage`).
///
/// A `HEAD` request is answered as its `GET`, without the body (as the router would): the
/// store keeps the `GET`'s answer for both.
async fn front(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let head = request.method() == Method::HEAD;
    if head {
        *request.method_mut() = Method::GET;
    }
    let resolved = address::resolve(&mut request, &state.base.path);
    let json = error::wants_json(request.uri().path());
    let response = match resolved {
        Ok(()) => cache::validate(&state, request, next).await,
        Err(error) => error.into_response(),
    };
    let response = error::written(response, json, &state.base.path);
    if head {
        without_body(response)
    } else {
        response
    }
}

/// `response` without its body, its length still said when it is known.
fn without_body(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    if let Some(len) = axum::body::HttpBody::size_hint(&body).exact()
        && !parts.headers.contains_key(header::CONTENT_LENGTH)
    {
        parts.headers.insert(header::CONTENT_LENGTH, len.into());
    }
    Response::from_parts(parts, axum::body::Body::empty())
}

/// Every route, behind the layers of a routed request: those of a miss, since a hit is
/// answered before routing (see [`front`]).
fn routes(state: AppState) -> Router {
    Router::new()
        .merge(rendered_on_workers())
        // Chart files take a render turn in their handler, except PNGs, drawn in their pool.
        .merge(charts::router())
        // Health checks and the site's maps take no render turn: they answer while pages queue.
        .merge(health::router())
        .merge(sitemap::router())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        // One layer made of every layer, so that a request clones one boxed service for
        // them, not one per layer. Outermost first.
        .layer(
            ServiceBuilder::new()
                .layer(middleware::from_fn(metrics::track))
                .layer(GlobalConcurrencyLimitLayer::new(MAX_CONCURRENT_REQUESTS))
                // A miss's wait for a render turn and its render share this one.
                .layer(TimeoutLayer::with_status_code(
                    StatusCode::REQUEST_TIMEOUT,
                    REQUEST_TIMEOUT,
                ))
                // Inside the store: a page's links are written once, when it is rendered.
                .layer(middleware::from_fn_with_state(
                    state.clone(),
                    address::layer,
                )),
        )
        .with_state(state)
}

/// The routes whose misses render on the async workers, each holding a render turn while it
/// does (see [`pool::render_turn`]).
fn rendered_on_workers() -> Router<AppState> {
    Router::new()
        .merge(pages::router())
        .merge(method::router())
        .merge(codebook::router())
        .merge(entities::router())
        .merge(system::router())
        .merge(crimes::router())
        .merge(changes::router())
        .merge(groups::router())
        .merge(timeline::router())
        .merge(rapporteurs::router())
        .merge(data::router())
        .merge(api::router())
        .merge(export::router())
        .merge(assets::router())
        .route_layer(middleware::from_fn(pool::render_turn))
}

async fn not_found(uri: Uri) -> Error {
    Error::not_found(format!("there is no page at {}", uri.path()))
}

async fn method_not_allowed(method: Method) -> Error {
    Error {
        status: StatusCode::METHOD_NOT_ALLOWED,
        message: format!("{method} is not served here: mandate-map only answers GET and HEAD"),
        param: None,
        expected: Vec::new(),
    }
}

/// How `serve` finds and refreshes its data, and what it tells operators.
pub struct ServeOptions {
    pub addr: SocketAddr,
    /// Watch this directory's files and reload on change.
    pub watch: bool,
    /// Serve Prometheus metrics at `http://ADDR/metrics` (none when `None`).
    pub metrics_addr: Option<SocketAddr>,
    /// Write the log as one JSON object per line, for log collectors.
    pub json_logs: bool,
}

/// Runs the server until SIGINT or SIGTERM, letting in-flight requests finish. With a data
/// directory, SIGHUP (and with `watch`, any change to its files) reloads it.
pub fn serve(state: AppState, options: ServeOptions) -> std::io::Result<()> {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| "mandate_map=info,tower_http=info".into());
    if options.json_logs {
        tracing_subscriber::fmt()
            .json()
            .with_env_filter(filter)
            .with_current_span(true)
            .init();
    } else {
        tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
            .init();
    }
    pool::keep_large_allocations_mapped();
    event_loops::run(
        options.addr,
        router(state.clone()),
        move |addr| async move {
            if let Some(addr) = options.metrics_addr {
                let bound = metrics::serve(addr).await?;
                tracing::info!(addr = %bound, "serving metrics on http://{bound}/metrics");
                let data = state.data();
                metrics::data_served(&data.default_edition().version(), data.fingerprint(), None);
            }
            tracing::info!(
                %addr,
                version = state.data().fingerprint(),
                "serving the explorer on http://{addr}"
            );
            reload::spawn(state, options.watch)
        },
    )
}
