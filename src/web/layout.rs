//! What every page's frame shows around its content (`templates/base.html`): the edition
//! switch, navigation that keeps the edition, and the version and release date of the data
//! the page was made from, for the citation in its footer.

use crate::dataset::{Dataset, Edition};
use crate::query::{EDITION, Filter, encode};

/// One link of the main navigation.
pub struct NavLink {
    pub href: &'static str,
    pub name: &'static str,
    /// Whether the link keeps the page's edition: the changes and the method compare the
    /// editions, so they are the same page from every edition.
    pub keeps_edition: bool,
}

/// The main navigation, in its order; also how other pages name a view.
pub const NAV: [NavLink; 12] = {
    const fn link(href: &'static str, name: &'static str, keeps_edition: bool) -> NavLink {
        NavLink {
            href,
            name,
            keeps_edition,
        }
    }
    [
        link("/", "Overview", true),
        link("/system", "UN System", true),
        link("/entities", "Entities", true),
        link("/overlap", "Overlaps", true),
        link("/changes", "Changes", false),
        link("/timeline", "Timeline", true),
        link("/groups", "Bodies", true),
        link("/rapporteurs", "Rapporteurs", true),
        link("/charts/", "Charts", true),
        link("/method", "Method", false),
        link("/data/", "Data", true),
        link("/about", "About", true),
    ]
};

/// The navigation's name of the view at `href` ("Overview" for `/`), if it has one.
pub fn view_name(href: &str) -> Option<&'static str> {
    NAV.iter()
        .find(|link| link.href == href)
        .map(|link| link.name)
}

/// The frame of a page.
pub struct Layout {
    /// The data's version (`1.1.0`, or `1.1.0+modified` for a copy changed since); empty on
    /// pages that do not come from the data (an error).
    pub version: String,
    /// The day the version was released ("3 December 2026").
    pub released: String,
    /// `?edition=ID` when the page is of an edition other than the default, for the
    /// navigation's links to keep it; empty otherwise.
    pub keep: String,
    /// The edition the page shows, when it is not the default (named under the header).
    pub edition: Option<EditionNote>,
    /// The report's edition's short label, when the page is of another: the rows compiled
    /// for the report's edition (groups, special procedures) are shown as compiled then.
    pub compiled_for: Option<String>,
    /// The switch to the same page in each edition; empty on pages that are the same in
    /// every edition.
    pub switch: Vec<Switch>,
    /// The filter the page was rendered for (its query, without the edition), for the
    /// script that filters a page in the browser when a static host ignored the query; `None`
    /// on pages that take no filter.
    pub selection: Option<String>,
    /// The edition's id when it is not the default (empty otherwise).
    pub edition_id: String,
}

/// The edition a page shows, when it is not the default.
pub struct EditionNote {
    pub label: String,
    pub description: String,
}

/// One edition in the switch.
pub struct Switch {
    /// "2019".
    pub short_label: String,
    /// "2019: the report's UN System".
    pub label: String,
    /// The same page and selection in that edition (the page's path and the selection's
    /// query; a query alone outside a request).
    pub href: String,
    pub current: bool,
}

impl Layout {
    /// The frame of a page made from `data` that reads the same in every edition.
    pub fn new(data: &Dataset) -> Layout {
        let edition = data.edition();
        let (keep, note) = if data.is_default_edition() {
            (String::new(), None)
        } else {
            let note = EditionNote {
                label: edition.label.to_string(),
                description: edition.description.to_string(),
            };
            (
                format!("?{}", encode([(EDITION, edition.id.as_str())])),
                Some(note),
            )
        };
        let compiled_for = data
            .report_edition()
            .filter(|report| report.id != edition.id)
            .map(|report| report.short_label.to_string());
        Layout {
            version: data.version(),
            released: data.release().date.to_string(),
            keep,
            edition: note,
            compiled_for,
            switch: Vec::new(),
            selection: None,
            edition_id: if data.is_default_edition() {
                String::new()
            } else {
                edition.id.to_string()
            },
        }
    }

    /// The frame of a page of one edition showing `filter`'s selection: with a switch to
    /// the same selection in each edition.
    pub fn of_edition(data: &Dataset, filter: &Filter) -> Layout {
        let here = &data.edition().id;
        // A path for a static host, which would not change page on a query alone.
        let path = super::share::path();
        let switch = data
            .editions()
            .iter()
            .map(|e: &Edition| Switch {
                short_label: e.short_label.to_string(),
                label: e.label.to_string(),
                href: format!("{path}?{}", filter.to_query_in(data, e)),
                current: &e.id == here,
            })
            .collect();
        Layout {
            switch,
            selection: Some(filter.to_query(data)),
            ..Layout::new(data)
        }
    }

    /// The frame of a page that does not come from the data.
    pub fn none() -> Layout {
        Layout {
            version: String::new(),
            released: String::new(),
            keep: String::new(),
            edition: None,
            compiled_for: None,
            switch: Vec::new(),
            selection: None,
            edition_id: String::new(),
        }
    }
}
