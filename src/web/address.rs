//! Published addresses: where a page lives when the site is a tree of files.
//!
//! A static host ignores a query string, so each page the static export writes
//! ([`super::static_export`]) has an address made of path segments only, which the server
//! answers too ([`resolve`]):
//!
//! - a page is a directory: `/entities/`, `/entities/unodc/`, and a selection of one filter
//!   value names it as a segment, `/entities/crime=cybercrime/`; the edition, a page of a list
//!   and a chart's parameters are segments too (`/entities/crime=cybercrime/edition=2025/`);
//! - a file keeps its name after the segments: `/charts/crime=cybercrime/coverage.svg`;
//! - an API answer is a `.json` file: `/api/crime=cybercrime/entities.json`.
//!
//! A request that a static host could not answer (two filter values, a search text, an order,
//! how crime types combine, the org chart's open entity) keeps its query, on the page's
//! directory: `/entities/?crime=cybercrime&crime=illicit-drugs`. The server answers it as
//! before; a static host sends the unfiltered page, which filters itself in the browser
//! (`static/app.js`).
//!
//! Every page's links are written in this form once, as it is rendered ([`layer`]), under the
//! base path the site is published at (`--base-url https://example.org/un/` writes
//! `/un/entities/`). A page's bytes are therefore the same whichever spelling asked for it,
//! and the same in the export and on the server.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::{AppState, Error};
use crate::dataset::Dim;

/// The parameters that keep a request in query form: what a static host cannot select.
const QUERY_ONLY: [&str; 5] = ["q", "sort", "match", "size", crate::query::ENTITY];

/// The attributes that hold a link (`data-href` is a link that script follows).
pub const LINK_ATTRIBUTES: [&str; 4] = ["href", "src", "action", "data-href"];

/// The filter parameters, space-separated, for the script that filters a page in the
/// browser (`static/app.js`): every one, or those of a link's dimensions (which a link must
/// match together, so that the script cannot combine them from pages of one value each).
pub fn filter_params(of_links: bool) -> String {
    Dim::all()
        .filter(|d| !of_links || Dim::of(true).any(|l| l == *d))
        .map(|d| d.get().param)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Where the site is published: its origin, and the path it sits under (empty at the root,
/// else `/un` for `https://example.org/un/`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Base {
    pub origin: Option<String>,
    pub path: String,
}

impl Base {
    /// Reads `--base-url`: an absolute `http` or `https` URL with no query or fragment.
    pub fn parse(url: &str) -> Result<Base, String> {
        let uri: Uri = url
            .parse()
            .map_err(|e| format!("'{url}' is not a URL ({e})"))?;
        let scheme = uri.scheme_str().unwrap_or_default();
        let (true, Some(authority)) = (matches!(scheme, "http" | "https"), uri.authority()) else {
            return Err(format!(
                "'{url}' is not an absolute http or https URL (expected, for example, https://example.org/un/)"
            ));
        };
        if uri.query().is_some() || url.contains('#') {
            return Err(format!(
                "'{url}' has a query or fragment: a base URL has neither"
            ));
        }
        Ok(Base {
            origin: Some(format!("{scheme}://{authority}")),
            path: uri.path().trim_end_matches('/').to_owned(),
        })
    }
}

/// The published form of a same-site link `url` (a path, maybe a query and a fragment),
/// under `base` (a path without its trailing slash). Anything else is returned as it is.
pub fn publish(url: &str, base: &str) -> String {
    let mut out = String::with_capacity(base.len() + url.len() + 8);
    publish_into(&mut out, url, base);
    out
}

/// Appends the published form of `url` under `base` to `out` (see [`publish`]): every page
/// rendered writes each of its links through here, so it allocates nothing of its own but
/// the list of a query's pairs.
fn publish_into(out: &mut String, url: &str, base: &str) {
    if !url.starts_with('/') || url.starts_with("//") {
        out.push_str(url);
        return;
    }
    let cut = |byte| memchr::memchr(byte, url.as_bytes());
    let (url, fragment) = url.split_at(cut(b'#').unwrap_or(url.len()));
    let Some(at) = cut(b'?').filter(|&at| at < url.len()) else {
        // No query: most links of a page.
        out.push_str(base);
        out.push_str(url);
        out.push_str(suffix(url));
        out.push_str(fragment);
        return;
    };
    let (path, query) = (&url[..at], &url[at + 1..]);
    let suffix = suffix(path);
    out.push_str(base);
    match segments(query) {
        Some(pairs) => {
            let (dir, name) = match suffix {
                "/" => (path, ""),
                _ => path.rsplit_once('/').unwrap_or(("", path)),
            };
            out.push_str(dir);
            for (n, v) in pairs {
                out.push('/');
                out.push_str(n);
                out.push('=');
                out.push_str(v);
            }
            out.push('/');
            if suffix != "/" {
                out.push_str(name);
                out.push_str(suffix);
            }
        }
        None => {
            out.push_str(path);
            out.push_str(suffix);
            out.push('?');
            out.push_str(query);
        }
    }
    out.push_str(fragment);
}

/// The query's pairs (as written: form-encoded) sorted by name, if it has only values a
/// static host can select (at most one filter value, no [`QUERY_ONLY`] parameter, every value
/// a plain word, which form encoding leaves as it is); `None` otherwise.
fn segments(query: &str) -> Option<Vec<(&str, &str)>> {
    let mut pairs: Vec<(&str, &str)> = Vec::new();
    let mut filters = 0;
    for pair in query.split('&') {
        let (name, value) = match memchr::memchr(b'=', pair.as_bytes()) {
            Some(at) => (&pair[..at], &pair[at + 1..]),
            None => (pair, ""),
        };
        if value.is_empty() {
            continue;
        }
        let plain = value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b));
        if QUERY_ONLY.contains(&name) || !plain {
            return None;
        }
        if Dim::by_param(name).is_some() {
            filters += 1;
        }
        pairs.push((name, value));
    }
    if filters > 1 {
        return None;
    }
    pairs.sort_unstable();
    pairs.dedup();
    Some(pairs)
}

