//! Every kind of data problem is reported with its file, line and column, and all problems
//! are reported at once. Most cases are rows of one table ([`FIELD_CASES`]: a field set to a
//! bad value; [`ROW_CASES`]: a row added), checked by one test each.

mod common;

use common::Fixture;
use mandate_map::dataset::load::Source;
use mandate_map::dataset::{Dataset, LoadError};

/// Loads a fixture that must fail and returns its problems.
fn problems(f: Fixture) -> Vec<LoadError> {
    match f.load() {
        Ok(_) => panic!("the fixture should not load"),
        Err(e) => e.0,
    }
}

/// Checks that exactly one problem was found, at this place, and that its message contains
/// `needle`; answers what is wrong otherwise.
fn one(
    f: Fixture,
    file: &str,
    line: Option<u64>,
    column: Option<&str>,
    needle: &str,
) -> Result<(), String> {
    let found = match f.load() {
        Ok(_) => return Err("the fixture loads".to_owned()),
        Err(e) => e.0,
    };
    let [e] = found.as_slice() else {
        return Err(format!("expected one problem, got: {found:#?}"));
    };
    let place = (e.file.as_str(), e.line, e.column.as_deref());
    if place != (file, line, column) {
        return Err(format!(
            "at {place:?}, expected {:?}: {e}",
            (file, line, column)
        ));
    }
    if !e.message.contains(needle) {
        return Err(format!("message {:?} lacks {needle:?}", e.message));
    }
    // The rendered form leads with file:line, like a compiler.
    let shown = e.to_string();
    let lead = match line {
        Some(l) => format!("{file}:{l}"),
        None => file.to_owned(),
    };
    if !shown.starts_with(&lead) {
        return Err(format!("{shown} does not start with {lead}"));
    }
    Ok(())
}

fn assert_one(f: Fixture, file: &str, line: Option<u64>, column: Option<&str>, needle: &str) {
    if let Err(why) = one(f, file, line, column, needle) {
        panic!("{why}");
    }
}

/// Runs every case, then fails listing every case that did not hold.
fn all_hold(cases: impl Iterator<Item = (String, Result<(), String>)>) {
    let failed: Vec<String> = cases
        .filter_map(|(case, result)| result.err().map(|why| format!("{case}: {why}")))
        .collect();
    assert!(
        failed.is_empty(),
        "{} case(s) failed:\n{}",
        failed.len(),
        failed.join("\n")
    );
}

