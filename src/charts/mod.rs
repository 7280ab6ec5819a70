//! Charts as standalone, accessible SVG: numbers in (from [`crate::stats`]), markup out
//! through askama templates in `templates/charts/`. Every value is formatted here,
//! deterministically, so the same request gives the same bytes; [`png`] rasterises them.
//!
//! A [`ChartRequest`] is parsed once from a query string, by the server and by the CLI alike,
//! so both produce the same bytes for the same request.

pub mod breakdown;
pub mod coverage;
pub mod groups;
pub mod matrix;
pub mod overlap;
pub mod png;
pub mod rapporteurs;
pub mod timeline;

use crate::dataset::{DIMENSIONS, Dataset, Dim, PILLAR, Term, UnknownValue};
use crate::query::{Filter, FilterError, decode_query, encode, parse_param};
use crate::vocabulary;

/// The source line every chart carries.
pub const SOURCE: &str =
    "Data: mandate-map, based on Walker & Reitano (2019), Fragmented but far-reaching, GI-TOC.";

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

vocabulary! {
    /// The charts on offer.
    ChartName, "chart" {
        Coverage => "coverage", "Coverage by crime type",
        Breakdown => "breakdown", "Crime types by pillar, organ or chart box",
        Overlap => "overlap", "Crime types worked on together",
        Matrix => "matrix", "Entities by crime type",
        Groups => "groups", "Coordination bodies and their members",
        Timeline => "timeline", "Conventions, protocols and bodies over time",
        Rapporteurs => "rapporteurs", "Special procedures by crime type",
    }
}

impl ChartName {
    /// The explorer view the chart comes from, for embeds and citations to link back to.
    pub fn view(self) -> &'static str {
        match self {
            ChartName::Coverage | ChartName::Breakdown => "/",
            ChartName::Overlap => "/overlap",
            ChartName::Matrix => "/entities",
            ChartName::Groups => "/groups",
            ChartName::Timeline => "/timeline",
            ChartName::Rapporteurs => "/rapporteurs",
        }
    }

    /// Whether the chart draws things that have crime types but no organ, pillar or links,
    /// so that only the crime-type filter applies to it.
    pub fn crime_only(self) -> bool {
        matches!(
            self,
            ChartName::Groups | ChartName::Timeline | ChartName::Rapporteurs
        )
    }
}

vocabulary! {
    /// What the coverage chart's bars are split by.
    Split, "split" {
        /// Strong and partial evidence.
        Evidence => "evidence", "Evidence grade",
        /// Explicit mandate and working agenda.
        Basis => "basis", "Basis",
    }
}

vocabulary! {
    /// Whose figures the coverage chart draws.
    FigureSource, "source" {
        /// The evidence in the data, with the report's published shares as markers.
        Evidence => "evidence", "The evidence here",
        /// The report's Figure 1 as published.
        Report => "report", "The report (2019)",
    }
}

vocabulary! {
    /// How the breakdown chart draws its parts.
    Mode, "mode" {
        Grouped => "grouped", "Grouped bars",
        Stacked => "stacked", "Stacked bars",
    }
}

/// The dimensions the breakdown chart can split crime types by, in declaration order.
pub fn breakdown_dimensions() -> impl Iterator<Item = Dim> {
    Dim::all().filter(|d| d.get().breakdown)
}

/// Parses `by`: one of the breakdown dimensions, by parameter name.
fn parse_by(value: &str) -> Result<Dim, FilterError> {
    breakdown_dimensions()
        .find(|d| d.get().param == value)
        .ok_or_else(|| FilterError {
            param: "by",
            problem: UnknownValue {
                kind: "dimension",
                given: value.to_owned(),
                expected: breakdown_dimensions()
                    .map(|d| d.get().param.to_owned())
                    .collect(),
            },
        })
}

/// Bounds of the numeric parameters.
pub const WIDTH: (u32, u32) = (320, 2400);
pub const HEIGHT: (u32, u32) = (120, 6000);
pub const TITLE_MAX: usize = 200;

