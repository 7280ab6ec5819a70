//! End to end in headless Chromium (Debian's `chromium` and `chromium-driver`, driven over
//! WebDriver): `/system` highlights as many tiles as `/api/coverage` counts, and a tile
//! opens the entity's dialog without leaving the page.
//!
//! Runs when `/usr/bin/chromedriver` exists; under CI (`CI` set) its absence is a failure,
//! since `.ci/run` installs it.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{ClientBuilder, Locator};
use mandate_map::dataset::Dataset;
use mandate_map::web::{AppState, router};

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

/// Ends chromedriver however the test ends.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port on loopback")
}

async fn start_driver() -> (Driver, u16) {
    let port = free_port();
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    let driver = Driver(child);
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return (driver, port);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("chromedriver did not listen on port {port} within 10 s");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn system_highlights_the_coverage_count_and_a_tile_opens_its_dialog() {
    if !Path::new(CHROMEDRIVER).exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI installs chromium-driver: {CHROMEDRIVER} is missing"
        );
        eprintln!(
            "skipping: {CHROMEDRIVER} not installed (apt-get install chromium chromium-driver)"
        );
        return;
    }

    // The explorer, on loopback.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = router(AppState::new(Dataset::embedded().unwrap()));
    tokio::spawn(async move { axum::serve(listener, app).await });

    let (_driver, port) = start_driver().await;
    let profile = tempfile::tempdir().unwrap();
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": CHROMIUM,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                format!("--user-data-dir={}", profile.path().display()), "--window-size=1280,1000"
            ]
        }),
    );
    let client = ClientBuilder::rustls()
        .expect("TLS roots")
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a WebDriver session");

    let result = async {
        // What the API says.
        client
            .goto(&format!("{base}/api/coverage?crime=illicit-drugs"))
            .await?;
        let body = client.find(Locator::Css("body")).await?.text().await?;
        let coverage: serde_json::Value = serde_json::from_str(&body).expect("coverage JSON");
        let expected = coverage["crimes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == "illicit-drugs")
            .unwrap()["count"]
            .as_u64()
            .unwrap() as usize;
        assert!(expected > 0);

        // Pick the crime type on the chart, as a user does.
        client.goto(&format!("{base}/system")).await?;
        assert!(
            client
                .find_all(Locator::Css("a.tile[data-match]"))
                .await?
                .is_empty()
        );
        client
            .find(Locator::Css("a.chip[data-crime='illicit-drugs']"))
            .await?
            .click()
            .await?;
        client
            .wait()
            .for_element(Locator::Css("a.chip.selected[data-crime='illicit-drugs']"))
            .await?;
        // Coverage counts the chart's boxes: bodies within another entity (dashed tiles) are
        // highlighted too, but not counted.
        let highlighted = client
            .find_all(Locator::Css("a.tile[data-match]:not(.within)"))
            .await?;
        assert_eq!(
            highlighted.len(),
            expected,
            "highlighted tiles = /api/coverage count"
        );
        let mandates = client
            .find_all(Locator::Css("a.tile[data-match='mandate']:not(.within)"))
            .await?;
        let agendas = client
            .find_all(Locator::Css("a.tile[data-match='agenda']:not(.within)"))
            .await?;
        assert_eq!(mandates.len() + agendas.len(), expected);

        // A tile opens its dialog in place, and the URL names the entity.
        let tile = &highlighted[0];
        let id = tile.attr("data-entity").await?.unwrap();
        let acronym = tile
            .find(Locator::Css(".tile-acronym"))
            .await?
            .text()
            .await?;
        tile.click().await?;
        let dialog = client
            .wait()
            .for_element(Locator::Css("dialog#entity-dialog[open]"))
            .await?;
        assert_eq!(
            dialog.attr("data-entity").await?.as_deref(),
            Some(id.as_str())
        );
        assert!(dialog.text().await?.contains(&acronym));
        let modal = client
            .execute(
                "return document.getElementById('entity-dialog').matches(':modal')",
                vec![],
            )
            .await?;
        assert_eq!(
            modal,
            serde_json::Value::Bool(true),
            "opened as a modal dialog"
        );
        let url = client.current_url().await?;
        assert_eq!(url.path(), "/system", "still on the chart");
        assert!(
            url.query().unwrap_or("").contains(&format!("entity={id}")),
            "{url}"
        );
        assert!(
            url.query().unwrap_or("").contains("crime=illicit-drugs"),
            "{url}"
        );

        // Closing it keeps the selection in the URL.
        dialog
            .find(Locator::Css(".dialog-close"))
            .await?
            .click()
            .await?;
        let open = client
            .execute(
                "return document.getElementById('entity-dialog').open",
                vec![],
            )
            .await?;
        assert_eq!(open, serde_json::Value::Bool(false));
        let url = client.current_url().await?;
        assert_eq!(url.query(), Some("crime=illicit-drugs"));
        Ok::<(), fantoccini::error::CmdError>(())
    }
    .await;
    let _ = client.close().await;
    result.expect("browser steps");
}
