//! The stylesheet's text colours pass WCAG 2.1 AA contrast (4.5:1) on the backgrounds they
//! are used on. Colours are read from `static/style.css` and from the data's vocabularies
//! (`data/organs.csv`, ...), so changing a colour in either is checked here.

use std::collections::HashMap;

const CSS: &str = include_str!("../static/style.css");

/// `--name: #rrggbb;` declarations in the stylesheet.
fn variables() -> HashMap<String, String> {
    CSS.lines()
        .filter_map(|line| {
            let line = line.trim();
            let rest = line.strip_prefix("--")?;
            let (name, value) = rest.split_once(':')?;
            let value = value.trim().trim_end_matches(';').trim();
            value
                .starts_with('#')
                .then(|| (name.trim().to_owned(), value.to_owned()))
        })
        .collect()
}

fn resolve(colour: &str, vars: &HashMap<String, String>) -> String {
    match colour.strip_prefix("--") {
        Some(name) => vars
            .get(name)
            .unwrap_or_else(|| panic!("--{name} is not declared in style.css"))
            .clone(),
        None => {
            assert!(CSS.contains(colour), "{colour} is not used in style.css");
            colour.to_owned()
        }
    }
}

fn luminance(hex: &str) -> f64 {
    let channel = |i: usize| {
        let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
}

fn contrast(a: &str, b: &str) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

#[test]
fn text_colours_pass_wcag_aa() {
    let vars = variables();
    // (text, background, where)
    let pairs = [
        ("--ink", "--paper", "body text"),
        ("--muted", "--paper", "secondary text"),
        ("--muted", "--wash", "secondary text on grey"),
        ("--accent", "--paper", "links"),
        ("--accent", "--agenda-bg", "selected facet links"),
        ("#fff", "--mandate", "mandate badges, tiles and chips"),
        ("--agenda-ink", "--agenda-bg", "agenda badges and tiles"),
        ("#5f6873", "--wash", "faded tiles"),
        ("--ink", "#a8c7ea", "heatmap level 2"),
        ("--ink", "#5f95d0", "heatmap level 3"),
        ("#fff", "#2f6db3", "heatmap level 4"),
        ("#fff", "#0b4f8a", "heatmap level 5"),
    ];
    let mut failures = Vec::new();
    for (fg, bg, place) in pairs {
        let (f, b) = (resolve(fg, &vars), resolve(bg, &vars));
        let f = if f == "#fff" { "#ffffff".to_owned() } else { f };
        let ratio = contrast(&f, &b);
        if ratio < 4.5 {
            failures.push(format!("{place}: {f} on {b} is {ratio:.2}:1"));
        }
    }
    assert!(failures.is_empty(), "below 4.5:1:\n{}", failures.join("\n"));
}

/// The data's colours (an organ's box header on the chart) carry white text, whatever colours
/// the vocabulary files give.
#[test]
fn data_colours_carry_white_text_at_wcag_aa() {
    let data = mandate_map::dataset::Dataset::embedded().expect("embedded data is valid");
    let mut checked = 0;
    let mut failures = Vec::new();
    for dim in mandate_map::dataset::Dim::all() {
        for (_, term) in data.vocabulary(dim).iter() {
            if term.colour.is_empty() {
                continue;
            }
            checked += 1;
            let ratio = contrast("#ffffff", &term.colour);
            if ratio < 4.5 {
                failures.push(format!(
                    "{}: white on {} is {ratio:.2}:1",
                    term.id, term.colour
                ));
            }
        }
    }
    assert!(checked > 0, "the data gives some colours");
    assert!(failures.is_empty(), "below 4.5:1:\n{}", failures.join("\n"));
}

/// WCAG 2.1 1.4.11: the focus outline stands out at least 3:1 from the page around it.
#[test]
fn focus_outline_passes_non_text_contrast() {
    let vars = variables();
    for background in ["--paper", "--wash"] {
        let ratio = contrast(&resolve("--focus", &vars), &resolve(background, &vars));
        assert!(ratio >= 3.0, "focus outline on {background}: {ratio:.2}:1");
    }
    assert!(
        CSS.contains("outline: 3px solid var(--focus)"),
        "the outline uses --focus"
    );
    assert!(!CSS.contains("#f0a500"), "the old 2.08:1 outline is gone");
}

#[test]
fn contrast_formula_matches_known_values() {
    assert!((contrast("#000000", "#ffffff") - 21.0).abs() < 1e-9);
    assert!((contrast("#777777", "#ffffff") - 4.48).abs() < 0.01);
}
