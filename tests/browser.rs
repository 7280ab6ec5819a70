//! End to end in headless Chromium (Debian's `chromium` and `chromium-driver`, driven over
//! WebDriver): `/system` highlights as many tiles as `/api/coverage` counts, a tile opens the
//! entity's dialog without leaving the page with the focus on its heading, the focus outline
//! stands out 3:1, and no page scrolls sideways at 320 pixels.
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

/// A headless Chromium window of `width` pixels on the explorer, served on loopback; `None`
/// (with a message) where chromedriver is not installed, which CI does not allow.
async fn browser(width: u32) -> Option<(fantoccini::Client, String, Driver, tempfile::TempDir)> {
    if !Path::new(CHROMEDRIVER).exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI installs chromium-driver: {CHROMEDRIVER} is missing"
        );
        eprintln!(
            "skipping: {CHROMEDRIVER} not installed (apt-get install chromium chromium-driver)"
        );
        return None;
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = router(AppState::new(Dataset::embedded().unwrap()));
    tokio::spawn(async move { axum::serve(listener, app).await });

    let (driver, port) = start_driver().await;
    let profile = tempfile::tempdir().unwrap();
    let mut options = serde_json::json!({
        "binary": CHROMIUM,
        "args": [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
            format!("--user-data-dir={}", profile.path().display()),
            format!("--window-size={},1000", width.max(500))
        ]
    });
    // Headless windows are at least 500 pixels wide: narrower viewports are emulated.
    if width < 500 {
        options["mobileEmulation"] = serde_json::json!({
            "deviceMetrics": { "width": width, "height": 800, "pixelRatio": 1.0 }
        });
    }
    let mut caps = serde_json::Map::new();
    caps.insert("goog:chromeOptions".into(), options);
    let client = ClientBuilder::rustls()
        .expect("TLS roots")
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a WebDriver session");
    Some((client, base, driver, profile))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn system_highlights_the_coverage_count_and_a_tile_opens_its_dialog() {
    let Some((client, base, _driver, _profile)) = browser(1280).await else {
        return;
    };
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
        // It opens at its top: the heading has the focus, and nothing is scrolled away.
        let focus = client
            .execute(
                "const d = document.getElementById('entity-dialog'); \
                 return [document.activeElement === d.querySelector('h2'), d.scrollTop];",
                vec![],
            )
            .await?;
        assert_eq!(focus, serde_json::json!([true, 0]), "focus on the dialog's heading");
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
        // The dialog's `close` event, which puts the URL back, is dispatched as a task of its
        // own after `close()`: give it a moment rather than read the URL in the same instant.
        // It is the chart's published address, the selection in its path.
        let mut url = client.current_url().await?;
        for _ in 0..40 {
            if url.path() == "/system/crime=illicit-drugs/" {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            url = client.current_url().await?;
        }
        assert_eq!(
            (url.path(), url.query()),
            ("/system/crime=illicit-drugs/", None)
        );

        // The focus outline, as the browser draws it, stands out 3:1 from the page. A key
        // press first: browsers draw :focus-visible for focus that follows the keyboard.
        client.goto(&format!("{base}/")).await?;
        client
            .active_element()
            .await?
            .send_keys(&fantoccini::key::Key::Tab.to_string())
            .await?;
        let colours = client
            .execute(
                "const a = document.querySelector('nav a'); a.focus(); \
                 const s = getComputedStyle(a); \
                 return [s.outlineStyle, s.outlineColor, getComputedStyle(document.body).backgroundColor];",
                vec![],
            )
            .await?;
        let [style, outline, page] = [0, 1, 2].map(|i| colours[i].as_str().unwrap().to_owned());
        assert_ne!(style, "none", "a focused link has an outline");
        let ratio = contrast(&rgb(&outline), &rgb(&page));
        assert!(ratio >= 3.0, "focus outline {outline} on {page}: {ratio:.2}:1");
        Ok::<(), fantoccini::error::CmdError>(())
    }
    .await;
    let _ = client.close().await;
    result.expect("browser steps");
}

/// `rgb(r, g, b)` as the browser reports a colour.
fn rgb(css: &str) -> [f64; 3] {
    let inner = css
        .trim_start_matches("rgba(")
        .trim_start_matches("rgb(")
        .trim_end_matches(')');
    let mut parts = inner.split(',').map(|p| p.trim().parse::<f64>().unwrap());
    [0; 3].map(|_| parts.next().unwrap())
}

/// WCAG 2.1 contrast ratio of two sRGB colours.
fn contrast(a: &[f64; 3], b: &[f64; 3]) -> f64 {
    let luminance = |c: &[f64; 3]| {
        let channel = |v: f64| {
            let v = v / 255.0;
            if v <= 0.03928 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(c[0]) + 0.7152 * channel(c[1]) + 0.0722 * channel(c[2])
    };
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// WCAG 2.1 1.4.10: at 320 CSS pixels no page scrolls sideways.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_page_scrolls_sideways_and_no_chart_text_is_under_11_px_at_320_pixels() {
    let Some((client, base, _driver, _profile)) = browser(320).await else {
        return;
    };
    let result = async {
        let mut wide = Vec::new();
        let mut small = Vec::new();
        for path in [
            "/",
            "/system?crime=cybercrime",
            "/entities",
            "/entities?q=children&crime=human-trafficking",
            "/entities/unodc",
            "/entities/cted",
            "/crimes/illicit-drugs",
            "/overlap",
            "/method",
            "/about",
            "/data/",
            "/charts/",
            "/embed/coverage",
            "/timeline",
            "/groups",
            "/groups/icat",
            "/rapporteurs",
            "/embed/timeline",
            "/entities?pillar=nowhere",
            "/codebook",
            "/releases",
            "/changes",
            "/?edition=2025",
            "/entities/dm",
            "/groups?edition=2025",
            "/embed/changes",
        ] {
            client.goto(&format!("{base}{path}")).await?;
            // Every text of every chart shown reads at 11 px or more, as drawn.
            let smallest = client
                .execute(
                    "let least = 99; \
                     for (const t of document.querySelectorAll('svg.chart text')) { \
                       if (!t.getClientRects().length) continue; \
                       const m = t.getScreenCTM(); \
                       const size = parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b); \
                       least = Math.min(least, size); } \
                     return least;",
                    vec![],
                )
                .await?;
            let smallest = smallest.as_f64().unwrap();
            if smallest < 10.99 {
                small.push(format!("{path}: chart text at {smallest:.1} px"));
            }
            // A phone widens the layout viewport to fit content that overflows, so a page
            // that fits keeps a 320 px viewport and scrolls nothing sideways.
            let widths = client
                .execute(
                    "return [window.innerWidth, document.documentElement.scrollWidth, \
                     document.documentElement.clientWidth]",
                    vec![],
                )
                .await?;
            let [inner, scroll, client_w] = [0, 1, 2].map(|i| widths[i].as_u64().unwrap());
            if inner != 320 || scroll > client_w {
                wide.push(format!(
                    "{path}: viewport {inner} px, content {scroll} px in {client_w}"
                ));
            }
        }
        assert!(
            wide.is_empty(),
            "pages that scroll sideways:\n{}",
            wide.join("\n")
        );
        assert!(
            small.is_empty(),
            "charts whose text is under 11 px at 320 px:\n{}",
            small.join("\n")
        );
        Ok::<(), fantoccini::error::CmdError>(())
    }
    .await;
    let _ = client.close().await;
    result.expect("browser steps");
}
