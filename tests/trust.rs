//! What lets a reader trust and correct the data: the codebook and the change log served as
//! pages and as files, the version named on every page and chart, and a "suggest a
//! correction" link on every kind of row, carrying the row's file and id.

mod common;

use mandate_map::dataset::{Dataset, Release};

fn data() -> Dataset {
    Dataset::embedded().unwrap()
}

async fn get(uri: &str) -> (u16, String) {
    let (status, _, body) = common::send(common::app(), uri).await;
    (status.as_u16(), body)
}

/// The decoded messages of every "suggest a correction" link on a page.
fn corrections(html: &str) -> Vec<String> {
    html.split("<p class=\"correct\"><a href=\"")
        .skip(1)
        .map(|part| {
            let href = &part[..part.find('"').unwrap()];
            let href = href.replace("&#38;", "&");
            let query = href.split_once('?').unwrap().1;
            form_urlencoded::parse(query.as_bytes())
                .map(|(k, v)| format!("{k}: {v}"))
                .collect::<Vec<_>>()
                .join("\n")
        })
        .collect()
}

#[tokio::test]
async fn the_codebook_and_the_change_log_are_served_as_pages_and_files() {
    let (status, page) = get("/codebook").await;
    assert_eq!(status, 200);
    assert!(
        page.contains("<h1>The data: codebook and method</h1>"),
        "rendered"
    );
    assert!(page.contains("<table>"), "with its tables");
    let (status, raw) = get("/data/README.md").await;
    assert_eq!(status, 200);
    assert!(raw.starts_with("# The data: codebook and method"));
    let (status, raw) = get("/data/CHANGES.md").await;
    assert_eq!(status, 200);
    assert!(raw.starts_with("# Changes to the data"));
    let (status, releases) = get("/releases").await;
    assert_eq!(status, 200);
    for release in data().rows::<Release>() {
        assert!(releases.contains(&format!("<th scope=\"row\">{}</th>", release.version)));
    }
    // The method page sends the reader to the codebook, which now answers.
    let (_, method) = get("/method").await;
    assert!(method.contains("href=\"/codebook/\""));
}

#[tokio::test]
async fn every_page_and_chart_names_the_data_version() {
    let data = data();
    let version = data.version();
    for page in [
        "/",
        "/entities",
        "/system",
        "/crimes/cybercrime",
        "/timeline",
        "/about",
    ] {
        let (_, html) = get(page).await;
        assert!(
            html.contains(&format!("data version {version}")),
            "{page} names version {version}"
        );
    }
    for chart in mandate_map::charts::CHARTS {
        let (_, svg) = get(&format!("/charts/{}.svg", chart.name())).await;
        assert!(
            svg.contains(&format!("mandate-map {version}")),
            "{}: the source line names the version",
            chart.name()
        );
    }
    let (_, package) = get("/data/datapackage.json").await;
    let package: serde_json::Value = serde_json::from_str(&package).unwrap();
    assert_eq!(package["version"], version);
}

#[tokio::test]
async fn every_kind_of_row_has_a_correction_link_carrying_its_id() {
    let data = data();
    for (i, e) in data.entities().iter().enumerate() {
        let (_, html) = get(&format!("/entities/{}", e.id)).await;
        let found = corrections(&html);
        assert!(
            found[0].contains(&format!("title: Correction: entities.csv id={}", e.id)),
            "/entities/{}: the entity",
            e.id
        );
        for l in data.links_of(i) {
            let key = format!(
                "links.csv entity={} crime={}",
                e.id,
                data.crimes().id(l.crime())
            );
            assert!(
                found
                    .iter()
                    .any(|m| m.contains(&format!("Correction: {key}"))
                        && m.contains(&format!(
                            "Seen on: http://localhost:8080/entities/{}",
                            e.id
                        ))),
                "/entities/{}: a link for {key}",
                e.id
            );
        }
    }
    let (_, timeline) = get("/timeline").await;
    let found = corrections(&timeline);
    for i in data.instruments() {
        let key = format!("Correction: instruments.csv id={}", i.id);
        assert!(found.iter().any(|m| m.contains(&key)), "/timeline: {key}");
    }
    let (_, rapporteurs) = get("/rapporteurs").await;
    let found = corrections(&rapporteurs);
    for m in data.special_procedures() {
        let key = format!("Correction: special_procedures.csv id={}", m.id);
        assert!(
            found.iter().any(|f| f.contains(&key)),
            "/rapporteurs: {key}"
        );
    }
    for g in data.groups() {
        let (_, html) = get(&format!("/groups/{}", g.id)).await;
        let key = format!("Correction: groups.csv id={}", g.id);
        assert!(corrections(&html).iter().any(|m| m.contains(&key)), "{key}");
    }
}
