//! Charts for reports: each chart's figures equal the data for several filters; the SVG is
//! well-formed, accessible, sourced and deterministic; the PNG is valid and of the requested
//! size; the CLI writes the server's bytes; only charts and embeds may be framed; the data
//! package describes the files it serves.

mod common;

use std::process::Command;

use axum::http::StatusCode;
use mandate_map::charts::{self, Chart, ChartRequest};
use mandate_map::dataset::{BASIS, Basis, Dataset, ORGAN, Term};
use mandate_map::stats;

fn data() -> Dataset {
    Dataset::embedded().unwrap()
}

async fn get(uri: &str) -> (StatusCode, String, String) {
    common::send(common::app(), uri).await
}

/// The router's whole response to a GET.
async fn respond(uri: &str) -> axum::response::Response {
    use tower::ServiceExt;
    common::app()
        .oneshot(
            axum::http::Request::get(uri)
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await
        .unwrap()
}

async fn get_bytes(uri: &str) -> (StatusCode, Vec<u8>) {
    use http_body_util::BodyExt;
    let response = respond(uri).await;
    let status = response.status();
    (
        status,
        response
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec(),
    )
}

fn request(name: &'static dyn Chart, query: &str) -> ChartRequest {
    ChartRequest::from_query(&data(), name, query).unwrap()
}

/// The crime type an SVG attribute names.
fn crime_of(data: &Dataset, id: &str) -> Term {
    data.crimes().parse(id).unwrap()
}

/// Every element carrying `attr`, as (its attributes) maps, from a parsed SVG.
fn elements_with(svg: &str, attr: &str) -> Vec<std::collections::HashMap<String, String>> {
    let doc = roxmltree::Document::parse(svg).expect("the SVG is well-formed XML");
    doc.descendants()
        .filter(|n| n.has_attribute(attr))
        .map(|n| {
            n.attributes()
                .map(|a| (a.name().to_owned(), a.value().to_owned()))
                .collect()
        })
        .collect()
}

const FILTERS: [&str; 4] = [
    "",
    "pillar=development",
    "organ=secretariat",
    "basis=mandate",
];

#[test]
fn coverage_bars_equal_the_coverage_of_the_selection() {
    let data = data();
    for query in FILTERS {
        let r = request(&charts::coverage::CoverageChart, query);
        let cov = stats::coverage(&data, &r.filter.select(&data), &r.filter);
        let svg = charts::svg(&data, &r).unwrap();
        let bars = elements_with(&svg, "data-count");
        assert_eq!(bars.len(), data.crimes().len(), "{query}");
        for bar in bars {
            let crime = &bar["data-crime"];
            let row = &cov.crimes[crime_of(&data, crime).index()];
            assert_eq!(bar["data-count"], row.count.to_string(), "{query} {crime}");
            assert_eq!(
                bar["data-mandate"],
                row.mandate.to_string(),
                "{query} {crime}"
            );
            assert_eq!(
                bar["data-agenda"],
                row.agenda.to_string(),
                "{query} {crime}"
            );
        }
    }
}

#[test]
fn breakdown_segments_count_chart_boxes_by_organ() {
    let data = data();
    for query in ["by=organ", "by=organ&mode=stacked&pillar=human-rights"] {
        let r = request(&charts::breakdown::BreakdownChart, query);
        let set = r.filter.select(&data);
        let svg = charts::svg(&data, &r).unwrap();
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let mut seen = 0;
        for group in doc.descendants().filter(|n| n.has_attribute("data-crime")) {
            let crime = group.attribute("data-crime").unwrap();
            for seg in group.children().filter(|n| n.has_attribute("data-value")) {
                let organ = seg.attribute("data-value").unwrap();
                // Chart boxes only: bodies within another entity are not counted.
                let want = set
                    .iter()
                    .filter(|&i| {
                        data.entities()[i].parent.is_none()
                            && data.vocabulary(ORGAN).id(data.entities()[i].organ()) == organ
                            && data.link(i, crime_of(&data, crime)).is_some()
                    })
                    .count();
                assert_eq!(
                    seg.attribute("data-count"),
                    Some(want.to_string().as_str()),
                    "{query} {crime} {organ}"
                );
                seen += 1;
            }
        }
        assert!(seen >= 6, "{query}: segments drawn");
    }
}

#[test]
fn overlap_cells_count_chart_boxes_on_both_crime_types() {
    let data = data();
    for query in FILTERS {
        let r = request(&charts::overlap::OverlapChart, query);
        let set = r.filter.select(&data);
        let svg = charts::svg(&data, &r).unwrap();
        let cells = elements_with(&svg, "data-row");
        assert_eq!(cells.len(), data.crimes().len().pow(2));
        for c in cells {
            let (a, b) = (&c["data-row"], &c["data-column"]);
            let counted = |i: usize, crime: &str| {
                let bases = r.filter.get(BASIS);
                data.link(i, crime_of(&data, crime)).is_some_and(|l| {
                    bases.is_empty() || bases.contains(&Term::new(l.basis().index()))
                })
            };
            let want = set
                .iter()
                .filter(|&i| data.entities()[i].parent.is_none())
                .filter(|&i| counted(i, a) && counted(i, b))
                .count();
            assert_eq!(c["data-count"], want.to_string(), "{query} {a}×{b}");
        }
    }
}

#[test]
fn matrix_cells_are_the_links_of_the_selection() {
    let data = data();
    let r = request(
        &charts::matrix::MatrixChart,
        "pillar=development&basis=agenda",
    );
    let svg = charts::svg(&data, &r).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let rows: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_attribute("data-entity"))
        .collect();
    let want: Vec<String> = r
        .filter
        .select(&data)
        .iter()
        .map(|i| data.entities()[i].id.to_string())
        .collect();
    let mut got: Vec<String> = rows
        .iter()
        .map(|n| n.attribute("data-entity").unwrap().to_owned())
        .collect();
    got.sort();
    let mut want_sorted = want.clone();
    want_sorted.sort();
    assert_eq!(got, want_sorted);
    for row in rows {
        let (i, _) = data.entity(row.attribute("data-entity").unwrap()).unwrap();
        for cell in row.children().filter(|n| n.has_attribute("data-crime")) {
            let crime = crime_of(&data, cell.attribute("data-crime").unwrap());
            let want = data
                .link(i, crime)
                .filter(|l| l.basis() == Basis::Agenda)
                .map_or("none", |l| l.basis().as_str());
            assert_eq!(cell.attribute("data-basis"), Some(want));
        }
    }
}

