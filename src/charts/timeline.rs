//! The timeline chart (the report's Figure 2, rebuilt): the conventions, protocols and bodies
//! of the crime and drug regimes, one row each in date order, placed on a time axis and
//! marked in the colour of each crime type they cover. What is dated after the report
//! stands below a rule, apart from the report's picture.

use askama::Template;

use super::{
    Chart, ChartRequest, Drawing, Frame, Header, Line, crime_colour, drawing, lines, px, wrap,
};
use crate::dataset::{Dataset, Instrument, PartialDate, REPORT_YEAR};

pub const TITLE: &str =
    "Establishment of key organized-crime conventions and commissions of the UN";

/// The years the axis spans: from the decade of the first date to the decade after the last
/// (and after the report), over every instrument, so that filtered charts share one axis.
fn span(data: &Dataset) -> (u16, u16) {
    let years = data.instruments().iter().map(|i| i.date.year);
    let first = years.clone().min().unwrap_or(REPORT_YEAR);
    let last = years.max().unwrap_or(REPORT_YEAR).max(REPORT_YEAR);
    (first / 10 * 10, (last / 10 + 1) * 10)
}

struct Chip {
    x: String,
    colour: String,
    crime: String,
}

struct Row {
    id: String,
    date: String,
    later: bool,
    date_y: String,
    rule_y: String,
    chip_y: String,
    /// The date's point on the axis, and its vertical centre.
    dot_x: String,
    dot_y: String,
    name: Vec<Line>,
    chips: Vec<Chip>,
    tooltip: String,
}

struct Tick {
    x: String,
    year: u16,
}

struct Key {
    x: String,
    y: String,
    colour: String,
    label: String,
}

#[derive(Template)]
#[template(path = "charts/timeline.svg")]
struct Svg {
    frame: Frame,
    axis_right: String,
    axis_top: String,
    axis_bottom: String,
    ticks: Vec<Tick>,
    report_x: String,
    rows: Vec<Row>,
    /// Where the rule above the rows dated after the report goes, if any is shown.
    later_y: Option<String>,
    /// The key to the dot, above the crime types' keys.
    date_key_y: String,
    keys: Vec<Key>,
}

/// The time axis: x of a date.
struct Axis {
    left: f64,
    right: f64,
    first: u16,
    last: u16,
}

impl Axis {
    fn x(&self, date: &PartialDate) -> f64 {
        let years = f64::from(date.year - self.first) + date.fraction_of_year();
        self.left + (self.right - self.left) * years / f64::from(self.last - self.first)
    }

    /// A tick every ten years, or every twenty or forty where ten would crowd the labels
    /// (a year's label needs about 36 units).
    fn ticks(&self) -> Vec<Tick> {
        let per_year = (self.right - self.left) / f64::from(self.last - self.first);
        let step: usize = [10, 20, 40]
            .into_iter()
            .find(|&s| per_year * s as f64 >= 36.0)
            .unwrap_or(40);
        (self.first..=self.last)
            .step_by(step)
            .map(|year| Tick {
                x: px(self.x(&PartialDate {
                    year,
                    month: None,
                    day: None,
                })),
                year,
            })
            .collect()
    }
}

const CHIP: f64 = 9.0;

/// A row's height: its name's lines and the date below them.
fn row_height(name_lines: usize) -> f64 {
    (name_lines + 1) as f64 * 13.0 + 4.0
}

/// Places a row; its crime types go in the chips' column at `chips_left`, one place per crime
/// type, so that they read as a column each and never as a span of time.
fn row(
    data: &Dataset,
    axis: &Axis,
    chips_left: f64,
    instrument: &Instrument,
    top: f64,
    chars: usize,
) -> Row {
    let name = wrap(&instrument.short_name, chars);
    let height = row_height(name.len());
    let x = axis.x(&instrument.date);
    let crimes = data.crimes();
    let chips = instrument
        .crimes
        .iter()
        .map(|&c| Chip {
            x: px(chips_left + c.index() as f64 * (CHIP + 1.0)),
            colour: crime_colour(data, c),
            crime: crimes.id(c).to_owned(),
        })
        .collect();
    let labels: Vec<&str> = instrument
        .crimes
        .iter()
        .map(|&c| crimes.get(c).label.as_str())
        .collect();
    Row {
        id: instrument.id.to_string(),
        date: instrument.date.to_string(),
        later: instrument.later_than_report,
        date_y: px(top + 11.0 + name.len() as f64 * 13.0),
        rule_y: px(top + height + 2.0),
        chip_y: px(top + (height - CHIP) / 2.0),
        dot_x: px(x),
        dot_y: px(top + height / 2.0),
        name: lines(name, top + 11.0, 13.0),
        chips,
        tooltip: format!(
            "{} ({}): {}; {}",
            instrument.name,
            instrument.kind.label(),
            instrument.date,
            labels.join(", ")
        ),
    }
}