/// A field of the fixture set to a bad value, and the problem it must give:
/// `(file, line, column, value, message)`; line 1 is the header.
const FIELD_CASES: &[(&str, usize, &str, &str, &str)] = &[
    // Vocabularies.
    (
        "organs.csv",
        3,
        "colour",
        "green",
        "'green' is not a colour (expected #rrggbb, e.g. #1d4e89)",
    ),
    (
        "pillars.csv",
        2,
        "id",
        "Peace Security",
        "'Peace Security' is not a slug",
    ),
    ("crime_types.csv", 2, "label", "", "required field is empty"),
    (
        "categories.csv",
        2,
        "short_label",
        "",
        "required field is empty",
    ),
    // Entities.
    (
        "entities.csv",
        4,
        "organ",
        "ecosocc",
        "unknown organ 'ecosocc'",
    ),
    (
        "entities.csv",
        3,
        "pillars",
        "development;rights",
        "unknown pillar 'rights'",
    ),
    (
        "entities.csv",
        4,
        "category",
        "Agencies",
        "unknown category 'Agencies'",
    ),
    ("entities.csv", 4, "summary", "", "required field is empty"),
    (
        "entities.csv",
        2,
        "website",
        "www.unodc.org",
        "is not a web address",
    ),
    // Links.
    (
        "links.csv",
        3,
        "crime",
        "drug",
        "unknown crime type 'drug' (expected one of: human-trafficking, illicit-drugs, environmental-crime, cybercrime, financial-crime, arms-trafficking)",
    ),
    (
        "links.csv",
        4,
        "basis",
        "mandated",
        "unknown basis 'mandated'",
    ),
    (
        "links.csv",
        2,
        "quote",
        "",
        "needs the report's verbatim quote",
    ),
    ("links.csv", 4, "source", "", "needs its source"),
    (
        "links.csv",
        2,
        "mandate_source",
        "",
        "a 'mandate' link names the governing body's decision",
    ),
    (
        "links.csv",
        3,
        "mandate_source",
        "A/RES/1",
        "an 'agenda' link rests on no governing body's decision",
    ),
    (
        "links.csv",
        4,
        "source_year",
        "",
        "a 'compiled' link gives the year of the evidence it cites",
    ),
    (
        "links.csv",
        4,
        "source_year",
        "last year",
        "'last year' is not a year",
    ),
    (
        "links.csv",
        3,
        "evidence",
        "solid",
        "unknown evidence grade 'solid' (expected one of: strong, partial)",
    ),
    (
        "links.csv",
        4,
        "notes",
        "",
        "a 'partial' link says in its notes why",
    ),
    (
        "links.csv",
        2,
        "entity",
        "unesco",
        "unknown entity 'unesco'",
    ),
    // Groups and their members.
    (
        "groups.csv",
        2,
        "crimes",
        "piracy",
        "unknown crime type 'piracy'",
    ),
    (
        "group_members.csv",
        2,
        "role",
        "chair",
        "unknown role 'chair'",
    ),
    (
        "group_members.csv",
        3,
        "source",
        "",
        "a 'compiled' member needs the source that lists it",
    ),
    (
        "group_members.csv",
        2,
        "group",
        "nope",
        "unknown group 'nope'",
    ),
    (
        "group_members.csv",
        3,
        "entity",
        "nobody",
        "unknown entity 'nobody'",
    ),
    // The report's figures.
    (
        "report_figures.csv",
        3,
        "value",
        "twenty-one",
        "'twenty-one' is not a number",
    ),
    (
        "report_figures.csv",
        3,
        "unit",
        "share",
        "unknown unit 'share'",
    ),
    (
        "report_figures.csv",
        3,
        "crime",
        "cyber",
        "unknown crime type 'cyber'",
    ),
    // Instruments.
    (
        "instruments.csv",
        2,
        "date",
        "2000-02-30",
        "February 2000 has no day 30",
    ),
    ("instruments.csv", 2, "date", "15/11/2000", "is not a date"),
    ("instruments.csv", 3, "date", "1946-13", "no month 13"),
    (
        "instruments.csv",
        2,
        "type",
        "pact",
        "unknown instrument type 'pact'",
    ),
    (
        "instruments.csv",
        2,
        "secretariat",
        "unodoc",
        "unknown entity 'unodoc'",
    ),
    (
        "instruments.csv",
        2,
        "entity",
        "cnd",
        "unknown entity 'cnd'",
    ),
    (
        "instruments.csv",
        2,
        "crimes",
        "piracy",
        "unknown crime type 'piracy'",
    ),
    (
        "instruments.csv",
        2,
        "crimes",
        "",
        "required field is empty",
    ),
    (
        "instruments.csv",
        2,
        "later_than_report",
        "true",
        "true exactly for what is dated after it",
    ),
    (
        "instruments.csv",
        4,
        "later_than_report",
        "false",
        "true exactly for what is dated after it",
    ),
    (
        "instruments.csv",
        4,
        "later_than_report",
        "yes",
        "'yes' is not true or false",
    ),
    ("instruments.csv", 3, "id", "untoc", "duplicate id 'untoc'"),
    (
        "instruments.csv",
        2,
        "source",
        "",
        "required field is empty",
    ),
    // Releases.
    (
        "releases.csv",
        2,
        "version",
        "1.0",
        "'1.0' is not a version",
    ),
    ("releases.csv", 2, "digest", "xyz", "'xyz' is not a digest"),
    // Special procedures.
    (
        "special_procedures.csv",
        2,
        "established",
        "2004-05",
        "'2004-05' is not a year",
    ),
    (
        "special_procedures.csv",
        2,
        "established",
        "two thousand",
        "is not a year",
    ),
    (
        "special_procedures.csv",
        2,
        "type",
        "envoy",
        "unknown mandate type 'envoy'",
    ),
    (
        "special_procedures.csv",
        2,
        "appointed_by",
        "hrcouncil",
        "unknown entity 'hrcouncil'",
    ),
    (
        "special_procedures.csv",
        2,
        "supported_by",
        "",
        "required field is empty",
    ),
    (
        "special_procedures.csv",
        3,
        "partial",
        "illicit-drugs",
        "'illicit-drugs' is not one of the row's crime types",
    ),
    (
        "special_procedures.csv",
        3,
        "partial",
        "piracy",
        "unknown crime type 'piracy'",
    ),
    (
        "special_procedures.csv",
        2,
        "short_title",
        "",
        "required field is empty",
    ),
    (
        "special_procedures.csv",
        2,
        "crimes",
        "",
        "required field is empty",
    ),
    (
        "special_procedures.csv",
        3,
        "id",
        "sr-trafficking",
        "duplicate id 'sr-trafficking'",
    ), // Editions, the links of each, the lineage and the searches.
    (
        "editions.csv",
        3,
        "default",
        "maybe",
        "'maybe' is not true or false",
    ),
    (
        "editions.csv",
        3,
        "default",
        "true",
        "a second default edition: exactly one row has default=true",
    ),
    (
        "editions.csv",
        3,
        "report",
        "true",
        "a second edition of the report: at most one row has report=true",
    ),
    (
        "entities.csv",
        5,
        "editions",
        "2030",
        "unknown edition '2030'",
    ),
    (
        "links.csv",
        6,
        "edition",
        "2019",
        "'odet' is not an entity of edition '2019' (its editions: 2025)",
    ),
    (
        "links.csv",
        5,
        "source_year",
        "2018",
        "evidence of 2018 is earlier than edition '2025' (2020 on)",
    ),
    ("lineage.csv", 2, "date", "2025-13-01", "no month 13"),
    (
        "searches.csv",
        3,
        "outcome",
        "link",
        "says 'link', but links.csv has no link of 'unicef' on this crime type in edition '2025'",
    ),
    (
        "searches.csv",
        2,
        "outcome",
        "not-found",
        "says 'not-found', but links.csv has the link in edition '2025': make it 'link'",
    ),
    (
        "searches.csv",
        3,
        "searched",
        "",
        "a search that found nothing says what was searched",
    ),
    (
        "searches.csv",
        2,
        "entity",
        "nobody",
        "unknown entity 'nobody'",
    ),
];

