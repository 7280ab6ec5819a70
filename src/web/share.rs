//! What a page says of itself when it is shared: its canonical address (`<link
//! rel=canonical>`, `og:url`) and, for a page with a chart, the chart as a card image
//! (`og:image`, `twitter:image`), which `templates/base.html` writes into every page's head.
//!
//! Both are known where the page is rendered, not where its handler builds it: the caching
//! layer, which computes every request's canonical form and origin for its key, renders a
//! miss inside [`scope`]; the first chart a page draws or offers for download
//! ([`super::charts::inline`], [`super::charts::panel`]) names itself with [`chart_drawn`]. The template reads them with [`current`] while it renders, in
//! the same task. Outside a scope (an error page, rendered after the scope ends) there is
//! nothing to share and the head says nothing.

use std::cell::RefCell;

use crate::charts::ChartRequest;
use crate::dataset::Editions;

/// The card image's size in the chart's own units, drawn at twice that: 1200 × 630 pixels,
/// the size Open Graph and Twitter's large cards show.
const CARD_WIDTH: u32 = 600;
const CARD_HEIGHT: u32 = 315;
const CARD_SCALE: u32 = 2;

/// What every page's card says of the site.
pub const DESCRIPTION: &str = "Who in the United Nations System works on which kind of organized crime: the report Fragmented but far-reaching (2019) beside the public evidence, entity by entity, with charts and data.";

/// What a page being rendered shares.
#[derive(Debug, Clone, Default)]
pub struct Shared {
    /// Its canonical address, absolute.
    pub url: String,
    /// Its first chart, as a card image.
    pub image: Option<Card>,
    origin: String,
    /// The route's path (`/entities/unodc`), for links to the same page in another edition.
    path: String,
}

/// A chart as a card image.
#[derive(Debug, Clone)]
pub struct Card {
    /// The PNG's absolute address.
    pub href: String,
    /// The chart's title, for the image's text alternative.
    pub alt: String,
}

impl Card {
    pub const WIDTH: u32 = CARD_WIDTH * CARD_SCALE;
    pub const HEIGHT: u32 = CARD_HEIGHT * CARD_SCALE;
}

tokio::task_local! {
    static PAGE: RefCell<Shared>;
}

/// The canonical address of a request whose cache key is `canonical` (path and canonical
/// query) under `origin`: the default edition is not named (`?edition=2019` and no edition
/// are one page).
pub fn canonical_url(editions: &Editions, origin: &str, canonical: &str) -> String {
    let default = format!("edition={}", editions.default_edition().edition().id);
    let (path, query) = canonical.split_once('?').unwrap_or((canonical, ""));
    let query: Vec<&str> = query
        .split('&')
        .filter(|pair| !pair.is_empty() && *pair != default)
        .collect();
    let page = crate::query::url(path, &query.join("&"));
    format!("{origin}{}", super::address::publish(&page, ""))
}

/// Runs `render` (a request's handler, for the route at `path`) as the page at `url` under
/// `origin`.
pub async fn scope<F: Future>(url: String, origin: String, path: &str, render: F) -> F::Output {
    let shared = Shared {
        url,
        image: None,
        origin,
        path: path.to_owned(),
    };
    PAGE.scope(RefCell::new(shared), render).await
}

/// Records that the page being rendered draws the chart of `request`, titled `title`: the
/// first one drawn is its card image.
pub fn chart_drawn(data: &crate::dataset::Dataset, request: &ChartRequest, title: &str) {
    let _ = PAGE.try_with(|page| {
        let mut page = page.borrow_mut();
        if page.image.is_some() {
            return;
        }
        let card = ChartRequest {
            width: Some(CARD_WIDTH),
            height: Some(CARD_HEIGHT),
            scale: CARD_SCALE,
            ..request.clone()
        };
        let path = format!("/charts/{}.png", card.chart.name());
        let href = crate::query::url(&path, &card.to_query(data));
        page.image = Some(Card {
            href: format!("{}{}", page.origin, super::address::publish(&href, "")),
            alt: title.to_owned(),
        });
    });
}

/// The route path of the page being rendered (empty outside a page).
pub fn path() -> String {
    PAGE.try_with(|page| page.borrow().path.clone())
        .unwrap_or_default()
}

/// What the page being rendered shares, if it is one.
pub fn current() -> Option<Shared> {
    PAGE.try_with(|page| page.borrow().clone()).ok()
}

/// The text of an SVG's first `<title>`, unescaped.
pub(super) fn svg_title(svg: &str) -> String {
    let Some(start) = svg.find("<title") else {
        return String::new();
    };
    let rest = &svg[start..];
    let (Some(open), Some(close)) = (rest.find('>'), rest.find("</title>")) else {
        return String::new();
    };
    rest[open + 1..close]
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_title_is_read_and_unescaped() {
        let svg = r#"<svg><title id="t">Crime &amp; &quot;drugs&quot;</title><desc>x</desc></svg>"#;
        assert_eq!(svg_title(svg), "Crime & \"drugs\"");
        assert_eq!(svg_title("<svg/>"), "");
    }

    #[test]
    fn the_default_edition_is_not_named() {
        let editions = Editions::embedded().unwrap();
        let id = editions.default_edition().edition().id.to_string();
        let o = "https://example.org";
        assert_eq!(
            canonical_url(
                &editions,
                o,
                &format!("/entities?crime=cybercrime&edition={id}")
            ),
            "https://example.org/entities/crime=cybercrime/"
        );
        assert_eq!(
            canonical_url(&editions, o, &format!("/?edition={id}")),
            "https://example.org/"
        );
        let other = editions
            .all()
            .iter()
            .map(|d| d.edition().id.to_string())
            .find(|e| *e != id)
            .unwrap();
        let url = canonical_url(&editions, o, &format!("/?edition={other}"));
        assert_eq!(url, format!("https://example.org/edition={other}/"));
    }
}
