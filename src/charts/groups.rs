//! The groups chart (the report's Figure 3, rebuilt): one column per coordination body of
//! the selected crime types and one row per entity sitting in any of them, each cell marking
//! lead, member or nothing; below, the key to the columns and how many bodies each crime
//! type has, so that the entities in several bodies and the crime types with none show.

use askama::Template;

use super::{Chart, ChartRequest, Drawing, Frame, Header, Line, drawing, lines, px, wrap};
use crate::dataset::{Dataset, Group, Role};

pub const TITLE: &str =
    "UN inter-agency coordination bodies on organized crime and who sits in them";

/// The entities sitting in any of `groups`, most seats first, then in chart order; with the
/// role of each in each body.
pub fn seats(data: &Dataset, groups: &[&Group]) -> Vec<(usize, Vec<Option<Role>>)> {
    let mut rows: Vec<(usize, Vec<Option<Role>>)> = (0..data.entities().len())
        .map(|i| {
            let roles = groups
                .iter()
                .map(|g| data.members_of(g).find(|m| m.entity() == i).map(|m| m.role))
                .collect();
            (i, roles)
        })
        .filter(|(_, roles): &(usize, Vec<Option<Role>>)| roles.iter().any(Option::is_some))
        .collect();
    rows.sort_by_key(|(i, roles)| (std::cmp::Reverse(roles.iter().flatten().count()), *i));
    rows
}

/// How many of `groups` work on each crime type, in crime-type order.
pub fn per_crime(data: &Dataset, groups: &[&Group]) -> Vec<(String, usize)> {
    data.crimes()
        .iter()
        .map(|(c, ct)| {
            let n = groups.iter().filter(|g| g.crimes.contains(&c)).count();
            (ct.label.clone(), n)
        })
        .collect()
}

/// The short name of a body, for columns and titles.
pub fn short_name(group: &Group) -> &str {
    &group.short_name
}

struct Cell {
    x: String,
    fill: &'static str,
    stroke: &'static str,
    group: String,
    role: &'static str,
    tooltip: String,
}

struct Row {
    entity: String,
    acronym: String,
    y: String,
    text_y: String,
    seats: usize,
    cells: Vec<Cell>,
}

struct Column {
    x: String,
    text: String,
}

#[derive(Template)]
#[template(path = "charts/groups.svg")]
struct Svg {
    frame: Frame,
    label_x: String,
    seats_x: String,
    cell_w: String,
    columns: Vec<Column>,
    columns_y: String,
    rows: Vec<Row>,
    /// Where to say that no body works on the selected crime types, if none does.
    empty: Option<String>,
    legend_y: String,
    key: Vec<Line>,
    tally: Vec<Line>,
}

const ROW: f64 = 16.0;

fn cell(data: &Dataset, group: &Group, entity: usize, role: Option<Role>, x: f64) -> Cell {
    let e = &data.entities()[entity];
    let (fill, stroke, slug, meaning) = match role {
        Some(Role::Lead) => ("#0b4f8a", "#0b4f8a", "lead", "lead"),
        Some(Role::Member) => ("#9dbbdc", "#6f9fd0", "member", "member"),
        None => ("#ffffff", "#e1e6ec", "none", "not a member"),
    };
    Cell {
        x: px(x),
        fill,
        stroke,
        group: group.id.to_string(),
        role: slug,
        tooltip: format!("{} ({}), {}: {meaning}", e.name, e.acronym, group.name),
    }
}

/// The columns' geometry: the label column's width and each body's column.
struct Grid {
    label_w: f64,
    col: f64,
}

impl Grid {
    /// The column heads: each body's short name, standing upright over its column.
    fn columns(&self, groups: &[&Group]) -> Vec<Column> {
        groups
            .iter()
            .enumerate()
            .map(|(k, g)| Column {
                x: px(self.label_w + k as f64 * self.col + self.col / 2.0 + 4.0),
                text: short_name(g).to_owned(),
            })
            .collect()
    }

    /// The row of the entity at `entity`, with its role in each of `groups`, at `y`.
    fn row(
        &self,
        data: &Dataset,
        groups: &[&Group],
        entity: usize,
        roles: &[Option<Role>],
        y: f64,
    ) -> Row {
        let e = &data.entities()[entity];
        let cells = groups
            .iter()
            .zip(roles)
            .enumerate()
            .map(|(k, (g, role))| {
                cell(
                    data,
                    g,
                    entity,
                    *role,
                    self.label_w + k as f64 * self.col + 1.0,
                )
            })
            .collect();
        Row {
            entity: e.id.to_string(),
            acronym: e.acronym.to_string(),
            y: px(y),
            text_y: px(y + 11.0),
            seats: roles.iter().flatten().count(),
            cells,
        }
    }
}