#[test]
fn every_bad_field_is_located_with_its_file_line_and_column() {
    all_hold(
        FIELD_CASES
            .iter()
            .map(|&(file, line, column, value, needle)| {
                let f = Fixture::default().with_field(file, line, column, value);
                let case = format!("{file}:{line} {column}={value:?}");
                let at = Some(line as u64);
                (
                    case,
                    one(f, &format!("data/{file}"), at, Some(column), needle),
                )
            }),
    );
}

/// A row added at the end of a file, and the problem it must give:
/// `(file, row, line, column, message)`.
const ROW_CASES: &[(&str, &str, u64, Option<&str>, &str)] = &[
    (
        "entities.csv",
        "itu,ITU2,Dup,ecosoc,Specialized Agencies,development,,x,,2019,2026-12-03",
        6,
        Some("id"),
        "duplicate entity id 'itu'",
    ),
    (
        "links.csv",
        "unesco,cybercrime,2019,agenda,s,compiled,,src,,,strong,2018,2026-12-03",
        7,
        Some("entity"),
        "unknown entity 'unesco'",
    ),
    (
        "links.csv",
        "itu,cybercrime,2019,mandate,again,compiled,,src,,A/RES/1,strong,2018,2026-12-03",
        7,
        Some("edition"),
        "duplicate link",
    ),
    (
        "links.csv",
        "itu,financial-crime,2019,agenda,a, b,compiled,,src,,,strong,2018,2026-12-03",
        7,
        None,
        "has 14 fields, the header has 13",
    ),
    (
        "organs.csv",
        "secretariat,Secretariat again,S,,2026-12-03",
        5,
        Some("id"),
        "duplicate organ 'secretariat'",
    ),
    (
        "group_members.csv",
        "icat,unodc,member,report,,2026-12-03",
        4,
        Some("entity"),
        "'unodc' is already a member of 'icat'",
    ),
    (
        "groups.csv",
        "icat,Again,,A,,words,,2026-12-03",
        3,
        Some("id"),
        "duplicate group id 'icat'",
    ),
    (
        "report_figures.csv",
        "entities-total,Again,1,count,,q,,2026-12-03",
        4,
        Some("id"),
        "duplicate figure 'entities-total'",
    ),
    (
        "links.csv",
        "itu,illicit-drugs,2019,agenda,s,compiled,,src,,,strong,2021,2026-12-03",
        7,
        Some("evidence"),
        "evidence of 2021 is later than edition '2019' (up to 2019): such a link is partial",
    ),
    (
        "entities.csv",
        "unhcr,UNHCR,Refugees,general-assembly,Funds and Programmes,human-rights,,x,,2019,2026-12-03",
        6,
        Some("editions"),
        "'unhcr' is in edition '2019' but not in '2025': lineage.csv must say what became of it",
    ),
    (
        "lineage.csv",
        ",itu,closed,2025-02-01,,A source,,2026-12-03",
        3,
        Some("to"),
        "a closure has no 'to'",
    ),
    (
        "lineage.csv",
        "odet,odet,renamed,2025-02-01,,A source,,2026-12-03",
        3,
        Some("to"),
        "the lineage comes back to this row: it must not form a circle",
    ),
    (
        "searches.csv",
        "2025,itu,cybercrime,not-found,again,2026-12-03",
        5,
        Some("crime"),
        "duplicate search: 'itu' on 'cybercrime' in edition '2025'",
    ),
];

