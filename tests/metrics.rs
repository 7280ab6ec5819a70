//! The operators' metrics, on the real binary: served on their own address (`--metrics-addr`)
//! and not on the public one; requests counted by route and status, the store's hits and
//! misses, and reloads by outcome with the data version served as a label, all changing as
//! the server works.

use std::net::TcpListener;

mod common;
use common::server::{Server, copy_data, get, wait_for};

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The value of the sample `name{labels}` (labels as written, in the exporter's order), or 0.
fn sample(metrics: &str, series: &str) -> f64 {
    metrics
        .lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' '))
        .map_or(0.0, |v| v.trim().parse().unwrap())
}

fn scrape(port: u16) -> String {
    let (status, body) = get(port, "/metrics").unwrap();
    assert_eq!(status, 200);
    body
}

#[test]
fn metrics_count_requests_cache_and_reloads_on_their_own_address() {
    let dir = tempfile::tempdir().unwrap();
    copy_data(dir.path());
    let metrics_port = free_port();
    let addr = format!("127.0.0.1:{metrics_port}");
    let server = Server::start(
        dir.path(),
        &["--metrics-addr", &addr],
        dir.path().join("server.log"),
    );
    // Not for the public: the explorer's address has no /metrics.
    assert_eq!(get(server.port, "/metrics").unwrap().0, 404);

    let before = scrape(metrics_port);
    let entities = r#"mandate_map_http_requests_total{route="/entities",status="200"}"#;
    let unmatched = r#"mandate_map_http_requests_total{route="unmatched",status="404"}"#;
    let profile = r#"mandate_map_http_requests_total{route="/api/entities/{id}",status="200"}"#;
    for _ in 0..3 {
        assert_eq!(
            get(server.port, "/entities?crime=cybercrime").unwrap().0,
            200
        );
    }
    assert_eq!(get(server.port, "/api/entities/unodc").unwrap().0, 200);
    assert_eq!(get(server.port, "/no-such-page").unwrap().0, 404);
    let after = scrape(metrics_port);
    assert_eq!(sample(&after, entities) - sample(&before, entities), 3.0);
    assert_eq!(sample(&after, profile) - sample(&before, profile), 1.0);
    assert_eq!(
        sample(&after, unmatched) - sample(&before, unmatched),
        1.0,
        "/no-such-page"
    );
    // The first /entities request missed and was stored; the two others hit.
    let hits = "mandate_map_cache_hits_total";
    let misses = "mandate_map_cache_misses_total";
    assert!(
        sample(&after, hits) - sample(&before, hits) >= 2.0,
        "{after}"
    );
    assert!(
        sample(&after, misses) - sample(&before, misses) >= 2.0,
        "{after}"
    );
    assert!(sample(&after, "mandate_map_cache_bytes") > 0.0);
    let latency = r#"mandate_map_http_request_duration_seconds_count{route="/entities"}"#;
    assert!(sample(&after, latency) >= 3.0, "latency recorded: {after}");
    assert!(after.contains("# TYPE mandate_map_http_request_duration_seconds histogram"));

    // The data version served is a label.
    let version = mandate_map::dataset::Editions::load(dir.path()).unwrap();
    let info = format!(
        r#"mandate_map_data_info{{version="{}",fingerprint="{}"}}"#,
        version.default_edition().version(),
        version.fingerprint()
    );
    assert_eq!(sample(&after, &info), 1.0, "{after}");

    // A broken edit: the reload fails, is counted, and the version served stays.
    let entities_csv = dir.path().join("entities.csv");
    let good = std::fs::read_to_string(&entities_csv).unwrap();
    std::fs::write(&entities_csv, good.replacen(",UNODC,", ",,", 1)).unwrap();
    server.signal("HUP");
    let failed = r#"mandate_map_reloads_total{outcome="failed"}"#;
    wait_for(
        || sample(&scrape(metrics_port), failed) == 1.0,
        "the failed reload counted",
    );
    assert_eq!(
        sample(&scrape(metrics_port), &info),
        1.0,
        "still the old version"
    );

    // A valid edit: swapped, and the label follows the new fingerprint.
    std::fs::write(
        &entities_csv,
        good.replace("United Nations Office on Drugs and Crime", "Renamed"),
    )
    .unwrap();
    server.signal("HUP");
    let swapped = r#"mandate_map_reloads_total{outcome="swapped"}"#;
    wait_for(
        || sample(&scrape(metrics_port), swapped) == 1.0,
        "the reload counted",
    );
    let now = scrape(metrics_port);
    assert_eq!(
        sample(&now, &info),
        0.0,
        "the old version is no longer served"
    );
    let fresh = mandate_map::dataset::Editions::load(dir.path()).unwrap();
    assert_ne!(fresh.fingerprint(), version.fingerprint());
    assert!(
        now.contains(&format!(r#"fingerprint="{}"}} 1"#, fresh.fingerprint())),
        "{now}"
    );
}

#[test]
fn json_logs_are_one_object_per_line() {
    let dir = tempfile::tempdir().unwrap();
    copy_data(dir.path());
    let log = dir.path().join("server.log");
    let server = Server::start(dir.path(), &["--log-format", "json"], log.clone());
    assert_eq!(get(server.port, "/api/crime-types").unwrap().0, 200);
    wait_for(
        || server.log().contains("serving the explorer"),
        "the start logged",
    );
    // A reload logs a line with fields of its own.
    let entities = dir.path().join("entities.csv");
    let text = std::fs::read_to_string(&entities).unwrap();
    std::fs::write(
        &entities,
        text.replace("United Nations Office on Drugs and Crime", "R"),
    )
    .unwrap();
    server.signal("HUP");
    wait_for(
        || server.log().contains("reloaded the data"),
        "the reload logged",
    );
    let text = server.log();
    let lines: Vec<&str> = text.lines().filter(|l| !l.is_empty()).collect();
    assert!(lines.len() >= 2, "{text}");
    for line in lines {
        let object: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        assert!(
            object["level"].is_string() && object["timestamp"].is_string(),
            "{line}"
        );
    }
}
