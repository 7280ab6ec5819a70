//! The changes chart: per crime type, the share of each edition's own chart entities working
//! on it, as paired bars (the earlier edition light, the later dark).

use askama::Template;

use super::{Chart, ChartRequest, Drawing, Frame, Header, drawing, px};
use crate::changes::{self, Pair};
use crate::dataset::{CRIME, Dataset};
use crate::stats::{self, CrimeCoverage, percent_floor};

pub const TITLE: &str =
    "Share of UN System entities working on each type of organized crime, edition by edition";

/// The colours of the earlier and the later edition.
const COLOURS: [&str; 2] = ["#8fb3d9", "#0b4f8a"];
const BAR_H: f64 = 12.0;
const GAP: f64 = 3.0;

struct Tick {
    x: String,
    label: String,
}

struct BarView {
    edition: String,
    count: usize,
    of: usize,
    y: String,
    w: String,
    colour: &'static str,
    value: String,
    value_x: String,
    text_y: String,
    tooltip: String,
}

struct RowView {
    crime: String,
    label: String,
    label_x: String,
    label_y: String,
    anchor: &'static str,
    bars: Vec<BarView>,
}

struct Key {
    x: String,
    y: String,
    text_x: String,
    text_y: String,
    colour: &'static str,
    label: String,
}

#[derive(Template)]
#[template(path = "charts/changes.svg")]
struct Svg {
    frame: Frame,
    ticks: Vec<Tick>,
    rows: Vec<RowView>,
    keys: Vec<Key>,
    plot_x: String,
    plot_top: String,
    plot_bottom: String,
    bar_h: String,
}

/// One edition's figures: its short label, its chart entities in the selection, and the
/// coverage of each crime type drawn.
struct Side {
    edition: String,
    entities: usize,
    crimes: Vec<CrimeCoverage>,
}

/// The editions drawn: the pair `data` belongs to, or `data` alone if it has no other.
fn sides(data: &Dataset, request: &ChartRequest) -> Vec<Side> {
    if let Some(pair) = Pair::of(data) {
        let found = changes::changes(&pair, &request.filter);
        let side =
            |d: &Dataset, entities: usize, pick: fn(&changes::CrimeChange) -> &CrimeCoverage| {
                Side {
                    edition: d.edition().short_label.to_string(),
                    entities,
                    crimes: found.crimes.iter().map(|c| pick(c).clone()).collect(),
                }
            };
        return vec![
            side(&pair.before, found.before_entities, |c| &c.before),
            side(&pair.after, found.after_entities, |c| &c.after),
        ];
    }
    let entities_only = request.filter.with(CRIME, []);
    let set = entities_only.select(data);
    let cov = stats::coverage(data, &set, &entities_only);
    let wanted = request.filter.crimes();
    vec![Side {
        edition: data.edition().short_label.to_string(),
        entities: cov.entities,
        crimes: data
            .crimes()
            .iter()
            .filter(|(t, _)| wanted.is_empty() || wanted.contains(t))
            .map(|(t, _)| cov.crimes[t.index()].clone())
            .collect(),
    }]
}

/// The colour of edition `k` of `n` drawn: the later edition dark, an earlier one light.
fn colour(n: usize, k: usize) -> &'static str {
    if k + 1 == n { COLOURS[1] } else { COLOURS[0] }
}

/// A share as the chart states it: "35% (38 of 106)".
fn value(c: &CrimeCoverage, of: usize) -> String {
    format!("{}% ({} of {of})", percent_floor(c.share), c.count)
}