#[test]
fn every_bad_row_is_located_with_its_file_and_line() {
    all_hold(ROW_CASES.iter().map(|&(file, row, line, column, needle)| {
        let mut f = Fixture::default();
        f[file].push_str(row);
        f[file].push('\n');
        let case = format!("{file} + {row:?}");
        (
            case,
            one(f, &format!("data/{file}"), Some(line), column, needle),
        )
    }));
}

#[test]
fn the_fixture_itself_is_valid() {
    let data = Fixture::default().load().expect("fixture loads");
    assert_eq!(data.entities().len(), 3);
    assert_eq!(data.links().len(), 3);
    assert_eq!(data.members(0).count(), 2);
}

#[test]
fn every_declared_file_has_a_case() {
    let covered: Vec<&str> = FIELD_CASES
        .iter()
        .map(|c| c.0)
        .chain(ROW_CASES.iter().map(|c| c.0))
        .collect();
    for name in Fixture::default().names() {
        assert!(covered.contains(&name), "no located-error case for {name}");
    }
}

#[test]
fn unterminated_quote_is_reported_not_a_panic() {
    let mut f = Fixture::default();
    f["links.csv"].push_str(
        "itu,financial-crime,2019,agenda,\"never closed,compiled,,src,,,strong,2018,2026-12-03\n",
    );
    let found = problems(f);
    assert!(
        found
            .iter()
            .any(|e| e.file == "data/links.csv" && e.line.is_some()),
        "{found:#?}"
    );
}

