//! A hundred times the UN's entities: a copy of `data/` grown to 10,000 entities (each a copy
//! of a real one under a new id, with the real one's links and searches), built here and not
//! shipped, served by the real router. Every route answers 2xx; walking the pages of
//! `/api/entities` and `/entities` yields every selected entity once, in order; the exports
//! equal a brute-force serialisation of the same data.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::LazyLock;

use axum::http::StatusCode;
use mandate_map::dataset::Editions;
use mandate_map::web::{AppState, router};

mod common;

const ENTITIES: usize = 10_000;

/// Rewrites `file` of `dir`, appending for every generated entity a copy of each row whose
/// `column` names the entity it copies.
fn grow(dir: &Path, file: &str, column: &str, copies: &[(String, String)]) {
    let path = dir.join(file);
    let mut reader = csv::Reader::from_path(&path).unwrap();
    let headers = reader.headers().unwrap().clone();
    let at = headers.iter().position(|h| h == column).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let mut writer = csv::Writer::from_path(&path).unwrap();
    writer.write_record(&headers).unwrap();
    for row in &rows {
        writer.write_record(row).unwrap();
    }
    for (original, copy) in copies {
        for row in rows.iter().filter(|r| &r[at] == original) {
            let fields: Vec<String> = row
                .iter()
                .enumerate()
                .map(|(i, f)| if i == at { copy.clone() } else { f.to_owned() })
                .collect();
            writer.write_record(&fields).unwrap();
        }
    }
    writer.flush().unwrap();
}

/// A copy of `data/` with [`ENTITIES`] entities in `dir`.
fn large_data(dir: &Path) {
    common::server::copy_data(dir);
    let path = dir.join("entities.csv");
    let mut reader = csv::Reader::from_path(&path).unwrap();
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (id, acronym, name) = (col("id"), col("acronym"), col("name"));
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    // Entities of every edition are copied: one that joins or leaves the chart between
    // editions would need a lineage row of its own.
    let editions = col("editions");
    let every_edition: Vec<&csv::StringRecord> = rows
        .iter()
        .filter(|r| &r[editions] == "2019;2025")
        .collect();
    // Bodies within another entity keep their parent; they are copied like the others.
    let mut copies = Vec::new();
    let mut writer = csv::Writer::from_path(&path).unwrap();
    writer.write_record(&headers).unwrap();
    for row in &rows {
        writer.write_record(row).unwrap();
    }
    for n in 0..ENTITIES - rows.len() {
        let row = every_edition[n % every_edition.len()];
        let copy = format!("{}-g{n}", &row[id]);
        let fields: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(i, f)| match i {
                _ if i == id => copy.clone(),
                _ if i == acronym => format!("{f}{n}"),
                _ if i == name => format!("{f} (copy {n})"),
                _ => f.to_owned(),
            })
            .collect();
        writer.write_record(&fields).unwrap();
        copies.push((row[id].to_owned(), copy));
    }
    writer.flush().unwrap();
    grow(dir, "links.csv", "entity", &copies);
    grow(dir, "searches.csv", "entity", &copies);
}

struct Large {
    editions: Editions,
    app: axum::Router,
    /// Each data file's name and bytes as written.
    files: Vec<(String, Vec<u8>)>,
}

/// The data, generated and loaded once for every test here (the files are gone once read).
fn large() -> &'static Large {
    static LARGE: LazyLock<Large> = LazyLock::new(|| {
        let dir = tempfile::tempdir().unwrap();
        large_data(dir.path());
        let editions = Editions::load(dir.path())
            .unwrap_or_else(|e| panic!("{} problems, the first: {:?}", e.0.len(), e.0.first()));
        let app = router(AppState::new(editions.clone()));
        let files = mandate_map::dataset::schema::files()
            .iter()
            .map(|f| {
                (
                    f.name().to_owned(),
                    std::fs::read(dir.path().join(f.name())).unwrap(),
                )
            })
            .collect();
        Large {
            editions,
            app,
            files,
        }
    });
    &LARGE
}

/// Writes the data set into the directory `MANDATE_MAP_LARGE_DIR` names, for the load test
/// (`scripts/loadtest.sh` runs it): the one generator of it.
#[test]
#[ignore = "writes the 10,000-entity data set for scripts/loadtest.sh"]
fn write_the_large_data_set() {
    let dir =
        std::env::var("MANDATE_MAP_LARGE_DIR").expect("MANDATE_MAP_LARGE_DIR names a directory");
    std::fs::create_dir_all(&dir).unwrap();
    large_data(Path::new(&dir));
    Editions::load(Path::new(&dir)).expect("the generated data is valid");
}