fn render(data: &Dataset, request: &ChartRequest) -> Result<Drawing, askama::Error> {
    let header = Header::new(request, 640, TITLE);
    let width = f64::from(header.width());
    let sides = sides(data, request);
    let narrow = width < 420.0;
    let label_w = if narrow { 0.0 } else { 150.0 };
    let value_room = 104.0;
    let plot_w = (width - label_w - value_room).max(40.0);
    let max = sides
        .iter()
        .flat_map(|s| s.crimes.iter().map(|c| c.share))
        .fold(0.0_f64, f64::max);
    let axis = ((max * 10.0).ceil() / 10.0).clamp(0.1, 1.0);
    let scale = |share: f64| share / axis * plot_w;
    // The legend, one edition per line, under the title.
    let keys: Vec<Key> = sides
        .iter()
        .enumerate()
        .map(|(k, s)| {
            let y = header.top + k as f64 * 18.0;
            Key {
                x: px(0.0),
                y: px(y),
                text_x: px(18.0),
                text_y: px(y + 10.5),
                colour: colour(sides.len(), k),
                label: format!("{}: share of its {} chart entities", s.edition, s.entities),
            }
        })
        .collect();
    let plot_top = header.top + sides.len() as f64 * 18.0 + 22.0;
    let label_h = if narrow { 16.0 } else { 0.0 };
    let row_h = label_h + sides.len() as f64 * (BAR_H + GAP) + 12.0;
    let rows_n = sides.first().map_or(0, |s| s.crimes.len());
    let rows: Vec<RowView> = (0..rows_n)
        .map(|r| {
            let y0 = plot_top + 6.0 + r as f64 * row_h;
            let crime = &sides[0].crimes[r];
            let bars_top = y0 + label_h;
            let bars_mid = bars_top + sides.len() as f64 * (BAR_H + GAP) / 2.0;
            let bars = sides
                .iter()
                .enumerate()
                .map(|(k, s)| {
                    let c = &s.crimes[r];
                    let y = bars_top + k as f64 * (BAR_H + GAP);
                    let w = scale(c.share);
                    BarView {
                        edition: s.edition.clone(),
                        count: c.count,
                        of: s.entities,
                        y: px(y),
                        w: px(w),
                        colour: colour(sides.len(), k),
                        value: value(c, s.entities),
                        value_x: px(label_w + w + 4.0),
                        text_y: px(y + BAR_H - 2.0),
                        tooltip: format!(
                            "{}, {}: {} entities of {} ({} per cent)",
                            c.label,
                            s.edition,
                            c.count,
                            s.entities,
                            percent_floor(c.share)
                        ),
                    }
                })
                .collect();
            RowView {
                crime: crime.id.clone(),
                label: crime.short_label.clone(),
                label_x: px(if narrow { 0.0 } else { label_w - 8.0 }),
                label_y: px(if narrow { y0 + 11.0 } else { bars_mid + 4.0 }),
                anchor: if narrow { "start" } else { "end" },
                bars,
            }
        })
        .collect();
    let plot_bottom = plot_top + rows_n as f64 * row_h;
    let step = if scale(0.1) >= 30.0 { 10 } else { 25 };
    let ticks = (0..=(axis * 100.0).round() as u32)
        .step_by(step)
        .map(|p| Tick {
            x: px(label_w + scale(f64::from(p) / 100.0)),
            label: format!("{p}%"),
        })
        .collect();
    let desc = describe(&sides);
    let svg = Svg {
        frame: header.finish(data, plot_bottom, desc, request),
        ticks,
        rows,
        keys,
        plot_x: px(label_w),
        plot_top: px(plot_top),
        plot_bottom: px(plot_bottom),
        bar_h: px(BAR_H),
    };
    drawing(svg.frame.desc.clone(), svg.render())
}

/// The text alternative: every bar's figure, crime type by crime type.
fn describe(sides: &[Side]) -> String {
    let editions: Vec<String> = sides
        .iter()
        .map(|s| format!("{} ({} chart entities)", s.edition, s.entities))
        .collect();
    let rows: Vec<String> = (0..sides.first().map_or(0, |s| s.crimes.len()))
        .map(|r| {
            let figures: Vec<String> = sides
                .iter()
                .map(|s| format!("{} {}", s.edition, value(&s.crimes[r], s.entities)))
                .collect();
            format!("{}: {}", sides[0].crimes[r].label, figures.join(", "))
        })
        .collect();
    format!(
        "Share of each edition's UN System chart entities working on each crime type, editions {}. {}.",
        editions.join(" and "),
        rows.join("; ")
    )
}

/// The numbers behind the chart: one row per crime type and edition, with the entities that
/// started and stopped where two editions are compared.
fn write_csv(
    data: &Dataset,
    request: &ChartRequest,
    w: &mut csv::Writer<Vec<u8>>,
) -> csv::Result<()> {
    w.write_record([
        "crime",
        "edition",
        "entities_with_link",
        "chart_entities",
        "percent",
    ])?;
    for side in sides(data, request) {
        for c in &side.crimes {
            w.write_record([
                c.id.as_str(),
                side.edition.as_str(),
                &c.count.to_string(),
                &side.entities.to_string(),
                &percent_floor(c.share).to_string(),
            ])?;
        }
    }
    Ok(())
}

/// Coverage edition by edition.
pub struct ChangesChart;

impl Chart for ChangesChart {
    fn name(&self) -> &'static str {
        "changes"
    }

    fn label(&self) -> &'static str {
        "Coverage of each crime type, edition by edition"
    }

    fn view(&self) -> &'static str {
        "/changes"
    }

    fn base(&self, data: &Dataset, request: &ChartRequest) -> Option<String> {
        let Some(pair) = crate::changes::Pair::of(data) else {
            return super::default_base(self, data, request);
        };
        let side = |d: &Dataset| {
            let t = crate::stats::tally(d, &request.filter.select(d));
            format!("{}: {} of {}", d.edition().short_label, t.counted, t.of)
        };
        Some(format!(
            "each edition's own chart entities ({}; {})",
            side(&pair.before),
            side(&pair.after)
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
