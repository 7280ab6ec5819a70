//! Free text from the data as the pages show it: every web address a link, and every UN
//! document symbol a link to the document's official record (`undocs.org`, the UN's own
//! resolver of symbols). The text is cut into [`Segment`]s here; the templates escape each one
//! and write the links (`templates/partials/text.html`).

/// A piece of text, a link where `href` is set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub text: String,
    pub href: Option<String>,
}

/// Where the UN's official documents are found by their symbol.
const DOCUMENTS: &str = "https://undocs.org/";

/// Cuts `text` into plain pieces and links: web addresses and UN document symbols.
pub fn segments(text: &str) -> Vec<Segment> {
    let mut out: Vec<Segment> = Vec::new();
    let mut plain = String::new();
    let mut rest = text;
    while !rest.is_empty() {
        let word_start = rest
            .find(|c: char| !c.is_whitespace())
            .unwrap_or(rest.len());
        plain.push_str(&rest[..word_start]);
        rest = &rest[word_start..];
        let word_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let (word, after) = rest.split_at(word_end);
        match link_in(word, after) {
            Some((start, end, href)) => {
                plain.push_str(&word[..start]);
                if !plain.is_empty() {
                    out.push(Segment {
                        text: std::mem::take(&mut plain),
                        href: None,
                    });
                }
                out.push(Segment {
                    text: word[start..end].to_owned(),
                    href: Some(href),
                });
                plain.push_str(&word[end..]);
            }
            None => plain.push_str(word),
        }
        rest = after;
    }
    if !plain.is_empty() {
        out.push(Segment {
            text: plain,
            href: None,
        });
    }
    out
}

/// The link within `word`, if any, as its start and end in `word` and its address; `after`
/// is the text that follows the word (a Security Council resolution's year).
fn link_in(word: &str, after: &str) -> Option<(usize, usize, String)> {
    if word.starts_with("https://") || word.starts_with("http://") {
        let url = trim_url(word);
        return Some((0, url.len(), url.to_owned()));
    }
    let symbol = trim_symbol(word);
    if !is_symbol(symbol) {
        return None;
    }
    let start = word.len() - word.trim_start_matches('(').len();
    // A Security Council resolution is written with its year: `S/RES/2388 (2017)`.
    let year = after
        .strip_prefix(' ')
        .and_then(|a| a.get(..6))
        .filter(|y| {
            y.starts_with('(') && y.ends_with(')') && y[1..5].bytes().all(|b| b.is_ascii_digit())
        })
        .filter(|_| symbol.starts_with("S/RES/"))
        .unwrap_or("");
    Some((
        start,
        start + symbol.len(),
        format!("{DOCUMENTS}{symbol}{year}"),
    ))
}

/// A web address without the punctuation that ends the sentence around it.
fn trim_url(word: &str) -> &str {
    let mut url = word.trim_end_matches(['.', ',', ';', ':', '\'', '"']);
    if url.ends_with(')') && !url.contains('(') {
        url = url.trim_end_matches(')');
    }
    url.trim_end_matches(['.', ',', ';', ':'])
}

/// A symbol without the punctuation around it.
fn trim_symbol(word: &str) -> &str {
    word.trim_start_matches('(')
        .trim_end_matches([',', ';', ':', ')', '\'', '"'])
        .trim_end_matches('.')
}

/// Whether `s` is a UN document symbol: an organ's letter (A, S or E), then segments of
/// capitals, digits and dots separated by `/`, with at least one number.
fn is_symbol(s: &str) -> bool {
    let mut parts = s.split('/');
    let organ = parts.next().unwrap_or("");
    let rest: Vec<&str> = parts.collect();
    matches!(organ, "A" | "S" | "E")
        && rest.len() >= 2
        && rest.iter().all(|p| {
            !p.is_empty()
                && p.bytes().all(|b| {
                    b.is_ascii_uppercase()
                        || b.is_ascii_digit()
                        || b".-".contains(&b)
                        || b.is_ascii_lowercase()
                })
        })
        && rest.iter().any(|p| p.bytes().any(|b| b.is_ascii_digit()))
        && rest[0]
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(text: &str) -> Vec<(String, String)> {
        segments(text)
            .into_iter()
            .filter_map(|s| s.href.map(|h| (s.text, h)))
            .collect()
    }

    fn joined(text: &str) -> String {
        segments(text).into_iter().map(|s| s.text).collect()
    }

    #[test]
    fn addresses_and_symbols_become_links_and_nothing_is_lost() {
        let text = "See https://www.unodc.org/x.html, and A/RES/55/25 (2000); S/RES/2388 (2017). Also (E/RES/2013/40) and S/2016/949.";
        assert_eq!(joined(text), text, "every character is kept");
        assert_eq!(
            links(text),
            [
                (
                    "https://www.unodc.org/x.html".into(),
                    "https://www.unodc.org/x.html".into()
                ),
                (
                    "A/RES/55/25".into(),
                    "https://undocs.org/A/RES/55/25".into()
                ),
                (
                    "S/RES/2388".into(),
                    "https://undocs.org/S/RES/2388(2017)".into()
                ),
                (
                    "E/RES/2013/40".into(),
                    "https://undocs.org/E/RES/2013/40".into()
                ),
                ("S/2016/949".into(), "https://undocs.org/S/2016/949".into()),
            ]
        );
    }

    #[test]
    fn words_that_only_look_like_symbols_stay_text() {
        for text in ["A/B testing", "and/or", "S/he", "E/CN", "1990/68", "Rev. 1"] {
            assert!(links(text).is_empty(), "{text}");
            assert_eq!(joined(text), text);
        }
        assert_eq!(links("E/2007/28/Rev.1")[0].0, "E/2007/28/Rev.1");
    }
}
