//! One test per kind of data problem: each is reported with its file, line and column, and
//! all problems are reported at once.

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

/// Asserts that exactly one problem was found, at this place, and that its message
/// contains `needle`.
fn assert_one(f: Fixture, file: &str, line: Option<u64>, column: Option<&str>, needle: &str) {
    let found = problems(f);
    assert_eq!(found.len(), 1, "expected one problem, got: {found:#?}");
    let e = &found[0];
    assert_eq!(e.file, file, "{e}");
    assert_eq!(e.line, line, "{e}");
    assert_eq!(e.column.as_deref(), column, "{e}");
    assert!(
        e.message.contains(needle),
        "message {:?} lacks {needle:?}",
        e.message
    );
    // The rendered form leads with file:line, like a compiler.
    let shown = e.to_string();
    let place = match line {
        Some(l) => format!("{file}:{l}"),
        None => file.to_owned(),
    };
    assert!(shown.starts_with(&place), "{shown}");
}

#[test]
fn the_fixture_itself_is_valid() {
    let data = Fixture::default().load().expect("fixture loads");
    assert_eq!(data.entities().len(), 3);
    assert_eq!(data.links().len(), 3);
    assert_eq!(data.members(0).count(), 2);
}

#[test]
fn duplicate_entity_id_is_reported() {
    let mut f = Fixture::default();
    f.entities
        .push_str("itu,ITU2,Dup,ecosoc,Specialized Agencies,development,,x,\n");
    assert_one(
        f,
        "data/entities.csv",
        Some(5),
        Some("id"),
        "duplicate entity id 'itu'",
    );
}

#[test]
fn unknown_entity_in_a_link_is_reported() {
    let mut f = Fixture::default();
    f.links
        .push_str("unesco,cybercrime,agenda,s,compiled,,src,,,strong,2018\n");
    assert_one(
        f,
        "data/links.csv",
        Some(5),
        Some("entity"),
        "unknown entity 'unesco'",
    );
}

#[test]
fn unknown_crime_type_lists_the_valid_ones() {
    let mut f = Fixture::default();
    f.links
        .push_str("itu,drug,agenda,s,compiled,,src,,,strong,2018\n");
    assert_one(
        f,
        "data/links.csv",
        Some(5),
        Some("crime"),
        "unknown crime type 'drug' (expected one of: human-trafficking, illicit-drugs, environmental-crime, cybercrime, financial-crime, arms-trafficking)",
    );
}

#[test]
fn unknown_organ_is_reported() {
    let mut f = Fixture::default();
    f.entities = f.entities.replace(
        "itu,ITU,International Telecommunication Union,ecosoc",
        "itu,ITU,International Telecommunication Union,ecosocc",
    );
    assert_one(
        f,
        "data/entities.csv",
        Some(4),
        Some("organ"),
        "unknown organ 'ecosocc'",
    );
}

#[test]
fn unknown_pillar_is_reported() {
    let mut f = Fixture::default();
    f.entities = f
        .entities
        .replace("development;human-rights", "development;rights");
    assert_one(
        f,
        "data/entities.csv",
        Some(3),
        Some("pillars"),
        "unknown pillar 'rights'",
    );
}

#[test]
fn unknown_category_is_reported() {
    let mut f = Fixture::default();
    f.entities = f.entities.replace("Specialized Agencies", "Agencies");
    assert_one(
        f,
        "data/entities.csv",
        Some(4),
        Some("category"),
        "unknown category 'Agencies'",
    );
}

#[test]
fn unknown_basis_is_reported() {
    let mut f = Fixture::default();
    f.links = f
        .links
        .replace("itu,cybercrime,agenda", "itu,cybercrime,mandated");
    assert_one(
        f,
        "data/links.csv",
        Some(4),
        Some("basis"),
        "unknown basis 'mandated'",
    );
}

#[test]
fn empty_required_field_is_reported() {
    let mut f = Fixture::default();
    f.entities = f.entities.replace(",Telecoms.,", ",,");
    assert_one(
        f,
        "data/entities.csv",
        Some(4),
        Some("summary"),
        "required field is empty",
    );
}

#[test]
fn report_link_without_quote_is_reported() {
    let mut f = Fixture::default();
    f.links = f
        .links
        .replace("report,UNODC as its secretariat,,", "report,,,");
    assert_one(
        f,
        "data/links.csv",
        Some(2),
        Some("quote"),
        "needs the report's verbatim quote",
    );
}

#[test]
fn compiled_link_without_source_is_reported() {
    let mut f = Fixture::default();
    f.links = f
        .links
        .replace("compiled,,\"ITU, official website\",", "compiled,,,");
    assert_one(
        f,
        "data/links.csv",
        Some(4),
        Some("source"),
        "needs its source",
    );
}

