//! The site's canonical pages, listed once ([`canonical_pages`]), and what crawlers read of
//! them: `/sitemap.xml` (every canonical page, under the origin the request names) and
//! `/robots.txt` (which points to it and keeps crawlers off the API, the downloads and the
//! embeds, which repeat the pages). A static export of the site would write the same list.

use axum::Router;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::charts::Origin;
use super::{AllEditions, AppState, href};
use crate::dataset::{CRIME, Dataset, Dim, Editions};
use crate::query::{Filter, url};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/sitemap.xml", get(sitemap))
        .route("/robots.txt", get(robots))
}

/// The views of entities, each taking every filter.
const ENTITY_VIEWS: [&str; 5] = ["/", "/system", "/entities", "/overlap", "/changes"];

/// The views of bodies, instruments and mandates, each taking the crime types only.
const CRIME_VIEWS: [&str; 3] = ["/timeline", "/groups", "/rapporteurs"];

/// The pages about the data and the tool, and the charts' page, which take no filter (the
/// navigation keeps the edition on them).
const ABOUT: [&str; 7] = [
    "/charts/",
    "/method",
    "/codebook",
    "/releases",
    "/about",
    "/data/",
    "/api",
];

/// Every canonical page, as a path with its canonical query: in each edition, each view
/// without a filter and with one value of one dimension (the crime-type views, with one
/// crime type), each entity, crime type and coordination body, and the pages about the data
/// and the tool. Each is written in the one canonical form of a request (the response
/// store's key), which is also what the page's `<link rel=canonical>` names.
pub fn canonical_pages(editions: &Editions) -> Vec<String> {
    editions
        .all()
        .iter()
        .flat_map(|data| of_edition(data))
        .map(|page| match page.split_once('?') {
            Some((path, query)) => super::cache::key::canonical(path, Some(query)),
            None => page,
        })
        .collect()
}

/// The selections of one edition that a static host can name (see
/// [`address`](super::address)): none, then each value of each dimension.
/// The address of each of `entity_views` at every selection of [`entity_selections`], then
/// of each of `crime_views` at every selection of [`crime_selections`].
pub(super) fn at_every_selection(
    data: &Dataset,
    entity_views: &[&str],
    crime_views: &[&str],
) -> Vec<String> {
    let at = |views: &[&str], selections: &[Filter]| -> Vec<String> {
        (views.iter())
            .flat_map(|view| selections.iter().map(move |f| href(data, view, f, &[])))
            .collect()
    };
    let mut pages = at(entity_views, &entity_selections(data));
    pages.extend(at(crime_views, &crime_selections(data)));
    pages
}

pub(super) fn entity_selections(data: &Dataset) -> Vec<Filter> {
    let single = Dim::all().flat_map(|d| {
        data.vocabulary(d)
            .terms()
            .map(move |t| Filter::default().with(d, [t]))
    });
    std::iter::once(Filter::default()).chain(single).collect()
}

/// The selections of the crime-type views: none, then each crime type.
pub(super) fn crime_selections(data: &Dataset) -> Vec<Filter> {
    let single = data
        .crimes()
        .terms()
        .map(|c| Filter::default().with(CRIME, [c]));
    std::iter::once(Filter::default()).chain(single).collect()
}

/// The canonical pages of one edition.
fn of_edition(data: &Dataset) -> Vec<String> {
    let none = Filter::default();
    let mut pages = at_every_selection(data, &ENTITY_VIEWS, &CRIME_VIEWS);
    let query = none.to_query(data);
    let profile = |base: &str, id: &str| url(&format!("{base}/{id}"), &query);
    pages.extend(data.entities().iter().map(|e| profile("/entities", &e.id)));
    pages.extend(data.crimes().iter().map(|(_, c)| profile("/crimes", &c.id)));
    pages.extend(data.groups().iter().map(|g| profile("/groups", &g.id)));
    // The method compares the report's figures with the evidence: it is a page of the
    // report's edition only (other editions' addresses redirect there).
    let report = data
        .report_edition()
        .is_some_and(|r| r.id == data.edition().id);
    pages.extend(
        ABOUT
            .iter()
            .filter(|page| **page != "/method" || report)
            .map(|page| url(page, &query)),
    );
    pages
}

/// Escapes text for XML character data.
fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

async fn sitemap(AllEditions(editions): AllEditions, origin: Origin) -> Response {
    let lastmod = editions.default_edition().release().date.0.iso();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for page in canonical_pages(&editions) {
        xml.push_str(&format!(
            "<url><loc>{}</loc><lastmod>{lastmod}</lastmod></url>\n",
            xml_escape(&origin.url(&page))
        ));
    }
    xml.push_str("</urlset>\n");
    (
        [(header::CONTENT_TYPE, "application/xml; charset=utf-8")],
        xml,
    )
        .into_response()
}

async fn robots(origin: Origin) -> Response {
    let text = format!(
        "User-agent: *\nDisallow: /api/\nDisallow: /export/\nDisallow: /embed/\n\nSitemap: {}/sitemap.xml\n",
        origin.0
    );
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response()
}
