//! The explorer's HTTP server: application state, the router assembled from one router per
//! module, and `serve`. Handlers read the shared [`Dataset`] and never parse CSV.

mod api;
mod assets;
pub mod charts;
mod crimes;
mod data;
mod entities;
pub mod error;
mod export;
pub(crate) mod facets;
mod pages;
mod system;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderValue, Uri, header};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::dataset::Dataset;
pub use error::Error;

/// What every handler shares: the loaded data.
#[derive(Clone)]
pub struct AppState {
    pub data: Arc<Dataset>,
}

impl AppState {
    pub fn new(data: Dataset) -> Self {
        AppState {
            data: Arc::new(data),
        }
    }
}

/// The whole application: every route module's router, merged.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(pages::router())
        .merge(entities::router())
        .merge(system::router())
        .merge(crimes::router())
        .merge(charts::router())
        .merge(data::router())
        .merge(api::router())
        .merge(export::router())
        .merge(assets::router())
        .fallback(not_found)
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(charts::NOT_FRAMEABLE),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

async fn not_found(uri: Uri) -> Error {
    let error = Error::not_found(format!("there is no page at {}", uri.path()));
    if uri.path().starts_with("/api/") {
        error.json()
    } else {
        error
    }
}

/// Runs the server until SIGINT or SIGTERM, letting in-flight requests finish.
pub fn serve(data: Dataset, addr: SocketAddr) -> std::io::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "mandate_map=info,tower_http=info".into()),
        )
        .init();
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        tracing::info!("serving the explorer on http://{}", listener.local_addr()?);
        axum::serve(listener, router(AppState::new(data)))
            .with_graceful_shutdown(shutdown_signal())
            .await
    })
}

async fn shutdown_signal() {
    let ctrl_c = async {
        // If the handler cannot be installed we simply never shut down on Ctrl-C.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
    tracing::info!("shutting down");
}
