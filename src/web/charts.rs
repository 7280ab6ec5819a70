//! Charts for reports: `/charts/{name}.svg|png|csv` and `/embed/{name}`, taking the views'
//! filters plus `width`, `height`, `title`, `stack`, `by`, `mode` and (PNG) `scale`; the
//! download panel every chart in the explorer carries; and `/charts/`, every chart on one
//! page with its panel.

use std::sync::LazyLock;

use askama::Template;
use axum::Router;
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;

use super::{AppState, Data, Error, Selection, pool};
use crate::charts::{self, Chart, ChartRequest, png};
use crate::dataset::Dataset;
use crate::query::Filter;
use crate::query::url;

/// Charts and embeds may be framed by any site; every other response may not.
pub const FRAMEABLE: &str = "default-src 'self'; frame-ancestors *";

/// The policy of every other response: nothing but our own assets, and no framing.
pub const NOT_FRAMEABLE: &str = "default-src 'self'; frame-ancestors 'none'";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/charts", get(gallery))
        .route("/charts/", get(gallery))
        .route("/charts/{file}", get(chart))
        .route("/embed/{name}", get(embed))
}

#[derive(Template)]
#[template(path = "charts.html")]
struct GalleryPage {
    layout: super::layout::Layout,
    title: &'static str,
    charts: Vec<GalleryChart>,
}

/// One chart of the gallery: drawn for the whole UN System, with its panel.
struct GalleryChart {
    name: &'static str,
    title: String,
    label: &'static str,
    /// Its view, where its filters apply, and the view's name.
    view_href: String,
    view: &'static str,
    /// The SVG file at desktop width and at phone width ([`NARROW`]; CSS shows the one that
    /// fits).
    wide: Image,
    narrow: Image,
    /// The same chart from the command line.
    command: String,
    panel: ChartPanel,
}

/// An image of a chart: its address, the size it is drawn at and its text alternative.
struct Image {
    src: String,
    width: u32,
    height: u32,
    alt: String,
}

impl Image {
    /// The image of `request`'s chart, drawn now for its size.
    fn of(data: &Dataset, request: &ChartRequest) -> Result<(Image, Drawn), Error> {
        let drawing = request.chart.draw(data, request)?;
        let drawn = Drawn::of(&drawing.svg);
        let (width, height) = drawn.size.unwrap_or((EMBED_WIDTH, 480));
        let src = format!("/charts/{}.svg", request.chart.name());
        let image = Image {
            src: url(&src, &request.to_query(data)),
            width,
            height,
            alt: drawing.desc,
        };
        Ok((image, drawn))
    }
}

/// `/charts/`: every chart for the whole UN System in the page's edition, each with every
/// way to take it away; each view's panel gives its chart for the view's filters.
async fn gallery(Data(data): Data, origin: Origin) -> Result<Html<String>, Error> {
    let _turn = pool::RenderTurn::take().await;
    let edition = if data.is_default_edition() {
        String::new()
    } else {
        format!(" --edition {}", data.edition().id)
    };
    let charts = charts::CHARTS
        .iter()
        .map(|&chart| {
            let request = ChartRequest::new(chart);
            let (wide, drawn) = Image::of(&data, &request)?;
            let narrow = ChartRequest {
                width: Some(NARROW),
                ..request.clone()
            };
            let (narrow, _) = Image::of(&data, &narrow)?;
            super::share::chart_drawn(&data, &request, &drawn.title);
            let name = chart.name();
            Ok(GalleryChart {
                name,
                title: drawn.title.clone(),
                label: chart.label(),
                view_href: full_view(&data, &request),
                view: super::layout::view_name(chart.view()).unwrap_or(chart.view()),
                wide,
                narrow,
                command: format!("mandate-map chart {name}{edition} --format svg --out {name}.svg"),
                panel: panel_sized(&data, &request, &origin, drawn.size),
            })
        })
        .collect::<Result<_, Error>>()?;
    let page = GalleryPage {
        layout: super::layout::Layout::new(&data),
        title: "Charts for reports",
        charts,
    };
    Ok(Html(page.render()?))
}

/// The site's own address as the browser sees it (for iframe snippets others paste, and the
/// addresses pages give of themselves): the published base URL when the site has one
/// (`--base-url`), else the origin the request names.
pub struct Origin(pub String);