/// What a path takes to be a file a static host serves: `/` for a page (its directory),
/// `.json` for an API answer, nothing for a file that has its extension (or a directory).
fn suffix(path: &str) -> &'static str {
    let name = memchr::memrchr(b'/', path.as_bytes()).map_or(path, |at| &path[at + 1..]);
    if name.is_empty() || memchr::memchr(b'.', name.as_bytes()).is_some() {
        ""
    } else if path.starts_with("/api/") {
        ".json"
    } else {
        "/"
    }
}

/// The request a published address stands for: its segments back into the query, a page's
/// directory back to its route, an API answer's `.json` off, the base path off. `None` when
/// `path` is already a route's own.
fn request_of(path: &str, query: Option<&str>, base: &str) -> Option<String> {
    // Every request passes here, cached ones too: a route's own path allocates nothing.
    let api_file = path.starts_with("/api/") && path.ends_with(".json");
    if base.is_empty() && !path.contains('=') && (path == "/" || !path.ends_with('/')) && !api_file
    {
        return None;
    }
    let (path, under_base) = match path.strip_prefix(base) {
        Some("") if !base.is_empty() => ("/", true),
        Some(rest) if !base.is_empty() && rest.starts_with('/') => (rest, true),
        _ => (path, false),
    };
    let mut route = String::new();
    let mut pairs: Vec<&str> = Vec::new();
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        if segment.contains('=') {
            pairs.push(segment);
        } else {
            route.push('/');
            route.push_str(segment);
        }
    }
    if path == "/data/" {
        // The data page's own route ends with `/`.
        route = path.into();
    } else if route.is_empty() {
        route.push('/');
    }
    if let Some(api) = route.strip_prefix("/api/")
        && let Some(name) = api.strip_suffix(".json")
        && api != "openapi.json"
    {
        route = format!("/api/{name}");
    }
    if !under_base && pairs.is_empty() && route == path {
        return None;
    }
    let query: Vec<&str> = query.into_iter().chain(pairs).collect();
    Some(match query.is_empty() {
        true => route,
        false => format!("{route}?{}", query.join("&")),
    })
}

