//! Charts as standalone, accessible SVG: numbers in (from [`crate::stats`]), markup out
//! through askama templates in `templates/charts/`. Every value is formatted here,
//! deterministically, so the same request gives the same bytes; [`png`] rasterises them.
//!
//! Every chart is one [`Chart`] in [`CHARTS`]: the server, the embeds, the download panel,
//! the CLI and the tests iterate that list. A [`ChartRequest`] is parsed once from a query
//! string, by the server and by the CLI alike, with the parameters of [`PARAMS`], so both
//! produce the same bytes for the same request.

pub mod breakdown;
pub mod changes;
pub mod coverage;
pub mod groups;
pub mod matrix;
pub mod overlap;
pub mod png;
pub mod rapporteurs;
mod request;
pub mod timeline;

use std::fmt;

use crate::dataset::{Dataset, Term};
use crate::query::FilterError;

pub use request::{
    ChartRequest, FigureSource, HEIGHT, Mode, PARAMS, Param, Split, TITLE_MAX, WIDTH,
    breakdown_dimensions,
};

/// The source line every chart carries, naming the data's version and edition.
pub fn source_line(data: &Dataset) -> String {
    format!(
        "Data: mandate-map {}, edition {}, based on Walker & Reitano (2019), Fragmented but far-reaching, GI-TOC.",
        data.version(),
        data.edition().short_label
    )
}

/// What a chart of entities counts: the selected chart boxes of the edition, and the bodies
/// within another entity apart; none for a chart of bodies, instruments or mandates.
pub fn default_base<C: Chart + ?Sized>(
    chart: &C,
    data: &Dataset,
    request: &ChartRequest,
) -> Option<String> {
    if chart.crime_only() {
        return None;
    }
    let t = crate::stats::tally(data, &request.filter.select(data));
    let within = match t.within {
        0 => String::new(),
        1 => ", and 1 body within another entity, shown but not counted".to_owned(),
        n => format!(", and {n} bodies within another entity, shown but not counted"),
    };
    Some(format!(
        "{} of the {} UN System entities of the edition's chart{within}",
        t.counted, t.of
    ))
}

/// The chart's selection and base, for its footer, so that a chart taken away says what it
/// shows: "Selection: Pillar: Development. Base: 41 of the 106 UN System entities ...".
pub fn context_line(data: &Dataset, request: &ChartRequest) -> String {
    let selection = match request.filter.describe(data) {
        described if !described.is_empty() => described,
        _ if request.chart.crime_only() => "every crime type".to_owned(),
        _ => "the whole UN System".to_owned(),
    };
    match request.chart.base(data, request) {
        Some(base) => format!("Selection: {selection}. Base: {base}."),
        None => format!("Selection: {selection}."),
    }
}

/// Formats a figure as a reader writes it: at most two decimals, none where it is whole
/// (28, 34.8, 0.33), never a float's last digits ("28.000000000000004").
pub(crate) fn number(v: f64) -> String {
    let text = format!("{v:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_owned()
    } else {
        text.to_owned()
    }
}

/// Formats a coordinate with one decimal, the same way on every machine.
pub(crate) fn px(v: f64) -> String {
    format!("{v:.1}")
}

/// Breaks text into lines of at most `max` characters at spaces (a longer word stands on a
/// line of its own), for SVG text, which does not wrap.
pub(crate) fn wrap(text: &str, max: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= max => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_owned()),
        }
    }
    lines
}

/// A chart: numbers from the data drawn as standalone SVG, with those numbers as CSV.
pub trait Chart: Sync {
    /// Its name in URLs (`/charts/{name}.svg`) and on the command line.
    fn name(&self) -> &'static str;
    /// What it shows, for help texts.
    fn label(&self) -> &'static str;
    /// The explorer view it comes from, for embeds and citations to link back to.
    fn view(&self) -> &'static str;
    /// How it selects: things with crime types only (bodies, instruments, mandates), which
    /// only the crime-type filter applies to; or entities, which every filter applies to.
    fn crime_only(&self) -> bool {
        false
    }
    /// The names of its own parameters of [`PARAMS`] (beyond those every chart takes).
    fn params(&self) -> &'static [&'static str] {
        &[]
    }
    /// What the shares and counts are of, for the footer ("41 of 106 UN System entities");
    /// none for the charts of bodies, instruments and mandates, which draw every row selected.
    fn base(&self, data: &Dataset, request: &ChartRequest) -> Option<String> {
        default_base(self, data, request)
    }
    /// The drawing: the SVG document and its text alternative.
    fn draw(&self, data: &Dataset, request: &ChartRequest) -> Result<Drawing, askama::Error>;
    /// The numbers behind it.
    fn write_csv(
        &self,
        data: &Dataset,
        request: &ChartRequest,
        w: &mut csv::Writer<Vec<u8>>,
    ) -> csv::Result<()>;
}

