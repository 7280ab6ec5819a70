//! The coverage chart (the report's Figure 1): the share of the selected entities working on
//! each crime type, one horizontal bar each, sorted by share, optionally split into mandate
//! and working agenda. Below 560 px wide it uses short labels so text stays legible.

use askama::Template;

use super::{ChartRequest, Frame, Header, px};
use crate::dataset::Dataset;
use crate::stats::{self, Coverage, CrimeCoverage, percent_floor};

/// The title when the request names none.
pub const TITLE: &str = "Share of UN System entities working on each type of organized crime";

struct Bar {
    crime: String,
    label: String,
    count: usize,
    mandate: usize,
    agenda: usize,
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
    frame: Frame,
    stack: bool,
    bars: Vec<Bar>,
    ticks: Vec<Tick>,
    plot_x: String,
    plot_top: String,
    plot_bottom: String,
    legend_y: String,
}

const ROW: f64 = 34.0;
const BAR_H: f64 = 20.0;

/// The axis maximum: the largest share rounded up to a quarter, so bars use the width while
/// the scale stays a plain percentage.
fn axis_max(max_share: f64) -> f64 {
    ((max_share * 4.0).ceil() / 4.0).clamp(0.25, 1.0)
}

/// The figures the chart shows.
pub fn figures(data: &Dataset, request: &ChartRequest) -> Coverage {
    let set = request.filter.select(data);
    stats::coverage(data, &set, &request.filter)
}

/// Where the plot sits: label column, bar area and value column, and the axis's scale.
struct Layout {
    compact: bool,
    label_w: f64,
    plot_w: f64,
    top: f64,
    /// The number of entities shares are taken of (at least 1).
    whole: f64,
    /// The axis maximum, as a share.
    axis: f64,
}

impl Layout {
    fn new(header: &Header, coverage: &Coverage) -> Layout {
        let compact = header.width() < 560;
        let (label_w, value_w) = if compact { (92.0, 64.0) } else { (236.0, 96.0) };
        let max_share = coverage.crimes.iter().map(|c| c.share).fold(0.0, f64::max);
        Layout {
            compact,
            label_w,
            plot_w: f64::from(header.width()) - label_w - value_w,
            top: header.top,
            whole: coverage.entities.max(1) as f64,
            axis: axis_max(max_share),
        }
    }

    /// The length of a bar of `n` entities.
    fn scale(&self, n: usize) -> f64 {
        n as f64 / self.whole / self.axis * self.plot_w
    }

    /// The axis ticks: every 25 per cent, or every 10 on a short axis.
    fn ticks(&self) -> Vec<Tick> {
        let step = if self.axis > 0.5 { 25 } else { 10 };
        (0..=(self.axis * 100.0).round() as u32)
            .step_by(step)
            .map(|p| Tick {
                x: px(self.label_w + f64::from(p) / 100.0 / self.axis * self.plot_w),
                label: format!("{p}%"),
            })
            .collect()
    }

    /// The bar of crime type `c`, drawn in row `i`.
    fn bar(&self, i: usize, c: &CrimeCoverage, entities: usize) -> Bar {
        let y = self.top + i as f64 * ROW;
        let percent = percent_floor(c.share);
        Bar {
            crime: c.id.clone(),
            label: if self.compact {
                c.short_label.clone()
            } else {
                c.label.clone()
            },
            count: c.count,
            mandate: c.mandate,
            agenda: c.agenda,
            y: px(y),
            text_y: px(y + BAR_H / 2.0 + 4.5),
            mandate_w: px(self.scale(c.mandate)),
            agenda_x: px(self.label_w + self.scale(c.mandate)),
            agenda_w: px(self.scale(c.agenda)),
            total_w: px(self.scale(c.count)),
            value_x: px(self.label_w + self.scale(c.count) + 6.0),
            value: format!("{percent}% ({})", c.count),
            tooltip: format!(
                "{}: {} of {entities} entities ({percent}%): {} with a mandate, {} with a working agenda",
                c.label, c.count, c.mandate, c.agenda
            ),
        }
    }
}

/// The chart's description: the headline, then each crime type in the bars' order.
fn describe(coverage: &Coverage, rows: &[&CrimeCoverage]) -> String {
    format!(
        "Of {} UN System entities, {} ({}%) work on at least one crime type. {}.",
        coverage.entities,
        coverage.with_any,
        percent_floor(coverage.share),
        rows.iter()
            .map(|c| format!("{}: {} ({}%)", c.label, c.count, percent_floor(c.share)))
            .collect::<Vec<_>>()
            .join("; ")
    )
}

/// Renders the chart as a standalone SVG document.
pub fn render(data: &Dataset, request: &ChartRequest) -> Result<String, askama::Error> {
    let coverage = figures(data, request);
    let header = Header::new(request, 720, TITLE);
    let layout = Layout::new(&header, &coverage);
    let mut rows: Vec<&CrimeCoverage> = coverage.crimes.iter().collect();
    // The sort is stable: ties keep the crime types' own order.
    rows.sort_by_key(|row| std::cmp::Reverse(row.count));
    let bars: Vec<Bar> = rows
        .iter()
        .enumerate()
        .map(|(i, c)| layout.bar(i, c, coverage.entities))
        .collect();
    let plot_bottom = layout.top + bars.len() as f64 * ROW;
    let legend_y = plot_bottom + 18.0;
    let bottom = if request.stack {
        legend_y + 18.0
    } else {
        plot_bottom
    };
    Chart {
        frame: header.finish(bottom, describe(&coverage, &rows), request),
        stack: request.stack,
        bars,
        ticks: layout.ticks(),
        plot_x: px(layout.label_w),
        plot_top: px(layout.top - 6.0),
        plot_bottom: px(plot_bottom),
        legend_y: px(legend_y),
    }
    .render()
}

/// The numbers behind the chart: one row per crime type.
pub fn write_csv<W: std::io::Write>(
    data: &Dataset,
    request: &ChartRequest,
    w: &mut csv::Writer<W>,
) -> csv::Result<()> {
    let coverage = figures(data, request);
    w.write_record([
        "crime", "label", "count", "mandate", "agenda", "entities", "share",
    ])?;
    for c in &coverage.crimes {
        w.write_record([
            c.id.as_str(),
            &c.label,
            &c.count.to_string(),
            &c.mandate.to_string(),
            &c.agenda.to_string(),
            &coverage.entities.to_string(),
            &format!("{:.4}", c.share),
        ])?;
    }
    Ok(())
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
