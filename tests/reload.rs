//! Hot reload under a running server (the real binary, on loopback): a valid edit of a copy
//! of `data/` shows up, a broken edit does not and is reported with file, line and column,
//! requests during the reloads all succeed; SIGHUP reloads too; SIGTERM shuts down cleanly.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

mod common;
use common::server::{Server, copy_data, get, wait_for};

fn unodc_name(port: u16) -> String {
    let (status, body) = get(port, "/api/entities/unodc").unwrap();
    assert_eq!(status, 200);
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    json["name"].as_str().unwrap().to_owned()
}

/// Hammers the server from another thread until stopped; counts answers that are not 200.
struct Load {
    stop: Arc<AtomicBool>,
    bad: Arc<AtomicUsize>,
    done: Arc<AtomicUsize>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Load {
    fn start(port: u16) -> Load {
        let (stop, bad, done) = (
            Arc::new(AtomicBool::new(false)),
            Arc::new(AtomicUsize::new(0)),
            Arc::new(AtomicUsize::new(0)),
        );
        let (s, b, d) = (stop.clone(), bad.clone(), done.clone());
        let thread = std::thread::spawn(move || {
            let paths = [
                "/api/entities/unodc",
                "/entities?crime=cybercrime",
                "/system",
                "/charts/coverage.svg",
            ];
            let mut i = 0;
            while !s.load(Ordering::Relaxed) {
                match get(port, paths[i % paths.len()]) {
                    Ok((200, _)) => {}
                    _ => {
                        b.fetch_add(1, Ordering::Relaxed);
                    }
                }
                d.fetch_add(1, Ordering::Relaxed);
                i += 1;
            }
        });
        Load {
            stop,
            bad,
            done,
            thread: Some(thread),
        }
    }

    /// Stops and returns (requests, failures).
    fn finish(mut self) -> (usize, usize) {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.take().unwrap().join().unwrap();
        (
            self.done.load(Ordering::Relaxed),
            self.bad.load(Ordering::Relaxed),
        )
    }
}

#[test]
fn watch_swaps_in_valid_edits_and_keeps_serving_through_broken_ones() {
    let dir = tempfile::tempdir().unwrap();
    copy_data(dir.path());
    let server = Server::start(dir.path(), &["--watch"], dir.path().join("server.log"));
    let port = server.port;
    let original = unodc_name(port);
    let load = Load::start(port);

    // A valid edit shows up.
    let entities = dir.path().join("entities.csv");
    let text = std::fs::read_to_string(&entities).unwrap();
    std::fs::write(
        &entities,
        text.replace(&original, &format!("{original} (edited)")),
    )
    .unwrap();
    wait_for(
        || unodc_name(port).ends_with("(edited)"),
        "the valid edit to be served",
    );

    // A broken edit does not, and is reported with file, line and column.
    let links = dir.path().join("links.csv");
    let good_links = std::fs::read_to_string(&links).unwrap();
    let line = good_links.lines().count() + 1;
    std::fs::write(
        &links,
        format!("{good_links}itu,drug,2019,agenda,s,compiled,,src,,,strong,2018,2026-12-03\n"),
    )
    .unwrap();
    let needle = format!("links.csv:{line}: column 'crime': unknown crime type 'drug'");
    wait_for(
        || server.log().contains(&needle),
        "the broken edit to be reported",
    );
    assert!(server.log().contains("still serving the previous version"));
    assert!(
        unodc_name(port).ends_with("(edited)"),
        "the previous version is still served"
    );

    // Fixing it is picked up again.
    std::fs::write(
        &entities,
        text.replace(&original, &format!("{original} (again)")),
    )
    .unwrap();
    std::fs::write(&links, &good_links).unwrap();
    wait_for(
        || unodc_name(port).ends_with("(again)"),
        "the fixed data to be served",
    );

    let (requests, failures) = load.finish();
    assert!(requests >= 5, "the load ran ({requests} requests)");
    assert_eq!(failures, 0, "every request during the reloads succeeded");
}

#[test]
fn sighup_reloads_and_sigterm_shuts_down_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    copy_data(dir.path());
    let mut server = Server::start(dir.path(), &[], dir.path().join("server.log"));
    let port = server.port;
    let original = unodc_name(port);
    let entities = dir.path().join("entities.csv");
    let text = std::fs::read_to_string(&entities).unwrap();
    std::fs::write(&entities, text.replace(&original, "Renamed by SIGHUP")).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(
        unodc_name(port),
        original,
        "without --watch nothing changes by itself"
    );
    server.signal("HUP");
    wait_for(
        || unodc_name(port) == "Renamed by SIGHUP",
        "SIGHUP to reload",
    );

    server.signal("TERM");
    let start = Instant::now();
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "did not shut down"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "graceful shutdown exits 0: {status}");
    assert!(server.log().contains("shutting down"));
}
