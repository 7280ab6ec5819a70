//! The docs' "where to add what" stays true: every path it names exists, and every data file
//! the schema declares is described in the codebook.

use std::path::Path;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The text of the README's section headed `heading`, up to the next `## `.
fn section<'a>(text: &'a str, heading: &str) -> &'a str {
    let start = text
        .find(heading)
        .unwrap_or_else(|| panic!("the README has a section {heading:?}"));
    let rest = &text[start + heading.len()..];
    &rest[..rest.find("\n## ").unwrap_or(rest.len())]
}

/// Backquoted words that look like paths in the repository.
fn paths(text: &str) -> Vec<&str> {
    text.split('`')
        .skip(1)
        .step_by(2)
        .filter(|w| {
            ["src/", "data/", "templates/", "tests/"]
                .iter()
                .any(|p| w.starts_with(p))
        })
        .collect()
}

#[test]
fn every_path_the_guides_name_exists() {
    let readme = std::fs::read_to_string(Path::new(ROOT).join("README.md")).unwrap();
    let lib = std::fs::read_to_string(Path::new(ROOT).join("src/lib.rs")).unwrap();
    let named: Vec<&str> = paths(section(&readme, "## Where to add what"))
        .into_iter()
        .chain(paths(&lib))
        .collect();
    assert!(named.len() >= 10, "the guides name the files: {named:?}");
    for path in named {
        assert!(
            Path::new(ROOT).join(path).exists(),
            "{path} is named but does not exist"
        );
    }
}

#[test]
fn the_codebook_describes_every_data_file_and_column() {
    let codebook = std::fs::read_to_string(Path::new(ROOT).join("data/README.md")).unwrap();
    for file in mandate_map::dataset::schema::files() {
        assert!(
            codebook.contains(&format!("`{}`", file.name())),
            "data/README.md does not describe {}",
            file.name()
        );
        for column in &file.columns {
            assert!(
                codebook.contains(&format!("`{}`", column.name)),
                "data/README.md does not describe {}'s column {}",
                file.name(),
                column.name
            );
        }
    }
}

#[test]
fn the_codebooks_table_of_figures_equals_the_data() {
    use mandate_map::dataset::{Dataset, Unit};
    let data = Dataset::embedded().unwrap();
    let cov = mandate_map::stats::coverage(
        &data,
        &data.index().all,
        &mandate_map::query::Filter::default(),
    );
    let codebook = std::fs::read_to_string(Path::new(ROOT).join("data/README.md")).unwrap();
    let mut rows = 0;
    for line in codebook.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let [_, id, report, strong, all, _] = cells.as_slice() else {
            continue;
        };
        let Some(id) = id.strip_prefix('`').and_then(|i| i.strip_suffix('`')) else {
            continue;
        };
        let Some(crime) = data.crimes().find(id) else {
            continue;
        };
        let row = &cov.crimes[crime.index()];
        let published = data.report_figure_on(crime, Unit::Count).unwrap().value;
        assert_eq!(
            report.parse::<f64>().unwrap(),
            published,
            "{id}: the report"
        );
        assert_eq!(strong.parse::<usize>().unwrap(), row.strong, "{id}: strong");
        assert_eq!(
            all.parse::<usize>().unwrap(),
            row.count,
            "{id}: strong and partial"
        );
        rows += 1;
    }
    assert_eq!(rows, data.crimes().len(), "a row per crime type");
}

#[test]
fn the_data_directory_holds_exactly_the_declared_files() {
    let declared: std::collections::BTreeSet<String> = mandate_map::dataset::schema::files()
        .iter()
        .map(|f| f.name().to_owned())
        .collect();
    let present: std::collections::BTreeSet<String> =
        std::fs::read_dir(Path::new(ROOT).join("data"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".csv"))
            .collect();
    assert_eq!(
        declared, present,
        "every CSV in data/ is declared (src/dataset/model.rs or DIMENSIONS), and every declared file exists"
    );
}
