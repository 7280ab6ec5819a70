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
            codebook.contains(&format!("`{}`", file.name)),
            "data/README.md does not describe {}",
            file.name
        );
        for column in file.all_columns() {
            assert!(
                codebook.contains(&format!("`{}`", column.name)),
                "data/README.md does not describe {}'s column {}",
                file.name,
                column.name
            );
        }
    }
}
