//! The embedded data reproduces the report: 102 entities, 79 with a link, and the per-crime
//! counts behind Figure 1; every link's evidence is well-formed and every quote is verbatim.

use mandate_map::dataset::{Dataset, Evidence, Provenance};
use mandate_map::query::Filter;
use mandate_map::stats::{coverage, percent_floor};

fn data() -> Dataset {
    Dataset::embedded().expect("embedded data is valid")
}

#[test]
fn there_are_102_entities() {
    assert_eq!(data().entities().len(), 102);
}

#[test]
fn coverage_reproduces_figure_1() {
    let data = data();
    let cov = coverage(&data, &data.index().all, &Filter::default());
    assert_eq!(cov.entities, 102);
    assert_eq!(
        cov.with_any, 79,
        "a working agenda for 79 out of the UN's 102 entities"
    );
    let counts: Vec<(&str, usize)> = cov
        .crimes
        .iter()
        .map(|c| (c.id.as_str(), c.count))
        .collect();
    assert_eq!(
        counts,
        vec![
            ("human-trafficking", 38),
            ("illicit-drugs", 34),
            ("environmental-crime", 29),
            ("cybercrime", 22),
            ("financial-crime", 22),
            ("arms-trafficking", 21),
        ]
    );
}

#[test]
fn shares_round_down_to_the_reports_percentages() {
    let data = data();
    let cov = coverage(&data, &data.index().all, &Filter::default());
    let percents: Vec<u32> = cov.crimes.iter().map(|c| percent_floor(c.share)).collect();
    // "37 per cent ... 33 per cent ... 28 per cent ... (21 per cent) ... 20 per cent"
    assert_eq!(percents, vec![37, 33, 28, 21, 21, 20]);
    // "79 out of the UN's 102 entities, bodies and agencies, or nearly 77 per cent"
    assert_eq!(percent_floor(cov.share), 77);
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
        if let Evidence::Report { quote } = &link.evidence
            && !report.contains(&squash(quote))
        {
            missing.push(format!(
                "{} × {}: {quote}",
                data.entities()[link.entity].id,
                data.crimes().id(link.crime())
            ));
        }
    }
    for group in data.groups() {
        if !report.contains(&squash(&group.quote)) {
            missing.push(format!("group {}: {}", group.id, group.quote));
        }
    }
    assert!(
        missing.is_empty(),
        "not verbatim in the report:\n{}",
        missing.join("\n")
    );
}

#[test]
fn report_and_compiled_links_both_exist() {
    let data = data();
    let report = data
        .links()
        .iter()
        .filter(|l| l.evidence.provenance() == Provenance::Report)
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
        "opcw",
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
}

#[test]
fn coordination_groups_have_a_lead_and_members() {
    let data = data();
    assert!(data.groups().len() >= 7);
    for id in ["icat", "un-redd", "fao-imo-iuu-wg", "monusco-cntf"] {
        let g = data
            .groups()
            .iter()
            .find(|g| g.id == id)
            .unwrap_or_else(|| panic!("group {id}"));
        assert!(!g.members.is_empty(), "{id} has members");
    }
}