/// Makes `request`, at a published address under `base`, the request it stands for: the
/// first thing done to every request (see `web::front`).
pub fn resolve(request: &mut Request, base: &str) -> Result<(), Error> {
    let uri = request.uri();
    if let Some(target) = request_of(uri.path(), uri.query(), base) {
        *request.uri_mut() = target
            .parse()
            .map_err(|_| Error::not_found(format!("there is no page at {}", uri.path())))?;
    }
    Ok(())
}

/// Writes every same-site link of an HTML answer in its published form (see [`publish`]).
/// Inside the response store: a page is rewritten once, when it is rendered.
pub async fn layer(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|t| t.as_bytes().starts_with(b"text/html"));
    if !html {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return Error::internal("a page could not be read to write its links").into_response();
    };
    let rewritten = match std::str::from_utf8(&bytes) {
        Ok(text) => links(text, &state.base.path),
        Err(_) => links(&String::from_utf8_lossy(&bytes), &state.base.path),
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    Response::from_parts(parts, Body::from(rewritten))
}

/// `html` with every same-site link in its published form under `base`: the value of each
/// `href`, `src`, `action` and `data-href` attribute that starts with `/`.
///
/// A scan for `="/`, not an HTML parser: the pages are this program's own, whose templates
/// write every attribute double-quoted, and the scan runs on every page rendered (a parser,
/// lol_html, cost 60 % of the throughput of pages rendered for distinct filters). The static
/// export reads the pages it writes with a parser and reports any link left unpublished.
pub fn links(html: &str, base: &str) -> String {
    static VALUE: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new("=\"/"));
    let mut out = String::with_capacity(html.len() + html.len() / 4);
    // Buffers for the links with a query, reused from one to the next.
    let (mut url, mut published) = (String::new(), String::new());
    let mut rest = html;
    while let Some(at) = VALUE.find(rest.as_bytes()) {
        let (before, after) = rest.split_at(at + 2);
        out.push_str(before);
        let value_end = memchr::memchr(b'"', after.as_bytes()).unwrap_or(after.len());
        let (value, after) = after.split_at(value_end);
        let name = &before[..at];
        let is_link = LINK_ATTRIBUTES.iter().any(|attribute| {
            name.strip_suffix(attribute)
                .is_some_and(|lead| lead.ends_with(|c: char| c.is_ascii_whitespace()))
        });
        if is_link {
            // A link's query is form-encoded: `&` is the one character the attribute
            // escapes.
            if memchr::memchr(b'&', value.as_bytes()).is_some() {
                // A query: its `&`, escaped in the page, read as such and escaped again.
                url.clear();
                replace_each(value, "&#38;", "&", &mut url);
                if url.contains("&amp;") {
                    url = url.replace("&amp;", "&");
                }
                published.clear();
                publish_into(&mut published, &url, base);
                replace_each(&published, "&", "&#38;", &mut out);
            } else {
                publish_into(&mut out, value, base);
            }
        } else {
            out.push_str(value);
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// Appends `text` to `out` with every `from` written as `to`.
fn replace_each(text: &str, from: &str, to: &str, out: &mut String) {
    let mut rest = text;
    while let Some(at) = memchr::memmem::find(rest.as_bytes(), from.as_bytes()) {
        out.push_str(&rest[..at]);
        out.push_str(to);
        rest = &rest[at + from.len()..];
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_files_and_answers_have_a_path_form() {
        let p = |url| publish(url, "");
        assert_eq!(p("/"), "/");
        assert_eq!(p("/entities"), "/entities/");
        assert_eq!(p("/entities/unodc"), "/entities/unodc/");
        assert_eq!(
            p("/entities?crime=cybercrime"),
            "/entities/crime=cybercrime/"
        );
        assert_eq!(
            p("/entities?edition=2025&crime=cybercrime#list"),
            "/entities/crime=cybercrime/edition=2025/#list"
        );
        assert_eq!(p("/?pillar=development"), "/pillar=development/");
        assert_eq!(
            p("/charts/coverage.svg?crime=cybercrime&width=600"),
            "/charts/crime=cybercrime/width=600/coverage.svg"
        );
        assert_eq!(p("/api/entities?crime=x"), "/api/crime=x/entities.json");
        assert_eq!(p("/api/openapi.json"), "/api/openapi.json");
        assert_eq!(p("/data/"), "/data/");
        assert_eq!(p("/data/entities.csv"), "/data/entities.csv");
        assert_eq!(p("/method#within"), "/method/#within");
        assert_eq!(p("#main"), "#main");
        assert_eq!(p("https://un.org/x"), "https://un.org/x");
        assert_eq!(p("//cdn.example/x"), "//cdn.example/x");
    }

    #[test]
    fn what_a_static_host_cannot_select_keeps_its_query() {
        let p = |url| publish(url, "");
        let two = "/entities?crime=cybercrime&crime=illicit-drugs";
        assert_eq!(p(two), "/entities/?crime=cybercrime&crime=illicit-drugs");
        assert_eq!(
            p("/entities?crime=a&pillar=b"),
            "/entities/?crime=a&pillar=b"
        );
        assert_eq!(p("/entities?q=drugs"), "/entities/?q=drugs");
        assert_eq!(p("/system?entity=unodc"), "/system/?entity=unodc");
        assert_eq!(p("/entities?sort=name"), "/entities/?sort=name");
        assert_eq!(
            p("/charts/coverage.svg?title=A%20B"),
            "/charts/coverage.svg?title=A%20B"
        );
    }

    #[test]
    fn a_base_path_prefixes_every_link() {
        assert_eq!(publish("/entities?crime=x", "/un"), "/un/entities/crime=x/");
        assert_eq!(publish("/", "/un"), "/un/");
        assert_eq!(publish("#main", "/un"), "#main");
    }

    #[test]
    fn a_published_address_resolves_to_its_request() {
        for url in [
            "/entities?crime=cybercrime",
            "/entities/unodc",
            "/?edition=2025&pillar=development",
            "/charts/coverage.svg?crime=cybercrime&width=600",
            "/api/entities?crime=x",
            "/api/entities/unodc",
            "/embed/coverage?crime=x",
            "/method",
            "/api",
        ] {
            for base in ["", "/un"] {
                let published = publish(url, base);
                let (path, query) = published.split_once('?').unwrap_or((&published, ""));
                let query = (!query.is_empty()).then_some(query);
                let resolved = request_of(path, query, base).unwrap_or(published.clone());
                let (route, q) = resolved.split_once('?').unwrap_or((&resolved, ""));
                let (want_route, want_q) = url.split_once('?').unwrap_or((url, ""));
                assert_eq!(route, want_route, "{url} under '{base}'");
                let mut a: Vec<_> = q.split('&').collect();
                let mut b: Vec<_> = want_q.split('&').collect();
                a.sort();
                b.sort();
                assert_eq!(a, b, "{url} under '{base}'");
            }
        }
        assert_eq!(request_of("/entities", None, ""), None);
        assert_eq!(request_of("/data/", None, ""), None);
        assert_eq!(request_of("/api/openapi.json", None, ""), None);
        assert_eq!(
            request_of("/entities/", Some("crime=a&crime=b"), "").as_deref(),
            Some("/entities?crime=a&crime=b")
        );
    }

    #[test]
    fn links_in_a_page_are_rewritten_and_the_rest_kept() {
        let html = r##"<a href="/entities?crime=x&#38;sort=name">s</a><a href="/entities?crime=x&amp;edition=2025#t">e</a><a href="/entities?crime=x">x</a><a href="#main">m</a><img src="/charts/c.svg?crime=x" alt=""><form action="/entities"></form><a href="https://un.org/">u</a>"##;
        assert_eq!(
            links(html, ""),
            r##"<a href="/entities/?crime=x&#38;sort=name">s</a><a href="/entities/crime=x/edition=2025/#t">e</a><a href="/entities/crime=x/">x</a><a href="#main">m</a><img src="/charts/crime=x/c.svg" alt=""><form action="/entities/"></form><a href="https://un.org/">u</a>"##
        );
    }

    #[test]
    fn a_base_url_is_read_or_refused() {
        let base = Base::parse("https://example.org/un/").unwrap();
        assert_eq!(base.origin.as_deref(), Some("https://example.org"));
        assert_eq!(base.path, "/un");
        assert_eq!(Base::parse("http://localhost:8080").unwrap().path, "");
        assert!(Base::parse("example.org/un").is_err());
        assert!(Base::parse("ftp://example.org/").is_err());
        assert!(Base::parse("https://example.org/?a=1").is_err());
    }
}
