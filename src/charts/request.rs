//! A chart as asked for: which chart, of which entities, and how. Every chart parameter is
//! declared once in [`PARAMS`] (its name, its help, how it is read and written back); the
//! query-string parser, the canonical query string, the CLI's flags and the cache key all
//! iterate that list, so a parameter cannot be left out of any of them.

use super::{Chart, png};
use crate::dataset::{DIMENSIONS, Dataset, Dim, PILLAR, UnknownValue};
use crate::query::{EDITION, Filter, FilterError, decode_query, encode, parse_param};
use crate::vocabulary;

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
pub const WIDTH: (u32, u32) = (280, 2400);
pub const HEIGHT: (u32, u32) = (120, 6000);
pub const TITLE_MAX: usize = 200;

/// One chart, as asked for: which, of which entities, and how.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartRequest {
    pub chart: &'static dyn Chart,
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

/// A chart parameter, declared once.
pub struct Param {
    /// Its query parameter and CLI flag.
    pub name: &'static str,
    /// What a value looks like, for `--help`.
    pub value_name: &'static str,
    pub help: &'static str,
    /// A valid value other than the default, for examples and tests.
    pub example: &'static str,
    /// Whether every chart takes it (otherwise the charts whose `params` name it).
    pub common: bool,
    /// Reads a (trimmed, non-empty) value into the request.
    set: fn(&mut ChartRequest, &str) -> Result<(), FilterError>,
    /// The value to write back, if it is not the default.
    get: fn(&ChartRequest) -> Option<String>,
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

/// Every chart parameter, in the order the canonical query string writes them.
pub static PARAMS: &[Param] = &[
    Param {
        name: "width",
        example: "480",
        value_name: "PIXELS",
        help: "Image width in pixels (280 to 2400); below 560 the charts use short labels",
        common: true,
        set: |r, v| {
            let expected = "a whole number of pixels from 280 to 2400";
            r.width = Some(number("width", v, WIDTH, expected)?);
            Ok(())
        },
        get: |r| r.width.map(|w| w.to_string()),
    },
    Param {
        name: "height",
        example: "400",
        value_name: "PIXELS",
        help: "Image height in pixels (120 to 6000); the chart is scaled to fit",
        common: true,
        set: |r, v| {
            let expected = "a whole number of pixels from 120 to 6000";
            r.height = Some(number("height", v, HEIGHT, expected)?);
            Ok(())
        },
        get: |r| r.height.map(|h| h.to_string()),
    },
    Param {
        name: "title",
        example: "A title",
        value_name: "TEXT",
        help: "Title drawn above the chart (at most 200 characters)",
        common: true,
        set: |r, v| {
            if v.chars().count() > TITLE_MAX {
                return Err(bad("title", v, "at most 200 characters"));
            }
            r.title = Some(v.to_owned());
            Ok(())
        },
        get: |r| r.title.clone(),
    },
    Param {
        name: "stack",
        example: "false",
        value_name: "true|false",
        help: "Coverage: split each bar in two (see split)",
        common: false,
        set: |r, v| {
            r.stack = match v {
                "true" | "1" | "yes" => true,
                "false" | "0" | "no" => false,
                _ => return Err(bad("stack", v, "true or false")),
            };
            Ok(())
        },
        get: |r| (!r.stack).then(|| "false".to_owned()),
    },
    Param {
        name: "split",
        example: "basis",
        value_name: "evidence|basis",
        help: "Coverage: split bars by evidence grade (strong, partial) or by basis (mandate, agenda)",
        common: false,
        set: |r, v| {
            r.split = parse_param("split", v)?;
            Ok(())
        },
        get: |r| (r.split != Split::Evidence).then(|| r.split.as_str().to_owned()),
    },
    Param {
        name: "source",
        example: "report",
        value_name: "evidence|report",
        help: "Coverage: draw the evidence (with the report's shares as markers), or the report's Figure 1 as published",
        common: false,
        set: |r, v| {
            r.source = parse_param("source", v)?;
            Ok(())
        },
        get: |r| (r.source != FigureSource::Evidence).then(|| r.source.as_str().to_owned()),
    },
    Param {
        name: "by",
        example: "organ",
        value_name: "DIMENSION",
        help: "Breakdown: split by one of the entity dimensions (organ, category, pillar)",
        common: false,
        set: |r, v| {
            r.by = parse_by(v)?;
            Ok(())
        },
        get: |r| (r.by != PILLAR).then(|| DIMENSIONS[r.by.0].param.to_owned()),
    },
    Param {
        name: "mode",
        example: "stacked",
        value_name: "grouped|stacked",
        help: "Breakdown: grouped or stacked bars",
        common: false,
        set: |r, v| {
            r.mode = parse_param("mode", v)?;
            Ok(())
        },
        get: |r| (r.mode != Mode::Grouped).then(|| r.mode.as_str().to_owned()),
    },
    Param {
        name: "scale",
        example: "2",
        value_name: "1-4",
        help: "PNG: pixels per SVG unit, for print",
        common: true,
        set: |r, v| {
            let expected = "a whole number from 1 to 4";
            r.scale = number("scale", v, (1, png::MAX_SCALE), expected)?;
            Ok(())
        },
        get: |r| (r.scale != 1).then(|| r.scale.to_string()),
    },
];

impl Param {
    /// Whether `chart` takes this parameter.
    pub fn applies_to(&self, chart: &dyn Chart) -> bool {
        self.common || chart.params().contains(&self.name)
    }
}

impl ChartRequest {
    /// The default request for a chart: every entity, default size and title.
    pub fn new(chart: &'static dyn Chart) -> ChartRequest {
        ChartRequest {
            chart,
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

    /// Parses the filter and chart parameters of a raw query string. Every chart parameter is
    /// validated whichever chart is asked for, so a mistyped value is never silently ignored.
    pub fn from_query(
        data: &Dataset,
        chart: &'static dyn Chart,
        query: &str,
    ) -> Result<ChartRequest, FilterError> {
        let mut request = ChartRequest::new(chart);
        request.filter = Filter::from_query(data, query)?;
        if chart.crime_only() {
            request.filter.crime_only()?;
        }
        for (key, value) in decode_query(query) {
            let value = value.trim();
            if let Some(param) = PARAMS.iter().find(|p| p.name == key)
                && !value.is_empty()
            {
                (param.set)(&mut request, value)?;
            }
        }
        // The report's figures belong to the edition the report reviewed.
        if request.source == FigureSource::Report && data.report_figures().is_empty() {
            let edition = data.report_edition().map_or_else(
                || "the data holds none of the report's figures".to_owned(),
                |e| format!("the report's figures belong to edition {}", e.id),
            );
            return Err(FilterError {
                param: "source",
                problem: UnknownValue {
                    kind: "figure source",
                    given: format!("report' in edition '{}' ({edition})", data.edition().id),
                    expected: vec![FigureSource::Evidence.as_str().to_owned()],
                },
            });
        }
        // The report's Figure 1 is drawn by the coverage chart alone, and is of the whole UN
        // System: elsewhere, or with a filter, it would be ignored.
        let refuse = |given: String, why: &str| FilterError {
            param: "source",
            problem: UnknownValue {
                kind: "figure source",
                given,
                expected: vec![format!("{}: {why}", FigureSource::Evidence.as_str())],
            },
        };
        if request.source == FigureSource::Report && !chart.params().contains(&"source") {
            return Err(refuse(
                format!("report' for the {} chart", chart.name()),
                "only the coverage chart draws the report's figure as published",
            ));
        }
        if request.source == FigureSource::Report && !request.filter.is_empty() {
            return Err(refuse(
                format!(
                    "report' for the selection '{}",
                    request.filter.describe(data)
                ),
                "the report's Figure 1 is of the whole UN System, so it takes no filter",
            ));
        }
        Ok(request)
    }

    /// The canonical query string: the edition (always: a chart cited in a report keeps
    /// showing the edition it was made from when the default changes), the filter, then the
    /// chart parameters that differ from the defaults, in the order of [`PARAMS`].
    pub fn to_query(&self, data: &Dataset) -> String {
        let mut pairs = self.filter.pairs(data);
        if data.is_default_edition() {
            pairs.insert(0, (EDITION, data.edition().id.as_str().into()));
        }
        for param in PARAMS {
            if let Some(value) = (param.get)(self) {
                pairs.push((param.name, value.into()));
            }
        }
        encode(pairs)
    }
}