#[tokio::test]
async fn every_route_answers_with_ten_thousand_entities() {
    let large = large();
    let data = large.editions.default_edition();
    assert!(
        data.entities().len() >= ENTITIES - 200,
        "{}",
        data.entities().len()
    );
    let copy = &data.entities()[data.entities().len() - 1].id;
    let mut routes: Vec<String> = [
        "/",
        "/system",
        "/entities",
        "/overlap",
        "/changes",
        "/timeline",
        "/groups",
        "/rapporteurs",
        "/charts/",
        "/method",
        "/codebook",
        "/releases",
        "/about",
        "/data/",
        "/api",
        "/api/entities",
        "/api/coverage",
        "/api/changes",
        "/api/groups",
        "/api/timeline",
        "/api/rapporteurs",
        "/api/crime-types",
        "/api/openapi.json",
        "/export/entities.csv",
        "/export/entities.json",
        "/export/links.csv",
        "/export/links.json",
        "/data/datapackage.json",
        "/data/entities.csv",
        "/sitemap.xml",
        "/entities?crime=cybercrime&page=2",
        "/api/entities?size=1000&page=3",
        "/system?crime=cybercrime",
        "/?pillar=development",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    routes.push(format!("/entities/{copy}"));
    routes.push(format!("/api/entities/{copy}"));
    for (_, crime) in data.crimes().iter() {
        routes.push(format!("/crimes/{}", crime.id));
    }
    for chart in mandate_map::charts::CHARTS {
        routes.push(format!("/charts/{}.svg", chart.name()));
        routes.push(format!("/charts/{}.csv", chart.name()));
        routes.push(format!("/embed/{}", chart.name()));
    }
    let mut failed = Vec::new();
    for route in &routes {
        let (status, _, body) = common::send(large.app.clone(), route).await;
        if !status.is_success() {
            failed.push(format!(
                "{route}: {status} {}",
                &body[..body.len().min(200)]
            ));
        }
    }
    assert!(failed.is_empty(), "{failed:#?}");
}

#[tokio::test]
async fn walking_the_pages_yields_every_entity_once_in_order() {
    let large = large();
    let data = large.editions.default_edition();
    for filter in ["", "crime=cybercrime", "pillar=development&basis=mandate"] {
        let expected: Vec<String> = {
            let f = mandate_map::query::Filter::from_query(data, filter).unwrap();
            data.entities_in(&f.select(data))
                .map(|(_, e)| e.id.to_string())
                .collect()
        };
        // The API, by its next links.
        let mut next = Some(format!("/api/entities?{filter}&size=700"));
        let mut seen = Vec::new();
        while let Some(address) = next {
            let (status, _, body) = common::send(large.app.clone(), &address).await;
            assert_eq!(status, StatusCode::OK, "{address}");
            let page: serde_json::Value = serde_json::from_str(&body).unwrap();
            assert_eq!(page["count"], expected.len(), "{address}");
            seen.extend(
                page["entities"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|e| e["id"].as_str().unwrap().to_owned()),
            );
            next = page["next"].as_str().map(str::to_owned);
        }
        assert_eq!(seen, expected, "/api/entities?{filter}");
        // The HTML list, by its "Next page" links.
        let mut next = Some(format!("/entities?{filter}"));
        let mut seen = Vec::new();
        while let Some(address) = next {
            let (status, _, html) = common::send(large.app.clone(), &address).await;
            assert_eq!(status, StatusCode::OK, "{address}");
            seen.extend(
                html.split("<tr data-entity=\"")
                    .skip(1)
                    .map(|rest| rest[..rest.find('"').unwrap()].to_owned()),
            );
            next = html
                .split("rel=\"next\"")
                .next()
                .filter(|_| html.contains("rel=\"next\""))
                .and_then(|before| before.rsplit("href=\"").next())
                .map(|href| href[..href.find('"').unwrap()].replace("&#38;", "&"));
        }
        assert_eq!(seen.len(), expected.len(), "/entities?{filter}");
        assert_eq!(seen, expected, "/entities?{filter}");
        let unique: BTreeSet<&String> = seen.iter().collect();
        assert_eq!(unique.len(), seen.len());
    }
}

/// The large files were read from disk as streams, never whole: what was loaded is what the
/// same files load to when they are given whole, in memory.
#[test]
fn files_read_as_streams_load_as_the_same_files_given_whole() {
    use mandate_map::dataset::load::{Source, Sources};
    let large = large();
    let sources = Sources::read(|name| {
        let bytes = &large
            .files
            .iter()
            .find(|(n, _)| n == name)
            .expect("a file")
            .1;
        Source::new(name, format!("generated/{name}"), bytes.clone())
    });
    let whole = Editions::from_sources(&sources).expect("the same files load");
    assert_eq!(large.editions.all().len(), whole.all().len());
    for (streamed, whole) in large.editions.all().iter().zip(whole.all()) {
        assert_eq!(streamed.content_digest(), whole.content_digest());
        let serialised = |data: &mandate_map::dataset::Dataset| {
            let (mut entities, mut links) = (Vec::new(), Vec::new());
            let all = &data.index().all;
            mandate_map::export::write_csv(data, all, &mut entities).unwrap();
            let every = mandate_map::query::Filter::default();
            mandate_map::export::write_links_csv(data, &every, &mut links).unwrap();
            (entities, links)
        };
        let (streamed_rows, whole_rows) = (serialised(streamed), serialised(whole));
        assert!(streamed_rows.0 == whole_rows.0, "the entities differ");
        assert!(streamed_rows.1 == whole_rows.1, "the links differ");
        assert_eq!(streamed.links().len(), whole.links().len());
    }
}

#[tokio::test]
async fn every_data_file_is_sent_as_it_was_read() {
    let large = large();
    // The large files are kept compressed, and sent decompressed as they are sent.
    let compressed: Vec<&str> = (large.editions.default_edition().files().iter())
        .filter(|f| f.as_read().is_none())
        .map(|f| f.name)
        .collect();
    assert_eq!(compressed, ["entities.csv", "links.csv", "searches.csv"]);
    for (name, bytes) in &large.files {
        let (status, content_type, body) =
            common::send_bytes(large.app.clone(), &format!("/data/{name}")).await;
        assert_eq!(status, StatusCode::OK, "{name}");
        assert_eq!(content_type, "text/csv; charset=utf-8", "{name}");
        assert!(
            body == *bytes,
            "{name}: {} bytes sent, {} read",
            body.len(),
            bytes.len()
        );
    }
}

#[tokio::test]
async fn the_exports_equal_a_brute_force_serialisation() {
    let large = large();
    let data = large.editions.default_edition();
    let all = &data.index().all;
    let (status, _, csv) = common::send(large.app.clone(), "/export/entities.csv").await;
    assert_eq!(status, StatusCode::OK);
    let mut want = Vec::new();
    mandate_map::export::write_csv(data, all, &mut want).unwrap();
    assert!(csv.as_bytes() == want.as_slice(), "the CSV export differs");
    let (status, _, json) = common::send(large.app.clone(), "/export/entities.json").await;
    assert_eq!(status, StatusCode::OK);
    let served: serde_json::Value = serde_json::from_str(&json).unwrap();
    let ids: Vec<&str> = served["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    let want: Vec<&str> = data.entities().iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, want);
    let record = |i: usize| {
        serde_json::to_value(mandate_map::export::EntityRecord::new(
            data,
            i,
            &data.entities()[i],
        ))
        .unwrap()
    };
    for i in [0, 1, data.entities().len() / 2, data.entities().len() - 1] {
        assert_eq!(served["entities"][i], record(i), "entity {i}");
    }
}

#[tokio::test]
async fn an_over_long_search_text_is_refused_with_its_limit() {
    let app = common::app();
    let q = "x".repeat(mandate_map::query::Q_MAX + 1);
    for path in ["/entities", "/api/entities", "/system", "/"] {
        let (status, _, body) = common::send(app.clone(), &format!("{path}?q={q}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path}");
        assert!(body.contains("at most 200 characters"), "{path}");
        assert!(
            body.len() < 20_000,
            "{path}: the answer repeats the text ({} bytes)",
            body.len()
        );
    }
    let q = "x".repeat(mandate_map::query::Q_MAX);
    let (status, _, _) = common::send(app, &format!("/entities?q={q}")).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn the_org_chart_draws_a_bounded_number_of_tiles_and_links_the_rest() {
    let large = large();
    for address in ["/system", "/system?crime=cybercrime"] {
        let (status, _, html) = common::send(large.app.clone(), address).await;
        assert_eq!(status, StatusCode::OK);
        let boxes = html.matches("<div class=\"category\">").count();
        let tiles = html.matches("<li><a class=\"tile").count();
        assert!(
            tiles <= boxes * mandate_map::web::TILES_SHOWN,
            "{address}: {tiles} tiles in {boxes} boxes"
        );
        assert!(html.len() < 2_000_000, "{address}: {} bytes", html.len());
        // Each box that holds more links the list of them all, which lists them.
        let more: Vec<(usize, String)> = html
            .split("<p class=\"more\"><a href=\"")
            .skip(1)
            .map(|rest| {
                let href = rest[..rest.find('"').unwrap()].replace("&#38;", "&");
                let count = rest[rest.find('>').unwrap() + 1..]
                    .split(' ')
                    .next()
                    .unwrap();
                (count.parse().unwrap(), href)
            })
            .collect();
        assert!(!more.is_empty(), "{address}: no box says it holds more");
        let (hidden, list) = &more[0];
        let (status, _, page) = common::send(large.app.clone(), &format!("{list}&size=1000")).await;
        assert_eq!(status, StatusCode::OK, "{list}");
        let listed = page.matches("<tr data-entity=").count();
        assert_eq!(listed, hidden + mandate_map::web::TILES_SHOWN, "{list}");
    }
}

/// The `<p class="more">` paragraphs of a page: (how many more, where all are, how many in all).
fn more_paragraphs(html: &str) -> Vec<(usize, String, usize)> {
    let number = |text: &str| -> usize {
        let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
        digits.parse().unwrap()
    };
    html.split("<p class=\"more\">")
        .skip(1)
        .map(|rest| {
            let href_at = rest.find("href=\"").unwrap() + 6;
            let href =
                rest[href_at..href_at + rest[href_at..].find('"').unwrap()].replace("&#38;", "&");
            let all_at = rest.find(">all ").unwrap() + 5;
            (number(rest), href, number(&rest[all_at..]))
        })
        .collect()
}

#[tokio::test]
async fn a_crime_profile_lists_a_bounded_number_of_entities_and_links_them_all() {
    use mandate_map::dataset::Basis;
    use mandate_map::web::SECTION_MAX;
    let large = large();
    let data = large.editions.default_edition();
    let mut cut = 0;
    for (crime, info) in data.crimes().iter() {
        let (status, _, html) =
            common::send(large.app.clone(), &format!("/crimes/{}", info.id)).await;
        assert_eq!(status, StatusCode::OK, "{}", info.id);
        assert!(html.len() < 1_000_000, "{}: {} bytes", info.id, html.len());
        let sections: Vec<&str> = html.split("<h3>With ").skip(1).collect();
        assert_eq!(
            sections.len(),
            2,
            "{}: the mandate and the agenda sections",
            info.id
        );
        let more = more_paragraphs(&html);
        for (section, basis) in sections.iter().zip([Basis::Mandate, Basis::Agenda]) {
            let section = &section[..section.find("</section>").unwrap_or(section.len())];
            let want = data
                .links()
                .iter()
                .filter(|l| l.crime() == crime && l.basis() == basis)
                .count();
            let heading = section[section.find('(').unwrap() + 1..]
                .split(')')
                .next()
                .unwrap();
            assert_eq!(
                heading,
                want.to_string(),
                "{} {basis:?}: the heading's count",
                info.id
            );
            let listed = section
                .split("</h3>")
                .nth(1)
                .unwrap_or("")
                .matches("<li data-entity=")
                .count();
            assert_eq!(
                listed,
                want.min(SECTION_MAX),
                "{} {basis:?}: entities listed",
                info.id
            );
            if want > SECTION_MAX {
                cut += 1;
                let (hidden, list, all) = more
                    .iter()
                    .find(|(_, href, _)| href.contains(&format!("basis={}", basis.as_str())))
                    .unwrap_or_else(|| panic!("{} {basis:?}: no link to the whole list", info.id));
                assert_eq!((*hidden, *all), (want - SECTION_MAX, want), "{}", info.id);
                // The whole list says it holds as many, page by page.
                let (status, _, page) =
                    common::send(large.app.clone(), &format!("{list}&size=1")).await;
                assert_eq!(status, StatusCode::OK, "{list}");
                assert!(
                    page.contains(&format!("Entities 1 to 1 of {want}<")),
                    "{list}"
                );
            }
        }
    }
    assert!(
        cut > 0,
        "no crime type of the large data has a list long enough to be cut"
    );
}

#[tokio::test]
async fn the_changes_page_lists_a_bounded_number_of_moves_and_links_them_all() {
    use mandate_map::web::SECTION_MAX;
    let large = large();
    let (status, _, html) = common::send(large.app.clone(), "/changes").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.len() < 2_000_000, "/changes: {} bytes", html.len());
    let (status, _, answer) = common::send(large.app.clone(), "/api/changes").await;
    assert_eq!(status, StatusCode::OK);
    let api: serde_json::Value = serde_json::from_str(&answer).unwrap();
    let mut cut = 0;
    for crime in api["crimes"].as_array().unwrap() {
        let id = crime["crime"].as_str().unwrap();
        let section = html
            .split(&format!("<section class=\"change\" data-crime=\"{id}\""))
            .nth(1)
            .unwrap();
        let section = &section[..section.find("</section>").unwrap()];
        // Each list: its heading's count is the API's, and it shows at most SECTION_MAX.
        let mut lists = vec![("started", crime["started"].as_array().unwrap().len())];
        for why in ["not-found", "not-examined", "closed"] {
            let n = crime["stopped"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|s| s["why"] == why)
                .count();
            lists.push((why, n));
        }
        for (kind, want) in lists.into_iter().filter(|(_, n)| *n > 0) {
            let list = section
                .split(&format!("<ul class=\"moves\" data-kind=\"{kind}\">"))
                .nth(1)
                .unwrap_or_else(|| panic!("{id}: no {kind} list"));
            let heading = section
                .split(&format!("<ul class=\"moves\" data-kind=\"{kind}\">"))
                .next()
                .unwrap();
            let heading = heading[heading.rfind('(').unwrap() + 1..]
                .split(')')
                .next()
                .unwrap();
            assert_eq!(
                heading,
                want.to_string(),
                "{id} {kind}: the heading's count"
            );
            let items = list[..list.find("</ul>").unwrap()].matches("<li").count();
            assert_eq!(items, want.min(SECTION_MAX), "{id} {kind}: moves listed");
            // The paragraph that says how many more follows the list, when it is cut.
            let after = &list[list.find("</ul>").unwrap() + "</ul>".len()..];
            let more = after
                .starts_with("<p class=\"more\">")
                .then(|| more_paragraphs(after).remove(0));
            assert_eq!(more.is_some(), want > SECTION_MAX, "{id} {kind}: {more:?}");
            if let Some((hidden, whole, all)) = more {
                cut += 1;
                assert_eq!((hidden, all), (want - SECTION_MAX, want), "{id} {kind}");
                // The link is the API's answer the counts above were read from.
                let (status, _, linked) = common::send(large.app.clone(), &whole).await;
                assert_eq!(status, StatusCode::OK, "{whole}");
                assert!(linked == answer, "{id} {kind}: {whole} is not /api/changes");
            }
        }
    }
    assert!(
        cut > 0,
        "no list of the large data's changes is long enough to be cut"
    );
}

#[tokio::test]
async fn a_large_export_is_sent_in_chunks_as_it_is_written() {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let large = large();
    for path in ["/export/entities.json", "/export/links.csv"] {
        let request = axum::http::Request::get(path)
            .body(axum::body::Body::empty())
            .unwrap();
        let response = large.app.clone().oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let mut body = response.into_body();
        let (mut frames, mut largest, mut total) = (0, 0, 0);
        while let Some(frame) = body.frame().await {
            let data = frame.unwrap().into_data().unwrap();
            frames += 1;
            largest = largest.max(data.len());
            total += data.len();
        }
        assert!(total > 4 << 20, "{path}: {total} bytes");
        assert!(frames > 30, "{path}: {frames} chunks");
        // Each chunk is the writer's (64 KB and the last write that crossed it): never the
        // whole export at once.
        assert!(largest < 256 << 10, "{path}: a chunk of {largest} bytes");
    }
}

#[tokio::test]
async fn the_matrix_chart_draws_a_bounded_number_of_rows_and_says_so() {
    let large = large();
    let (status, _, svg) = common::send(large.app.clone(), "/charts/matrix.svg").await;
    assert_eq!(status, StatusCode::OK);
    let rows = svg.matches("<g data-entity=").count();
    assert_eq!(rows, mandate_map::charts::matrix::MAX_ROWS);
    let total = large.editions.default_edition().entities().len();
    assert!(
        svg.contains(&format!("The first {rows} of {total} entities")),
        "the cut is said"
    );
    // Its CSV has every one.
    let (_, _, csv) = common::send(large.app.clone(), "/charts/matrix.csv").await;
    assert_eq!(csv.lines().count(), total + 1);
}