impl fmt::Debug for dyn Chart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl PartialEq for dyn Chart {
    fn eq(&self, other: &Self) -> bool {
        self.name() == other.name()
    }
}

/// Every chart, in the order menus list them.
pub static CHARTS: &[&dyn Chart] = &[
    &coverage::CoverageChart,
    &breakdown::BreakdownChart,
    &overlap::OverlapChart,
    &matrix::MatrixChart,
    &groups::GroupsChart,
    &timeline::TimelineChart,
    &rapporteurs::RapporteursChart,
    &changes::ChangesChart,
];

/// The chart called `name`, or an error listing the charts.
pub fn find(name: &str) -> Result<&'static dyn Chart, FilterError> {
    CHARTS
        .iter()
        .copied()
        .find(|c| c.name() == name)
        .ok_or_else(|| FilterError {
            param: "chart",
            problem: crate::dataset::UnknownValue {
                kind: "chart",
                given: name.to_owned(),
                expected: CHARTS.iter().map(|c| c.name().to_owned()).collect(),
            },
        })
}

/// A chart drawn: the SVG document and the text alternative its `<desc>` holds.
pub struct Drawing {
    pub svg: String,
    pub desc: String,
}

/// The drawing of a chart's template, whose frame holds `desc`.
pub(crate) fn drawing(desc: String, svg: askama::Result<String>) -> askama::Result<Drawing> {
    svg.map(|svg| Drawing { svg, desc })
}

/// Renders the requested chart as a standalone SVG document.
pub fn svg(data: &Dataset, request: &ChartRequest) -> Result<String, askama::Error> {
    request.chart.draw(data, request).map(|d| d.svg)
}

/// The numbers behind the requested chart, as CSV.
pub fn data_csv(data: &Dataset, request: &ChartRequest) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    request.chart.write_csv(data, request, &mut w)?;
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

/// A line of text with its baseline.
pub struct Line {
    pub y: String,
    pub text: String,
}

pub(crate) fn lines(texts: Vec<String>, first: f64, step: f64) -> Vec<Line> {
    texts
        .into_iter()
        .enumerate()
        .map(|(i, text)| Line {
            y: px(first + i as f64 * step),
            text,
        })
        .collect()
}

/// What every chart has around its plot: the title on top, the source line below, the
/// accessible name and description, and the size.
pub struct Frame {
    /// Prefix for element ids: the chart's name and width, so charts can share a page.
    pub id: String,
    /// The image's width, margins included.
    pub width: u32,
    /// The white margin around the drawing, on every side, so that nothing touches the
    /// image's edge (the drawing starts at 0, the image at minus the margin).
    pub margin: u32,
    /// The drawing's own height with its margins (the viewBox).
    pub height: u32,
    /// The image's height: the drawing scaled to fit, keeping its proportions.
    pub out_height: u32,
    pub title: String,
    pub title_lines: Vec<Line>,
    pub desc: String,
    pub source_lines: Vec<Line>,
}

/// The white margin around every chart, in image pixels at scale 1.
pub const MARGIN: u32 = 12;

/// The top of a chart: where its plot may start once the title is placed.
pub struct Header {
    /// The image's width, margins included.
    outer: u32,
    /// The drawing's width: the image's less its margins.
    width: u32,
    title: String,
    title_lines: Vec<String>,
    /// The y at which the plot may start.
    pub top: f64,
}

impl Header {
    pub fn new(request: &ChartRequest, default_width: u32, default_title: &str) -> Header {
        let outer = request
            .width
            .unwrap_or(default_width)
            .clamp(WIDTH.0, WIDTH.1);
        let width = outer - 2 * MARGIN;
        let title = request
            .title
            .clone()
            .unwrap_or_else(|| default_title.to_owned());
        let title_lines = wrap(&title, (f64::from(width) / 9.5) as usize);
        let top = 28.0 + title_lines.len() as f64 * 19.0;
        Header {
            outer,
            width,
            title,
            title_lines,
            top,
        }
    }

