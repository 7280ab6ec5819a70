//! The matrix chart: the whole mapping on one sheet, one row per selected entity (grouped by
//! principal organ) and one column per crime type, each cell marking mandate, working agenda
//! or nothing.

use askama::Template;

use super::{Chart, ChartRequest, Drawing, Frame, Header, drawing, px};
use crate::dataset::vocab::number_words;
use crate::dataset::{Basis, Dataset, ORGAN, Term};

pub const TITLE: &str = "Which UN System entities work on which type of organized crime";

struct Cell {
    x: String,
    fill: &'static str,
    stroke: &'static str,
    crime: String,
    basis: &'static str,
    tooltip: String,
}

struct Row {
    entity: String,
    acronym: String,
    y: String,
    text_y: String,
    cells: Vec<Cell>,
}

struct Section {
    label: String,
    y: String,
    rows: Vec<Row>,
}

struct Column {
    x: String,
    text: String,
}

#[derive(Template)]
#[template(path = "charts/matrix.svg")]
struct Svg {
    frame: Frame,
    label_x: String,
    cell_w: String,
    columns: Vec<Column>,
    columns_y: String,
    /// Column heads stand upright where the columns are too narrow for them.
    upright: bool,
    sections: Vec<Section>,
    legend_y: String,
    /// Past [`MAX_ROWS`]: what is drawn of how many, above the legend.
    cut: Option<String>,
    cut_y: String,
}

const ROW: f64 = 16.0;

/// The most entities the chart draws: a sheet of thousands of rows is read by no one and
/// costs every page that offers it. Past it the chart draws the first ones in the chart's
/// order and says so; its CSV has them all. The UN's chart has about a hundred.
pub const MAX_ROWS: usize = 300;

/// The cell of entity `e` (at position `i`) and crime type `crime`, at `x`.
fn cell(data: &Dataset, request: &ChartRequest, i: usize, crime: Term, x: f64) -> Cell {
    let (e, ct) = (&data.entities()[i], data.crime_type(crime));
    let link = data.link(i, crime).filter(|l| request.filter.counts(l));
    let (fill, stroke, basis, meaning) = match link.map(|l| l.basis()) {
        Some(Basis::Mandate) => ("#0b4f8a", "#0b4f8a", "mandate", "explicit mandate"),
        Some(Basis::Agenda) => ("#9dbbdc", "#6f9fd0", "agenda", "working agenda"),
        None => ("#ffffff", "#e1e6ec", "none", "no link"),
    };
    Cell {
        x: px(x),
        fill,
        stroke,
        crime: ct.id.clone(),
        basis,
        tooltip: format!("{} ({}), {}: {meaning}", e.name, e.acronym, ct.label),
    }
}

/// Column positions: the label column, then one column per crime type.
struct Grid {
    label_w: f64,
    col: f64,
}

impl Grid {
    /// The column heads: each crime type's short label, centred on its column.
    fn columns(&self, data: &Dataset) -> Vec<Column> {
        data.crimes()
            .iter()
            .map(|(c, ct)| Column {
                x: px(self.label_w + c.index() as f64 * self.col + self.col / 2.0),
                text: ct.short_label.clone(),
            })
            .collect()
    }

    fn row(&self, data: &Dataset, request: &ChartRequest, i: usize, y: f64) -> Row {
        let e = &data.entities()[i];
        Row {
            entity: e.id.to_string(),
            acronym: e.acronym.to_string(),
            y: px(y),
            text_y: px(y + 11.0),
            cells: data
                .crimes()
                .terms()
                .map(|c| {
                    let x = self.label_w + c.index() as f64 * self.col + 1.0;
                    cell(data, request, i, c, x)
                })
                .collect(),
        }
    }
}