/// One chart, as asked for: which, of which entities, and how.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartRequest {
    pub name: ChartName,
    pub filter: Filter,
    pub width: Option<u32>,
    /// The image height; the chart is scaled to fit it, keeping its proportions.
    pub height: Option<u32>,
    pub title: Option<String>,
    /// Coverage: split each bar in two (see `split`).
    pub stack: bool,
    /// Coverage: split bars by evidence grade or by basis.
    pub split: Split,
    /// Coverage: draw the evidence, or the report's figures as published.
    pub source: FigureSource,
    /// Breakdown: the dimension crime types are split by.
    pub by: Dim,
    pub mode: Mode,
    /// PNG only: pixels per SVG unit.
    pub scale: u32,
}

fn bad(param: &'static str, given: &str, expected: &str) -> FilterError {
    FilterError {
        param,
        problem: UnknownValue::expected(param, given, expected),
    }
}

fn number(
    param: &'static str,
    value: &str,
    (lo, hi): (u32, u32),
    expected: &str,
) -> Result<u32, FilterError> {
    value
        .parse::<u32>()
        .ok()
        .filter(|n| (lo..=hi).contains(n))
        .ok_or_else(|| bad(param, value, expected))
}

impl ChartRequest {
    /// The default request for a chart: every entity, default size and title.
    pub fn new(name: ChartName) -> ChartRequest {
        ChartRequest {
            name,
            filter: Filter::default(),
            width: None,
            height: None,
            title: None,
            stack: true,
            split: Split::Evidence,
            source: FigureSource::Evidence,
            by: PILLAR,
            mode: Mode::Grouped,
            scale: 1,
        }
    }

    /// Parses the filter and chart parameters of a raw query string.
    pub fn from_query(
        data: &Dataset,
        name: ChartName,
        query: &str,
    ) -> Result<ChartRequest, FilterError> {
        let mut request = ChartRequest::new(name);
        request.filter = Filter::from_query(data, query)?;
        if name.crime_only() {
            request.filter.crime_only()?;
        }
        for (key, value) in decode_query(query) {
            let value = value.trim();
            if !value.is_empty() {
                request.set(&key, value)?;
            }
        }
        Ok(request)
    }

    /// Sets one chart parameter; others (the filter's, unknown ones) are left alone.
    fn set(&mut self, key: &str, value: &str) -> Result<(), FilterError> {
        match key {
            "width" => {
                let expected = "a whole number of pixels from 320 to 2400";
                self.width = Some(number("width", value, WIDTH, expected)?)
            }
            "height" => {
                let expected = "a whole number of pixels from 120 to 6000";
                self.height = Some(number("height", value, HEIGHT, expected)?)
            }
            "scale" => {
                let expected = "a whole number from 1 to 4";
                self.scale = number("scale", value, (1, png::MAX_SCALE), expected)?
            }
            "title" if value.chars().count() > TITLE_MAX => {
                return Err(bad("title", value, "at most 200 characters"));
            }
            "title" => self.title = Some(value.to_owned()),
            "stack" => {
                self.stack = match value {
                    "true" | "1" | "yes" => true,
                    "false" | "0" | "no" => false,
                    _ => return Err(bad("stack", value, "true or false")),
                }
            }
            "split" => self.split = parse_param("split", value)?,
            "source" => self.source = parse_param("source", value)?,
            "by" => self.by = parse_by(value)?,
            "mode" => self.mode = parse_param("mode", value)?,
            _ => {}
        }
        Ok(())
    }

    /// The canonical query string: the filter, then the chart parameters that differ from
    /// the defaults.
    pub fn to_query(&self, data: &Dataset) -> String {
        let mut pairs = self.filter.pairs(data);
        let defaults = ChartRequest::new(self.name);
        if let Some(w) = self.width {
            pairs.push(("width", w.to_string().into()));
        }
        if let Some(h) = self.height {
            pairs.push(("height", h.to_string().into()));
        }
        if let Some(t) = &self.title {
            pairs.push(("title", t.as_str().into()));
        }
        if self.stack != defaults.stack {
            pairs.push(("stack", self.stack.to_string().into()));
        }
        if self.split != defaults.split {
            pairs.push(("split", self.split.as_str().into()));
        }
        if self.source != defaults.source {
            pairs.push(("source", self.source.as_str().into()));
        }
        if self.by != defaults.by {
            pairs.push(("by", DIMENSIONS[self.by.0].param.into()));
        }
        if self.mode != defaults.mode {
            pairs.push(("mode", self.mode.as_str().into()));
        }
        if self.scale != defaults.scale {
            pairs.push(("scale", self.scale.to_string().into()));
        }
        encode(pairs)
    }
}

