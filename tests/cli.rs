//! The command line, run as a user runs it.

mod common;

use std::process::{Command, Output};

use common::{Fixture, crime};
use mandate_map::dataset::{BASIS, Basis, CRIME, Dataset, Editions, PILLAR, Term};
use mandate_map::query::Filter;

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mandate-map"))
        .args(args)
        .output()
        .expect("run mandate-map")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn check_on_the_embedded_data_prints_each_edition_and_the_lineage() {
    let o = run(&["check"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let editions = Editions::embedded().unwrap();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), editions.all().len() + 2, "{out}");
    for (line, data) in lines.iter().zip(editions.all()) {
        let cov = mandate_map::stats::coverage(data, &data.index().all, &Filter::default());
        assert!(
            line.starts_with(&format!("edition {}", data.edition().id)),
            "{line}"
        );
        assert!(
            line.contains(&format!("ok: {} entities (", data.entities().len())),
            "{line}"
        );
        assert!(
            line.contains(&format!(
                "{} of {} chart entities with a link",
                cov.with_any, cov.entities
            )),
            "{line}"
        );
        for c in &cov.crimes {
            assert!(
                line.contains(&format!("{} {} ({} strong)", c.id, c.count, c.strong)),
                "{line}"
            );
        }
    }
    let data = editions.default_edition();
    assert!(
        lines[editions.all().len()].starts_with(&format!(
            "{} lineage events, {} searches",
            data.lineage().len(),
            data.searches().len()
        )),
        "{out}"
    );
}

#[test]
fn check_on_broken_data_lists_every_problem_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let mut f = Fixture::default();
    f["links.csv"]
        .push_str("itu,drug,2019,agenda,s,compiled,,src,,,strong,2018,2026-12-03\nnobody,cybercrime,2019,agenda,s,compiled,,src,,,strong,2018,2026-12-03\n");
    f.write_to(dir.path());
    let o = run(&["check", "--data", dir.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("links.csv:7: column 'crime': unknown crime type 'drug'"),
        "{err}"
    );
    assert!(
        err.contains("links.csv:8: column 'entity': unknown entity 'nobody'"),
        "{err}"
    );
    assert!(err.contains("2 problem(s)"), "{err}");
}