/// The legend: one chip per crime type (the column on the right), laid out in rows that fit
/// the width.
fn keys(data: &Dataset, top: f64, width: f64) -> (Vec<Key>, f64) {
    let (mut x, mut y) = (0.0, top);
    let mut keys = Vec::new();
    for (c, ct) in data.crimes().iter() {
        let w = 16.0 + ct.short_label.chars().count() as f64 * 7.0 + 14.0;
        if x > 0.0 && x + w > width {
            x = 0.0;
            y += 18.0;
        }
        keys.push(Key {
            x: px(x),
            y: px(y),
            colour: crime_colour(data, c),
            label: ct.short_label.clone(),
        });
        x += w;
    }
    (keys, y + 12.0)
}

/// The chart's description: the span, then every row in order, what is later apart.
fn describe(instruments: &[&Instrument], (first, last): (u16, u16)) -> String {
    let named = |later: bool| -> Vec<String> {
        instruments
            .iter()
            .filter(|i| i.later_than_report == later)
            .map(|i| format!("{} ({})", i.short_name, i.date.year))
            .collect()
    };
    let (listed, later) = (named(false), named(true));
    let mut desc = format!(
        "A timeline from {first} to {last} of {} conventions, protocols and bodies, in date order: {}.",
        listed.len(),
        listed.join("; ")
    );
    if !later.is_empty() {
        desc.push_str(&format!(
            " Later than the report ({REPORT_YEAR}), shown apart: {}.",
            later.join("; ")
        ));
    }
    desc
}

/// Renders the chart as a standalone SVG document.
fn render(data: &Dataset, request: &ChartRequest) -> Result<Drawing, askama::Error> {
    let header = Header::new(request, 720, TITLE);
    let width = f64::from(header.width());
    let label_w = (width * 0.42).min(280.0);
    let (first, last) = span(data);
    let chips_left = width - data.crimes().len() as f64 * (CHIP + 1.0);
    let axis = Axis {
        left: label_w + 8.0,
        right: chips_left - 14.0,
        first,
        last,
    };
    let instruments = request.filter.instruments(data);
    let axis_top = header.top + 16.0;
    let mut y = axis_top + 6.0;
    let mut later_y = None;
    let chars = (label_w / 6.6) as usize;
    let mut rows = Vec::new();
    for instrument in &instruments {
        if instrument.later_than_report && later_y.is_none() {
            y += 22.0;
            later_y = Some(px(y - 8.0));
        }
        let r = row(data, &axis, chips_left, instrument, y, chars);
        y += row_height(r.name.len()) + 4.0;
        rows.push(r);
    }
    let axis_bottom = y;
    let date_key_y = axis_bottom + 26.0;
    let (keys, keys_bottom) = keys(data, date_key_y + 18.0, width);
    let desc = describe(&instruments, (first, last));
    let svg = Svg {
        frame: header.finish(data, keys_bottom, desc, request),
        axis_right: px(axis.right),
        axis_top: px(axis_top),
        axis_bottom: px(axis_bottom),
        ticks: axis.ticks(),
        report_x: px(axis.x(&PartialDate {
            year: REPORT_YEAR,
            month: None,
            day: None,
        })),
        rows,
        later_y,
        date_key_y: px(date_key_y),
        keys,
    };
    drawing(svg.frame.desc.clone(), svg.render())
}

/// The numbers behind the chart: one row per instrument or body, in the chart's order.
fn write_csv(
    data: &Dataset,
    request: &ChartRequest,
    w: &mut csv::Writer<Vec<u8>>,
) -> csv::Result<()> {
    let crimes = data.crimes();
    let entity = |i: Option<usize>| i.map_or("", |i| data.entities()[i].id.as_str());
    w.write_record([
        "id",
        "short_name",
        "type",
        "date",
        "adopting_decision",
        "crimes",
        "entity",
        "secretariat",
        "later_than_report",
    ])?;
    for i in request.filter.instruments(data) {
        let ids = crimes.ids_of(&i.crimes);
        w.write_record([
            i.id.as_str(),
            &i.short_name,
            i.kind.as_str(),
            &i.date.iso(),
            &i.adopting_decision,
            &ids.join(";"),
            entity(i.entity()),
            entity(i.secretariat()),
            if i.later_than_report { "true" } else { "false" },
        ])?;
    }
    Ok(())
}

/// Conventions, protocols and bodies over time.
pub struct TimelineChart;

impl Chart for TimelineChart {
    fn name(&self) -> &'static str {
        "timeline"
    }

    fn label(&self) -> &'static str {
        "Conventions, protocols and bodies over time"
    }

    fn view(&self) -> &'static str {
        "/timeline"
    }

    fn crime_only(&self) -> bool {
        true
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
