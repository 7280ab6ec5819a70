//! Where an entity is across editions: its history in the lineage table, and where an id
//! that is not in an edition leads (its successor there, or its page in an edition that has
//! it), so an old id never stops answering.

use super::Dataset;
use super::model::{Edition, Entity, Lineage};

/// Where an entity id leads from one edition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Whereabouts {
    /// An entity of this edition, at this position.
    Here(usize),
    /// Not in this edition, which has exactly one successor of it (renamed, merged into
    /// another, or a chain of such): that successor's id.
    Successor(String),
    /// Not in this edition and without a single successor in it (closed, split, created
    /// later): the id of the latest edition that has it.
    Elsewhere(String),
    /// No edition has an entity with this id.
    Unknown,
}

impl Dataset {
    /// Where `id` leads from this edition.
    pub fn whereabouts(&self, id: &str) -> Whereabouts {
        if let Some((position, _)) = self.entity(id) {
            return Whereabouts::Here(position);
        }
        let Some(entity) = self.any_entity(id) else {
            return Whereabouts::Unknown;
        };
        let successors = self.successors_here(id);
        if let [only] = successors.as_slice() {
            return Whereabouts::Successor(only.clone());
        }
        match self.latest_edition_of(entity) {
            Some(edition) => Whereabouts::Elsewhere(edition.id.to_string()),
            None => Whereabouts::Unknown,
        }
    }

    /// The lineage rows that name `id`, before or after the change, in date order.
    pub fn history(&self, id: &str) -> Vec<&Lineage> {
        let mut rows: Vec<&Lineage> = self
            .lineage()
            .iter()
            .filter(|l| side(&l.from) == Some(id) || side(&l.to) == Some(id))
            .collect();
        rows.sort_by_key(|l| l.date);
        rows
    }

    /// The editions that have `entity`, in file order.
    pub fn editions_of<'a>(
        &'a self,
        entity: &'a Entity,
    ) -> impl Iterator<Item = &'a Edition> + use<'a> {
        self.editions()
            .iter()
            .filter(|e| entity.editions.contains(&e.id))
    }

    /// The latest edition (in file order) that has `entity`.
    fn latest_edition_of<'a>(&'a self, entity: &'a Entity) -> Option<&'a Edition> {
        self.editions_of(entity).last()
    }

    /// The entities of this edition that `id` became, following the lineage forward through
    /// entities this edition does not have; each once, in the order found.
    fn successors_here(&self, id: &str) -> Vec<String> {
        let mut found: Vec<String> = Vec::new();
        let mut seen: Vec<&str> = vec![id];
        let mut queue: Vec<&str> = vec![id];
        while let Some(current) = queue.pop() {
            for row in self.lineage() {
                let (Some(from), Some(to)) = (side(&row.from), side(&row.to)) else {
                    continue;
                };
                if from != current || seen.contains(&to) {
                    continue;
                }
                seen.push(to);
                if self.entity(to).is_some() {
                    found.push(to.to_owned());
                } else {
                    queue.push(to);
                }
            }
        }
        found
    }
}

/// The id on one side of a lineage row, if that side names an entity.
fn side(entity: &Option<super::refs::Ref<Entity>>) -> Option<&str> {
    entity.as_ref().map(|r| r.id())
}
