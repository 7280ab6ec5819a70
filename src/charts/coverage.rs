//! The coverage chart (the report's Figure 1): the share of the selected entities working on
//! each crime type, one horizontal bar each, sorted by share, split into strong and partial
//! evidence (or, with `split=basis`, mandate and working agenda). Over the whole UN System a
//! marker on each bar shows the share the report published; `source=report` draws the
//! report's figure as published instead. Below 560 px wide it uses short labels.

use askama::Template;

use super::{
    Chart, ChartRequest, Drawing, FigureSource, Frame, Header, Split, drawing, number, px,
};
use crate::dataset::{Dataset, Unit};
use crate::stats::{self, Coverage, CrimeCoverage, percent_floor};

/// The title when the request names none.
pub const TITLE: &str = "Share of UN System entities working on each type of organized crime";

/// The title of the report's figure as published, in the report's words (its page 4).
pub const REPORT_TITLE: &str =
    "Figure 1: Percentage of UN System departments focusing on each type of organized crime";

/// One part of a split bar: (data attribute, colour, legend).
type Part = (&'static str, &'static str, &'static str);

/// The two parts a bar is split into, by evidence grade and by basis.
const PARTS: [[Part; 2]; 2] = [
    [
        ("strong", "#0b4f8a", "Strong evidence"),
        ("partial", "#6f9fd0", "Partial evidence"),
    ],
    [
        ("mandate", "#0b4f8a", "Explicit mandate"),
        ("agenda", "#6f9fd0", "Working agenda"),
    ],
];

/// One crime type's figures, from the data or from the report.
struct Row {
    id: String,
    label: String,
    short_label: String,
    count: usize,
    /// The share, as a fraction.
    share: f64,
    /// The two parts of the bar, as counts (empty for the report's own figure).
    parts: Vec<usize>,
    /// Of `count`, those on strong evidence.
    strong: usize,
    /// The share the report published, in per cent as it states it, where a marker is drawn.
    report: Option<f64>,
    /// Every figure as a data attribute: (name, value).
    attributes: Vec<(&'static str, String)>,
    tooltip: String,
}

struct Segment {
    x: String,
    w: String,
    colour: &'static str,
}

struct Bar {
    crime: String,
    label: String,
    attributes: Vec<(&'static str, String)>,
    y: String,
    text_y: String,
    segments: Vec<Segment>,
    value_x: String,
    value: String,
    tooltip: String,
    /// The report's share as a marker: (x, its title).
    marker: Option<(String, String)>,
}

struct Tick {
    x: String,
    label: String,
}

/// One key of the legend.
struct Key {
    x: String,
    y: String,
    text_x: String,
    text_y: String,
    colour: &'static str,
    label: String,
    /// Drawn as the report's marker rather than a swatch.
    marker: bool,
}

#[derive(Template)]
#[template(path = "charts/coverage.svg")]
struct Svg {
    frame: Frame,
    bars: Vec<Bar>,
    ticks: Vec<Tick>,
    keys: Vec<Key>,
    plot_x: String,
    plot_top: String,
    plot_bottom: String,
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

/// Whether the selection is the whole UN System the report counted, so that its published
/// shares compare with ours.
fn whole_system(data: &Dataset, request: &ChartRequest) -> bool {
    let set = request.filter.select(data);
    set.intersection(&data.index().counted) == data.index().counted
}

/// The report's published share of `crime`'s row, in per cent.
fn report_share(data: &Dataset, id: &str) -> Option<f64> {
    let crime = data.crimes().find(id)?;
    data.report_figure_on(crime, Unit::Percent).map(|f| f.value)
}

/// The rows from the data: each crime type's coverage, split as asked.
fn evidence_rows(data: &Dataset, request: &ChartRequest, coverage: &Coverage) -> Vec<Row> {
    let markers = whole_system(data, request);
    let split = request.split == Split::Basis;
    coverage
        .crimes
        .iter()
        .map(|c: &CrimeCoverage| {
            let percent = percent_floor(c.share);
            let parts = if split {
                vec![c.mandate, c.agenda]
            } else {
                vec![c.strong, c.partial]
            };
            let report = report_share(data, &c.id).filter(|_| markers);
            Row {
                id: c.id.clone(),
                label: c.label.clone(),
                short_label: c.short_label.clone(),
                count: c.count,
                share: c.share,
                parts: if request.stack { parts } else { Vec::new() },
                strong: c.strong,
                report,
                attributes: vec![
                    ("count", c.count.to_string()),
                    ("mandate", c.mandate.to_string()),
                    ("agenda", c.agenda.to_string()),
                    ("strong", c.strong.to_string()),
                    ("partial", c.partial.to_string()),
                ],
                tooltip: format!(
                    "{}: {} of {} entities ({percent}%): {} with strong evidence, {} partial; {} with a mandate, {} with a working agenda{}",
                    c.label,
                    c.count,
                    coverage.entities,
                    c.strong,
                    c.partial,
                    c.mandate,
                    c.agenda,
                    report.map_or(String::new(), |r| format!(
                        ". The report (2019): {} per cent",
                        number(r)
                    ))
                ),
            }
        })
        .collect()
}

/// The rows of the report's figure as published: its share and count of each crime type.
fn report_rows(data: &Dataset) -> Vec<Row> {
    data.crimes()
        .iter()
        .filter_map(|(crime, ct)| {
            let share = data.report_figure_on(crime, Unit::Percent)?.value;
            let count_figure = data.report_figure_on(crime, Unit::Count);
            let count = count_figure.map_or(0, |f| f.value.round() as usize);
            let count_words = match count_figure {
                Some(f) if f.stated() => format!("{count} entities, as the report states"),
                Some(_) => format!("{count} entities, implied by the share, not stated"),
                None => "no count published".to_owned(),
            };
            Some(Row {
                id: ct.id.clone(),
                label: ct.label.clone(),
                short_label: ct.short_label.clone(),
                count,
                share: share / 100.0,
                parts: Vec::new(),
                strong: 0,
                report: None,
                attributes: vec![
                    ("count", count.to_string()),
                    ("report-share", share.to_string()),
                ],
                tooltip: format!("{}: {} per cent ({count_words})", ct.label, number(share)),
            })
        })
        .collect()
}

/// Where the plot sits: label column, bar area and value column, and the axis's scale.
struct Layout {
    compact: bool,
    label_w: f64,
    plot_w: f64,
    top: f64,
    /// The axis maximum, as a share.
    axis: f64,
}

impl Layout {
    fn new(header: &Header, rows: &[Row]) -> Layout {
        let compact = header.width() < 560;
        let (label_w, value_w) = if compact { (92.0, 64.0) } else { (236.0, 96.0) };
        let max_share = rows
            .iter()
            .flat_map(|r| [r.share, r.report.unwrap_or(0.0) / 100.0])
            .fold(0.0, f64::max);
        Layout {
            compact,
            label_w,
            plot_w: f64::from(header.width()) - label_w - value_w,
            top: header.top,
            axis: axis_max(max_share),
        }
    }

    /// The length of a bar of `share`.
    fn scale(&self, share: f64) -> f64 {
        share / self.axis * self.plot_w
    }

    /// The axis ticks: every 25 per cent, or every 10 on a short axis.
    fn ticks(&self) -> Vec<Tick> {
        // A label ("40%") needs about 30 units: fewer ticks on a narrow plot.
        let room = self.scale(1.0) * 0.10;
        let step = match (self.axis > 0.5, room >= 30.0) {
            (true, _) | (false, false) => 25,
            (false, true) => 10,
        };
        (0..=(self.axis * 100.0).round() as u32)
            .step_by(step)
            .map(|p| Tick {
                x: px(self.label_w + self.scale(f64::from(p) / 100.0)),
                label: format!("{p}%"),
            })
            .collect()
    }

    /// The bar of `row`, drawn in row `i`: split in `colours` if the row has parts, else one
    /// bar of `single` colour.
    fn bar(&self, i: usize, row: Row, colours: &[Part], single: &'static str, whole: f64) -> Bar {
        let y = self.top + i as f64 * ROW;
        let mut x = self.label_w;
        let segments = if row.parts.is_empty() {
            vec![(row.share, single)]
        } else {
            row.parts
                .iter()
                .zip(colours)
                .map(|(&n, &(_, colour, _))| (n as f64 / whole, colour))
                .collect()
        };
        let segments = segments
            .into_iter()
            .map(|(share, colour)| {
                let w = self.scale(share);
                x += w;
                Segment {
                    x: px(x - w),
                    w: px(w),
                    colour,
                }
            })
            .collect();
        Bar {
            crime: row.id,
            label: if self.compact {
                row.short_label
            } else {
                row.label
            },
            attributes: row.attributes,
            y: px(y),
            text_y: px(y + BAR_H / 2.0 + 4.5),
            segments,
            // The value stands clear of the bar and of the report's marker.
            value_x: px(self.label_w
                + self
                    .scale(row.share)
                    .max(row.report.map_or(0.0, |r| self.scale(r / 100.0) + 3.0))
                + 6.0),
            value: format!("{}% ({})", percent_floor(row.share), row.count),
            tooltip: row.tooltip,
            marker: row.report.map(|r| {
                let title = format!("The report (2019): {} per cent", number(r));
                (px(self.label_w + self.scale(r / 100.0)), title)
            }),
        }
    }
}

/// The legend: the two parts, then the report's marker if any bar carries one, flowing into
/// rows from (`x`, `y`) within `width`. Answers the keys and the y below them.
fn legend(colours: &[Part], marker: bool, (x, y): (f64, f64), width: f64) -> (Vec<Key>, f64) {
    let mut entries: Vec<(&'static str, &str, bool)> = colours
        .iter()
        .map(|&(_, colour, label)| (colour, label, false))
        .collect();
    if marker {
        entries.push(("#1b1f24", "The report's share (2019)", true));
    }
    let (mut kx, mut ky) = (x, y);
    let mut keys = Vec::new();
    for (colour, label, marker) in entries {
        let w = 34.0 + label.chars().count() as f64 * 7.0;
        if kx > x && kx + w > width {
            kx = x;
            ky += 18.0;
        }
        keys.push(Key {
            x: px(if marker { kx + 4.5 } else { kx }),
            y: px(if marker { ky - 1.0 } else { ky }),
            text_x: px(kx + 18.0),
            text_y: px(ky + 10.5),
            colour,
            label: label.to_owned(),
            marker,
        });
        kx += w;
    }
    let bottom = if keys.is_empty() { y - 18.0 } else { ky + 18.0 };
    (keys, bottom)
}

/// The chart's description: the headline, then each crime type in the bars' order, then the
/// report's figures where they are drawn.
fn describe(data: &Dataset, request: &ChartRequest, coverage: &Coverage, rows: &[Row]) -> String {
    if request.source == FigureSource::Report {
        return describe_report(data, rows);
    }
    let mut desc = format!(
        "Of {} UN System entities, {} ({}%) work on at least one crime type, {} of them on strong evidence. {}.",
        coverage.entities,
        coverage.with_any,
        percent_floor(coverage.share),
        coverage.with_strong,
        rows.iter()
            .map(|r| format!(
                "{}: {} ({}%; {} strong)",
                r.label,
                r.count,
                percent_floor(r.share),
                r.strong
            ))
            .collect::<Vec<_>>()
            .join("; ")
    );
    if rows.iter().any(|r| r.report.is_some()) {
        let shares: Vec<String> = rows
            .iter()
            .filter_map(|r| Some(format!("{} {} per cent", r.label, number(r.report?))))
            .collect();
        desc.push_str(&format!(
            " Markers: the shares the report published (2019): {}.",
            shares.join("; ")
        ));
    }
    desc
}

fn describe_report(data: &Dataset, rows: &[Row]) -> String {
    let figure = |id: &str| data.report_figure(id).map_or(0.0, |f| f.value);
    format!(
        "As published in the report (2019): a working agenda in {} of {} entities (nearly {} per cent). {}.",
        number(figure("entities-with-agenda")),
        number(figure("entities-total")),
        number(figure("share-with-agenda")),
        rows.iter()
            .map(|r| r.tooltip.as_str())
            .collect::<Vec<_>>()
            .join("; ")
    )
}

/// Renders the chart as a standalone SVG document.
fn render(data: &Dataset, request: &ChartRequest) -> Result<Drawing, askama::Error> {
    let coverage = figures(data, request);
    let report = request.source == FigureSource::Report;
    let mut rows = if report {
        report_rows(data)
    } else {
        evidence_rows(data, request, &coverage)
    };
    // The sort is stable: ties keep the crime types' own order.
    rows.sort_by_key(|row| std::cmp::Reverse(row.count));
    let title = if report { REPORT_TITLE } else { TITLE };
    let header = Header::new(request, 720, title);
    let layout = Layout::new(&header, &rows);
    let desc = describe(data, request, &coverage, &rows);
    let colours: &[_] = match (report || !request.stack, request.split) {
        (true, _) => &[],
        (false, Split::Evidence) => &PARTS[0],
        (false, Split::Basis) => &PARTS[1],
    };
    let marker = rows.iter().any(|r| r.report.is_some());
    let whole = coverage.entities.max(1) as f64;
    // The report's own figure in grey, so that it is not mistaken for the evidence.
    let single = if report { "#4f5966" } else { "#1f6fbf" };
    let bars: Vec<Bar> = rows
        .into_iter()
        .enumerate()
        .map(|(i, row)| layout.bar(i, row, colours, single, whole))
        .collect();
    let plot_bottom = layout.top + bars.len() as f64 * ROW;
    let legend_start = if layout.compact { 0.0 } else { layout.label_w };
    let (keys, bottom) = legend(
        colours,
        marker,
        (legend_start, plot_bottom + 18.0),
        f64::from(header.width()),
    );
    let svg = Svg {
        frame: header.finish(data, bottom, desc, request),
        bars,
        ticks: layout.ticks(),
        keys,
        plot_x: px(layout.label_w),
        plot_top: px(layout.top - 6.0),
        plot_bottom: px(plot_bottom),
    };
    drawing(svg.frame.desc.clone(), svg.render())
}

/// The numbers behind the chart: one row per crime type, with the report's share beside ours.
fn write_csv(
    data: &Dataset,
    request: &ChartRequest,
    w: &mut csv::Writer<Vec<u8>>,
) -> csv::Result<()> {
    if request.source == FigureSource::Report {
        return write_report_csv(data, w);
    }
    let coverage = figures(data, request);
    w.write_record([
        "crime",
        "label",
        "count",
        "mandate",
        "agenda",
        "strong",
        "partial",
        "entities",
        "share",
        "report_share",
    ])?;
    let whole = whole_system(data, request);
    for c in &coverage.crimes {
        let report = report_share(data, &c.id)
            .filter(|_| whole)
            .map_or(String::new(), |r| format!("{:.4}", r / 100.0));
        w.write_record([
            c.id.as_str(),
            &c.label,
            &c.count.to_string(),
            &c.mandate.to_string(),
            &c.agenda.to_string(),
            &c.strong.to_string(),
            &c.partial.to_string(),
            &coverage.entities.to_string(),
            &format!("{:.4}", c.share),
            &report,
        ])?;
    }
    Ok(())
}

/// The numbers of the report's Figure 1 as published: per crime type its share, its count,
/// whether the report states the count or implies it by the share, and its words.
fn write_report_csv(data: &Dataset, w: &mut csv::Writer<Vec<u8>>) -> csv::Result<()> {
    w.write_record([
        "crime",
        "label",
        "report_share",
        "report_count",
        "count_stated",
        "entities_reviewed",
        "quote",
    ])?;
    let reviewed = data
        .report_figure("entities-total")
        .map_or(String::new(), |f| number(f.value));
    for (crime, ct) in data.crimes().iter() {
        let Some(share) = data.report_figure_on(crime, Unit::Percent) else {
            continue;
        };
        let count = data.report_figure_on(crime, Unit::Count);
        w.write_record([
            ct.id.as_str(),
            &ct.label,
            &number(share.value),
            &count.map_or(String::new(), |c| number(c.value)),
            count.map_or("", |c| if c.stated() { "true" } else { "false" }),
            &reviewed,
            &share.quote,
        ])?;
    }
    Ok(())
}

/// Coverage by crime type.
pub struct CoverageChart;

impl Chart for CoverageChart {
    fn name(&self) -> &'static str {
        "coverage"
    }

    fn label(&self) -> &'static str {
        "Coverage by crime type"
    }

    fn view(&self) -> &'static str {
        "/"
    }

    fn params(&self) -> &'static [&'static str] {
        &["stack", "split", "source"]
    }

    fn base(&self, data: &Dataset, request: &ChartRequest) -> Option<String> {
        if request.source != FigureSource::Report {
            return super::default_base(self, data, request);
        }
        let reviewed = data.report_figure("entities-total")?;
        Some(format!(
            "the {} entities the report reviewed (its figures as published)",
            number(reviewed.value)
        ))
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
