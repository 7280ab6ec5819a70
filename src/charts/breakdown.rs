//! The breakdown chart: for each crime type, how many of the selected entities working on it
//! sit in each pillar, principal organ or chart category, as grouped or stacked bars.

use askama::Template;

use super::{Chart, ChartRequest, Drawing, Frame, Header, Mode, PALETTE, drawing, px};
use crate::dataset::{DIMENSIONS, Dataset, Dim, Dimension, EntitySet, Of, TermInfo};
use crate::stats::{boxes, working_on};

/// One value of the dimension: its slug, label and members.
struct Value<'a> {
    slug: &'a str,
    label: &'a str,
    members: &'a EntitySet,
}

fn values(data: &Dataset, by: Dim) -> Vec<Value<'_>> {
    data.vocabulary(by)
        .iter()
        .map(|(term, info)| Value {
            slug: &info.id,
            label: &info.label,
            members: data.index().value(by, term),
        })
        .collect()
}

/// The counts: `[crime][value]`, of the selected chart boxes, over the values that hold any.
struct Table<'a> {
    values: Vec<Value<'a>>,
    counts: Vec<Vec<usize>>,
}

fn table<'a>(data: &'a Dataset, request: &ChartRequest) -> Table<'a> {
    let set = boxes(data, &request.filter.select(data));
    // Only values that hold an entity working on some crime type get a bar and a key.
    let working = working_on(data, &set, &request.filter, None, None);
    let values: Vec<Value> = values(data, request.by)
        .into_iter()
        .filter(|v| !working.intersection(v.members).is_empty())
        .collect();
    let counts = data
        .crimes()
        .terms()
        .map(|c| {
            let on = working_on(data, &set, &request.filter, Some(c), None);
            values
                .iter()
                .map(|v| on.intersection(v.members).len())
                .collect()
        })
        .collect();
    Table { values, counts }
}

struct Segment {
    x: String,
    y: String,
    w: String,
    h: String,
    colour: &'static str,
    value: String,
    count: usize,
    tooltip: String,
    /// Grouped mode: the value's label and the count beside the bar.
    label: String,
    label_y: String,
    count_x: String,
}

struct Group {
    crime: String,
    label: String,
    label_y: String,
    total_x: String,
    total: String,
    segments: Vec<Segment>,
}

struct Key {
    x: String,
    y: String,
    colour: &'static str,
    label: String,
}

#[derive(Template)]
#[template(path = "charts/breakdown.svg")]
struct Svg {
    frame: Frame,
    stacked: bool,
    plot_x: String,
    groups: Vec<Group>,
    keys: Vec<Key>,
}

/// Where the bars sit and how long they are.
struct Plot {
    compact: bool,
    stacked: bool,
    label_w: f64,
    plot_w: f64,
    /// The count drawn as the full plot width (at least 1).
    max: f64,
}

impl Plot {
    fn new(header: &Header, request: &ChartRequest, t: &Table) -> Plot {
        let width = f64::from(header.width());
        let compact = width < 560.0;
        let label_w = if compact { 128.0 } else { 236.0 };
        let stacked = request.mode == Mode::Stacked;
        let max = if stacked {
            t.counts.iter().map(|row| row.iter().sum::<usize>()).max()
        } else {
            t.counts.iter().flatten().copied().max()
        };
        Plot {
            compact,
            stacked,
            label_w,
            plot_w: width - label_w - 48.0,
            max: max.unwrap_or(0).max(1) as f64,
        }
    }

    fn scale(&self, n: usize) -> f64 {
        n as f64 / self.max * self.plot_w
    }

    /// One crime type's bars, from `y` down; `y` is left below them.
    fn group(&self, ct: &TermInfo, row: &[usize], values: &[Value], y: &mut f64) -> Group {
        let group_y = *y;
        let segment = |vi: usize, v: &Value, x: f64, y: f64, h: &str| Segment {
            x: px(x),
            y: px(y),
            w: px(self.scale(row[vi])),
            h: h.into(),
            colour: PALETTE[vi % PALETTE.len()],
            value: v.slug.to_owned(),
            count: row[vi],
            tooltip: format!("{}, {}: {}", ct.label, v.label, row[vi]),
            label: String::new(),
            label_y: String::new(),
            count_x: String::new(),
        };
        let mut segments = Vec::new();
        if self.stacked {
            let mut x = self.label_w;
            for (vi, v) in values.iter().enumerate() {
                segments.push(segment(vi, v, x, *y, "20"));
                x += self.scale(row[vi]);
            }
            *y += 34.0;
        } else {
            *y += 20.0;
            for (vi, v) in values.iter().enumerate() {
                segments.push(Segment {
                    label: v.label.to_owned(),
                    label_y: px(*y + 10.5),
                    count_x: px(self.label_w + self.scale(row[vi]) + 5.0),
                    ..segment(vi, v, self.label_w, *y, "13")
                });
                *y += 17.0;
            }
            *y += 12.0;
        }
        let total: usize = row.iter().sum();
        Group {
            crime: ct.id.clone(),
            label: if self.compact {
                ct.short_label.clone()
            } else {
                ct.label.clone()
            },
            label_y: px(group_y + if self.stacked { 14.5 } else { 13.0 }),
            total_x: px(self.label_w + self.scale(total) + 6.0),
            total: total.to_string(),
            segments,
        }
    }
}

