//! The embedded data: chart boxes counted and bodies within another not, coverage counted
//! from the links, the report's figures consistent and quoted verbatim, every link's
//! evidence well-formed and every quote verbatim.

use mandate_map::dataset::{Dataset, Grade, Provenance, Unit};
use mandate_map::query::Filter;
use mandate_map::stats::{coverage, percent_floor};

fn data() -> Dataset {
    Dataset::embedded().expect("embedded data is valid")
}

#[test]
fn every_chart_box_is_counted_and_bodies_within_another_are_not() {
    let data = data();
    let cov = coverage(&data, &data.index().all, &Filter::default());
    let boxes = data
        .entities()
        .iter()
        .filter(|e| e.parent.is_none())
        .count();
    assert_eq!(cov.entities, boxes);
    for e in data.entities() {
        if let Some(p) = e.parent() {
            assert!(
                data.entities()[p].parent.is_none(),
                "{}'s parent is a chart box",
                e.id
            );
        }
    }
    // CTED (within the Counter-Terrorism Committee) and INCB (whose members ECOSOC elects)
    // are the bodies the report names that the chart does not draw.
    for id in ["cted", "incb"] {
        let (_, e) = data.entity(id).unwrap();
        assert!(e.parent.is_some(), "{id} is within another entity");
    }
}

#[test]
fn coverage_counts_each_chart_entity_and_grade_from_the_links() {
    let data = data();
    let cov = coverage(&data, &data.index().all, &Filter::default());
    let counted = |i: usize| data.entities()[i].parent.is_none();
    let with_link = |i: usize, pred: &dyn Fn(&mandate_map::dataset::Link) -> bool| {
        counted(i) && data.links_of(i).any(pred)
    };
    let n = data.entities().len();
    assert_eq!(
        cov.with_any,
        (0..n).filter(|&i| with_link(i, &|_| true)).count()
    );
    assert_eq!(
        cov.with_strong,
        (0..n)
            .filter(|&i| with_link(i, &|l| l.grade() == Grade::Strong))
            .count()
    );
    for (crime, row) in data.crimes().terms().zip(&cov.crimes) {
        let on = |grade: Option<Grade>| {
            (0..n)
                .filter(|&i| {
                    with_link(i, &|l| {
                        l.crime() == crime && grade.is_none_or(|g| l.grade() == g)
                    })
                })
                .count()
        };
        assert_eq!(row.count, on(None), "{}", row.id);
        assert_eq!(row.strong, on(Some(Grade::Strong)), "{}", row.id);
        assert_eq!(row.partial, on(Some(Grade::Partial)), "{}", row.id);
    }
}

#[test]
fn the_reports_counts_and_shares_agree_as_it_rounds() {
    // The report truncates its shares ("22 out of the 102 entities ... (21 per cent)"): its
    // stated and implied counts, over its total, give the shares it states.
    let data = data();
    let total = data.report_figure("entities-total").unwrap().value;
    for crime in data.crimes().terms() {
        let count = data.report_figure_on(crime, Unit::Count).unwrap().value;
        let share = data.report_figure_on(crime, Unit::Percent).unwrap().value;
        assert_eq!(f64::from(percent_floor(count / total)), share);
    }
    let with = data.report_figure("entities-with-agenda").unwrap().value;
    let share = data.report_figure("share-with-agenda").unwrap().value;
    assert_eq!(
        f64::from(percent_floor(with / total)),
        share,
        "nearly 77 per cent"
    );
}

/// The report's text, found beside the repository as CI lays it out (`../shared/`).
fn report_text() -> Option<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/reference/fragmented-but-far-reaching.txt");
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) if std::env::var_os("CI").is_some() => {
            panic!("CI must have the report at {}: {e}", path.display())
        }
        Err(_) => {
            eprintln!("skipping: the report is not at {}", path.display());
            None
        }
    }
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn every_report_quote_is_verbatim_in_the_report() {
    let Some(report) = report_text() else { return };
    let report = squash(&report);
    let data = data();
    let mut missing = Vec::new();
    for link in data.links() {
        if let Some(quote) = link.quote()
            && link.provenance == Provenance::Report
            && !report.contains(&squash(quote))
        {
            missing.push(format!(
                "{} × {}: {quote}",
                data.entities()[link.entity()].id,
                data.crimes().id(link.crime())
            ));
        }
    }
    for group in data.groups() {
        if let Some(quote) = &group.quote
            && !report.contains(&squash(quote))
        {
            missing.push(format!("group {}: {quote}", group.id));
        }
    }
    let figures = data
        .instruments()
        .iter()
        .map(|i| ("instrument", &i.id, &i.report_quote))
        .chain(
            data.special_procedures()
                .iter()
                .map(|m| ("special procedure", &m.id, &m.report_quote)),
        );
    let mut named = 0;
    for (kind, id, quote) in figures.filter(|(_, _, q)| !q.is_empty()) {
        named += 1;
        if !report.contains(&squash(quote)) {
            missing.push(format!("{kind} {id}: {quote}"));
        }
    }
    assert!(
        named > 0,
        "the figures' rows that the report names carry its words"
    );
    assert!(
        missing.is_empty(),
        "not verbatim in the report:\n{}",
        missing.join("\n")
    );
}