/// Renders the requested chart as a standalone SVG document.
pub fn svg(data: &Dataset, request: &ChartRequest) -> Result<String, askama::Error> {
    match request.name {
        ChartName::Coverage => coverage::render(data, request),
        ChartName::Breakdown => breakdown::render(data, request),
        ChartName::Overlap => overlap::render(data, request),
        ChartName::Matrix => matrix::render(data, request),
        ChartName::Groups => groups::render(data, request),
        ChartName::Timeline => timeline::render(data, request),
        ChartName::Rapporteurs => rapporteurs::render(data, request),
    }
}

/// The numbers behind the requested chart, as CSV.
pub fn data_csv(data: &Dataset, request: &ChartRequest) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    match request.name {
        ChartName::Coverage => coverage::write_csv(data, request, &mut w)?,
        ChartName::Breakdown => breakdown::write_csv(data, request, &mut w)?,
        ChartName::Overlap => overlap::write_csv(data, request, &mut w)?,
        ChartName::Matrix => matrix::write_csv(data, request, &mut w)?,
        ChartName::Groups => groups::write_csv(data, request, &mut w)?,
        ChartName::Timeline => timeline::write_csv(data, request, &mut w)?,
        ChartName::Rapporteurs => rapporteurs::write_csv(data, request, &mut w)?,
    }
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
    pub width: u32,
    /// The drawing's own height (the viewBox).
    pub height: u32,
    /// The image's height: the drawing scaled to fit, keeping its proportions.
    pub out_height: u32,
    pub title: String,
    pub title_lines: Vec<Line>,
    pub desc: String,
    pub source_lines: Vec<Line>,
}

/// The top of a chart: where its plot may start once the title is placed.
pub struct Header {
    width: u32,
    title: String,
    title_lines: Vec<String>,
    /// The y at which the plot may start.
    pub top: f64,
}

impl Header {
    pub fn new(request: &ChartRequest, default_width: u32, default_title: &str) -> Header {
        let width = request
            .width
            .unwrap_or(default_width)
            .clamp(WIDTH.0, WIDTH.1);
        let title = request
            .title
            .clone()
            .unwrap_or_else(|| default_title.to_owned());
        let title_lines = wrap(&title, (f64::from(width) / 9.5) as usize);
        let top = 28.0 + title_lines.len() as f64 * 19.0;
        Header {
            width,
            title,
            title_lines,
            top,
        }
    }

    pub fn width(&self) -> u32 {
        self.width
    }

    /// Places the source line below `bottom` and completes the frame.
    pub fn finish(self, bottom: f64, desc: String, request: &ChartRequest) -> Frame {
        let source = wrap(SOURCE, (f64::from(self.width) / 6.2) as usize);
        let source_top = bottom + 18.0;
        let height = (source_top + (source.len() as f64 - 1.0) * 14.0 + 10.0).ceil() as u32;
        Frame {
            id: format!("{}-{}", request.name.as_str(), self.width),
            width: self.width,
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
            ChartName::Breakdown,
            "crime=cybercrime&width=800&by=organ&mode=stacked&title=Hi+there&utm=x",
        )
        .unwrap();
        assert_eq!(r.width, Some(800));
        assert_eq!(r.by, crate::dataset::ORGAN);
        assert_eq!(r.mode, Mode::Stacked);
        assert_eq!(r.title.as_deref(), Some("Hi there"));
        let again =
            ChartRequest::from_query(&data, ChartName::Breakdown, &r.to_query(&data)).unwrap();
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
            let e = ChartRequest::from_query(&data, ChartName::Coverage, query).unwrap_err();
            assert_eq!(e.param, param, "{query}");
        }
    }
}