#[test]
fn invalid_utf8_is_reported_with_its_line() {
    let f = Fixture::default();
    let mut sources = f.sources();
    let mut bytes = f["entities.csv"].clone().into_bytes();
    let at = bytes.windows(8).position(|w| w == b"Telecoms").unwrap(); // on line 4
    bytes[at] = 0xff;
    *sources.get_mut("entities.csv").unwrap() =
        Source::new("entities.csv", "data/entities.csv", bytes);
    let found = Dataset::from_sources(&sources).unwrap_err().0;
    let e = found
        .iter()
        .find(|e| e.file == "data/entities.csv")
        .expect("entities problem");
    assert_eq!(e.line, Some(4), "{e}");
    assert!(e.message.contains("not valid UTF-8"), "{e}");
}

#[test]
fn missing_and_unknown_columns_are_reported_on_line_1() {
    let mut f = Fixture::default();
    f["links.csv"] = f["links.csv"].replacen("entity,crime,", "entity,crimes,", 1);
    let found = problems(f);
    assert!(
        found
            .iter()
            .any(|e| e.line == Some(1) && e.message.contains("unknown column 'crimes'")),
        "{found:#?}"
    );
    assert!(
        found
            .iter()
            .any(|e| e.line == Some(1) && e.message.contains("missing column 'crime'")),
        "{found:#?}"
    );
}

#[test]
fn removed_crime_type_is_reported_where_links_still_use_it() {
    // The crime types are data: a row may go, but every link that names it is reported.
    let mut f = Fixture::default();
    f["crime_types.csv"] =
        f["crime_types.csv"].replace("cybercrime,Cybercrime,Cyber,d,2026-12-03\n", "");
    let found = problems(f);
    let places: Vec<String> = found.iter().map(ToString::to_string).collect();
    assert_eq!(
        places,
        [
            "data/links.csv:3: column 'crime': unknown crime type 'cybercrime' (expected one of: human-trafficking, illicit-drugs, environmental-crime, financial-crime, arms-trafficking)",
            "data/links.csv:4: column 'crime': unknown crime type 'cybercrime' (expected one of: human-trafficking, illicit-drugs, environmental-crime, financial-crime, arms-trafficking)",
            "data/links.csv:6: column 'crime': unknown crime type 'cybercrime' (expected one of: human-trafficking, illicit-drugs, environmental-crime, financial-crime, arms-trafficking)",
            "data/report_figures.csv:3: column 'crime': unknown crime type 'cybercrime' (expected one of: human-trafficking, illicit-drugs, environmental-crime, financial-crime, arms-trafficking)",
            "data/instruments.csv:4: column 'crimes': unknown crime type 'cybercrime' (expected one of: human-trafficking, illicit-drugs, environmental-crime, financial-crime, arms-trafficking); separate several with ';'",
            "data/special_procedures.csv:3: column 'crimes': unknown crime type 'cybercrime' (expected one of: human-trafficking, illicit-drugs, environmental-crime, financial-crime, arms-trafficking); separate several with ';'",
            "data/special_procedures.csv:3: column 'partial': unknown crime type 'cybercrime' (expected one of: human-trafficking, illicit-drugs, environmental-crime, financial-crime, arms-trafficking); separate several with ';'",
            "data/searches.csv:3: column 'crime': unknown crime type 'cybercrime' (expected one of: human-trafficking, illicit-drugs, environmental-crime, financial-crime, arms-trafficking)",
            "data/searches.csv:4: column 'crime': unknown crime type 'cybercrime' (expected one of: human-trafficking, illicit-drugs, environmental-crime, financial-crime, arms-trafficking)",
        ]
    );
}

#[test]
fn empty_vocabulary_is_reported() {
    let mut f = Fixture::default();
    f["pillars.csv"] = "id,label,short_label,checked\n".into();
    let found = problems(f);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(
        found[0].to_string(),
        "data/pillars.csv: no pillar: the file needs at least one row"
    );
}

