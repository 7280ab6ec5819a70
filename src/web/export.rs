//! Downloads of a filtered selection: `/export/entities.csv` (one row per entity, one column
//! per crime type), `/export/entities.json` (the API's objects), and the links with every
//! evidence column, `/export/links.csv` and `/export/links.json` (one row per entity and
//! crime type).
//!
//! Each is written as it is sent: a job of [`pool::EXPORTS`] writes it in chunks into a
//! bounded channel that the response body reads, so a download of any size takes the memory
//! of a few chunks, and a client that reads slowly slows its own writer only.

use axum::Router;
use axum::body::Body;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use bytes::Bytes;
use futures_util::stream;
use tokio::sync::mpsc;

use super::{AppState, Error, Selection, pool};
use crate::dataset::Dataset;
use crate::export;
use crate::query::Filter;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/export/entities.csv", get(entities_csv))
        .route("/export/entities.json", get(entities_json))
        .route("/export/links.csv", get(links_csv))
        .route("/export/links.json", get(links_json))
}

/// The two formats of a download: its content type, and what its writer's errors are called.
pub(super) const CSV: (&str, &str) = ("text/csv; charset=utf-8", "writing CSV");
const JSON: (&str, &str) = ("application/json", "writing JSON");

/// The size of the chunks a download is sent in, and how many may wait to be read.
const CHUNK: usize = 64 << 10;
const CHUNKS_WAITING: usize = 4;

/// A download of the selection, written by `write` as it is sent, saved by the browser as
/// `disposition` says.
fn download<E: std::fmt::Display + 'static>(
    selection: Selection,
    kind: (&'static str, &'static str),
    disposition: &'static str,
    write: fn(&Dataset, &Filter, &mut Chunks) -> Result<(), E>,
) -> Result<Response, Error> {
    let Selection { data, filter, .. } = selection;
    let response = streamed(kind, move |out| write(&data, &filter, out));
    Ok(([(header::CONTENT_DISPOSITION, disposition)], response).into_response())
}

/// A response of the content type `kind` names, whose body `write` writes as it is sent, in
/// a job of [`pool::EXPORTS`].
pub(super) fn streamed<E: std::fmt::Display + 'static>(
    (content_type, doing): (&'static str, &'static str),
    write: impl FnOnce(&mut Chunks) -> Result<(), E> + Send + 'static,
) -> Response {
    let (sender, mut receiver) = mpsc::channel::<std::io::Result<Bytes>>(CHUNKS_WAITING);
    tokio::spawn(async move {
        pool::EXPORTS
            .run(move || {
                let mut out = Chunks {
                    buffer: Vec::with_capacity(CHUNK),
                    sender,
                };
                let written = write(&mut out);
                match written
                    .map_err(|e| e.to_string())
                    .and_then(|()| out.finish())
                {
                    Ok(()) => {}
                    // The client went away: nothing to tell anyone.
                    Err(_) if out.sender.is_closed() => {}
                    Err(e) => {
                        tracing::error!(error = %e, "{doing} a download failed midway");
                        let _ = out.sender.blocking_send(Err(std::io::Error::other(e)));
                    }
                }
            })
            .await;
    });
    let chunks = stream::poll_fn(move |cx| receiver.poll_recv(cx));
    (
        [(header::CONTENT_TYPE, content_type)],
        Body::from_stream(chunks),
    )
        .into_response()
}

/// A writer that sends what it is given in chunks of [`CHUNK`] bytes, waiting while the
/// reader is [`CHUNKS_WAITING`] chunks behind.
pub struct Chunks {
    buffer: Vec<u8>,
    sender: mpsc::Sender<std::io::Result<Bytes>>,
}

impl Chunks {
    fn send(&mut self) -> std::io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(
            &mut self.buffer,
            Vec::with_capacity(CHUNK),
        ));
        self.sender
            .blocking_send(Ok(chunk))
            .map_err(|_| std::io::Error::from(std::io::ErrorKind::BrokenPipe))
    }

    /// Sends what is left.
    fn finish(&mut self) -> Result<(), String> {
        self.send().map_err(|e| e.to_string())
    }
}

impl std::io::Write for Chunks {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(bytes);
        if self.buffer.len() >= CHUNK {
            self.send()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

async fn entities_csv(selection: Selection) -> Result<Response, Error> {
    download(
        selection,
        CSV,
        "attachment; filename=\"mandate-map-entities.csv\"",
        |data, filter, out| export::write_csv(data, &filter.select(data), out),
    )
}

async fn entities_json(selection: Selection) -> Result<Response, Error> {
    download(
        selection,
        JSON,
        "attachment; filename=\"mandate-map-entities.json\"",
        |data, filter, out| export::write_json(data, &filter.select(data), out),
    )
}

async fn links_csv(selection: Selection) -> Result<Response, Error> {
    download(
        selection,
        CSV,
        "attachment; filename=\"mandate-map-links.csv\"",
        |data, filter, out| export::write_links_csv(data, filter, out),
    )
}

async fn links_json(selection: Selection) -> Result<Response, Error> {
    download(
        selection,
        JSON,
        "attachment; filename=\"mandate-map-links.json\"",
        |data, filter, out| export::write_links_json(data, filter, out),
    )
}
