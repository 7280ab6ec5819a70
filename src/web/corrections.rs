//! "Suggest a correction": every row a page shows (a link, an entity, an instrument, a body, a
//! mandate) carries a link that opens a message prefilled with the row's file and key, its
//! current values and the page it was seen on, addressed where one setting says
//! (`serve --corrections`): an issue tracker's "new issue" address, or a `mailto:` address.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use serde::Serialize;

use super::AppState;
use super::charts::Origin;

/// Where corrections go unless the server is told otherwise: the project's issue tracker.
pub const DEFAULT: &str = "https://github.com/mandate-map/mandate-map/issues/new";

/// The longest a value is quoted in a message (a long note is cut, and says so).
const VALUE_MAX: usize = 400;

/// Where corrections are sent, and the page they start from.
#[derive(Clone)]
pub struct Corrections {
    /// An issue tracker's "new issue" address, or `mailto:someone@example.org`.
    to: Arc<str>,
    /// The page's own address, quoted in the message.
    page: String,
}

impl FromRequestParts<AppState> for Corrections {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Ok(origin) = Origin::from_request_parts(parts, state).await;
        // The page's canonical address, which every spelling of it shares (and so does its
        // stored answer); the address asked for outside a page.
        let page = super::share::current()
            .map(|page| page.url)
            .unwrap_or_else(|| origin.url(&parts.uri.to_string()));
        Ok(Corrections {
            to: Arc::clone(&state.corrections),
            page,
        })
    }
}

impl Corrections {
    /// The link for a correction to the row of `file` identified by `key`, whose current
    /// values are `row`'s fields.
    pub fn href(&self, file: &str, key: &str, row: &impl Serialize) -> String {
        let subject = format!("Correction: {file} {key}");
        let mut body = format!(
            "Row: {file}, {key}\nSeen on: {}\n\nIts values now:\n",
            self.page
        );
        if let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(row) {
            for (column, value) in fields {
                let text = match value {
                    serde_json::Value::String(s) => s,
                    serde_json::Value::Null => String::new(),
                    other => other.to_string(),
                };
                body.push_str(&format!("- {column}: {}\n", cut(&text)));
            }
        }
        body.push_str("\nWhat is wrong, what it should say, and your source:\n\n");
        let (subject_key, separator) = if self.to.starts_with("mailto:") {
            ("subject", if self.to.contains('?') { '&' } else { '?' })
        } else {
            ("title", if self.to.contains('?') { '&' } else { '?' })
        };
        let query = form_urlencoded::Serializer::new(String::new())
            .append_pair(subject_key, &subject)
            .append_pair("body", &body)
            .finish();
        // Mail programs read `%20` for a space, not the form encoding's `+` (a literal plus
        // is `%2B` either way).
        let query = if self.to.starts_with("mailto:") {
            query.replace('+', "%20")
        } else {
            query
        };
        format!("{}{separator}{query}", self.to)
    }
}

/// A value cut to [`VALUE_MAX`] characters, saying so.
fn cut(text: &str) -> String {
    match text.char_indices().nth(VALUE_MAX) {
        Some((at, _)) => format!("{}… (cut)", &text[..at]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn corrections(to: &str) -> Corrections {
        Corrections {
            to: to.into(),
            page: "http://example.org/entities/unodc".into(),
        }
    }

    #[derive(Serialize)]
    struct Row {
        id: &'static str,
        notes: String,
    }

    #[test]
    fn a_correction_link_carries_the_row_its_values_and_the_page() {
        let row = Row {
            id: "unodc",
            notes: "x".repeat(1000),
        };
        let href = corrections(DEFAULT).href("entities.csv", "id=unodc", &row);
        assert!(href.starts_with("https://github.com/mandate-map/mandate-map/issues/new?title="));
        let query = href.split_once('?').unwrap().1;
        let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        assert_eq!(
            pairs[0],
            ("title".into(), "Correction: entities.csv id=unodc".into())
        );
        let body = &pairs[1].1;
        assert!(body.contains("Row: entities.csv, id=unodc"));
        assert!(body.contains("Seen on: http://example.org/entities/unodc"));
        assert!(body.contains("- id: unodc"));
        assert!(body.contains("… (cut)"), "a long value is cut");
        let mail = corrections("mailto:data@example.org").href("entities.csv", "id=unodc", &row);
        assert!(mail.starts_with("mailto:data@example.org?subject=Correction%3A%20entities.csv"));
        assert!(!mail.contains('+'));
    }
}
