//! The entity views: `/entities` (the filtered list) and `/entities/{id}` (a profile).

use askama::Template;
use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::response::Html;
use axum::routing::get;

use super::{AppState, Error};
use crate::dataset::{CrimeId, Dataset, Entity};
use crate::query::Filter;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/entities", get(list))
        .route("/entities/{id}", get(profile))
}

/// One crime type's badge on a row: present only where the entity has a link.
struct Badge {
    crime: &'static str,
    label: String,
    basis: &'static str,
}

struct Row {
    id: String,
    acronym: String,
    name: String,
    organ: &'static str,
    category: &'static str,
    badges: Vec<Badge>,
}

#[derive(Template)]
#[template(path = "entities.html")]
struct ListPage {
    title: &'static str,
    count: usize,
    total: usize,
    rows: Vec<Row>,
    json_href: String,
}

fn badges(data: &Dataset, position: usize) -> Vec<Badge> {
    data.links_of(position)
        .map(|l| Badge {
            crime: l.crime.as_str(),
            label: data.crime_type(l.crime).short_label.clone(),
            basis: l.basis.as_str(),
        })
        .collect()
}

fn row(data: &Dataset, position: usize, e: &Entity) -> Row {
    Row {
        id: e.id.clone(),
        acronym: e.acronym.clone(),
        name: e.name.clone(),
        organ: e.organ.label(),
        category: e.category.label(),
        badges: badges(data, position),
    }
}

fn list_page(data: &Dataset, filter: &Filter) -> ListPage {
    let set = filter.select(data);
    let query = filter.to_query();
    ListPage {
        title: "Entities",
        count: set.len(),
        total: data.entities().len(),
        rows: data
            .entities_in(set)
            .map(|(i, e)| row(data, i, e))
            .collect(),
        json_href: if query.is_empty() {
            "/api/entities".to_owned()
        } else {
            format!("/api/entities?{query}")
        },
    }
}

async fn list(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Html<String>, Error> {
    let filter = Filter::from_query(query.as_deref().unwrap_or(""))?;
    Ok(Html(list_page(&state.data, &filter).render()?))
}

/// One link on a profile, with its evidence ready to show.
struct LinkView {
    crime: &'static str,
    label: String,
    basis: &'static str,
    basis_label: &'static str,
    summary: String,
    quote: Option<String>,
    source: Option<String>,
    notes: String,
    /// Other entities with a link on the same crime type.
    peers: Vec<Peer>,
}

struct Peer {
    id: String,
    acronym: String,
}

struct GroupView {
    name: String,
    role: &'static str,
}

#[derive(Template)]
#[template(path = "entity.html")]
struct ProfilePage {
    title: String,
    entity: Entity,
    organ: &'static str,
    category: &'static str,
    pillars: Vec<&'static str>,
    links: Vec<LinkView>,
    groups: Vec<GroupView>,
}

fn peers(data: &Dataset, position: usize, crime: CrimeId) -> Vec<Peer> {
    let others = data.index().crime(crime, None);
    data.entities_in(others)
        .filter(|(i, _)| *i != position)
        .map(|(_, e)| Peer {
            id: e.id.clone(),
            acronym: e.acronym.clone(),
        })
        .collect()
}

fn profile_page(data: &Dataset, position: usize, entity: &Entity) -> ProfilePage {
    let links = data
        .links_of(position)
        .map(|l| LinkView {
            crime: l.crime.as_str(),
            label: data.crime_type(l.crime).label.clone(),
            basis: l.basis.as_str(),
            basis_label: l.basis.label(),
            summary: l.summary.clone(),
            quote: l.evidence.quote().map(str::to_owned),
            source: l.evidence.source().map(str::to_owned),
            notes: l.notes.clone(),
            peers: peers(data, position, l.crime),
        })
        .collect();
    let groups = data
        .groups_of(position)
        .map(|g| GroupView {
            name: g.name.clone(),
            role: g
                .members
                .iter()
                .find(|m| m.entity == position)
                .map_or("member", |m| m.role.as_str()),
        })
        .collect();
    ProfilePage {
        title: format!("{} ({})", entity.name, entity.acronym),
        entity: entity.clone(),
        organ: entity.organ.label(),
        category: entity.category.label(),
        pillars: entity.pillars.iter().map(|p| p.label()).collect(),
        links,
        groups,
    }
}

async fn profile(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Html<String>, Error> {
    let data = &state.data;
    let (position, entity) = data
        .entity(&id)
        .ok_or_else(|| Error::not_found(format!("there is no entity with id '{id}'")))?;
    Ok(Html(profile_page(data, position, entity).render()?))
}
