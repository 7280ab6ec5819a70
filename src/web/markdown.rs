//! The documents beside the data (the codebook, the change log), written in Markdown, as
//! HTML for their pages. Raw HTML in a document is dropped, not passed through: the documents
//! are data, and the pages write only what the renderer makes of them.

use pulldown_cmark::{Event, Options, Parser, html};

/// `text` as HTML: CommonMark with tables, without raw HTML.
pub fn to_html(text: &str) -> String {
    let events = Parser::new_ext(text, Options::ENABLE_TABLES)
        .filter(|e| !matches!(e, Event::Html(_) | Event::InlineHtml(_)));
    let mut out = String::with_capacity(text.len() * 3 / 2);
    html::push_html(&mut out, events);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_becomes_html_without_raw_html() {
        let html = to_html(
            "# Title\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nSome <b onclick=x>raw</b> and *this*\n\n<script>x</script>\n",
        );
        assert!(html.contains("<h1>Title</h1>"));
        assert!(html.contains("<table>"));
        assert!(html.contains("<em>this</em>"), "{html}");
        assert!(!html.contains("<script>"));
        assert!(!html.contains("<b"), "inline raw HTML is dropped too");
    }
}
