//! Speed of the parts a request goes through: filter evaluation, coverage, and rendering of
//! each view and chart through the whole router (middleware included).
//!
//! `cargo bench` runs them; `scripts/loadtest.sh` measures the server as a whole.

use axum::body::Body;
use axum::http::Request;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use http_body_util::BodyExt;
use mandate_map::charts::{self, ChartRequest};
use mandate_map::dataset::{Dataset, Editions};
use mandate_map::query::Filter;
use mandate_map::stats;
use mandate_map::web::{AppState, router};
use tower::ServiceExt;

fn data(c: &mut Criterion) {
    c.bench_function("load and validate the embedded data", |b| {
        b.iter(|| Editions::embedded().unwrap())
    });
    let editions = Editions::embedded().unwrap();
    let data: &Dataset = editions.default_edition();
    let filters = [
        "crime=illicit-drugs",
        "crime=cybercrime&pillar=development",
        "crime=cybercrime&crime=arms-trafficking&match=all&basis=mandate&organ=secretariat",
        "q=children",
    ];
    for query in filters {
        let filter = Filter::from_query(data, query).unwrap();
        c.bench_with_input(
            BenchmarkId::new("parse and evaluate a filter", query),
            &query,
            |b, q| b.iter(|| Filter::from_query(data, q).unwrap().select(data)),
        );
        c.bench_with_input(BenchmarkId::new("coverage", query), &filter, |b, f| {
            b.iter(|| stats::coverage(data, &f.select(data), f))
        });
    }
    for name in charts::CHARTS {
        let request = ChartRequest::new(*name);
        c.bench_with_input(
            BenchmarkId::new("chart svg", name.name()),
            &request,
            |b, r| b.iter(|| charts::svg(data, r).unwrap()),
        );
    }
    let svg = charts::svg(data, &ChartRequest::new(&charts::coverage::CoverageChart)).unwrap();
    c.bench_function("chart png/coverage", |b| {
        b.iter(|| charts::png::render(&svg, 1).unwrap())
    });
}

fn views(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let app = router(AppState::new(Editions::embedded().unwrap()));
    let paths = [
        "/",
        "/system?crime=illicit-drugs",
        "/entities?crime=cybercrime&pillar=development",
        "/entities/unodc",
        "/crimes/environmental-crime",
        "/overlap",
        "/changes",
        "/entities?edition=2025&crime=cybercrime",
        "/about",
        "/api/coverage",
        "/api/entities",
        "/charts/coverage.svg",
        "/charts/matrix.svg",
        "/charts/changes.svg",
    ];
    let mut group = c.benchmark_group("render through the router");
    for path in paths {
        group.bench_with_input(BenchmarkId::from_parameter(path), &path, |b, p| {
            b.to_async(&runtime).iter(|| async {
                let response = app
                    .clone()
                    .oneshot(Request::get(*p).body(Body::empty()).unwrap())
                    .await
                    .unwrap();
                response.into_body().collect().await.unwrap().to_bytes()
            })
        });
    }
    group.finish();
}

/// Every filter combination of crime types, pillars and organs (and `match`), as query
/// strings, so that a run of the miss bench does not meet the same page twice.
fn combinations(data: &Dataset) -> Vec<String> {
    use mandate_map::dataset::{CRIME, ORGAN, PILLAR};
    let ids = |dim| data.vocabulary(dim).ids();
    let subsets = |param: &str, ids: &[String]| -> Vec<String> {
        (0..1u32 << ids.len())
            .map(|mask| {
                let chosen = ids.iter().enumerate().filter(|(k, _)| mask & (1 << k) != 0);
                chosen.map(|(_, id)| format!("{param}={id}&")).collect()
            })
            .collect()
    };
    let (crimes, pillars, organs) = (
        subsets("crime", &ids(CRIME)),
        subsets("pillar", &ids(PILLAR)),
        subsets("organ", &ids(ORGAN)),
    );
    let mut all = Vec::new();
    for m in ["", "match=all"] {
        for o in &organs {
            for p in &pillars {
                for c in &crimes {
                    all.push(format!("/system?{c}{p}{o}{m}"));
                }
            }
        }
    }
    all
}

/// A page the store has not seen: `/system` with a new filter combination each time, without
/// `Accept-Encoding` (the render and the store's bookkeeping) and with a browser's (plus the
/// compression of the miss).
fn misses(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let data = Dataset::embedded().unwrap();
    let uris = combinations(&data);
    let app = router(AppState::new(data));
    let mut next = uris.iter().cycle();
    for (name, coding) in [
        ("render a miss: /system, a new filter each time", None),
        (
            "render a miss: /system, a new filter each time, gzip",
            Some("gzip, deflate, br"),
        ),
    ] {
        c.bench_function(name, |b| {
            b.to_async(&runtime).iter(|| {
                let mut request = Request::get(next.next().unwrap().as_str());
                if let Some(coding) = coding {
                    request = request.header("accept-encoding", coding);
                }
                let app = app.clone();
                async move {
                    let response = app
                        .oneshot(request.body(Body::empty()).unwrap())
                        .await
                        .unwrap();
                    response.into_body().collect().await.unwrap().to_bytes()
                }
            })
        });
    }
}

criterion_group!(benches, data, views, misses);
criterion_main!(benches);
