//! The rapporteurs chart (the report's Figure 4, rebuilt): one row per special procedures
//! mandate of the Human Rights Council, one column per crime type, each cell marking work on
//! the crime type (solid) or partial evidence of it (pale, outlined); the foot of each column
//! counts its mandates.

use askama::Template;

use super::{
    Chart, ChartRequest, Drawing, Frame, Header, Line, crime_colour, drawing, lines, px, wrap,
};
use crate::dataset::{Dataset, SpecialProcedure};

pub const TITLE: &str = "Human Rights Council special procedures that consider illicit markets";

struct Cell {
    x: String,
    fill: String,
    stroke: String,
    crime: String,
    /// `strong`, `partial` or `none`.
    evidence: &'static str,
    tooltip: String,
}

struct Row {
    id: String,
    label: Vec<Line>,
    y: String,
    height: String,
    text_y: String,
    established: String,
    cells: Vec<Cell>,
}

struct Column {
    x: String,
    text: String,
    count: usize,
}

#[derive(Template)]
#[template(path = "charts/rapporteurs.svg")]
struct Svg {
    frame: Frame,
    /// Column heads stand upright where the columns are too narrow for them.
    upright: bool,
    label_x: String,
    year_x: String,
    cell_w: String,
    columns: Vec<Column>,
    columns_y: String,
    rows: Vec<Row>,
    totals_y: String,
    /// The first key: a stripe of the crime types' colours, then its text.
    keys: Vec<Key>,
    keys_end: String,
    legend_y: String,
    legend_y2: String,
}

/// One colour of the legend's stripe.
struct Key {
    x: String,
    colour: String,
}

/// The rows' geometry: the label column's width and the crime-type columns'.
struct Grid {
    label_w: f64,
    col: f64,
}

impl Grid {
    /// The column heads, each with its count of `mandates`.
    fn columns(&self, data: &Dataset, mandates: &[&SpecialProcedure]) -> Vec<Column> {
        data.crimes()
            .iter()
            .map(|(c, ct)| Column {
                x: px(self.label_w + c.index() as f64 * self.col + self.col / 2.0),
                text: ct.short_label.clone(),
                count: mandates.iter().filter(|m| m.crimes.contains(&c)).count(),
            })
            .collect()
    }

    /// A row's label, wrapped to the label column.
    fn label(&self, m: &SpecialProcedure) -> Vec<String> {
        wrap(&m.short_title, ((self.label_w - 10.0) / 6.4) as usize)
    }
}

fn row(data: &Dataset, m: &SpecialProcedure, grid: &Grid, y: f64) -> Row {
    let (label_w, col) = (grid.label_w, grid.col);
    let label = grid.label(m);
    let height = label.len() as f64 * 13.0 + 3.0;
    let cells = data
        .crimes()
        .iter()
        .map(|(c, ct)| {
            let colour = crime_colour(data, c);
            let (fill, stroke, evidence, meaning) = if m.partial.contains(&c) {
                ("#ffffff".to_owned(), colour, "partial", "partial evidence")
            } else if m.crimes.contains(&c) {
                (colour.clone(), colour, "strong", "works on it")
            } else {
                (
                    "#ffffff".to_owned(),
                    "#e1e6ec".to_owned(),
                    "none",
                    "no work found",
                )
            };
            Cell {
                x: px(label_w + c.index() as f64 * col + 1.0),
                fill,
                stroke,
                crime: ct.id.clone(),
                evidence,
                tooltip: format!("{}, {}: {meaning}", m.title, ct.label),
            }
        })
        .collect();
    Row {
        id: m.id.to_string(),
        label: lines(label, y + 12.0, 13.0),
        y: px(y),
        height: px(height),
        text_y: px(y + 12.0),
        established: m.established.map_or("?".to_owned(), |y| y.to_string()),
        cells,
    }
}

/// Renders the chart as a standalone SVG document.
fn render(data: &Dataset, request: &ChartRequest) -> Result<Drawing, askama::Error> {
    let mandates = request.filter.mandates(data);
    let header = Header::new(request, 720, TITLE);
    let width = f64::from(header.width());
    let label_w = (width * 0.4).min(230.0);
    let year_w = 40.0;
    let n = data.crimes().len();
    let grid = Grid {
        label_w,
        col: ((width - label_w - year_w) / n as f64).min(80.0),
    };
    let col = grid.col;
    let longest = (data.crimes().iter())
        .map(|(_, ct)| ct.short_label.chars().count())
        .max()
        .unwrap_or(0) as f64;
    let upright = longest * 6.2 > col - 4.0;
    let columns_y = header.top + if upright { longest * 6.5 } else { 8.0 };
    let mut y = columns_y + 8.0;
    let rows: Vec<Row> = mandates
        .iter()
        .map(|m| {
            let r = row(data, m, &grid, y);
            y += r.label.len() as f64 * 13.0 + 5.0;
            r
        })
        .collect();
    let columns = grid.columns(data, &mandates);
    let totals_y = y + 14.0;
    let legend_y = totals_y + 14.0;
    // Two keys, one above the other: the second would not fit beside the first on a phone.
    let per_crime: Vec<String> = data
        .crimes()
        .iter()
        .zip(&columns)
        .map(|((_, ct), c)| format!("{}: {}", ct.label, c.count))
        .collect();
    let partial = mandates.iter().map(|m| m.partial.len()).sum::<usize>();
    let desc = format!(
        "{} special procedures mandates in rows and the crime types in columns; mandates per crime type: {}; {partial} of the marks rest on partial evidence.",
        mandates.len(),
        per_crime.join("; ")
    );
    let svg = Svg {
        frame: header.finish(data, legend_y + 34.0, desc, request),
        upright,
        label_x: px(label_w - 8.0),
        year_x: px(label_w + n as f64 * col + year_w - 4.0),
        cell_w: px(col - 2.0),
        columns,
        columns_y: px(columns_y),
        rows,
        totals_y: px(totals_y),
        keys: data
            .crimes()
            .terms()
            .enumerate()
            .map(|(i, c)| Key {
                x: px(i as f64 * 6.0),
                colour: crime_colour(data, c),
            })
            .collect(),
        keys_end: px(data.crimes().len() as f64 * 6.0 + 5.0),
        legend_y: px(legend_y),
        legend_y2: px(legend_y + 18.0),
    };
    drawing(svg.frame.desc.clone(), svg.render())
}

/// The numbers behind the chart: one row per mandate and crime type it works on.
fn write_csv(
    data: &Dataset,
    request: &ChartRequest,
    w: &mut csv::Writer<Vec<u8>>,
) -> csv::Result<()> {
    w.write_record([
        "mandate",
        "type",
        "established",
        "establishing_resolution",
        "crime",
        "evidence",
    ])?;
    for m in request.filter.mandates(data) {
        let established = m.established.map(|y| y.to_string()).unwrap_or_default();
        for &c in m.crimes.iter() {
            let evidence = if m.partial.contains(&c) {
                "partial"
            } else {
                "strong"
            };
            w.write_record([
                m.id.as_str(),
                m.kind.as_str(),
                &established,
                &m.establishing_resolution,
                data.crimes().id(c),
                evidence,
            ])?;
        }
    }
    Ok(())
}

/// Special procedures by crime type.
pub struct RapporteursChart;

impl Chart for RapporteursChart {
    fn name(&self) -> &'static str {
        "rapporteurs"
    }

    fn label(&self) -> &'static str {
        "Special procedures by crime type"
    }

    fn view(&self) -> &'static str {
        "/rapporteurs"
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
