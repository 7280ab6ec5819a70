//! The coverage chart (the report's Figure 1): the share of entities working on each crime
//! type, one horizontal bar each, sorted by share, optionally split into mandate and agenda.
//! Below 560 px wide it switches to short labels so the text stays legible on phones.

use askama::Template;

use super::{SOURCE, px, wrap};
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

/// A line of wrapped text with its baseline.
struct Line {
    y: String,
    text: String,
}

#[derive(Template)]
#[template(path = "charts/coverage.svg")]
struct Chart {
    id: String,
    width: u32,
    height: u32,
    title: String,
    title_lines: Vec<Line>,
    desc: String,
    stack: bool,
    bars: Vec<Bar>,
    ticks: Vec<Tick>,
    plot_x: String,
    plot_top: String,
    plot_bottom: String,
    legend_y: String,
    source_lines: Vec<Line>,
}

const ROW: f64 = 34.0;
const BAR_H: f64 = 20.0;

/// The axis maximum: the largest share rounded up to a quarter, so bars use the width while
/// the scale stays a plain percentage.
fn axis_max(max_share: f64) -> f64 {
    ((max_share * 4.0).ceil() / 4.0).clamp(0.25, 1.0)
}

/// Renders the chart for `coverage` as a standalone SVG document.
pub fn render(coverage: &Coverage, options: &Options) -> Result<String, askama::Error> {
    let width = options.width.clamp(320, 2400);
    let compact = width < 560;
    let (label_w, value_w) = if compact { (92.0, 64.0) } else { (236.0, 96.0) };
    let chars_per_line = (f64::from(width) / 8.5) as usize;
    let title_lines = wrap(&options.title, chars_per_line);
    let top = 28.0 + title_lines.len() as f64 * 19.0;
    let plot_w = f64::from(width) - label_w - value_w;
    let whole = coverage.entities.max(1) as f64;
    let max_share = coverage.crimes.iter().map(|c| c.share).fold(0.0, f64::max);
    let axis = axis_max(max_share);
    let scale = |n: usize| n as f64 / whole / axis * plot_w;
    let mut rows: Vec<_> = coverage.crimes.iter().collect();
    rows.sort_by(|a, b| b.count.cmp(&a.count).then(a.id.cmp(&b.id)));
    let bars: Vec<Bar> = rows
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let y = top + i as f64 * ROW;
            let percent = percent_floor(c.share);
            Bar {
                crime: c.id.as_str(),
                label: if compact {
                    c.short_label.clone()
                } else {
                    c.label.clone()
                },
                y: px(y),
                text_y: px(y + BAR_H / 2.0 + 4.5),
                mandate_w: px(scale(c.mandate)),
                agenda_x: px(label_w + scale(c.mandate)),
                agenda_w: px(scale(c.agenda)),
                total_w: px(scale(c.count)),
                value_x: px(label_w + scale(c.count) + 6.0),
                value: format!("{percent}% ({})", c.count),
                tooltip: format!(
                    "{}: {} of {} entities ({percent}%): {} with a mandate, {} with a working agenda",
                    c.label, c.count, coverage.entities, c.mandate, c.agenda
                ),
            }
        })
        .collect();
    let plot_bottom = top + bars.len() as f64 * ROW;
    let step = if axis > 0.5 { 25 } else { 10 };
    let ticks = (0..=(axis * 100.0).round() as u32)
        .step_by(step)
        .map(|p| Tick {
            x: px(label_w + f64::from(p) / 100.0 / axis * plot_w),
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
    let legend_y = plot_bottom + 18.0;
    let source = wrap(SOURCE, (f64::from(width) / 6.2) as usize);
    let source_top = legend_y + 36.0;
    let height = source_top + (source.len() as f64 - 1.0) * 14.0 + 10.0;
    let lines = |texts: Vec<String>, first: f64, step: f64| -> Vec<Line> {
        texts
            .into_iter()
            .enumerate()
            .map(|(i, text)| Line {
                y: px(first + i as f64 * step),
                text,
            })
            .collect()
    };
    Chart {
        id: options.id.clone(),
        width,
        height: height.ceil() as u32,
        title: options.title.clone(),
        title_lines: lines(title_lines, 18.0, 19.0),
        desc,
        stack: options.stack,
        bars,
        ticks,
        plot_x: px(label_w),
        plot_top: px(top - 6.0),
        plot_bottom: px(plot_bottom),
        legend_y: px(legend_y),
        source_lines: lines(source, source_top, 14.0),
    }
    .render()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_rounds_the_largest_share_up_to_a_quarter() {
        assert_eq!(axis_max(0.37), 0.5);
        assert_eq!(axis_max(0.5), 0.5);
        assert_eq!(axis_max(0.51), 0.75);
        assert_eq!(axis_max(0.0), 0.25);
        assert_eq!(axis_max(1.0), 1.0);
    }
}