#[test]
fn every_chart_is_accessible_sourced_and_deterministic() {
    let data = data();
    for name in charts::CHARTS {
        let r = request(*name, "title=A+%3Ctitle%3E+%26+more&crime=cybercrime");
        let svg = charts::svg(&data, &r).unwrap();
        assert_eq!(
            svg,
            charts::svg(&data, &r).unwrap(),
            "{name:?}: same request, same bytes"
        );
        let doc = roxmltree::Document::parse(&svg).expect("well-formed XML");
        let root = doc.root_element();
        assert_eq!(root.attribute("role"), Some("img"));
        let title = root
            .children()
            .find(|n| n.has_tag_name("title"))
            .expect("<title>");
        assert_eq!(
            title.text(),
            Some("A <title> & more"),
            "escaped and parsed back"
        );
        let desc = root
            .children()
            .find(|n| n.has_tag_name("desc"))
            .expect("<desc>");
        assert!(
            desc.text().unwrap_or("").len() > 40,
            "{name:?}: desc summarises the figures"
        );
        let text: String = doc
            .descendants()
            .filter_map(|n| n.text())
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            text.contains("Walker & Reitano (2019)"),
            "{name:?}: source line"
        );
    }
}

fn png_size(bytes: &[u8]) -> (u32, u32) {
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let reader = decoder.read_info().expect("a valid PNG");
    let info = reader.info();
    (info.width, info.height)
}

#[tokio::test]
async fn png_is_valid_and_of_the_requested_size() {
    let (status, bytes) = get_bytes("/charts/coverage.png?width=800&height=500").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(png_size(&bytes), (800, 500));
    let (status, bytes) = get_bytes("/charts/matrix.png?width=640&scale=2").await;
    assert_eq!(status, StatusCode::OK);
    let svg = charts::svg(&data(), &request(&charts::matrix::MatrixChart, "width=640")).unwrap();
    let height: u32 = roxmltree::Document::parse(&svg)
        .unwrap()
        .root_element()
        .attribute("height")
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(png_size(&bytes), (1280, height * 2));
}

