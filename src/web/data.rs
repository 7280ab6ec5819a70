//! `/data/`: the raw CSV files exactly as loaded, and `datapackage.json` describing them.

use askama::Template;
use axum::Router;
use axum::extract::Path;
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;

use super::{AppState, Data, Error, export};
use crate::datapackage;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/data", get(index))
        .route("/data/", get(index))
        .route("/data/{file}", get(file))
}

struct FileLink {
    name: &'static str,
    bytes: usize,
}

#[derive(Template)]
#[template(path = "data.html")]
struct DataPage {
    layout: super::layout::Layout,
    title: &'static str,
    files: Vec<FileLink>,
}

async fn index(Data(data): Data) -> Result<Html<String>, Error> {
    let page = DataPage {
        layout: super::layout::Layout::new(&data),
        title: "Download the data",
        files: data
            .files()
            .iter()
            .map(|file| FileLink {
                name: file.name,
                bytes: file.len,
            })
            .collect(),
    };
    Ok(Html(page.render()?))
}

async fn file(Data(data): Data, Path(name): Path<String>) -> Result<Response, Error> {
    if let Some((document, _)) = crate::dataset::schema::DOCUMENTS
        .iter()
        .find(|(d, _)| *d == name)
    {
        let text = data.document(document).to_owned();
        return Ok((
            [(header::CONTENT_TYPE, "text/markdown; charset=utf-8")],
            text,
        )
            .into_response());
    }
    if name == "datapackage.json" {
        let body = serde_json::to_vec_pretty(&datapackage::descriptor(&data))
            .map_err(|e| Error::internal(e.to_string()))?;
        return Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response());
    }
    let file = data
        .files()
        .iter()
        .find(|file| file.name == name)
        .ok_or_else(|| {
            let names: Vec<&str> = data.files().iter().map(|f| f.name).collect();
            Error::not_found(format!(
                "there is no data file '{name}'; the files are: datapackage.json, README.md, CHANGES.md, {}",
                names.join(", ")
            ))
        })?;
    // A file kept on the heap is sent whole; a spooled one is read (and decompressed, if it
    // is kept compressed) as it is sent.
    Ok(match file.as_read() {
        Some(bytes) => ([(header::CONTENT_TYPE, export::CSV.0)], bytes.clone()).into_response(),
        None => {
            let mut reader = file.reader();
            export::streamed(export::CSV, move |out| {
                std::io::copy(&mut reader, out).map(drop)
            })
        }
    })
}
