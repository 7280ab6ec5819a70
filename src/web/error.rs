//! The one error type every handler returns, and the one place that decides how it is
//! written: [`render`], a layer that answers JSON to the API and to `.json` files and an HTML
//! page elsewhere. A handler's error carries its status (400, 404, 500) and what to say;
//! `IntoResponse` leaves the body to that layer.

use askama::Template;
use axum::Json;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde::Serialize;

use crate::query::FilterError;

/// A request that cannot be answered as asked.
#[derive(Debug, Clone)]
pub struct Error {
    pub status: StatusCode,
    pub message: String,
    /// The query parameter at fault, for 400s.
    pub param: Option<&'static str>,
    /// The parameter's accepted values, for 400s.
    pub expected: Vec<String>,
}

impl Error {
    /// A 404 for a path or id that does not exist.
    pub fn not_found(what: impl Into<String>) -> Error {
        Error {
            status: StatusCode::NOT_FOUND,
            message: what.into(),
            param: None,
            expected: Vec::new(),
        }
    }

    /// A 500 for a failure that is ours, not the request's.
    pub fn internal(what: impl Into<String>) -> Error {
        Error {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: what.into(),
            param: None,
            expected: Vec::new(),
        }
    }
}

impl From<FilterError> for Error {
    fn from(e: FilterError) -> Error {
        Error {
            status: StatusCode::BAD_REQUEST,
            message: e.to_string(),
            param: Some(e.param),
            expected: e.problem.expected.clone(),
        }
    }
}

impl From<askama::Error> for Error {
    fn from(e: askama::Error) -> Error {
        Error::internal(format!("rendering the page failed: {e}"))
    }
}

/// What a JSON answer says of an error (the OpenAPI document's `Error`).
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = Error)]
pub struct ErrorBody<'a> {
    /// The HTTP status.
    status: u16,
    /// What is wrong, in words.
    error: &'a str,
    /// The query parameter at fault.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    parameter: Option<&'static str>,
    /// The parameter's accepted values.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    #[schema(value_type = Vec<String>)]
    expected: &'a [String],
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    layout: super::layout::Layout,
    title: &'a str,
    status: u16,
    message: &'a str,
    param: Option<&'static str>,
    expected: &'a [String],
}

impl IntoResponse for Error {
    /// The status, with the error itself for [`render`] to write.
    fn into_response(self) -> Response {
        if self.status.is_server_error() {
            tracing::error!(status = %self.status, message = %self.message, "request failed");
        }
        let mut response = self.status.into_response();
        response.extensions_mut().insert(self);
        response
    }
}

/// Whether errors for `path` are answered in JSON: the API, and files in JSON.
pub fn wants_json(path: &str) -> bool {
    path.starts_with("/api/") || path.ends_with(".json")
}

/// `response` with its error, if it carries one, written as JSON (`json`) or as a page whose
/// links are under `base`: the format its request calls for (see [`wants_json`]). The headers
/// said beside the error stay (the router's `Allow` on a 405), but for the body's own.
pub fn written(response: Response, json: bool, base: &str) -> Response {
    let (mut parts, body) = response.into_parts();
    let Some(error) = parts.extensions.remove::<Error>() else {
        return Response::from_parts(parts, body);
    };
    let mut written = if json { error.json() } else { error.html(base) };
    for name in parts.headers.keys() {
        if name != header::CONTENT_LENGTH && !written.headers().contains_key(name) {
            for value in parts.headers.get_all(name) {
                written.headers_mut().append(name.clone(), value.clone());
            }
        }
    }
    written
}

impl Error {
    fn json(&self) -> Response {
        let body = ErrorBody {
            status: self.status.as_u16(),
            error: &self.message,
            parameter: self.param,
            expected: &self.expected,
        };
        (self.status, Json(body)).into_response()
    }

    fn html(&self, base: &str) -> Response {
        let title = self.status.canonical_reason().unwrap_or("Error");
        let page = ErrorPage {
            layout: super::layout::Layout::none(),
            title,
            status: self.status.as_u16(),
            message: &self.message,
            param: self.param,
            expected: &self.expected,
        };
        match page.render() {
            Ok(html) => (self.status, Html(super::address::links(&html, base))).into_response(),
            Err(_) => (self.status, self.message.clone()).into_response(),
        }
    }
}