/// How many of all the bodies work on each crime type, as text.
fn tally(data: &Dataset) -> String {
    let all: Vec<&Group> = data.groups().iter().collect();
    per_crime(data, &all)
        .iter()
        .map(|(label, n)| format!("{label}: {n}"))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The note under the grid: the selected bodies without a member established from a
/// source, which draw no column; wrapped at `chars`.
fn without_members(data: &Dataset, groups: &[&Group], chars: usize) -> Vec<String> {
    let names: Vec<&str> = groups
        .iter()
        .filter(|g| data.members_of(g).next().is_none())
        .map(|g| g.name.as_str())
        .collect();
    if names.is_empty() {
        return Vec::new();
    }
    wrap(
        &format!(
            "No member established from a source, so not drawn: {}.",
            names.join("; ")
        ),
        chars,
    )
}

/// Renders the chart as a standalone SVG document.
fn render(data: &Dataset, request: &ChartRequest) -> Result<Drawing, askama::Error> {
    let selected = request.filter.bodies(data);
    // A body without a member has no column: it is named under the grid.
    let groups: Vec<&Group> = selected
        .iter()
        .copied()
        .filter(|g| data.members_of(g).next().is_some())
        .collect();
    let rows = seats(data, &groups);
    let header = Header::new(request, 640, TITLE);
    let width = f64::from(header.width());
    let (label_w, seats_w) = (110.0, 44.0);
    let col = ((width - label_w - seats_w) / groups.len().max(1) as f64).min(60.0);
    let longest = groups
        .iter()
        .map(|g| short_name(g).chars().count())
        .max()
        .unwrap_or(0) as f64;
    let columns_y = header.top + longest * 6.5;
    let grid = Grid { label_w, col };
    let mut y = columns_y + 10.0;
    let empty = selected.is_empty().then(|| {
        y += 24.0;
        px(y - 8.0)
    });
    let rows: Vec<Row> = rows
        .into_iter()
        .map(|(i, roles)| {
            let row = grid.row(data, &groups, i, &roles, y);
            y += ROW;
            row
        })
        .collect();
    let legend_y = y + 10.0;
    let chars = (width / 6.6) as usize;
    let key_texts = without_members(data, &selected, chars);
    let key_top = legend_y + 34.0;
    let tally_text = tally(data);
    let tally_texts = wrap(
        &format!("All bodies per crime type, whatever the selection: {tally_text}."),
        chars,
    );
    let tally_top =
        key_top + key_texts.len() as f64 * 15.0 + if key_texts.is_empty() { 0.0 } else { 8.0 };
    let bottom = tally_top + (tally_texts.len() as f64 - 1.0) * 15.0;
    let desc = format!(
        "{} coordination bodies in columns ({}) and the {} entities that sit in them in rows, most seats first; {} entities sit in more than one body. All bodies per crime type: {tally_text}.",
        groups.len(),
        groups
            .iter()
            .map(|g| short_name(g))
            .collect::<Vec<_>>()
            .join(", "),
        rows.len(),
        rows.iter().filter(|r| r.seats > 1).count(),
    );
    let svg = Svg {
        frame: header.finish(data, bottom, desc, request),
        label_x: px(label_w - 8.0),
        seats_x: px(label_w + groups.len() as f64 * col + seats_w - 4.0),
        cell_w: px(col - 2.0),
        columns: grid.columns(&groups),
        columns_y: px(columns_y),
        rows,
        empty,
        legend_y: px(legend_y),
        key: lines(key_texts, key_top, 15.0),
        tally: lines(tally_texts, tally_top, 15.0),
    };
    drawing(svg.frame.desc.clone(), svg.render())
}

/// The numbers behind the chart: one row per seat (body and entity), with the role.
fn write_csv(
    data: &Dataset,
    request: &ChartRequest,
    w: &mut csv::Writer<Vec<u8>>,
) -> csv::Result<()> {
    let groups = request.filter.bodies(data);
    let crimes = data.crimes();
    w.write_record(["group", "acronym", "crimes", "entity", "role", "provenance"])?;
    for g in groups {
        let ids = crimes.ids_of(&g.crimes);
        let ids = ids.join(";");
        for m in data.members_of(g) {
            w.write_record([
                g.id.as_str(),
                g.acronym.as_str(),
                &ids,
                &data.entities()[m.entity()].id,
                m.role.as_str(),
                m.provenance.as_str(),
            ])?;
        }
    }
    Ok(())
}

/// Coordination bodies and their members.
pub struct GroupsChart;

impl Chart for GroupsChart {
    fn name(&self) -> &'static str {
        "groups"
    }

    fn label(&self) -> &'static str {
        "Coordination bodies and their members"
    }

    fn view(&self) -> &'static str {
        "/groups"
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
