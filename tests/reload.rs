//! Hot reload under a running server (the real binary, on loopback): a valid edit of a copy
//! of `data/` shows up, a broken edit does not and is reported with file, line and column,
//! requests during the reloads all succeed; SIGHUP reloads too; SIGTERM shuts down cleanly.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// A minimal HTTP/1.1 GET over loopback: (status, body).
fn get(port: u16, path: &str) -> std::io::Result<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    let text = String::from_utf8_lossy(&response);
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .to_owned();
    Ok((status, body))
}

struct Server {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Server {
    fn start(data: &Path, watch: bool, log: PathBuf) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let out = std::fs::File::create(&log).unwrap();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_mandate-map"));
        cmd.args(["--data", data.to_str().unwrap(), "serve", "--addr"])
            .arg(format!("127.0.0.1:{port}"))
            .env("RUST_LOG", "mandate_map=info")
            .stdout(Stdio::from(out.try_clone().unwrap()))
            .stderr(Stdio::from(out));
        if watch {
            cmd.arg("--watch");
        }
        let server = Server {
            child: cmd.spawn().unwrap(),
            port,
            log,
        };
        wait_for(
            || get(port, "/api/crime-types").is_ok_and(|(s, _)| s == 200),
            "the server to start",
        );
        server
    }

    fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .args([&format!("-{name}"), &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn wait_for(mut ready: impl FnMut() -> bool, what: &str) {
    let start = Instant::now();
    while !ready() {
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn copy_data(dir: &Path) {
    for entry in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("data")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "csv") {
            std::fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
        }
    }
}

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
    let server = Server::start(dir.path(), true, dir.path().join("server.log"));
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
    let mut server = Server::start(dir.path(), false, dir.path().join("server.log"));
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