#[test]
fn duplicate_link_is_reported() {
    let mut f = Fixture::default();
    f.links
        .push_str("itu,cybercrime,mandate,again,compiled,,src,,A/RES/1,strong,2018\n");
    assert_one(
        f,
        "data/links.csv",
        Some(5),
        Some("crime"),
        "duplicate link",
    );
}

#[test]
fn malformed_row_with_too_many_fields_is_reported() {
    let mut f = Fixture::default();
    f.links
        .push_str("itu,financial-crime,agenda,a, b,compiled,,src,,,strong,2018\n");
    assert_one(
        f,
        "data/links.csv",
        Some(5),
        None,
        "has 12 fields, the header has 11",
    );
}

#[test]
fn unterminated_quote_is_reported_not_a_panic() {
    let mut f = Fixture::default();
    f.links
        .push_str("itu,financial-crime,agenda,\"never closed,compiled,,src,,,strong,2018\n");
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
    let mut bytes = f.entities.clone().into_bytes();
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
    f.links = f.links.replacen("entity,crime,", "entity,crimes,", 1);
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
    f.crime_types = f.crime_types.replace("cybercrime,Cybercrime,Cyber,d\n", "");
    let found = problems(f);
    let places: Vec<String> = found.iter().map(ToString::to_string).collect();
    assert_eq!(
        places,
        [
            "data/links.csv:3: column 'crime': unknown crime type 'cybercrime' (expected one of: human-trafficking, illicit-drugs, environmental-crime, financial-crime, arms-trafficking)",
            "data/links.csv:4: column 'crime': unknown crime type 'cybercrime' (expected one of: human-trafficking, illicit-drugs, environmental-crime, financial-crime, arms-trafficking)",
            "data/report_figures.csv:3: column 'crime': unknown crime type 'cybercrime' (expected one of: human-trafficking, illicit-drugs, environmental-crime, financial-crime, arms-trafficking)",
            "data/instruments.csv:4: column 'crimes': unknown crime type 'cybercrime' (expected one of: human-trafficking, illicit-drugs, environmental-crime, financial-crime, arms-trafficking); separate several with ';'",
            "data/special_procedures.csv:3: column 'crimes': unknown crime type 'cybercrime' (expected one of: human-trafficking, illicit-drugs, environmental-crime, financial-crime, arms-trafficking); separate several with ';'",
            "data/special_procedures.csv:3: column 'partial': unknown crime type 'cybercrime' (expected one of: human-trafficking, illicit-drugs, environmental-crime, financial-crime, arms-trafficking); separate several with ';'",
        ]
    );
}

#[test]
fn empty_vocabulary_is_reported() {
    let f = Fixture {
        pillars: "id,label,short_label\n".into(),
        ..Fixture::default()
    };
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
    f.organs = f.organs.replace("#2e6b30", "green");
    f.organs.push_str("secretariat,Secretariat again,S,\n");
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
    f.group_members
        .push_str("nope,unodc,member,report,\nicat,nobody,member,report,\n");
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
    f.entities
        .push_str("itu,ITU2,Dup,ecosoc,Specialized Agencies,development,,x,\n");
    f.links
        .push_str("itu,drug,agenda,s,compiled,,src,,,strong,2018\nunesco,cybercrime,agenda,s,compiled,,src,,,strong,2018\n");
    assert_eq!(problems(f).len(), 3);
}

