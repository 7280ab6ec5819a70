//! The HTML views. Each handler computes a view struct; its template only displays it.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Html;
use axum::routing::get;

use super::{AppState, Error};
use crate::dataset::{Dataset, Pillar};
use crate::query::Filter;
use crate::stats::{self, percent_floor};

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(overview))
}

/// One bar of the coverage chart, with its figures already formatted.
struct Bar {
    id: &'static str,
    label: String,
    count: usize,
    mandate: usize,
    agenda: usize,
    percent: u32,
    /// Bar length as a percentage of the longest bar, for the CSS width.
    width: u32,
}

/// An entry point: a link with a count.
struct Entry {
    href: String,
    label: String,
    count: usize,
}

#[derive(Template)]
#[template(path = "index.html")]
struct OverviewPage {
    title: &'static str,
    entities: usize,
    with_any: usize,
    percent_any: u32,
    links: usize,
    bars: Vec<Bar>,
    pillars: Vec<Entry>,
}

fn overview_page(data: &Dataset) -> OverviewPage {
    let all = data.index().all;
    let cov = stats::coverage(data, all, None);
    let max = cov.crimes.iter().map(|c| c.count).max().unwrap_or(0).max(1);
    let mut bars: Vec<Bar> = cov
        .crimes
        .iter()
        .map(|c| Bar {
            id: c.id.as_str(),
            label: c.label.clone(),
            count: c.count,
            mandate: c.mandate,
            agenda: c.agenda,
            percent: percent_floor(c.share),
            width: (c.count * 100 / max) as u32,
        })
        .collect();
    bars.sort_by(|a, b| b.count.cmp(&a.count).then(a.id.cmp(b.id)));
    let pillars = Pillar::ALL
        .iter()
        .map(|&p| {
            let filter = Filter {
                pillars: vec![p],
                ..Filter::default()
            };
            let set = filter.select(data);
            Entry {
                href: format!("/entities?{}", filter.to_query()),
                label: p.label().to_owned(),
                count: set.len(),
            }
        })
        .collect();
    OverviewPage {
        title: "Who in the UN System works on organized crime",
        entities: cov.entities,
        with_any: cov.with_any,
        percent_any: percent_floor(cov.share),
        links: data.links().len(),
        bars,
        pillars,
    }
}

async fn overview(State(state): State<AppState>) -> Result<Html<String>, Error> {
    Ok(Html(overview_page(&state.data).render()?))
}