#[test]
fn bad_colour_and_duplicate_vocabulary_id_are_located() {
    let mut f = Fixture::default();
    f["organs.csv"] = f["organs.csv"].replace("#2e6b30", "green");
    f["organs.csv"].push_str("secretariat,Secretariat again,S,,2026-12-03\n");
    let found: Vec<String> = problems(f).iter().map(ToString::to_string).collect();
    assert_eq!(
        found,
        [
            "data/organs.csv:3: column 'colour': 'green' is not a colour (expected #rrggbb, e.g. #1d4e89)",
            "data/organs.csv:5: column 'id': duplicate organ 'secretariat'",
        ]
    );
}

#[test]
fn unknown_group_and_member_are_reported() {
    let mut f = Fixture::default();
    f["group_members.csv"]
        .push_str("nope,unodc,member,report,,2026-12-03\nicat,nobody,member,report,,2026-12-03\n");
    let found = problems(f);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert_eq!(
        (found[0].line, found[0].column.as_deref()),
        (Some(4), Some("group"))
    );
    assert_eq!(
        (found[1].line, found[1].column.as_deref()),
        (Some(5), Some("entity"))
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let mut f = Fixture::default();
    f["entities.csv"]
        .push_str("itu,ITU2,Dup,ecosoc,Specialized Agencies,development,,x,,2026-12-03\n");
    f["links.csv"]
        .push_str("itu,drug,agenda,s,compiled,,src,,,strong,2018,2026-12-03\nunesco,cybercrime,agenda,s,compiled,,src,,,strong,2018,2026-12-03\n");
    assert_eq!(problems(f).len(), 3);
}

#[test]
fn bom_and_crlf_are_accepted() {
    let mut f = Fixture::default();
    f["entities.csv"] = format!("\u{feff}{}", f["entities.csv"].replace('\n', "\r\n"));
    f["links.csv"] = f["links.csv"].replace('\n', "\r\n");
    let data = f.load().expect("BOM and CRLF load");
    assert_eq!(data.entities()[0].id, "unodc");
    assert_eq!(data.entities()[2].summary, "Telecoms.");
}

#[test]
fn missing_file_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    Fixture::default().write_to(dir.path());
    std::fs::remove_file(dir.path().join("links.csv")).unwrap();
    let err = mandate_map::dataset::Dataset::load(dir.path()).unwrap_err();
    assert_eq!(err.0.len(), 1, "{err}");
    assert!(err.0[0].file.ends_with("links.csv"));
    assert!(err.0[0].message.contains("cannot read"), "{err}");
}

/// The fixture with a `parent` column, naming `parent` as UNICEF's.
fn with_unicef_parent(parent: &str) -> Fixture {
    let mut f = Fixture::default();
    f["entities.csv"] = f["entities.csv"]
        .replacen("pillars,website", "pillars,parent,website", 1)
        .replace(
            "peace-security;development,https",
            "peace-security;development,,https",
        )
        .replace(
            "development;human-rights,https",
            &format!("development;human-rights,{parent},https"),
        )
        .replace(
            "ecosoc,Specialized Agencies,development,,",
            "ecosoc,Specialized Agencies,development,,,",
        )
        .replace(
            "Departments and Offices,development,,Digital",
            "Departments and Offices,development,,,Digital",
        );
    f
}

#[test]
fn parent_that_is_not_an_entity_is_located() {
    let f = with_unicef_parent("nobody");
    assert_one(
        f,
        "data/entities.csv",
        Some(3),
        Some("parent"),
        "unknown entity 'nobody'",
    );
}

#[test]
fn a_body_within_another_is_listed_but_not_counted() {
    let f = with_unicef_parent("unodc");
    let data = f.load().expect("a parent that is a chart entity loads");
    assert_eq!(data.entities().len(), 3);
    assert_eq!(data.entities()[1].parent(), Some(0));
    let cov = mandate_map::stats::coverage(
        &data,
        &data.index().all,
        &mandate_map::query::Filter::default(),
    );
    assert_eq!(cov.entities, 2, "UNICEF, within UNODC here, is not counted");
}