#[test]
fn bom_and_crlf_are_accepted() {
    let mut f = Fixture::default();
    f.entities = format!("\u{feff}{}", f.entities.replace('\n', "\r\n"));
    f.links = f.links.replace('\n', "\r\n");
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

#[test]
fn mandate_without_its_decision_is_located() {
    let mut f = Fixture::default();
    f.links = f.links.replace(",E/RES/1991/47,", ",,");
    assert_one(
        f,
        "data/links.csv",
        Some(2),
        Some("mandate_source"),
        "a 'mandate' link names the governing body's decision",
    );
}

#[test]
fn agenda_with_a_decision_is_located() {
    let mut f = Fixture::default();
    f.links = f
        .links
        .replace("exploitation,,,,strong,", "exploitation,,,A/RES/1,strong,");
    assert_one(
        f,
        "data/links.csv",
        Some(3),
        Some("mandate_source"),
        "an 'agenda' link rests on no governing body's decision",
    );
}

#[test]
fn compiled_link_without_its_year_is_located() {
    let mut f = Fixture::default();
    f.links = f.links.replace("partial,2018", "partial,");
    assert_one(
        f,
        "data/links.csv",
        Some(4),
        Some("source_year"),
        "a 'compiled' link gives the year of the evidence it cites",
    );
    let mut f = Fixture::default();
    f.links = f.links.replace("partial,2018", "partial,last year");
    assert_one(
        f,
        "data/links.csv",
        Some(4),
        Some("source_year"),
        "'last year' is not a year",
    );
}

#[test]
fn unknown_evidence_grade_is_located() {
    let mut f = Fixture::default();
    f.links = f.links.replace(",,strong,\n", ",,solid,\n");
    assert_one(
        f,
        "data/links.csv",
        Some(3),
        Some("evidence"),
        "unknown evidence grade 'solid' (expected one of: strong, partial)",
    );
}

#[test]
fn partial_link_without_its_reason_is_located() {
    let mut f = Fixture::default();
    f.links = f.links.replace("Partial: a programme page.", "");
    assert_one(
        f,
        "data/links.csv",
        Some(4),
        Some("notes"),
        "a 'partial' link says in its notes why",
    );
}

/// The fixture with a `parent` column, naming `parent` as UNICEF's.
fn with_unicef_parent(parent: &str) -> Fixture {
    let mut f = Fixture::default();
    f.entities = f
        .entities
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

#[test]
fn report_figure_that_is_not_a_number_is_located() {
    let mut f = Fixture::default();
    f.report_figures = f
        .report_figures
        .replace(",21,percent,", ",twenty-one,percent,");
    assert_one(
        f,
        "data/report_figures.csv",
        Some(3),
        Some("value"),
        "'twenty-one' is not a number",
    );
}

/// The fixture with `field` of line `line` (1 is the header) of `file` replaced by `value`.
fn with_field(file: &str, line: usize, field: &str, value: &str) -> Fixture {
    let mut f = Fixture::default();
    let text = f.text(file).to_owned();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let column = rows[0].iter().position(|h| h == field).expect("a column");
    let mut row: Vec<String> = rows[line - 1].iter().map(str::to_owned).collect();
    row[column] = value.to_owned();
    rows[line - 1] = csv::StringRecord::from(row);
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in &rows {
        w.write_record(r).unwrap();
    }
    let edited = String::from_utf8(w.into_inner().unwrap()).unwrap();
    match file {
        "instruments.csv" => f.instruments = edited,
        "special_procedures.csv" => f.special_procedures = edited,
        other => panic!("no {other} here"),
    }
    f
}

#[test]
fn instruments_problems_are_located() {
    for (line, field, value, needle) in [
        (2, "date", "2000-02-30", "February 2000 has no day 30"),
        (2, "date", "15/11/2000", "is not a date"),
        (3, "date", "1946-13", "no month 13"),
        (2, "type", "treaty", "unknown instrument type 'treaty'"),
        (2, "secretariat", "unodoc", "unknown entity 'unodoc'"),
        (2, "entity", "cnd", "unknown entity 'cnd'"),
        (2, "crimes", "piracy", "unknown crime type 'piracy'"),
        (2, "crimes", "", "required field is empty"),
        (
            2,
            "later_than_report",
            "true",
            "true exactly for what is dated after it",
        ),
        (
            4,
            "later_than_report",
            "false",
            "true exactly for what is dated after it",
        ),
        (4, "later_than_report", "yes", "'yes' is not true or false"),
        (3, "id", "untoc", "duplicate id 'untoc'"),
        (2, "source", "", "required field is empty"),
    ] {
        let f = with_field("instruments.csv", line, field, value);
        assert_one(
            f,
            "data/instruments.csv",
            Some(line as u64),
            Some(field),
            needle,
        );
    }
}

#[test]
fn special_procedures_problems_are_located() {
    for (line, field, value, needle) in [
        (2, "established", "2004-05", "'2004-05' is not a year"),
        (2, "established", "two thousand", "is not a year"),
        (2, "type", "envoy", "unknown mandate type 'envoy'"),
        (2, "appointed_by", "hrcouncil", "unknown entity 'hrcouncil'"),
        (2, "supported_by", "", "required field is empty"),
        (
            3,
            "partial",
            "illicit-drugs",
            "'illicit-drugs' is not one of the row's crime types",
        ),
        (3, "partial", "piracy", "unknown crime type 'piracy'"),
        (2, "short_title", "", "required field is empty"),
        (2, "crimes", "", "required field is empty"),
        (3, "id", "sr-trafficking", "duplicate id 'sr-trafficking'"),
    ] {
        let f = with_field("special_procedures.csv", line, field, value);
        assert_one(
            f,
            "data/special_procedures.csv",
            Some(line as u64),
            Some(field),
            needle,
        );
    }
}