#[test]
fn check_on_a_missing_directory_says_which_file() {
    let o = run(&["check", "--data", "/nonexistent/mandate-map-data"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("/nonexistent/mandate-map-data/entities.csv"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn export_json_holds_the_filtered_entities() {
    let o = run(&[
        "export",
        "--format",
        "json",
        "--crime",
        "cybercrime",
        "--pillar",
        "development",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("valid JSON");
    let data = Dataset::embedded().unwrap();
    let development = data.vocabulary(PILLAR).find("development").unwrap();
    let expected: Vec<String> = Filter::default()
        .with(CRIME, [crime(&data, "cybercrime")])
        .with(PILLAR, [development])
        .select(&data)
        .iter()
        .map(|i| data.entities()[i].id.to_string())
        .collect();
    let got = common::entity_ids(&json);
    assert!(!got.is_empty());
    assert_eq!(got, expected);
    assert_eq!(
        json["crime_types"].as_array().unwrap().len(),
        data.crimes().len()
    );
    let first = &json["entities"][0];
    for key in [
        "id", "acronym", "name", "organ", "category", "pillars", "website", "summary", "links",
    ] {
        assert!(first.get(key).is_some(), "entity object lacks '{key}'");
    }
    let link = &first["links"][0];
    for key in ["crime", "basis", "summary", "provenance", "quote", "source"] {
        assert!(link.get(key).is_some(), "link object lacks '{key}'");
    }
}

#[test]
fn export_csv_has_one_row_per_entity_and_a_column_per_crime() {
    let o = run(&["export", "--format", "csv", "--basis", "mandate"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut reader = csv::Reader::from_reader(o.stdout.as_slice());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(&header[7..], Dataset::embedded().unwrap().crimes().ids());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let data = Dataset::embedded().unwrap();
    let mandate = [Term::new(Basis::Mandate.index())];
    let mut allowed: Vec<&[Term]> = vec![&[]; mandate_map::dataset::DIMENSIONS.len()];
    allowed[BASIS.0] = &mandate;
    let mandated = data.index().with_link(&allowed);
    assert_eq!(rows.len(), mandated.len());
    for row in &rows {
        let (i, _) = data.entity(&row[0]).expect("known id");
        for (k, c) in data.crimes().terms().enumerate() {
            let c_id = data.crimes().id(c);
            let want = data.link(i, c).map_or("", |l| l.basis().as_str());
            assert_eq!(&row[7 + k], want, "{} × {c_id}", &row[0]);
        }
    }
}

/// `export --links` writes the server's `/export/links.csv` and `.json` bytes for the same
/// filter and edition.
#[tokio::test]
async fn export_links_writes_the_servers_link_export() {
    for (args, uri) in [
        (
            vec![
                "--format",
                "csv",
                "--crime",
                "environmental-crime",
                "--basis",
                "mandate",
            ],
            "/export/links.csv?crime=environmental-crime&basis=mandate",
        ),
        (
            vec![
                "--format",
                "json",
                "--pillar",
                "development",
                "--edition",
                "2025",
            ],
            "/export/links.json?edition=2025&pillar=development",
        ),
    ] {
        let mut command = vec!["export", "--links"];
        command.extend(args.iter().copied());
        let o = run(&command);
        assert!(o.status.success(), "{}", stderr(&o));
        let (status, _, body) = common::send(common::app(), uri).await;
        assert_eq!(status, axum::http::StatusCode::OK, "{uri}");
        // The CLI ends its JSON with a newline, as a terminal expects.
        assert_eq!(
            stdout(&o).trim_end(),
            body.trim_end(),
            "{command:?} against {uri}"
        );
        assert!(body.lines().count() > 3, "{uri}: {body}");
    }
}

/// `mandate-map export | head`: the reader goes away early; the command ends quietly and
/// successfully instead of printing "Broken pipe".
#[test]
fn a_reader_that_stops_reading_is_not_an_error() {
    use std::io::Read;
    for format in ["csv", "json"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_mandate-map"))
            .args(["export", "--links", "--format", format])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("run mandate-map");
        let mut first = [0u8; 64];
        child.stdout.take().unwrap().read_exact(&mut first).unwrap();
        // The pipe is closed here, long before the export (hundreds of KB) is written.
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success(), "{format}: {:?}", output.status);
        assert!(output.stderr.is_empty(), "{format}: {}", stderr(&output));
    }
}

#[test]
fn bad_filter_value_is_a_usage_error_naming_the_valid_values() {
    let o = run(&["export", "--crime", "drugs"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("--crime"), "{err}");
    assert!(err.contains("illicit-drugs"), "{err}");
}

/// A copy of the shipped data with a seventh crime type and three links to it.
fn data_with_a_seventh_crime_type() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let shipped = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    for entry in std::fs::read_dir(&shipped).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "csv") {
            std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
        }
    }
    // Rows are written by column name, whatever order the shipped header has.
    let append = |file: &str, rows: &[&[(&str, &str)]]| {
        let path = dir.path().join(file);
        let mut contents = std::fs::read_to_string(&path).unwrap();
        let header: Vec<String> = csv::Reader::from_reader(contents.as_bytes())
            .headers()
            .unwrap()
            .iter()
            .map(str::to_owned)
            .collect();
        let mut w = csv::Writer::from_writer(Vec::new());
        for row in rows {
            let record = header.iter().map(|column| {
                row.iter()
                    .find(|(c, _)| c == column)
                    .map_or("", |(_, v)| *v)
            });
            w.write_record(record).unwrap();
        }
        contents.push_str(&String::from_utf8(w.into_inner().unwrap()).unwrap());
        std::fs::write(path, contents).unwrap();
    };
    append(
        "crime_types.csv",
        &[&[
            ("id", "test-piracy"),
            ("label", "Test piracy"),
            ("short_label", "Test piracy"),
            (
                "description",
                "A crime type added by this test only (no colour).",
            ),
            ("checked", "2026-12-03"),
        ]],
    );
    let link = |entity: &'static str, basis: &'static str, decision: &'static str| {
        [
            ("entity", entity),
            ("crime", "test-piracy"),
            ("edition", "2019"),
            ("basis", basis),
            ("mandate_source", decision),
            ("evidence", "strong"),
            ("summary", "Test link."),
            ("provenance", "compiled"),
            ("source", "Test fixture"),
            ("source_year", "2019"),
            ("checked", "2026-12-03"),
        ]
    };
    append(
        "links.csv",
        &[
            &link("imo", "agenda", ""),
            &link("itu", "agenda", ""),
            &link("security-council", "mandate", "Test decision"),
        ],
    );
    dir
}

#[test]
fn a_seventh_crime_type_is_a_data_change() {
    let dir = data_with_a_seventh_crime_type();
    let o = run(&["check", "--data", dir.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("test-piracy 3 (3 strong)"),
        "{}",
        stdout(&o)
    );
    let o = run(&[
        "export",
        "--format",
        "csv",
        "--crime",
        "test-piracy",
        "--data",
        dir.path().to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o).lines().count(), 1 + 3);
}

#[tokio::test]
async fn a_seventh_crime_type_shows_on_every_view() {
    let dir = data_with_a_seventh_crime_type();
    let data = Dataset::load(dir.path()).expect("the copy loads");
    let app = mandate_map::web::router(mandate_map::web::AppState::new(data));
    for path in [
        "/",
        "/system",
        "/entities",
        "/entities/imo",
        "/crimes/test-piracy",
        "/overlap",
        "/about",
        "/api/crime-types",
        "/api/coverage",
        "/charts/coverage.svg",
        "/charts/breakdown.svg",
        "/charts/overlap.svg",
        "/charts/matrix.svg",
        "/timeline",
        "/groups",
        "/rapporteurs",
        "/charts/timeline.svg",
        "/charts/groups.svg",
        "/charts/rapporteurs.svg",
        "/data/datapackage.json",
    ] {
        let (status, _, body) = common::send(app.clone(), path).await;
        assert_eq!(status, axum::http::StatusCode::OK, "{path}");
        assert!(
            body.contains("Test piracy") || body.contains("test-piracy"),
            "{path} shows it"
        );
    }
    let (_, _, about) = common::send(app, "/about").await;
    let crimes = Dataset::load(dir.path()).unwrap().crimes().len();
    let words = mandate_map::dataset::vocab::number_words(crimes);
    assert!(
        about.contains(&format!("{words} crime types")),
        "the count is computed"
    );
}

#[test]
fn export_and_chart_take_an_edition() {
    let editions = Editions::embedded().unwrap();
    let later = editions.all().last().unwrap();
    let id = later.edition().id.as_str();
    let o = run(&["export", "--format", "csv", "--edition", id]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o).lines().count(), 1 + later.entities().len());
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("changes.svg");
    let o = run(&[
        "chart",
        "changes",
        "--edition",
        id,
        "--format",
        "svg",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let svg = std::fs::read_to_string(&out).unwrap();
    assert!(svg.contains(&format!("edition {}", later.edition().short_label)));
    for data in editions.all() {
        assert!(svg.contains(&format!("data-edition=\"{}\"", data.edition().short_label)));
    }
    let o = run(&["export", "--edition", "1999"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("--edition") && err.contains(id), "{err}");
}

/// `serve` on an address another server listens on fails and names it, even when that server
/// is another mandate-map: the two would otherwise split the connections between them. The
/// first keeps serving.
#[test]
fn serve_on_an_address_in_use_fails_and_says_which() {
    let dir = tempfile::tempdir().unwrap();
    common::server::copy_data(dir.path());
    let first = common::server::Server::start(dir.path(), &[], dir.path().join("first.log"));
    let addr = format!("127.0.0.1:{}", first.port);
    let mut second = Command::new(env!("CARGO_BIN_EXE_mandate-map"))
        .args(["serve", "--addr", &addr])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(status) = second.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > std::time::Duration::from_secs(20) {
            second.kill().unwrap();
            panic!("a second server started on {addr}");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    let mut err = String::new();
    std::io::Read::read_to_string(&mut second.stderr.take().unwrap(), &mut err).unwrap();
    assert!(!status.success());
    assert!(err.contains(&format!("cannot listen on {addr}")), "{err}");
    assert!(err.contains("in use"), "{err}");
    assert_eq!(
        common::server::get(first.port, "/api/crime-types")
            .unwrap()
            .0,
        200
    );
}