impl Origin {
    /// The address of the site serving a request with `headers`: `state`'s base URL, or
    /// the request's `Host` (when it is a plain host name or address) and scheme
    /// (`X-Forwarded-Proto: https` behind a proxy).
    pub fn of(state: &AppState, headers: &axum::http::HeaderMap) -> Origin {
        if let Some(origin) = &state.base.origin {
            return Origin(format!("{origin}{}", state.base.path));
        }
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .filter(|h| {
                h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
            })
            .unwrap_or("localhost:8080");
        let https = headers
            .get("x-forwarded-proto")
            .is_some_and(|p| p.as_bytes() == b"https");
        let scheme = if https { "https://" } else { "http://" };
        Origin(format!("{scheme}{host}{}", state.base.path))
    }

    /// The absolute address of the site's `path` (and query), in its published form.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.0, super::address::publish(path, ""))
    }
}

impl FromRequestParts<AppState> for Origin {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Origin::of(state, &parts.headers))
    }
}

/// The chart called `name`, or a 404 listing the charts.
fn find(name: &str) -> Result<&'static dyn Chart, Error> {
    charts::find(name).map_err(|e| {
        Error::not_found(format!(
            "there is no chart '{name}'; the charts are: {}",
            e.expected().join(", ")
        ))
    })
}

/// What a chart file is served as.
enum Format {
    Svg,
    Png,
    Csv,
}

async fn chart(selection: Selection, Path(file): Path<String>) -> Result<Response, Error> {
    let (stem, ext) = file.rsplit_once('.').unwrap_or((file.as_str(), ""));
    let format = match ext {
        "svg" => Format::Svg,
        "png" => Format::Png,
        "csv" => Format::Csv,
        _ => {
            return Err(Error::not_found(format!(
                "there is no chart file '{file}': ask for NAME.svg, NAME.png or NAME.csv"
            )));
        }
    };
    let chart = find(stem)?;
    // SVG and CSV are drawn here, on an async worker, so they wait for a turn like a page.
    let _turn = match format {
        Format::Png => None,
        Format::Svg | Format::Csv => Some(pool::RenderTurn::take().await),
    };
    let data = selection.data;
    let request = ChartRequest::from_query(&data, chart, &selection.query)?;
    let (content_type, body) = match format {
        Format::Svg => ("image/svg+xml", charts::svg(&data, &request)?.into_bytes()),
        Format::Png => {
            // ~14 ms of rasterising: in the charts' own pool, so pages never wait behind it,
            // and the SVG is drawn there too, so a queued request holds nothing meanwhile.
            let bytes = pool::CHARTS
                .run(move || -> Result<Vec<u8>, Error> {
                    let svg = charts::svg(&data, &request)?;
                    png::render(&svg, request.scale).map_err(|e| Error::internal(e.to_string()))
                })
                .await
                .ok_or_else(|| Error::internal("the chart could not be rasterised"))??;
            ("image/png", bytes)
        }
        Format::Csv => (
            "text/csv; charset=utf-8",
            charts::data_csv(&data, &request).map_err(|e| Error::internal(e.to_string()))?,
        ),
    };
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(FRAMEABLE),
            ),
        ],
        body,
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "embed.html")]
struct EmbedPage {
    title: String,
    chart: String,
    /// The chart drawn for a narrow frame, when no width was asked for.
    narrow: Option<String>,
    full_href: String,
    citation: String,
}

/// The explorer view a chart comes from, for the embed's link back.
fn full_view(data: &Dataset, request: &ChartRequest) -> String {
    super::href(data, request.chart.view(), &request.filter, &[])
}

async fn embed(
    selection: Selection,
    origin: Origin,
    Path(name): Path<String>,
) -> Result<Response, Error> {
    let _turn = pool::RenderTurn::take().await;
    let data = &*selection.data;
    let chart = find(&name)?;
    let request = ChartRequest::from_query(data, chart, &selection.query)?;
    // Without a width asked for, a narrow frame gets the chart drawn for phones, whose text
    // keeps its size, as the explorer's pages do.
    let narrow = match request.width {
        Some(_) => None,
        None => Some(charts::svg(
            data,
            &ChartRequest {
                width: Some(NARROW),
                ..request.clone()
            },
        )?),
    };
    let page = EmbedPage {
        title: request
            .title
            .clone()
            .unwrap_or_else(|| chart.name().to_owned()),
        chart: charts::svg(data, &request)?,
        narrow,
        full_href: full_view(data, &request),
        citation: citation(data, &request, &origin.0),
    };
    Ok((
        [(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(FRAMEABLE),
        )],
        Html(page.render()?),
    )
        .into_response())
}