#[tokio::test]
async fn the_cli_writes_the_servers_bytes() {
    let dir = tempfile::tempdir().unwrap();
    for (name, format, args, query) in [
        (
            "coverage",
            "svg",
            vec!["--pillar", "development", "--stack", "false"],
            "pillar=development&stack=false",
        ),
        (
            "breakdown",
            "png",
            vec!["--by", "category", "--mode", "stacked", "--width", "900"],
            "by=category&mode=stacked&width=900",
        ),
        (
            "overlap",
            "svg",
            vec!["--title", "Overlaps & more"],
            "title=Overlaps+%26+more",
        ),
        (
            "matrix",
            "png",
            vec!["--organ", "secretariat"],
            "organ=secretariat",
        ),
        (
            "groups",
            "png",
            vec!["--crime", "human-trafficking"],
            "crime=human-trafficking",
        ),
        (
            "timeline",
            "svg",
            vec!["--crime", "illicit-drugs"],
            "crime=illicit-drugs",
        ),
        ("rapporteurs", "png", vec!["--width", "360"], "width=360"),
    ] {
        let out = dir.path().join(format!("{name}.{format}"));
        let status = Command::new(env!("CARGO_BIN_EXE_mandate-map"))
            .args([
                "chart",
                name,
                "--format",
                format,
                "--out",
                out.to_str().unwrap(),
            ])
            .args(&args)
            .status()
            .unwrap();
        assert!(status.success(), "{name}");
        let (code, served) = get_bytes(&format!("/charts/{name}.{format}?{query}")).await;
        assert_eq!(code, StatusCode::OK);
        assert_eq!(std::fs::read(&out).unwrap(), served, "{name}.{format}");
    }
}

#[tokio::test]
async fn only_charts_and_embeds_may_be_framed() {
    for uri in ["/embed/coverage?pillar=development", "/charts/overlap.svg"] {
        let response = respond(uri).await;
        assert_eq!(response.status(), StatusCode::OK, "{uri}");
        let csp = response.headers()["content-security-policy"]
            .to_str()
            .unwrap();
        assert!(csp.contains("frame-ancestors *"), "{uri}: {csp}");
    }
    for uri in [
        "/",
        "/system",
        "/entities",
        "/api/coverage",
        "/data/",
        "/nowhere",
    ] {
        let response = respond(uri).await;
        let csp = response.headers()["content-security-policy"]
            .to_str()
            .unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{uri}: {csp}");
    }
}

#[tokio::test]
async fn embed_page_holds_the_chart_its_source_and_a_link_back() {
    let (status, content_type, html) = get("/embed/coverage?pillar=development").await;
    assert_eq!(status, StatusCode::OK);
    assert!(content_type.starts_with("text/html"));
    assert!(html.contains("<svg"));
    assert!(html.contains("Walker &#38; Reitano (2019)"));
    assert!(html.contains("href=\"/pillar=development/\""));
}

#[tokio::test]
async fn chart_panels_offer_every_download() {
    let (_, _, html) = get("/?pillar=development").await;
    for needle in [
        "/charts/edition=2019/pillar=development/coverage.svg",
        "/charts/edition=2019/pillar=development/coverage.png",
        "/charts/edition=2019/pillar=development/coverage.csv",
        "/embed/coverage/edition=2019/pillar=development/",
        "&#60;iframe src=&#34;http://localhost:8080/embed/coverage/edition=2019/pillar=development/&#34;",
        "based on Walker, S. &#38; Reitano, T. (2019)",
    ] {
        assert!(html.contains(needle), "{needle}");
    }
}

#[tokio::test]
async fn the_charts_page_shows_every_chart_with_its_downloads() {
    let (status, _, html) = get("/charts/").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(get("/charts").await.2, html, "/charts is the same page");
    for chart in charts::CHARTS {
        let name = chart.name();
        for needle in [
            // The addresses in their published form, which a static host can serve.
            format!("<img class=\"chart-wide\" src=\"/charts/edition=2019/{name}.svg\""),
            format!(
                "<img class=\"chart-narrow\" src=\"/charts/edition=2019/width=280/{name}.svg\""
            ),
            format!("href=\"/charts/edition=2019/{name}.png\""),
            format!("href=\"/charts/edition=2019/{name}.csv\""),
            format!("href=\"/embed/{name}/edition=2019/\""),
            format!("<code>mandate-map chart {name} --format svg --out {name}.svg</code>"),
        ] {
            assert!(html.contains(&needle), "{needle}");
        }
    }
    // Each image has its text alternative: the chart's own description.
    assert_eq!(html.matches("<img ").count(), 2 * charts::CHARTS.len());
    assert!(!html.contains("alt=\"\""));
    // In another edition, the charts and the command are of that edition.
    let (_, _, html) = get("/charts/?edition=2025").await;
    assert!(html.contains("src=\"/charts/edition=2025/coverage.svg\""));
    assert!(html.contains("mandate-map chart coverage --edition 2025 --format svg"));
}

