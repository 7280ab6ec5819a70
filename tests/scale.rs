//! The taxonomy is data and the entity sets grow with it: a dataset built here, unlike the
//! shipped one (300 entities, 9 crime types, 4 organs, 5 chart boxes, 4 pillars), served by
//! the real router. Every view renders; every list, facet count, chart, export, coverage
//! figure and the data package agree with a brute-force scan of the same data.

mod common;

use axum::http::StatusCode;
use common::{filter_strategy, scan};
use mandate_map::dataset::load::{Source, Sources};
use mandate_map::dataset::{CRIME, Dataset, Dim};
use mandate_map::query::{Filter, Match};
use mandate_map::web::{AppState, router};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, TestRunner};

const ENTITIES: usize = 300;
const CRIMES: usize = 9;
const ORGANS: usize = 4;
const CATEGORIES: usize = 5;
const PILLARS: usize = 4;

/// A small deterministic generator (an LCG), so the fixture is the same on every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % below as u64) as usize
    }
}

fn vocabulary(prefix: &str, n: usize, colour: bool) -> String {
    let mut text = String::from(if colour {
        "id,label,short_label,colour,description\n"
    } else {
        "id,label,short_label,description\n"
    });
    for i in 0..n {
        let colour = if colour { ",#2e4a6b" } else { "" };
        text.push_str(&format!(
            "{prefix}-{i},{prefix} number {i},{prefix} {i}{colour},The {prefix} {i}.\n"
        ));
    }
    text
}

/// The generated files, by name.
fn files() -> Vec<(&'static str, String)> {
    let mut rng = Lcg(2019);
    let mut entities =
        String::from("id,acronym,name,organ,category,pillars,editions,website,summary,notes\n");
    let mut links = String::from(
        "entity,crime,edition,basis,mandate_source,evidence,summary,provenance,quote,source,source_year,notes\n",
    );
    // An entity with links and its crime types, for the instrument that is an entity.
    let mut board: Option<(usize, Vec<usize>)> = None;
    for e in 0..ENTITIES {
        let pillars: Vec<String> = (0..PILLARS)
            .filter(|p| (e + p) % 3 == 0 || *p == e % PILLARS)
            .map(|p| format!("pillar-{p}"))
            .collect();
        let word = ["office", "programme", "fund", "commission"][e % 4];
        entities.push_str(&format!(
            "body-{e},B{e},Body {e} {word},organ-{},Box number {},{},generated,https://example.org/{e},Works on things number {e}.,\n",
            rng.next(ORGANS),
            rng.next(CATEGORIES),
            pillars.join(";"),
        ));
        // About one entity in six has no link; the others one to four crime types.
        if rng.next(6) == 0 {
            continue;
        }
        let mut crimes: Vec<usize> = (0..1 + rng.next(4)).map(|_| rng.next(CRIMES)).collect();
        crimes.sort();
        crimes.dedup();
        if e >= 7 && board.is_none() {
            board = Some((e, crimes.clone()));
        }
        for c in crimes {
            let (basis, decision) = [("mandate", "Decision 1"), ("agenda", "")][rng.next(2)];
            let (grade, notes) = [("strong", ""), ("partial", "Partial: generated.")][rng.next(2)];
            links.push_str(&format!(
                "body-{e},crime-{c},generated,{basis},{decision},{grade},Work of body {e} on crime {c}.,compiled,,Generated source {e}-{c},2018,{notes}\n"
            ));
        }
    }
    let (board, board_crimes) = board.expect("an entity with links");
    let board_crimes: Vec<String> = board_crimes.iter().map(|c| format!("crime-{c}")).collect();
    let files = vec![
        (
            "editions.csv",
            "id,label,short_label,chart,evidence_from,evidence_to,default,report,description\n\
             generated,Generated,Generated,A generated chart,,,true,true,One generated edition.\n"
                .into(),
        ),
        ("lineage.csv", "from,to,kind,date,decision,source,notes\n".into()),
        ("searches.csv", "edition,entity,crime,outcome,searched\n".into()),
        ("crime_types.csv", vocabulary("crime", CRIMES, false)),
        ("organs.csv", vocabulary("organ", ORGANS, true)),
        ("categories.csv", {
            let mut text = String::from("id,label,short_label\n");
            for i in 0..CATEGORIES {
                text.push_str(&format!("box-{i},Box number {i},Box {i}\n"));
            }
            text
        }),
        ("pillars.csv", vocabulary("pillar", PILLARS, false)),
        ("entities.csv", entities),
        ("links.csv", links),
        (
            "groups.csv",
            "id,name,acronym,short_name,crimes,quote,notes\nforum,A forum,F,F,crime-0;crime-8,A quote,\n".into(),
        ),
        (
            "group_members.csv",
            "group,entity,role,provenance,source\nforum,body-1,lead,compiled,Generated\nforum,body-299,member,compiled,Generated\n".into(),
        ),
        (
            "report_figures.csv",
            "id,label,value,unit,crime,quote,notes\nshare-crime-3,A share,12,percent,crime-3,A quote,\n".into(),
        ),
        (
            "instruments.csv",
            "id,name,short_name,type,date,adopting_decision,crimes,entity,secretariat,later_than_report,report_quote,source,notes\n\
             pact,A pact,Pact,convention,1999-12,R/1,crime-0;crime-8,,body-2,false,,Generated,\n\
             board,A board,Board,board,2021,,BOARD_CRIMES,body-BOARD,,true,,Generated,\n"
                .replace("BOARD_CRIMES", &board_crimes.join(";"))
                .replace("BOARD", &board.to_string()),
        ),
        (
            "special_procedures.csv",
            "id,title,short_title,type,established,establishing_resolution,crimes,partial,report_quote,appointed_by,supported_by,source,notes\n\
             expert,An expert,Expert,independent-expert,2001,R/2,crime-1;crime-7,crime-7,,body-3,body-4,Generated,\n".into(),
        ),
    ];
    files
        .into_iter()
        .map(|(name, text)| (name, checked(&text)))
        .chain([(
            "releases.csv",
            "version,date,digest,summary\n1.0.0,2026-01-01,0123456789abcdef,Generated.\n".into(),
        )])
        .collect()
}

