//! The one error type every handler returns. Its `IntoResponse` picks the status (400, 404,
//! 500) and the format: an HTML page, or JSON for the API.

use askama::Template;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Serialize;

use crate::query::FilterError;

/// Which format the error is answered in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Html,
    Json,
}

/// A request that cannot be answered as asked.
#[derive(Debug)]
pub struct Error {
    pub status: StatusCode,
    pub message: String,
    /// The query parameter at fault, for 400s.
    pub param: Option<&'static str>,
    /// The parameter's accepted values, for 400s.
    pub expected: Vec<String>,
    pub format: Format,
}

impl Error {
    /// A 404 for a path or id that does not exist.
    pub fn not_found(what: impl Into<String>) -> Error {
        Error {
            status: StatusCode::NOT_FOUND,
            message: what.into(),
            param: None,
            expected: Vec::new(),
            format: Format::Html,
        }
    }

    /// A 500 for a failure that is ours, not the request's.
    pub fn internal(what: impl Into<String>) -> Error {
        Error {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: what.into(),
            param: None,
            expected: Vec::new(),
            format: Format::Html,
        }
    }

    /// Answers in JSON instead of HTML.
    pub fn json(mut self) -> Error {
        self.format = Format::Json;
        self
    }
}

impl From<FilterError> for Error {
    fn from(e: FilterError) -> Error {
        Error {
            status: StatusCode::BAD_REQUEST,
            message: e.to_string(),
            param: Some(e.param),
            expected: e.problem.expected.clone(),
            format: Format::Html,
        }
    }
}

impl From<askama::Error> for Error {
    fn from(e: askama::Error) -> Error {
        Error::internal(format!("rendering the page failed: {e}"))
    }
}

#[derive(Serialize)]
struct Body<'a> {
    status: u16,
    error: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    parameter: Option<&'static str>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    expected: &'a [String],
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    title: &'a str,
    status: u16,
    message: &'a str,
    param: Option<&'static str>,
    expected: &'a [String],
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        if self.status.is_server_error() {
            tracing::error!(status = %self.status, message = %self.message, "request failed");
        }
        match self.format {
            Format::Json => {
                let body = Body {
                    status: self.status.as_u16(),
                    error: &self.message,
                    parameter: self.param,
                    expected: &self.expected,
                };
                (self.status, Json(body)).into_response()
            }
            Format::Html => {
                let title = self.status.canonical_reason().unwrap_or("Error");
                let page = ErrorPage {
                    title,
                    status: self.status.as_u16(),
                    message: &self.message,
                    param: self.param,
                    expected: &self.expected,
                };
                match page.render() {
                    Ok(html) => (self.status, Html(html)).into_response(),
                    Err(_) => (self.status, self.message).into_response(),
                }
            }
        }
    }
}
