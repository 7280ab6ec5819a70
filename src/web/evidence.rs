//! A link's evidence as every view shows it: its basis, the governing body's decision for a
//! mandate, the grade and the year of the evidence, and the report's words or the source one
//! click away (`templates/partials/evidence.html`). The entity profile, the crime pages and
//! the filtered list of entities all show a link through [`Evidence`], so a link reads the
//! same wherever the question is asked.

use super::text::{Segment, segments};
use crate::dataset::{Dataset, Link};

/// One link's evidence, ready to show.
pub struct Evidence {
    /// The crime type's id and label.
    pub crime: String,
    pub label: String,
    pub basis: &'static str,
    pub basis_label: &'static str,
    pub grade: &'static str,
    pub grade_label: &'static str,
    /// The governing body's decision, for a mandate: its UN document symbols are links.
    pub mandate_source: Vec<Segment>,
    /// The year of the evidence, for a compiled link.
    pub source_year: Option<u16>,
    /// Whether that year is later than the edition's period (the report's year, for the
    /// report's edition): the evidence shows the work since, not that it existed by then.
    pub later: bool,
    pub summary: String,
    /// The report's words, for a link the report states.
    pub quote: Option<String>,
    /// Where the link is established, for a compiled link.
    pub source: Option<Vec<Segment>>,
    pub notes: Vec<Segment>,
}

impl Evidence {
    pub fn of(data: &Dataset, link: &Link) -> Evidence {
        Evidence {
            crime: data.crimes().id(link.crime()).to_owned(),
            label: data.crime_type(link.crime()).label.clone(),
            basis: link.basis().as_str(),
            basis_label: link.basis().label(),
            grade: link.grade().as_str(),
            grade_label: link.grade().label(),
            mandate_source: segments(link.mandate_source()),
            source_year: link.source_year(),
            later: link
                .source_year()
                .zip(data.edition().evidence_to)
                .is_some_and(|(y, to)| y > to.0),
            summary: link.summary.to_string(),
            quote: link.quote().map(str::to_owned),
            source: link.source().map(segments),
            notes: segments(&link.notes),
        }
    }

    /// Where the evidence comes from and when, in a few words: "the report (2019)" or
    /// "dated 2021".
    pub fn dated(&self) -> String {
        match self.source_year {
            Some(year) => format!("dated {year}"),
            None => "the report (2019)".to_owned(),
        }
    }
}