#[tokio::test]
async fn bad_chart_requests_name_the_problem() {
    let (status, _, html) = get("/charts/coverage.svg?width=12").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(html.contains("width"));
    let (status, _, html) = get("/charts/pie.svg").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("coverage, breakdown, overlap, matrix"));
    let (status, _, _) = get("/charts/coverage.gif").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = get("/embed/pie").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn chart_data_csv_matches_the_chart() {
    let data = data();
    let (status, _, body) = get("/charts/coverage.csv?organ=ecosoc").await;
    assert_eq!(status, StatusCode::OK);
    let r = request(&charts::coverage::CoverageChart, "organ=ecosoc");
    let cov = stats::coverage(&data, &r.filter.select(&data), &r.filter);
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    for (row, want) in reader.records().map(Result::unwrap).zip(&cov.crimes) {
        assert_eq!(&row[0], want.id.as_str());
        assert_eq!(row[2].parse::<usize>().unwrap(), want.count);
    }
}

#[tokio::test]
async fn data_files_are_served_as_loaded_and_described_by_the_package() {
    let (status, _, index) = get("/data/").await;
    assert_eq!(status, StatusCode::OK);
    let (_, _, package) = get("/data/datapackage.json").await;
    let package: serde_json::Value = serde_json::from_str(&package).unwrap();
    let resources = package["resources"].as_array().unwrap();
    assert_eq!(resources.len(), mandate_map::dataset::schema::files().len());
    for resource in resources {
        let path = resource["path"].as_str().unwrap();
        assert!(
            index.contains(&format!("href=\"/data/{path}\"")),
            "{path} listed"
        );
        let (status, body) = get_bytes(&format!("/data/{path}")).await;
        assert_eq!(status, StatusCode::OK);
        let on_disk = std::fs::read(format!("{}/data/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        assert_eq!(body, on_disk, "{path} served as loaded");
        // The schema names exactly the file's columns, in order, and its closed
        // vocabularies hold every value the file uses.
        let mut reader = csv::Reader::from_reader(body.as_slice());
        let header: Vec<String> = reader
            .headers()
            .unwrap()
            .iter()
            .map(str::to_owned)
            .collect();
        let fields = resource["schema"]["fields"].as_array().unwrap();
        let names: Vec<&str> = fields.iter().map(|f| f["name"].as_str().unwrap()).collect();
        assert_eq!(header, names, "{path}");
        for record in reader.records().map(Result::unwrap) {
            for (value, field) in record.iter().zip(fields) {
                if let Some(allowed) = field["constraints"]["enum"].as_array() {
                    assert!(
                        allowed.iter().any(|a| a == value),
                        "{path}: '{value}' not in the enum of {}",
                        field["name"]
                    );
                }
            }
        }
    }
    let (status, _, _) = get("/data/secrets.txt").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[test]
fn coverage_markers_are_the_reports_published_shares() {
    let data = data();
    let svg = charts::svg(&data, &request(&charts::coverage::CoverageChart, "")).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let mut marked = 0;
    for bar in doc.descendants().filter(|n| n.has_attribute("data-crime")) {
        let crime = crime_of(&data, bar.attribute("data-crime").unwrap());
        let published = data
            .report_figure_on(crime, mandate_map::dataset::Unit::Percent)
            .map(|f| f.value);
        let marker = bar
            .descendants()
            .find(|n| n.attribute("class") == Some("report-marker"));
        match (published, marker) {
            (Some(share), Some(m)) => {
                let title = m.children().find(|n| n.has_tag_name("title")).unwrap();
                assert_eq!(
                    title.text(),
                    Some(format!("The report (2019): {share} per cent").as_str())
                );
                marked += 1;
            }
            (None, None) => {}
            (p, m) => panic!("{crime:?}: published {p:?}, marker {}", m.is_some()),
        }
    }
    assert_eq!(marked, data.crimes().len(), "the report states every share");
    let desc = doc
        .descendants()
        .find(|n| n.has_tag_name("desc"))
        .unwrap()
        .text()
        .unwrap();
    assert!(
        desc.contains("the shares the report published (2019)"),
        "{desc}"
    );
    // A selection that is not the whole UN System has no markers: the report's shares are
    // of the whole.
    let svg = charts::svg(
        &data,
        &request(&charts::coverage::CoverageChart, "pillar=development"),
    )
    .unwrap();
    assert!(!svg.contains("report-marker"));
}

#[test]
fn report_source_draws_figure_1_as_published() {
    let data = data();
    let svg = charts::svg(
        &data,
        &request(&charts::coverage::CoverageChart, "source=report"),
    )
    .unwrap();
    for bar in elements_with(&svg, "data-report-share") {
        let crime = crime_of(&data, &bar["data-crime"]);
        let share = data
            .report_figure_on(crime, mandate_map::dataset::Unit::Percent)
            .unwrap()
            .value;
        let count = data
            .report_figure_on(crime, mandate_map::dataset::Unit::Count)
            .unwrap()
            .value;
        assert_eq!(bar["data-report-share"], share.to_string());
        assert_eq!(bar["data-count"], count.to_string());
    }
    assert_eq!(
        elements_with(&svg, "data-report-share").len(),
        data.crimes().len()
    );
    assert!(svg.contains("As published in the report (2019)"));
}

#[test]
fn evidence_split_bars_count_strong_and_partial_links() {
    let data = data();
    for query in FILTERS {
        let r = request(&charts::coverage::CoverageChart, query);
        let cov = stats::coverage(&data, &r.filter.select(&data), &r.filter);
        let svg = charts::svg(&data, &r).unwrap();
        for bar in elements_with(&svg, "data-strong") {
            let row = &cov.crimes[crime_of(&data, &bar["data-crime"]).index()];
            assert_eq!(bar["data-strong"], row.strong.to_string(), "{query}");
            assert_eq!(bar["data-partial"], row.partial.to_string(), "{query}");
        }
    }
}

/// Every chart of the list: served as SVG, PNG and CSV, embedded, listed by `chart --help`,
/// and each parameter it takes gives another cache key (ETag) and other bytes.
#[tokio::test]
async fn every_chart_is_served_embedded_listed_and_keyed_by_each_parameter() {
    let help = std::process::Command::new(env!("CARGO_BIN_EXE_mandate-map"))
        .args(["chart", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&help.stdout).into_owned();
    let etag = |r: &axum::response::Response| r.headers()["etag"].to_str().unwrap().to_owned();
    for chart in charts::CHARTS {
        let name = chart.name();
        assert!(help.contains(name), "chart --help lists {name}");
        for (ext, content_type) in [
            ("svg", "image/svg+xml"),
            ("png", "image/png"),
            ("csv", "text/csv"),
        ] {
            let response = respond(&format!("/charts/{name}.{ext}")).await;
            assert_eq!(response.status(), StatusCode::OK, "{name}.{ext}");
            let served = response.headers()["content-type"].to_str().unwrap();
            assert!(served.starts_with(content_type), "{name}.{ext}: {served}");
        }
        let (status, _, html) = get(&format!("/embed/{name}")).await;
        assert_eq!(status, StatusCode::OK, "/embed/{name}");
        assert!(html.contains("<svg"), "/embed/{name} holds the chart");
        for param in charts::PARAMS.iter().filter(|p| p.applies_to(*chart)) {
            // PNG pixels per unit change only the PNG; every other parameter the SVG.
            let ext = if param.name == "scale" { "png" } else { "svg" };
            let plain = respond(&format!("/charts/{name}.{ext}")).await;
            let query = mandate_map::query::encode([(param.name, param.example)]);
            let with = respond(&format!("/charts/{name}.{ext}?{query}")).await;
            assert_eq!(with.status(), StatusCode::OK, "{name}?{query}");
            assert_ne!(
                etag(&plain),
                etag(&with),
                "{name}: {} is in the cache key",
                param.name
            );
            let (_, a) = get_bytes(&format!("/charts/{name}.{ext}")).await;
            let (_, b) = get_bytes(&format!("/charts/{name}.{ext}?{query}")).await;
            assert_ne!(a, b, "{name}: {} changes the chart", param.name);
        }
    }
}
