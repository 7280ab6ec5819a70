//! Charts as standalone, accessible SVG: numbers in (from [`crate::stats`]), markup out
//! through askama templates. Every value is formatted here, deterministically, so the same
//! request gives the same bytes.

pub mod coverage;

/// The source line every chart carries.
pub const SOURCE: &str =
    "Data: mandate-map, based on Walker & Reitano (2019), Fragmented but far-reaching, GI-TOC.";

/// Formats a coordinate with one decimal, the same way on every machine.
pub(crate) fn px(v: f64) -> String {
    format!("{v:.1}")
}

/// Breaks text into lines of at most `max` characters at spaces (a longer word stands on a
/// line of its own), for SVG text, which does not wrap.
pub(crate) fn wrap(text: &str, max: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= max => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_owned()),
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_breaks_at_spaces_within_the_limit() {
        assert_eq!(wrap("a bb ccc dddd", 6), vec!["a bb", "ccc", "dddd"]);
        assert_eq!(wrap("unbreakable", 4), vec!["unbreakable"]);
        assert!(wrap("", 10).is_empty());
    }
}
