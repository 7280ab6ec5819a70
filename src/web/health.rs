//! For operators and load balancers: `/healthz` (the process answers) and `/readyz` (the data
//! is loaded: its version, release and editions, and when this process loaded it, as JSON).
//! Neither takes a render turn, so a health check answers while pages queue.

use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Json, Response};
use axum::routing::get;

use super::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
}

async fn healthz() -> Response {
    "ok\n".into_response()
}

/// What `/readyz` answers.
#[derive(Debug, serde::Serialize)]
struct Ready {
    status: &'static str,
    /// The data's version (`1.2.1`, or with `+modified` for a copy changed since).
    version: String,
    /// The release's date (YYYY-MM-DD).
    released: String,
    /// The digest of every file loaded, data and documents: what the response cache and the
    /// ETags are keyed by (the release's own digest covers the data files only).
    fingerprint: String,
    /// The editions' ids, the default first.
    editions: Vec<String>,
    /// When this process loaded the data (RFC 3339, UTC).
    loaded_at: String,
}

async fn readyz(State(state): State<AppState>) -> Response {
    let editions = state.data();
    let data = editions.default_edition();
    let default = data.edition().id.to_string();
    let others = editions
        .all()
        .iter()
        .map(|e| e.edition().id.to_string())
        .filter(|id| *id != default);
    let ids: Vec<String> = std::iter::once(default.clone()).chain(others).collect();
    Json(Ready {
        status: "ready",
        version: data.version(),
        released: data.release().date.0.iso(),
        fingerprint: editions.fingerprint().to_owned(),
        editions: ids,
        loaded_at: state.loaded_at(),
    })
    .into_response()
}