/// The file with a `checked` date on every row.
fn checked(text: &str) -> String {
    text.lines()
        .enumerate()
        .map(|(i, line)| {
            if i == 0 {
                format!("{line},checked\n")
            } else {
                format!("{line},2026-12-03\n")
            }
        })
        .collect()
}

fn data() -> Dataset {
    let files = files();
    let sources = Sources::read(|name| {
        let text = &files.iter().find(|(n, _)| *n == name).expect("a file").1;
        Source::new(name, format!("generated/{name}"), text.as_bytes())
    });
    Dataset::from_sources(&sources).unwrap_or_else(|e| panic!("the generated data loads:\n{e}"))
}

async fn get(data: &Dataset, uri: &str) -> (StatusCode, String) {
    let app = router(AppState::new(data.clone()));
    let (status, _, body) = common::send(app, uri).await;
    (status, body)
}

/// Filters drawn at random over the generated vocabularies, the same on every run.
fn filters(data: &Dataset, n: usize) -> Vec<Filter> {
    let strategy = filter_strategy(data);
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        proptest::test_runner::TestRng::deterministic_rng(
            proptest::test_runner::RngAlgorithm::ChaCha,
        ),
    );
    (0..n)
        .map(|_| strategy.new_tree(&mut runner).expect("a filter").current())
        .collect()
}

fn ids(data: &Dataset, positions: &[usize]) -> Vec<String> {
    positions
        .iter()
        .map(|&i| data.entities()[i].id.to_string())
        .collect()
}

