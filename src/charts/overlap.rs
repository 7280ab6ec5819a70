//! The overlap chart: a heatmap of how many selected entities work on both of two crime
//! types (the diagonal is each crime type's own count).

use askama::Template;

use super::{ChartRequest, Frame, Header, px, ramp};
use crate::dataset::{Dataset, TermInfo};
use crate::stats::co_occurrence;

pub const TITLE: &str = "UN System entities working on both of two crime types";

struct Cell {
    x: String,
    y: String,
    cx: String,
    cy: String,
    fill: &'static str,
    ink: &'static str,
    count: usize,
    row: String,
    column: String,
    tooltip: String,
}

struct Label {
    x: String,
    y: String,
    text: String,
}

#[derive(Template)]
#[template(path = "charts/overlap.svg")]
struct Chart {
    frame: Frame,
    size: String,
    cells: Vec<Cell>,
    rows: Vec<Label>,
    columns: Vec<Label>,
}

/// Renders the chart as a standalone SVG document.
pub fn render(data: &Dataset, request: &ChartRequest) -> Result<String, askama::Error> {
    let set = request.filter.select(data);
    let m = co_occurrence(data, &set, &request.filter);
    let crimes: Vec<&TermInfo> = data.crimes().iter().map(|(_, ct)| ct).collect();
    let header = Header::new(request, 640, TITLE);
    let width = f64::from(header.width());
    let label_w = 96.0;
    let n = crimes.len();
    let size = ((width - label_w) / n as f64).min(80.0);
    let top = header.top + 18.0;
    let max_off = (0..n)
        .flat_map(|a| (0..n).filter(move |&b| b != a).map(move |b| (a, b)))
        .map(|(a, b)| m[a][b])
        .max()
        .unwrap_or(0)
        .max(1);
    let mut cells = Vec::new();
    for (a, ca) in crimes.iter().enumerate() {
        for (b, cb) in crimes.iter().enumerate() {
            let count = m[a][b];
            let (fill, ink) = if a == b {
                ("#f4f6f8", "#4f5966")
            } else {
                ramp(count * 5 / max_off)
            };
            let (x, y) = (label_w + b as f64 * size, top + a as f64 * size);
            cells.push(Cell {
                x: px(x),
                y: px(y),
                cx: px(x + size / 2.0),
                cy: px(y + size / 2.0 + 4.5),
                fill,
                ink,
                count,
                row: ca.id.clone(),
                column: cb.id.clone(),
                tooltip: if a == b {
                    format!("{count} entities work on {}", ca.label)
                } else {
                    format!(
                        "{count} entities work on both {} and {}",
                        ca.label, cb.label
                    )
                },
            });
        }
    }
    let rows = crimes
        .iter()
        .enumerate()
        .map(|(a, c)| Label {
            x: px(label_w - 8.0),
            y: px(top + a as f64 * size + size / 2.0 + 4.5),
            text: c.short_label.clone(),
        })
        .collect();
    let columns = crimes
        .iter()
        .enumerate()
        .map(|(b, c)| Label {
            x: px(label_w + b as f64 * size + size / 2.0),
            y: px(top - 6.0),
            text: c.short_label.clone(),
        })
        .collect();
    let mut pairs = Vec::new();
    for (a, ca) in crimes.iter().enumerate() {
        for (b, cb) in crimes.iter().enumerate().skip(a + 1) {
            pairs.push(format!("{} and {}: {}", ca.label, cb.label, m[a][b]));
        }
    }
    let desc = format!(
        "Of {} selected entities, how many work on both of two crime types. {}.",
        set.len(),
        pairs.join("; ")
    );
    let bottom = top + n as f64 * size;
    Chart {
        frame: header.finish(bottom, desc, request),
        size: px(size - 2.0),
        cells,
        rows,
        columns,
    }
    .render()
}

/// The numbers behind the chart: one row per pair of crime types.
pub fn write_csv<W: std::io::Write>(
    data: &Dataset,
    request: &ChartRequest,
    w: &mut csv::Writer<W>,
) -> csv::Result<()> {
    let set = request.filter.select(data);
    let m = co_occurrence(data, &set, &request.filter);
    let crimes: Vec<&TermInfo> = data.crimes().iter().map(|(_, ct)| ct).collect();
    w.write_record(["crime_a", "crime_b", "count"])?;
    for (a, ca) in crimes.iter().enumerate() {
        for (b, cb) in crimes.iter().enumerate() {
            w.write_record([ca.id.as_str(), cb.id.as_str(), &m[a][b].to_string()])?;
        }
    }
    Ok(())
}