/// How the report writes a number: thousands with a space ("1 113").
fn as_the_report_writes(value: f64) -> String {
    let text = value.to_string();
    match text.split_once('.') {
        Some(_) => text,
        None if text.len() > 3 => {
            format!("{} {}", &text[..text.len() - 3], &text[text.len() - 3..])
        }
        None => text,
    }
}

#[test]
fn every_report_figure_is_in_its_quote_and_the_quote_in_the_report() {
    let data = data();
    let Some(report) = report_text() else { return };
    let report = squash(&report);
    assert!(!data.report_figures().is_empty());
    for f in data.report_figures() {
        assert!(
            report.contains(&squash(&f.quote)),
            "{}: the quote is not verbatim in the report",
            f.id
        );
        let implied = f.label.contains("implied");
        let stated = f.quote.contains(&as_the_report_writes(f.value));
        assert!(
            implied || stated,
            "{}: {} is neither in its quote nor marked implied",
            f.id,
            f.value
        );
    }
}

#[test]
fn report_and_compiled_links_both_exist() {
    let data = data();
    let report = data
        .links()
        .iter()
        .filter(|l| l.provenance == Provenance::Report)
        .count();
    assert!(
        report >= 40,
        "the report states several dozen links; found {report}"
    );
    assert!(report < data.links().len(), "the rest are compiled");
}

#[test]
fn bodies_the_report_names_are_entities() {
    let data = data();
    for id in [
        "unodc",
        "ccpcj",
        "cnd",
        "incb",
        "csw",
        "iom",
        "unhcr",
        "ocha",
        "ilo",
        "fao",
        "srsg-caac",
        "srsg-svc",
        "srsg-vac",
        "who",
        "unaids",
        "cted",
        "ctc",
        "eosg",
        "unu",
        "un-women",
        "undp",
        "security-council",
        "general-assembly",
        "upu",
        "unctad",
        "ohchr",
        "hrc",
        "unep",
        "unff",
        "unesco",
        "imo",
        "itu",
        "unicef",
        "imf",
        "world-bank",
        "cepa",
        "eca",
        "unitar",
        "undc",
        "unoda",
        "unidir",
        "dpo",
        "dppa",
        "peace-operations",
        "sanctions-committees",
    ] {
        let (i, _) = data
            .entity(id)
            .unwrap_or_else(|| panic!("'{id}' is not an entity"));
        assert!(data.links_of(i).next().is_some(), "'{id}' has no link");
    }
    // The report discusses OPCW under arms trafficking while saying that chemical weapons
    // are not part of it: it is an entity, with no link on that ground.
    assert!(data.entity("opcw").is_some());
}

#[test]
fn coordination_groups_have_a_lead_and_members() {
    let data = data();
    assert!(data.groups().len() >= 4);
    for id in ["icat", "un-redd", "fao-imo-iuu-wg", "gpc-att-task-team"] {
        let g = data
            .groups()
            .iter()
            .find(|g| g.id == id)
            .unwrap_or_else(|| panic!("group {id}"));
        assert!(data.members_of(g).next().is_some(), "{id} has members");
    }
}

/// A changed row changes the version: the shipped files are exactly those of the latest
/// release in releases.csv.
#[test]
fn the_shipped_data_is_its_latest_release() {
    let data = data();
    assert!(
        data.is_released(),
        "data/ has changed since release {} (digest {}): add a row to data/releases.csv with the next version and the digest {}, and say what changed in data/CHANGES.md",
        data.release().version,
        data.release().digest,
        data.content_digest()
    );
    assert_eq!(data.version(), data.release().version.to_string());
    let changes = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/data/CHANGES.md"))
        .expect("data/CHANGES.md");
    for release in data.rows::<mandate_map::dataset::Release>() {
        assert!(
            changes.contains(&format!("## {} ", release.version)),
            "data/CHANGES.md has a section for {}",
            release.version
        );
    }
}