/// Renders the chart as a standalone SVG document.
fn render(data: &Dataset, request: &ChartRequest) -> Result<Drawing, askama::Error> {
    let set = request.filter.select(data);
    let header = Header::new(request, 640, TITLE);
    let label_w = 120.0;
    let n = data.crimes().len() as f64;
    let grid = Grid {
        label_w,
        col: ((f64::from(header.width()) - label_w) / n).min(90.0),
    };
    // Column heads stand upright where a column is narrower than its head.
    let longest = data
        .crimes()
        .iter()
        .map(|(_, ct)| ct.short_label.chars().count())
        .max()
        .unwrap_or(0) as f64;
    let upright = longest * 6.2 > grid.col - 4.0;
    let columns_y = header.top + if upright { longest * 6.5 } else { 6.0 };
    let mut y = columns_y + 14.0;
    let columns = grid.columns(data);
    let mut sections = Vec::new();
    let mut budget = MAX_ROWS;
    for (organ, info) in data.vocabulary(ORGAN).iter() {
        let members = set.intersection(data.index().value(ORGAN, organ));
        if members.is_empty() || budget == 0 {
            continue;
        }
        let section_y = y + 12.0;
        y += 18.0;
        let mut rows = Vec::new();
        for i in members.iter().take(budget) {
            rows.push(grid.row(data, request, i, y));
            y += ROW;
        }
        budget -= rows.len();
        sections.push(Section {
            label: info.label.clone(),
            y: px(section_y),
            rows,
        });
    }
    let marked = |basis: &str| {
        sections
            .iter()
            .flat_map(|s| &s.rows)
            .flat_map(|r| &r.cells)
            .filter(|c| c.basis == basis)
            .count()
    };
    let drawn = MAX_ROWS - budget;
    let cut = (drawn < set.len()).then(|| {
        format!(
            "The first {drawn} of {} entities; the CSV lists them all.",
            set.len()
        )
    });
    let legend_y = y + 10.0 + if cut.is_some() { 18.0 } else { 0.0 };
    let mut desc = format!(
        "{} entities in rows, grouped by principal organ, and {} crime types in columns; {} cells mark an explicit mandate and {} a working agenda.",
        drawn,
        number_words(data.crimes().len()),
        marked("mandate"),
        marked("agenda")
    );
    if let Some(cut) = &cut {
        desc = format!("{cut} {desc}");
    }
    let svg = Svg {
        frame: header.finish(data, legend_y + 16.0, desc, request),
        label_x: px(label_w - 8.0),
        cell_w: px(grid.col - 2.0),
        columns,
        upright,
        columns_y: px(columns_y),
        sections,
        legend_y: px(legend_y),
        cut_y: px(y + 14.0),
        cut,
    };
    drawing(svg.frame.desc.clone(), svg.render())
}

/// The numbers behind the chart: one row per entity, one column per crime type.
fn write_csv(
    data: &Dataset,
    request: &ChartRequest,
    w: &mut csv::Writer<Vec<u8>>,
) -> csv::Result<()> {
    let set = request.filter.select(data);
    let crimes = data.crimes();
    let header = ["entity", "acronym", "organ"]
        .into_iter()
        .chain(crimes.iter().map(|(_, ct)| ct.id.as_str()));
    w.write_record(header)?;
    let organs = data.vocabulary(ORGAN);
    for (i, e) in data.entities_in(&set) {
        let cells = crimes.terms().map(|c| {
            data.link(i, c)
                .filter(|l| request.filter.counts(l))
                .map_or("", |l| l.basis().as_str())
        });
        let fixed = [e.id.as_str(), e.acronym.as_str(), organs.id(e.organ())];
        w.write_record(fixed.into_iter().chain(cells))?;
    }
    Ok(())
}

/// Entities by crime type.
pub struct MatrixChart;

impl Chart for MatrixChart {
    fn name(&self) -> &'static str {
        "matrix"
    }

    fn label(&self) -> &'static str {
        "Entities by crime type"
    }

    fn view(&self) -> &'static str {
        "/entities"
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
