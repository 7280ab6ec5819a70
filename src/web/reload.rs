//! Hot reload of a data directory: on SIGHUP, and with `--watch` whenever its files change.
//! The new data is validated in full first; only a valid version is swapped in (atomically,
//! as a whole), and an invalid one is logged problem by problem while the old keeps serving.

use std::time::Duration;

use notify::{RecursiveMode, Watcher};

use super::AppState;
use crate::dataset::{Editions, LoadErrors};

/// How long to wait after a change for more (editors write files in several steps).
const SETTLE: Duration = Duration::from_millis(300);

/// What a reload did.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// A new version is being served.
    Swapped { version: String },
    /// The files are unchanged.
    Unchanged,
    /// Nothing to reload: the server runs on the embedded data.
    Embedded,
}

/// Reads the data directory again and swaps it in if it is valid and different.
pub fn reload(state: &AppState) -> Result<Outcome, LoadErrors> {
    let Some(dir) = &state.source else {
        return Ok(Outcome::Embedded);
    };
    let fresh = Editions::load(dir)?;
    if fresh.fingerprint() == state.data().fingerprint() {
        return Ok(Outcome::Unchanged);
    }
    let version = fresh.fingerprint().to_owned();
    let previous = state.data();
    state.replace(fresh);
    let (before, after) = (previous.default_edition(), state.data());
    super::metrics::data_served(
        &after.default_edition().version(),
        after.fingerprint(),
        Some((&before.version(), previous.fingerprint())),
    );
    Ok(Outcome::Swapped { version })
}

/// Reloads and logs what happened.
fn reload_and_log(state: &AppState, why: &str) {
    let reloaded = reload(state);
    let outcome = match &reloaded {
        Ok(Outcome::Swapped { .. }) => "swapped",
        Ok(Outcome::Unchanged) => "unchanged",
        Ok(Outcome::Embedded) => "embedded",
        Err(_) => "failed",
    };
    metrics::counter!(super::metrics::RELOADS, "outcome" => outcome).increment(1);
    match reloaded {
        Ok(Outcome::Swapped { version }) => {
            tracing::info!(%version, why, "reloaded the data");
        }
        Ok(Outcome::Unchanged) => tracing::debug!(why, "data unchanged"),
        Ok(Outcome::Embedded) => {
            tracing::warn!(
                why,
                "serving the embedded data: nothing to reload (use --data DIR)"
            )
        }
        Err(errors) => {
            for problem in &errors.0 {
                tracing::error!(%problem, "invalid data not loaded");
            }
            tracing::error!(
                problems = errors.0.len(),
                version = state.data().fingerprint(),
                why,
                "the data has problems: still serving the previous version"
            );
        }
    }
}

/// Starts the reload triggers in the background: SIGHUP always, file changes with `watch`.
pub fn spawn(state: AppState, watch: bool) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        let mut hangup = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup())?;
        let state = state.clone();
        tokio::spawn(async move {
            while hangup.recv().await.is_some() {
                let state = state.clone();
                let _ = tokio::task::spawn_blocking(move || reload_and_log(&state, "SIGHUP")).await;
            }
        });
    }
    if watch {
        let Some(dir) = state.source.clone() else {
            return Ok(());
        };
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let mut watcher =
            notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
                if event.is_ok_and(|e| !e.kind.is_access()) {
                    let _ = tx.send(());
                }
            })
            .map_err(std::io::Error::other)?;
        watcher
            .watch(&dir, RecursiveMode::NonRecursive)
            .map_err(std::io::Error::other)?;
        tracing::info!(dir = %dir.display(), "watching the data directory for changes");
        tokio::spawn(async move {
            // The watcher lives as long as this task.
            let _watcher = watcher;
            while rx.recv().await.is_some() {
                tokio::time::sleep(SETTLE).await;
                while rx.try_recv().is_ok() {}
                let state = state.clone();
                let _ = tokio::task::spawn_blocking(move || reload_and_log(&state, "file change"))
                    .await;
            }
        });
    }
    Ok(())
}
