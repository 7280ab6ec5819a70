//! The matrix chart: the whole mapping on one sheet, one row per selected entity (grouped by
//! principal organ) and one column per crime type, each cell marking mandate, working agenda
//! or nothing.

use askama::Template;

use super::{ChartRequest, Frame, Header, px};
use crate::dataset::vocab::number_words;
use crate::dataset::{Basis, Dataset, ORGAN};

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
struct Chart {
    frame: Frame,
    label_x: String,
    cell_w: String,
    columns: Vec<Column>,
    columns_y: String,
    sections: Vec<Section>,
    legend_y: String,
}

const ROW: f64 = 16.0;

/// Renders the chart as a standalone SVG document.
pub fn render(data: &Dataset, request: &ChartRequest) -> Result<String, askama::Error> {
    let set = request.filter.select(data);
    let header = Header::new(request, 640, TITLE);
    let width = f64::from(header.width());
    let label_w = 120.0;
    let n = data.crimes().len() as f64;
    let col = ((width - label_w) / n).min(90.0);
    let columns_y = header.top + 6.0;
    let mut y = columns_y + 14.0;
    let columns = data
        .crimes()
        .iter()
        .map(|(c, ct)| Column {
            x: px(label_w + c.index() as f64 * col + col / 2.0),
            text: ct.short_label.clone(),
        })
        .collect();
    let mut sections = Vec::new();
    let (mut mandates, mut agendas) = (0, 0);
    for (organ, info) in data.vocabulary(ORGAN).iter() {
        let members = set.intersection(data.index().value(ORGAN, organ));
        if members.is_empty() {
            continue;
        }
        let section_y = y + 12.0;
        y += 18.0;
        let rows = data
            .entities_in(&members)
            .map(|(i, e)| {
                let row_y = y;
                y += ROW;
                Row {
                    entity: e.id.clone(),
                    acronym: e.acronym.clone(),
                    y: px(row_y),
                    text_y: px(row_y + 11.0),
                    cells: data
                        .crimes()
                        .iter()
                        .map(|(c, ct)| {
                            let link = data.link(i, c).filter(|l| request.filter.counts(l));
                            let (fill, stroke, basis) = match link.map(|l| l.basis()) {
                                Some(Basis::Mandate) => {
                                    mandates += 1;
                                    ("#0b4f8a", "#0b4f8a", "mandate")
                                }
                                Some(Basis::Agenda) => {
                                    agendas += 1;
                                    ("#9dbbdc", "#6f9fd0", "agenda")
                                }
                                None => ("#ffffff", "#e1e6ec", "none"),
                            };
                            Cell {
                                x: px(label_w + c.index() as f64 * col + 1.0),
                                fill,
                                stroke,
                                crime: ct.id.clone(),
                                basis,
                                tooltip: format!(
                                    "{} ({}), {}: {}",
                                    e.name,
                                    e.acronym,
                                    ct.label,
                                    match basis {
                                        "mandate" => "explicit mandate",
                                        "agenda" => "working agenda",
                                        _ => "no link",
                                    }
                                ),
                            }
                        })
                        .collect(),
                }
            })
            .collect();
        sections.push(Section {
            label: info.label.clone(),
            y: px(section_y),
            rows,
        });
    }
    let legend_y = y + 10.0;
    let desc = format!(
        "{} entities in rows, grouped by principal organ, and {} crime types in columns; {} cells mark an explicit mandate and {} a working agenda.",
        set.len(),
        number_words(data.crimes().len()),
        mandates,
        agendas
    );
    Chart {
        frame: header.finish(legend_y + 16.0, desc, request),
        label_x: px(label_w - 8.0),
        cell_w: px(col - 2.0),
        columns,
        columns_y: px(columns_y),
        sections,
        legend_y: px(legend_y),
    }
    .render()
}

/// The numbers behind the chart: one row per entity, one column per crime type.
pub fn write_csv<W: std::io::Write>(
    data: &Dataset,
    request: &ChartRequest,
    w: &mut csv::Writer<W>,
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
