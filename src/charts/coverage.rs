//! The coverage chart (the report's Figure 1): the share of entities working on each crime
//! type, one horizontal bar each, sorted by share, optionally split into mandate and agenda.

use askama::Template;

use super::{SOURCE, px};
use crate::stats::{Coverage, percent_floor};

/// What the caller may choose about the chart.
#[derive(Debug, Clone)]
pub struct Options {
    pub width: u32,
    pub title: String,
    /// Split each bar into explicit mandate and working agenda.
    pub stack: bool,
    /// Prefix for element ids, so several charts can share a page.
    pub id: String,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            width: 720,
            title: "Share of UN System entities working on each type of organized crime".into(),
            stack: true,
            id: "coverage".into(),
        }
    }
}

struct Bar {
    crime: &'static str,
    label: String,
    y: String,
    text_y: String,
    mandate_w: String,
    agenda_x: String,
    agenda_w: String,
    total_w: String,
    value_x: String,
    value: String,
    tooltip: String,
}

struct Tick {
    x: String,
    label: String,
}

#[derive(Template)]
#[template(path = "charts/coverage.svg")]
struct Chart {
    id: String,
    width: u32,
    height: u32,
    title: String,
    desc: String,
    stack: bool,
    bars: Vec<Bar>,
    ticks: Vec<Tick>,
    plot_x: String,
    plot_top: String,
    plot_bottom: String,
    legend_y: String,
    source_y: String,
    source: &'static str,
}

const LABEL_W: f64 = 210.0;
const VALUE_W: f64 = 120.0;
const TOP: f64 = 48.0;
const ROW: f64 = 34.0;
const BAR_H: f64 = 20.0;

/// Renders the chart for `coverage` as a standalone SVG document.
pub fn render(coverage: &Coverage, options: &Options) -> Result<String, askama::Error> {
    let width = options.width.clamp(360, 2400);
    let plot_w = f64::from(width) - LABEL_W - VALUE_W;
    let whole = coverage.entities.max(1) as f64;
    let mut rows: Vec<_> = coverage.crimes.iter().collect();
    rows.sort_by(|a, b| b.count.cmp(&a.count).then(a.id.cmp(&b.id)));
    let bars: Vec<Bar> = rows
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let y = TOP + i as f64 * ROW;
            let scale = |n: usize| n as f64 / whole * plot_w;
            let percent = percent_floor(c.share);
            Bar {
                crime: c.id.as_str(),
                label: c.label.clone(),
                y: px(y),
                text_y: px(y + BAR_H / 2.0 + 4.5),
                mandate_w: px(scale(c.mandate)),
                agenda_x: px(LABEL_W + scale(c.mandate)),
                agenda_w: px(scale(c.agenda)),
                total_w: px(scale(c.count)),
                value_x: px(LABEL_W + scale(c.count) + 6.0),
                value: format!("{percent}% ({})", c.count),
                tooltip: format!(
                    "{}: {} of {} entities ({percent}%): {} with a mandate, {} with a working agenda",
                    c.label, c.count, coverage.entities, c.mandate, c.agenda
                ),
            }
        })
        .collect();
    let plot_bottom = TOP + bars.len() as f64 * ROW;
    let ticks = [0u32, 25, 50, 75, 100]
        .iter()
        .map(|&p| Tick {
            x: px(LABEL_W + f64::from(p) / 100.0 * plot_w),
            label: format!("{p}%"),
        })
        .collect();
    let desc = format!(
        "Of {} UN System entities, {} ({}%) work on at least one crime type. {}.",
        coverage.entities,
        coverage.with_any,
        percent_floor(coverage.share),
        rows.iter()
            .map(|c| format!("{}: {} ({}%)", c.label, c.count, percent_floor(c.share)))
            .collect::<Vec<_>>()
            .join("; ")
    );
    let legend_y = plot_bottom + 22.0;
    let height = legend_y + 34.0;
    Chart {
        id: options.id.clone(),
        width,
        height: height.ceil() as u32,
        title: options.title.clone(),
        desc,
        stack: options.stack,
        bars,
        ticks,
        plot_x: px(LABEL_W),
        plot_top: px(TOP - 6.0),
        plot_bottom: px(plot_bottom),
        legend_y: px(legend_y),
        source_y: px(height - 8.0),
        source: SOURCE,
    }
    .render()
}