    /// The width the drawing may use.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Places the source line below `bottom` and completes the frame.
    pub fn finish(
        self,
        data: &Dataset,
        bottom: f64,
        desc: String,
        request: &ChartRequest,
    ) -> Frame {
        let max = (f64::from(self.width) / 6.2) as usize;
        let mut source = wrap(&context_line(data, request), max);
        source.extend(wrap(&source_line(data), max));
        let source_top = bottom + 18.0;
        let drawn = (source_top + (source.len() as f64 - 1.0) * 14.0 + 10.0).ceil() as u32;
        let height = drawn + 2 * MARGIN;
        Frame {
            id: format!("{}-{}", request.chart.name(), self.outer),
            width: self.outer,
            margin: MARGIN,
            height,
            out_height: request.height.unwrap_or(height),
            title: self.title,
            title_lines: lines(self.title_lines, 18.0, 19.0),
            desc,
            source_lines: lines(source, source_top, 14.0),
        }
    }
}

/// A colour ramp from light to dark for counts (heatmaps), and its text colours.
pub(crate) fn ramp(level: usize) -> (&'static str, &'static str) {
    const RAMP: [(&str, &str); 6] = [
        ("#eef4fb", "#1b1f24"),
        ("#cfe0f3", "#1b1f24"),
        ("#a8c7ea", "#1b1f24"),
        ("#5f95d0", "#1b1f24"),
        ("#2f6db3", "#ffffff"),
        ("#0b4f8a", "#ffffff"),
    ];
    RAMP[level.min(RAMP.len() - 1)]
}

/// The colour the data gives a crime type, or, if it gives none, one of [`PALETTE`] by its
/// place.
pub(crate) fn crime_colour(data: &Dataset, crime: Term) -> String {
    let colour = &data.crime_type(crime).colour;
    if colour.is_empty() {
        PALETTE[crime.index() % PALETTE.len()].to_owned()
    } else {
        colour.clone()
    }
}

/// Distinct colours for the values of a dimension (at most 11), dark enough for a legend.
pub(crate) const PALETTE: [&str; 11] = [
    "#1d4e89", "#c05a1b", "#2e6b30", "#8a1c1c", "#5b3f8c", "#7a5200", "#1b7f86", "#b0306f",
    "#4a5560", "#6f8f1f", "#3f6fb5",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_breaks_at_spaces_within_the_limit() {
        assert_eq!(wrap("a bb ccc dddd", 6), vec!["a bb", "ccc", "dddd"]);
        assert_eq!(wrap("unbreakable", 4), vec!["unbreakable"]);
        assert!(wrap("", 10).is_empty());
    }

    #[test]
    fn chart_parameters_parse_and_round_trip() {
        let data = Dataset::embedded().unwrap();
        let r = ChartRequest::from_query(
            &data,
            &breakdown::BreakdownChart,
            "crime=cybercrime&width=800&by=organ&mode=stacked&title=Hi+there&utm=x",
        )
        .unwrap();
        assert_eq!(r.width, Some(800));
        assert_eq!(r.by, crate::dataset::ORGAN);
        assert_eq!(r.mode, Mode::Stacked);
        assert_eq!(r.title.as_deref(), Some("Hi there"));
        let again = ChartRequest::from_query(&data, &breakdown::BreakdownChart, &r.to_query(&data))
            .unwrap();
        assert_eq!(again, r);
    }

    #[test]
    fn bad_chart_parameters_name_themselves() {
        let data = Dataset::embedded().unwrap();
        for (query, param) in [
            ("width=10", "width"),
            ("width=abc", "width"),
            ("height=99999", "height"),
            ("stack=maybe", "stack"),
            ("split=colour", "split"),
            ("source=blog", "source"),
            ("by=colour", "by"),
            ("mode=pie", "mode"),
            ("scale=9", "scale"),
        ] {
            let e = ChartRequest::from_query(&data, &coverage::CoverageChart, query).unwrap_err();
            assert_eq!(e.param, param, "{query}");
        }
    }
}