/// How to cite a chart: the tool, the data's version, the report, and the view it comes from
/// (under `origin`, the site's address, when known).
pub fn citation(data: &Dataset, request: &ChartRequest, origin: &str) -> String {
    let release = data.release();
    format!(
        "mandate-map ({} chart, edition {}), data version {} ({}), based on Walker, S. & Reitano, T. (2019), Fragmented but far-reaching: the UN System's mandate and response to organized crime, Global Initiative Against Transnational Organized Crime. {origin}{}",
        request.chart.name(),
        data.edition().short_label,
        data.version(),
        release.date,
        super::address::publish(&full_view(data, request), "")
    )
}

/// The download panel under a chart: every way to take it away.
pub struct ChartPanel {
    pub svg_href: String,
    pub png_href: String,
    pub png2_href: String,
    /// The PNG for print, and its size at the print resolution.
    pub print_href: String,
    pub print_size: String,
    pub csv_href: String,
    /// The selection's links with every evidence column.
    pub links_href: String,
    pub embed_href: String,
    /// The iframe markup to paste into another page (shown as text).
    pub snippet: String,
    pub citation: String,
}

/// The panel for `request`, with absolute URLs under `origin` for the snippet.
pub fn panel(data: &Dataset, request: &ChartRequest, origin: &Origin) -> ChartPanel {
    let drawn = Drawn::recalled(data, request);
    if let Some(drawn) = &drawn {
        super::share::chart_drawn(data, request, &drawn.title);
    }
    panel_sized(data, request, origin, drawn.and_then(|d| d.size))
}

/// What a panel needs of a chart it does not show: the size it is drawn at and its title.
#[derive(Clone, Debug, PartialEq)]
struct Drawn {
    size: Option<(u32, u32)>,
    title: String,
}

/// How many charts' [`Drawn`] facts are kept (a few hundred bytes each).
const DRAWN_KEPT: usize = 256;

/// The facts of the charts panels name, by data version and chart address: every page of a
/// long selection carries the same chart, which is drawn for the first page only. (At 10,000
/// entities, drawing the matrix of the whole selection was about a third of each page of
/// `/entities`.)
static DRAWN: LazyLock<quick_cache::sync::Cache<String, Drawn>> =
    LazyLock::new(|| quick_cache::sync::Cache::new(DRAWN_KEPT));

impl Drawn {
    fn of(svg: &str) -> Drawn {
        Drawn {
            size: svg_size(svg),
            title: super::share::svg_title(svg),
        }
    }

    /// The facts of `request`'s chart: kept ones, or the chart drawn now (`None` if it
    /// cannot be drawn).
    fn recalled(data: &Dataset, request: &ChartRequest) -> Option<Drawn> {
        let address = url(
            &format!("/charts/{}.svg", request.chart.name()),
            &request.to_query(data),
        );
        let key = format!("{} {address}", data.fingerprint());
        if let Some(drawn) = DRAWN.get(&key) {
            return Some(drawn);
        }
        let drawn = Drawn::of(&charts::svg(data, request).ok()?);
        DRAWN.insert(key, drawn.clone());
        Some(drawn)
    }
}

/// The panel for `request`, whose chart is `size` (width, height) at its own size: the embed
/// frame fits it, the print size is told.
fn panel_sized(
    data: &Dataset,
    request: &ChartRequest,
    origin: &Origin,
    size: Option<(u32, u32)>,
) -> ChartPanel {
    let name = request.chart.name();
    let with = |path: String| url(&path, &request.to_query(data));
    let at_scale = |scale: u32| {
        let scaled = ChartRequest {
            scale,
            ..request.clone()
        };
        url(&format!("/charts/{name}.png"), &scaled.to_query(data))
    };
    let embed_href = with(format!("/embed/{name}"));
    let citation = citation(data, request, &origin.0);
    let (width, height) = size.unwrap_or((EMBED_WIDTH, 480));
    let inches = |px: u32| f64::from(px * PRINT_SCALE) / PRINT_DPI;
    ChartPanel {
        svg_href: with(format!("/charts/{name}.svg")),
        png_href: with(format!("/charts/{name}.png")),
        png2_href: at_scale(2),
        print_href: at_scale(PRINT_SCALE),
        print_size: format!(
            "{:.1} × {:.1} in ({:.0} × {:.0} mm) at {PRINT_DPI:.0} dpi",
            inches(width),
            inches(height),
            inches(width) * 25.4,
            inches(height) * 25.4
        ),
        csv_href: with(format!("/charts/{name}.csv")),
        links_href: url("/export/links.csv", &request.filter.to_query(data)),
        snippet: format!(
            "<iframe src=\"{}\" width=\"{EMBED_WIDTH}\" height=\"{}\" style=\"border:0\" title=\"mandate-map: {name} chart\"></iframe>",
            origin.url(&embed_href),
            embed_height(height, &citation),
        ),
        embed_href,
        citation,
    }
}