/// The legend: one key per value, flowing into rows from `y` within `width`. Answers the keys
/// and the y below them.
fn legend(values: &[Value], y: f64, width: f64) -> (Vec<Key>, f64) {
    let mut keys = Vec::new();
    let (mut kx, mut ky) = (0.0, y + 4.0);
    for (vi, v) in values.iter().enumerate() {
        let w = 26.0 + v.label.chars().count() as f64 * 7.0;
        if kx > 0.0 && kx + w > width {
            kx = 0.0;
            ky += 18.0;
        }
        keys.push(Key {
            x: px(kx),
            y: px(ky),
            colour: PALETTE[vi % PALETTE.len()],
            label: v.label.to_owned(),
        });
        kx += w;
    }
    let bottom = if keys.is_empty() { y } else { ky + 16.0 };
    (keys, bottom)
}

/// The chart's description: what is counted, then every crime type's counts.
fn describe(data: &Dataset, by: &Dimension, t: &Table) -> String {
    let mut desc = format!(
        "Number of the selected entities working on each crime type, by {}. ",
        by.noun
    );
    if by.of == (Of::Entity { several: true }) {
        desc.push_str(&format!(
            "An entity can belong to more than one {}. ",
            by.noun
        ));
    }
    let crimes: Vec<String> = data
        .crimes()
        .iter()
        .enumerate()
        .map(|(ci, (_, ct))| {
            let parts: Vec<String> = t
                .values
                .iter()
                .enumerate()
                .map(|(vi, v)| format!("{} {}", v.label, t.counts[ci][vi]))
                .collect();
            format!("{}: {}", ct.label, parts.join(", "))
        })
        .collect();
    desc + &crimes.join("; ")
}

/// Renders the chart as a standalone SVG document.
fn render(data: &Dataset, request: &ChartRequest) -> Result<Drawing, askama::Error> {
    let t = table(data, request);
    let by = &DIMENSIONS[request.by.0];
    let default_title = format!(
        "UN System entities working on each type of organized crime, by {}",
        by.noun
    );
    let header = Header::new(request, 720, &default_title);
    let plot = Plot::new(&header, request, &t);
    let mut y = header.top;
    let groups = data
        .crimes()
        .iter()
        .enumerate()
        .map(|(ci, (_, ct))| plot.group(ct, &t.counts[ci], &t.values, &mut y))
        .collect();
    let (keys, bottom) = legend(&t.values, y, f64::from(header.width()));
    let svg = Svg {
        frame: header.finish(data, bottom, describe(data, by, &t), request),
        stacked: plot.stacked,
        plot_x: px(plot.label_w),
        groups,
        keys,
    };
    drawing(svg.frame.desc.clone(), svg.render())
}

/// The numbers behind the chart: one row per crime type and value.
fn write_csv(
    data: &Dataset,
    request: &ChartRequest,
    w: &mut csv::Writer<Vec<u8>>,
) -> csv::Result<()> {
    let t = table(data, request);
    w.write_record(["crime", "dimension", "value", "label", "count"])?;
    for (ci, (_, ct)) in data.crimes().iter().enumerate() {
        for (vi, v) in t.values.iter().enumerate() {
            w.write_record([
                ct.id.as_str(),
                DIMENSIONS[request.by.0].param,
                v.slug,
                v.label,
                &t.counts[ci][vi].to_string(),
            ])?;
        }
    }
    Ok(())
}

/// Crime types by pillar, organ or chart box.
pub struct BreakdownChart;

impl Chart for BreakdownChart {
    fn name(&self) -> &'static str {
        "breakdown"
    }

    fn label(&self) -> &'static str {
        "Crime types by pillar, organ or chart box"
    }

    fn view(&self) -> &'static str {
        "/"
    }

    fn params(&self) -> &'static [&'static str] {
        &["by", "mode"]
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
