//! The overlap chart: a heatmap of how many selected entities work on both of two crime
//! types (the diagonal is each crime type's own count).

use askama::Template;

use super::{Chart, ChartRequest, Drawing, Frame, Header, drawing, px, ramp};
use crate::dataset::{Dataset, TermInfo};
use crate::stats::{boxes, co_occurrence};

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
struct Svg {
    frame: Frame,
    size: String,
    cells: Vec<Cell>,
    rows: Vec<Label>,
    columns: Vec<Label>,
    /// Column heads stand upright where the cells are too narrow for them.
    upright: bool,
}

/// The heatmap's geometry and figures: square cells of `size`, right of the row labels.
struct Heatmap<'a> {
    crimes: Vec<&'a TermInfo>,
    /// `m[a][b]`: entities on both crime types.
    m: Vec<Vec<usize>>,
    label_w: f64,
    size: f64,
    top: f64,
}

impl Heatmap<'_> {
    /// The largest count off the diagonal (at least 1): the darkest shade.
    fn max_off(&self) -> usize {
        let n = self.crimes.len();
        (0..n)
            .flat_map(|a| (0..n).filter(move |&b| b != a).map(move |b| (a, b)))
            .map(|(a, b)| self.m[a][b])
            .max()
            .unwrap_or(0)
            .max(1)
    }

    fn cell(&self, a: usize, b: usize, max_off: usize) -> Cell {
        let (ca, cb) = (self.crimes[a], self.crimes[b]);
        let count = self.m[a][b];
        let (fill, ink) = if a == b {
            ("#f4f6f8", "#4f5966")
        } else {
            ramp(count * 5 / max_off)
        };
        let (x, y) = (
            self.label_w + b as f64 * self.size,
            self.top + a as f64 * self.size,
        );
        Cell {
            x: px(x),
            y: px(y),
            cx: px(x + self.size / 2.0),
            cy: px(y + self.size / 2.0 + 4.5),
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
        }
    }

    /// The row labels (`columns == false`) or the column heads.
    fn labels(&self, columns: bool) -> Vec<Label> {
        let centre = |k: usize| k as f64 * self.size + self.size / 2.0;
        self.crimes
            .iter()
            .enumerate()
            .map(|(k, c)| Label {
                x: px(if columns {
                    self.label_w + centre(k)
                } else {
                    self.label_w - 8.0
                }),
                y: px(if columns {
                    self.top - 6.0
                } else {
                    self.top + centre(k) + 4.5
                }),
                text: c.short_label.clone(),
            })
            .collect()
    }

    /// Every pair of crime types with its count, for the description.
    fn pairs(&self) -> Vec<String> {
        let mut pairs = Vec::new();
        for (a, ca) in self.crimes.iter().enumerate() {
            for (b, cb) in self.crimes.iter().enumerate().skip(a + 1) {
                pairs.push(format!("{} and {}: {}", ca.label, cb.label, self.m[a][b]));
            }
        }
        pairs
    }
}

/// Renders the chart as a standalone SVG document.
fn render(data: &Dataset, request: &ChartRequest) -> Result<Drawing, askama::Error> {
    // What the chart counts: the selected chart boxes, as its footer says.
    let set = boxes(data, &request.filter.select(data));
    let header = Header::new(request, 640, TITLE);
    let label_w = 96.0;
    let crimes: Vec<&TermInfo> = data.crimes().iter().map(|(_, ct)| ct).collect();
    let n = crimes.len();
    let map = Heatmap {
        m: co_occurrence(data, &set, &request.filter),
        size: ((f64::from(header.width()) - label_w) / n as f64).min(80.0),
        crimes,
        label_w,
        top: header.top + 18.0,
    };
    // Column heads stand upright where a cell is narrower than its head.
    let longest = map
        .crimes
        .iter()
        .map(|c| c.short_label.chars().count())
        .max()
        .unwrap_or(0) as f64;
    let upright = longest * 6.2 > map.size - 4.0;
    let map = Heatmap {
        top: if upright {
            header.top + longest * 6.5 + 8.0
        } else {
            map.top
        },
        ..map
    };
    let max_off = map.max_off();
    let cells = (0..n)
        .flat_map(|a| (0..n).map(move |b| (a, b)))
        .map(|(a, b)| map.cell(a, b, max_off))
        .collect();
    let desc = format!(
        "Of {} selected entities, how many work on both of two crime types. {}.",
        set.len(),
        map.pairs().join("; ")
    );
    let svg = Svg {
        frame: header.finish(data, map.top + n as f64 * map.size, desc, request),
        size: px(map.size - 2.0),
        cells,
        rows: map.labels(false),
        columns: map.labels(true),
        upright,
    };
    drawing(svg.frame.desc.clone(), svg.render())
}

/// The numbers behind the chart: one row per pair of crime types.
fn write_csv(
    data: &Dataset,
    request: &ChartRequest,
    w: &mut csv::Writer<Vec<u8>>,
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

/// Crime types worked on together.
pub struct OverlapChart;

impl Chart for OverlapChart {
    fn name(&self) -> &'static str {
        "overlap"
    }

    fn label(&self) -> &'static str {
        "Crime types worked on together"
    }

    fn view(&self) -> &'static str {
        "/overlap"
    }

    fn draw(&self, data: &Dataset, request: &ChartRequest) -> Result<Drawing, askama::Error> {
        render(data, request)
    }

    fn write_csv(
        &self,
        data: &Dataset,
        request: &ChartRequest,
        w: &mut csv::Writer<Vec<u8>>,
    ) -> csv::Result<()> {
        write_csv(data, request, w)
    }
}
