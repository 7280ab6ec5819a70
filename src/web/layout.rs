//! What every page's frame shows around its content (`templates/base.html`): the version and
//! release date of the data it was made from, for the citation in its footer.

use crate::dataset::Dataset;

/// The frame of a page.
pub struct Layout {
    /// The data's version (`1.1.0`, or `1.1.0+modified` for a copy changed since); empty on
    /// pages that do not come from the data (an error).
    pub version: String,
    /// The day the version was released ("3 December 2026").
    pub released: String,
}

impl Layout {
    /// The frame of a page made from `data`.
    pub fn new(data: &Dataset) -> Layout {
        Layout {
            version: data.version(),
            released: data.release().date.to_string(),
        }
    }

    /// The frame of a page that does not come from the data.
    pub fn none() -> Layout {
        Layout {
            version: String::new(),
            released: String::new(),
        }
    }
}
