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