#[test]
fn the_generated_data_has_the_sizes_it_was_built_with() {
    let data = data();
    assert_eq!(data.entities().len(), ENTITIES);
    assert_eq!(data.crimes().len(), CRIMES);
    assert_eq!(data.vocabulary(mandate_map::dataset::ORGAN).len(), ORGANS);
    assert_eq!(
        data.vocabulary(mandate_map::dataset::CATEGORY).len(),
        CATEGORIES
    );
    assert_eq!(data.vocabulary(mandate_map::dataset::PILLAR).len(), PILLARS);
    assert!(
        data.links().len() > ENTITIES,
        "enough links to mean something"
    );
}

#[tokio::test]
async fn every_view_renders_without_a_server_error() {
    let data = data();
    let mut paths: Vec<String> = [
        "/",
        "/system",
        "/entities",
        "/entities?sort=links",
        "/overlap",
        "/about",
        "/data/",
        "/data/datapackage.json",
        "/api/entities",
        "/api/coverage",
        "/api/crime-types",
        "/export/entities.csv",
        "/export/entities.json",
        "/taxonomy.css",
        "/entities/body-0",
        "/entities/body-299",
        "/system?entity=body-150&crime=crime-8",
        "/timeline",
        "/timeline?crime=crime-8",
        "/groups",
        "/groups/forum",
        "/rapporteurs?crime=crime-7",
        "/api/timeline",
        "/api/groups",
        "/api/rapporteurs",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    for id in data.crimes().ids() {
        paths.push(format!("/crimes/{id}"));
        paths.push(format!("/system?crime={id}"));
    }
    for name in ["coverage", "breakdown", "overlap", "matrix"] {
        for ext in ["svg", "png", "csv"] {
            // A small selection: a debug build rasterises a 300-row matrix slowly.
            paths.push(format!(
                "/charts/{name}.{ext}?pillar=pillar-3&organ=organ-0"
            ));
        }
        paths.push(format!("/embed/{name}"));
    }
    for name in ["timeline", "groups", "rapporteurs"] {
        for ext in ["svg", "png", "csv"] {
            paths.push(format!("/charts/{name}.{ext}?crime=crime-0"));
        }
        paths.push(format!("/embed/{name}"));
    }
    for file in mandate_map::dataset::schema::files() {
        paths.push(format!("/data/{}", file.name()));
    }
    for path in paths {
        let (status, body) = get(&data, &path).await;
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
    }
}

#[tokio::test]
async fn lists_exports_and_coverage_equal_a_scan() {
    let data = data();
    for filter in filters(&data, 48) {
        let query = filter.to_query(&data);
        let want = ids(&data, &scan(&data, &filter));

        let (status, body) = get(&data, &format!("/api/entities?{query}&size=1000")).await;
        assert_eq!(status, StatusCode::OK, "{query}");
        let json: serde_json::Value = serde_json::from_str(&body).unwrap();
        let got = common::entity_ids(&json);
        assert_eq!(got, want, "/api/entities?{query}");

        let (_, csv) = get(&data, &format!("/export/entities.csv?{query}")).await;
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let rows: Vec<String> = reader.records().map(|r| r.unwrap()[0].to_owned()).collect();
        assert_eq!(rows, want, "/export/entities.csv?{query}");

        // Coverage: per crime type, the selected entities with a link on it that the
        // filter's other link dimensions allow.
        let (_, body) = get(&data, &format!("/api/coverage?{query}")).await;
        let coverage: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(coverage["entities"], want.len(), "{query}");
        for (crime, row) in data
            .crimes()
            .terms()
            .zip(coverage["crimes"].as_array().unwrap())
        {
            let on_crime = filter.with(CRIME, [crime]).matching(Match::Any);
            let count = scan(&data, &filter)
                .into_iter()
                .filter(|i| scan(&data, &on_crime).contains(i))
                .count();
            assert_eq!(row["count"], count, "{query}: {}", row["id"]);
        }
    }
}

#[tokio::test]
async fn facet_counts_equal_a_scan() {
    let data = data();
    for filter in filters(&data, 12) {
        let query = filter.to_query(&data);
        let (_, html) = get(&data, &format!("/entities?{query}")).await;
        for dim in Dim::all() {
            let param = dim.get().param;
            let section = html
                .split(&format!("data-facet=\"{param}\""))
                .nth(1)
                .unwrap_or_else(|| panic!("a facet for {param}"))
                .split("</section>")
                .next()
                .unwrap();
            let shown: Vec<usize> = section
                .split("<span class=\"facet-count\">")
                .skip(1)
                .map(|rest| rest.split('<').next().unwrap().parse().unwrap())
                .collect();
            let want: Vec<usize> = data
                .vocabulary(dim)
                .terms()
                .map(|term| {
                    // Within a dimension values are alternatives, except crime types under
                    // match=all, which narrow.
                    let with = if dim == CRIME && filter.match_ == Match::All {
                        filter.with(dim, filter.get(dim).iter().copied().chain([term]))
                    } else {
                        filter.with(dim, [term])
                    };
                    scan(&data, &with).len()
                })
                .collect();
            assert_eq!(shown, want, "{param} facet of /entities?{query}");
        }
    }
}

#[tokio::test]
async fn charts_draw_the_scanned_selection() {
    let data = data();
    for filter in filters(&data, 12) {
        let query = filter.to_query(&data);
        let want = ids(&data, &scan(&data, &filter));
        let (_, matrix) = get(&data, &format!("/charts/matrix.csv?{query}")).await;
        let mut reader = csv::Reader::from_reader(matrix.as_bytes());
        assert_eq!(reader.headers().unwrap().len(), 3 + CRIMES);
        let rows: Vec<String> = reader.records().map(|r| r.unwrap()[0].to_owned()).collect();
        let mut sorted_want = want.clone();
        sorted_want.sort();
        let mut sorted_rows = rows.clone();
        sorted_rows.sort();
        assert_eq!(sorted_rows, sorted_want, "matrix of {query}");

        // Breakdown: per crime type and organ or pillar, the selected entities with a
        // counted link on the crime type and that value.
        for (by, dim) in [
            ("organ", mandate_map::dataset::ORGAN),
            ("pillar", mandate_map::dataset::PILLAR),
        ] {
            let sep = if query.is_empty() { "" } else { "&" };
            let (_, csv) = get(&data, &format!("/charts/breakdown.csv?{query}{sep}by={by}")).await;
            let mut reader = csv::Reader::from_reader(csv.as_bytes());
            for record in reader.records().map(Result::unwrap) {
                let crime = data.crimes().parse(&record[0]).unwrap();
                let value = data.vocabulary(dim).parse(&record[2]).unwrap();
                let on_crime = scan(&data, &filter.with(CRIME, [crime]).matching(Match::Any));
                let want = scan(&data, &filter)
                    .into_iter()
                    .filter(|i| on_crime.contains(i))
                    .filter(|&i| data.entities()[i].values.get(dim).contains(&value))
                    .count();
                assert_eq!(
                    record[4].parse::<usize>().unwrap(),
                    want,
                    "{query} by {by}: {record:?}"
                );
            }
        }

        let (_, svg) = get(&data, &format!("/charts/coverage.svg?{query}")).await;
        let bars = svg.matches("data-count=").count();
        assert_eq!(bars, CRIMES, "one coverage bar per crime type");
        let (_, overlap) = get(&data, &format!("/charts/overlap.csv?{query}")).await;
        assert_eq!(overlap.lines().count(), 1 + CRIMES * CRIMES);
    }
}

#[tokio::test]
async fn the_data_package_describes_the_generated_files() {
    let data = data();
    let (_, body) = get(&data, "/data/datapackage.json").await;
    let package: serde_json::Value = serde_json::from_str(&body).unwrap();
    let resources = package["resources"].as_array().unwrap();
    assert_eq!(resources.len(), files().len());
    let crime = resources.iter().find(|r| r["name"] == "links").unwrap()["schema"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "crime")
        .unwrap()
        .clone();
    assert_eq!(
        crime["constraints"]["enum"].as_array().unwrap().len(),
        CRIMES
    );
    assert!(
        package["description"]
            .as_str()
            .unwrap()
            .contains("300 entities work on nine types of organized crime"),
        "{}",
        package["description"]
    );
}