/// The width of the frame the embed snippet gives a chart.
const EMBED_WIDTH: u32 = 760;

/// The scale of the PNG offered for print, and the resolution its size is told at.
const PRINT_SCALE: u32 = 4;
const PRINT_DPI: f64 = 300.0;

/// The height of the frame that fits the embed page of a chart `chart` pixels high at
/// [`EMBED_WIDTH`]: the chart, the page's padding, and the caption's lines (the link back
/// and the citation, about 90 characters a line at the caption's size).
fn embed_height(chart: u32, citation: &str) -> u32 {
    const PADDING: u32 = 16;
    const LINE: u32 = 21;
    let caption = "Explore the data on mandate-map. ".len() + citation.chars().count();
    chart + PADDING + (caption.div_ceil(90) as u32) * LINE + 8
}

/// The `width` and `height` of an SVG document's root element.
fn svg_size(svg: &str) -> Option<(u32, u32)> {
    Some((svg_attribute(svg, "width")?, svg_attribute(svg, "height")?))
}

/// A whole-number attribute (`width`, `height`) of an SVG document's root element.
fn svg_attribute(svg: &str, name: &str) -> Option<u32> {
    let root = &svg[svg.find("<svg")?..];
    let root = &root[..root.find('>')?];
    let key = format!(" {name}=\"");
    let value = &root[root.find(&key)? + key.len()..];
    value[..value.find('"')?].parse().ok()
}

/// Renders a chart for inline use in a page, with its panel.
pub fn inline(
    data: &Dataset,
    request: &ChartRequest,
    origin: &Origin,
) -> Result<(String, ChartPanel), askama::Error> {
    let svg = charts::svg(data, request)?;
    let drawn = Drawn::of(&svg);
    super::share::chart_drawn(data, request, &drawn.title);
    Ok((svg, panel_sized(data, request, origin, drawn.size)))
}

/// The width of the charts pages show on phones: it fits a 320-pixel screen less the page's
/// margins unscaled, so that its text keeps its size (11 pixels at least).
pub const NARROW: u32 = 280;

/// A chart shown in a page: at desktop and at phone width, each rendered by its own template
/// (its text is escaped there; CSS shows the one that fits), with its download panel.
pub struct InlineChart {
    pub wide: String,
    pub narrow: String,
    pub panel: ChartPanel,
}

pub fn inline_chart(
    data: &Dataset,
    chart: &'static dyn Chart,
    filter: &Filter,
    origin: &Origin,
) -> Result<InlineChart, askama::Error> {
    let request = ChartRequest {
        filter: filter.clone(),
        ..ChartRequest::new(chart)
    };
    let narrow = ChartRequest {
        width: Some(NARROW),
        ..request.clone()
    };
    let (wide, panel) = inline(data, &request, origin)?;
    Ok(InlineChart {
        wide,
        narrow: charts::svg(data, &narrow)?,
        panel,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::Editions;

    #[test]
    fn a_panel_is_told_the_size_and_title_of_the_chart_as_drawn() {
        let editions = Editions::embedded().expect("the shipped data loads");
        let data = editions.default_edition();
        let matrix = ChartRequest::new(&charts::matrix::MatrixChart);
        let drawn = Drawn::of(&charts::svg(data, &matrix).expect("drawn"));
        assert!(drawn.size.is_some_and(|(w, h)| w > 0 && h > 0));
        assert!(!drawn.title.is_empty());
        // The first time drawn, then recalled: the same facts.
        for _ in 0..2 {
            assert_eq!(Drawn::recalled(data, &matrix), Some(drawn.clone()));
        }
        // Another request is another chart, and another entry.
        let narrow = ChartRequest {
            width: Some(NARROW),
            ..matrix.clone()
        };
        let narrow_drawn = Drawn::of(&charts::svg(data, &narrow).expect("drawn"));
        assert_ne!(narrow_drawn.size, drawn.size);
        assert_eq!(Drawn::recalled(data, &narrow), Some(narrow_drawn));
        let coverage = ChartRequest::new(&charts::coverage::CoverageChart);
        let coverage_drawn = Drawn::recalled(data, &coverage).expect("drawn");
        assert_ne!(coverage_drawn.title, drawn.title);
    }
}
