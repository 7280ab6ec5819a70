//! Links to entities and crime types as the views show them: a label and where it leads.

use crate::dataset::{Dataset, Term};

/// A link to an entity or a crime type.
pub struct Ref {
    pub href: String,
    pub label: String,
}

/// The entity at `position`, by its acronym.
pub fn entity(data: &Dataset, position: usize) -> Ref {
    let e = &data.entities()[position];
    Ref {
        href: format!("/entities/{}", e.id),
        label: e.acronym.to_string(),
    }
}

/// Crime types, by their labels, each leading to its profile.
pub fn crimes(data: &Dataset, crimes: &[Term]) -> Vec<Ref> {
    crimes
        .iter()
        .map(|&c| Ref {
            href: format!("/crimes/{}", data.crimes().id(c)),
            label: data.crime_type(c).label.clone(),
        })
        .collect()
}
