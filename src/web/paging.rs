//! Long lists in pages: `page` (from 1) and `size` (at most [`MAX_SIZE`]) read from the query,
//! the window of the list they select, and the links to the next and previous pages, so
//! that a list of any length is answered in bounded pieces, as Datasette's `_size` and
//! `_next` do. A list that is one section of a page among others has no pager of its own: it
//! is [`Cut`] after its first [`SECTION_MAX`] items and links to where it is listed whole.

use std::ops::Range;

use axum::http::StatusCode;

use super::error::Error;
use crate::query::{FilterError, param};

/// The most items a page may hold.
pub const MAX_SIZE: usize = 1000;

/// A request's page of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    /// From 1.
    pub page: usize,
    pub size: usize,
    /// The view's page size, which links leave unwritten.
    default_size: usize,
}

impl Paging {
    /// Reads `page` and `size` from a raw query; absent, the first page of `default_size`.
    /// A value that is not a whole number in range is a 400 naming the parameter.
    pub fn from_query(query: &str, default_size: usize) -> Result<Paging, Error> {
        let number = |name: &'static str, max: usize| -> Result<Option<usize>, Error> {
            let Some(text) = param(query, name) else {
                return Ok(None);
            };
            match text.parse::<usize>() {
                Ok(n) if (1..=max).contains(&n) => Ok(Some(n)),
                _ => Err(Error::from(FilterError {
                    param: name,
                    problem: crate::dataset::UnknownValue::expected(
                        name,
                        &text,
                        &if max == usize::MAX {
                            "a whole number from 1".to_owned()
                        } else {
                            format!("a whole number from 1 to {max}")
                        },
                    ),
                })),
            }
        };
        Ok(Paging {
            page: number("page", usize::MAX)?.unwrap_or(1),
            size: number("size", MAX_SIZE)?.unwrap_or(default_size),
            default_size,
        })
    }

    /// How many pages a list of `total` items takes (one, if it is empty).
    pub fn pages(&self, total: usize) -> usize {
        total.div_ceil(self.size).max(1)
    }

    /// The positions of this page in a list of `total` items; a page past the last is a 404.
    pub fn window(&self, total: usize) -> Result<Range<usize>, Error> {
        let pages = self.pages(total);
        if self.page > pages {
            return Err(Error {
                status: StatusCode::NOT_FOUND,
                message: format!(
                    "there is no page {} of this list: it has {pages} page{} of {} at most",
                    self.page,
                    if pages == 1 { "" } else { "s" },
                    self.size
                ),
                param: Some("page"),
                expected: Vec::new(),
            });
        }
        let start = (self.page - 1) * self.size;
        Ok(start..(start + self.size).min(total))
    }

    /// The query parameters that address page `page` of the same list and size.
    pub fn params(&self, page: usize) -> Vec<(&'static str, String)> {
        let mut params = Vec::new();
        if page > 1 {
            params.push(("page", page.to_string()));
        }
        if self.size != self.default_size {
            params.push(("size", self.size.to_string()));
        }
        params
    }

    /// The neighbours of this page in a list of `total` items: (previous, next).
    pub fn neighbours(&self, total: usize) -> (Option<usize>, Option<usize>) {
        let previous = (self.page > 1).then(|| self.page - 1);
        let next = (self.page < self.pages(total)).then(|| self.page + 1);
        (previous, next)
    }
}

/// The most items one section of a page lists when the page has several such lists (a crime
/// type's entities by basis, the changes on each crime type): the UN System's longest is
/// about sixty; with thousands of entities, a page of many whole lists would run to
/// megabytes.
pub const SECTION_MAX: usize = 200;

/// A section's list: its first [`SECTION_MAX`] items, how many it leaves out, and where the
/// whole list is.
pub struct Cut<T> {
    pub items: Vec<T>,
    /// The items past the first [`SECTION_MAX`], counted, not built.
    pub more: usize,
    /// Where every item is listed (a paginated list, an export), for when `more` is not 0.
    pub whole: String,
}

impl<T> Cut<T> {
    /// The first [`SECTION_MAX`] items of `all`, each made by `make`; the rest are counted.
    pub fn of<I>(
        all: impl IntoIterator<Item = I>,
        make: impl FnMut(I) -> T,
        whole: String,
    ) -> Self {
        let mut all = all.into_iter();
        let items = all.by_ref().take(SECTION_MAX).map(make).collect();
        Cut {
            items,
            more: all.count(),
            whole,
        }
    }

    /// How many items the whole list has.
    pub fn total(&self) -> usize {
        self.items.len() + self.more
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_cover_the_list_once() {
        let paging = Paging::from_query("size=3", 100).unwrap();
        assert_eq!(paging.pages(7), 3);
        let windows: Vec<Range<usize>> = (1..=3)
            .map(|page| Paging { page, ..paging }.window(7).unwrap())
            .collect();
        assert_eq!(windows, vec![0..3, 3..6, 6..7]);
        assert!(Paging { page: 4, ..paging }.window(7).is_err());
        assert_eq!(Paging { page: 1, ..paging }.window(0).unwrap(), 0..0);
    }

    #[test]
    fn bad_values_name_their_parameter() {
        for (query, param) in [
            ("page=0", "page"),
            ("page=x", "page"),
            ("size=0", "size"),
            ("size=1001", "size"),
            ("size=-1", "size"),
        ] {
            let error = Paging::from_query(query, 100).unwrap_err();
            assert_eq!(error.status, StatusCode::BAD_REQUEST, "{query}");
            assert_eq!(error.param, Some(param), "{query}");
        }
    }

    #[test]
    fn a_cut_builds_the_first_items_and_counts_the_rest() {
        let mut made = 0;
        let cut = Cut::of(
            0..SECTION_MAX + 7,
            |i| {
                made += 1;
                i * 2
            },
            "/all".to_owned(),
        );
        assert_eq!(made, SECTION_MAX);
        assert_eq!(cut.items.last(), Some(&((SECTION_MAX - 1) * 2)));
        assert_eq!((cut.more, cut.total()), (7, SECTION_MAX + 7));
        let short = Cut::of(0..3, |i| i, String::new());
        assert_eq!((short.items, short.more), (vec![0, 1, 2], 0));
    }

    #[test]
    fn links_leave_the_defaults_unwritten() {
        let paging = Paging::from_query("", 100).unwrap();
        assert!(paging.params(1).is_empty());
        assert_eq!(paging.params(2), vec![("page", "2".to_owned())]);
        let sized = Paging::from_query("size=10", 100).unwrap();
        assert_eq!(sized.params(1), vec![("size", "10".to_owned())]);
    }
}
