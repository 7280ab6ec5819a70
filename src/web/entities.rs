//! The entity views: `/entities` (the filtered list) and `/entities/{id}` (a profile).

use askama::Template;
use axum::Router;
use axum::extract::Path;
use axum::response::Html;
use axum::routing::get;

use super::charts::{ChartPanel, Origin, panel};
use super::corrections::Corrections;
use super::facets::{Facet, MatchSwitch, facets, match_switch};
use super::text::{Segment, segments};
use super::{AppState, Data, Error, Selection, href};
use crate::charts::{self, ChartRequest};
use crate::dataset::REPORT_YEAR;
use crate::dataset::index::fold;
use crate::dataset::vocab::number_words;
use crate::dataset::{CATEGORY, Dataset, Entity, ORGAN, PILLAR, Term};
use crate::export::LinkRecord;
use crate::query::{Filter, Sort};
use crate::stats::{Tally, tally};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/entities", get(list))
        .route("/entities/{id}", get(profile))
}

/// One crime type's badge on a row: present only where the entity has a link.
struct Badge {
    crime: String,
    label: String,
    basis: &'static str,
}

struct Row {
    id: String,
    acronym: String,
    name: String,
    organ: String,
    category: String,
    badges: Vec<Badge>,
}

/// A sort option: a link that keeps the filter and changes the order.
struct SortLink {
    label: &'static str,
    href: String,
    current: bool,
}

#[derive(Template)]
#[template(path = "entities.html")]
struct ListPage {
    layout: super::layout::Layout,
    title: &'static str,
    tally: Tally,
    rows: Vec<Row>,
    facets: Vec<Facet>,
    match_switch: Option<MatchSwitch>,
    sorts: Vec<SortLink>,
    clear_href: Option<&'static str>,
    /// The text searched for, and the rest of the filter as hidden form fields, so that a
    /// search keeps the other selections.
    q: String,
    hidden: Vec<(&'static str, String)>,
    json_href: String,
    csv_href: String,
    api_href: String,
    /// The whole selection as one chart (entities × crime types).
    panel: ChartPanel,
}

fn badges(data: &Dataset, position: usize) -> Vec<Badge> {
    data.links_of(position)
        .map(|l| Badge {
            crime: data.crimes().id(l.crime()).to_owned(),
            label: data.crime_type(l.crime()).short_label.clone(),
            basis: l.basis().as_str(),
        })
        .collect()
}

fn row(data: &Dataset, position: usize, e: &Entity) -> Row {
    Row {
        id: e.id.to_string(),
        acronym: e.acronym.to_string(),
        name: e.name.to_string(),
        organ: data.label(ORGAN, e.organ()).to_owned(),
        category: data.label(CATEGORY, e.category()).to_owned(),
        badges: badges(data, position),
    }
}

/// The selected entities' positions in the requested order (ties keep the chart's order).
fn sorted(data: &Dataset, filter: &Filter, sort: Sort) -> Vec<usize> {
    let mut positions: Vec<usize> = filter.select(data).iter().collect();
    let entities = data.entities();
    match sort {
        Sort::Chart => {}
        Sort::Acronym => positions.sort_by_cached_key(|&i| fold(&entities[i].acronym)),
        Sort::Name => positions.sort_by_cached_key(|&i| fold(&entities[i].name)),
        Sort::Links => {
            positions.sort_by_cached_key(|&i| std::cmp::Reverse(data.links_of(i).count()))
        }
    }
    positions
}

fn list_page(data: &Dataset, filter: &Filter, sort: Sort, origin: &Origin) -> ListPage {
    let positions = sorted(data, filter, sort);
    let with_sort = |s: Sort| match s {
        Sort::Chart => href(data, "/entities", filter, &[]),
        _ => href(data, "/entities", filter, &[("sort", s.as_str())]),
    };
    ListPage {
        layout: super::layout::Layout::new(data),
        title: "Entities",
        tally: tally(data, &filter.select(data)),
        rows: positions
            .iter()
            .map(|&i| row(data, i, &data.entities()[i]))
            .collect(),
        facets: facets(data, filter, "/entities"),
        match_switch: match_switch(data, filter, "/entities", "Entities"),
        sorts: Sort::ALL
            .iter()
            .map(|&s| SortLink {
                label: s.label(),
                href: with_sort(s),
                current: s == sort,
            })
            .collect(),
        clear_href: (!filter.is_empty()).then_some("/entities"),
        q: filter.q.clone().unwrap_or_default(),
        hidden: filter
            .pairs(data)
            .into_iter()
            .filter(|(k, _)| *k != "q")
            .map(|(k, v)| (k, v.into_owned()))
            .collect(),
        json_href: href(data, "/export/entities.json", filter, &[]),
        csv_href: href(data, "/export/entities.csv", filter, &[]),
        api_href: href(data, "/api/entities", filter, &[]),
        panel: panel(
            data,
            &ChartRequest {
                filter: filter.clone(),
                ..ChartRequest::new(&charts::matrix::MatrixChart)
            },
            origin,
        ),
    }
}

async fn list(selection: Selection, origin: Origin) -> Result<Html<String>, Error> {
    let sort = Sort::from_query(&selection.query)?;
    let page = list_page(&selection.data, &selection.filter, sort, &origin);
    Ok(Html(page.render()?))
}

/// One link on a profile, with its evidence ready to show.
struct LinkView {
    crime: String,
    label: String,
    basis: &'static str,
    basis_label: &'static str,
    grade: &'static str,
    grade_label: &'static str,
    /// The governing body's decision, for a mandate.
    mandate_source: Vec<Segment>,
    /// The year of the evidence, for a compiled link.
    source_year: Option<u16>,
    /// Whether that year is later than the report's: the evidence is later than the claim.
    later: bool,
    summary: String,
    quote: Option<String>,
    source: Option<Vec<Segment>>,
    notes: Vec<Segment>,
    /// Other entities with a link on the same crime type.
    peers: Vec<Peer>,
    /// A message suggesting a correction to the link.
    correction: String,
}

struct Peer {
    id: String,
    acronym: String,
}

struct GroupView {
    id: String,
    name: String,
    role: &'static str,
}

#[derive(Template)]
#[template(path = "entity.html")]
struct ProfilePage {
    layout: super::layout::Layout,
    title: String,
    entity: Entity,
    organ: String,
    category: String,
    pillars: Vec<String>,
    links: Vec<LinkView>,
    groups: Vec<GroupView>,
    /// The chart entity it belongs to, for a body the chart does not draw: (id, name).
    parent: Option<(String, String)>,
    /// The number of crime types, in words.
    crime_count: String,
    /// A message suggesting a correction to the entity.
    correction: String,
}

fn peers(data: &Dataset, position: usize, crime: Term) -> Vec<Peer> {
    let others = data.working_on(crime);
    data.entities_in(&others)
        .filter(|(i, _)| *i != position)
        .map(|(_, e)| Peer {
            id: e.id.to_string(),
            acronym: e.acronym.to_string(),
        })
        .collect()
}

fn profile_page(
    data: &Dataset,
    position: usize,
    entity: &Entity,
    corrections: &Corrections,
) -> ProfilePage {
    let links = data
        .links_of(position)
        .map(|l| LinkView {
            crime: data.crimes().id(l.crime()).to_owned(),
            label: data.crime_type(l.crime()).label.clone(),
            basis: l.basis().as_str(),
            basis_label: l.basis().label(),
            grade: l.grade().as_str(),
            grade_label: l.grade().label(),
            mandate_source: segments(l.mandate_source()),
            source_year: l.source_year(),
            later: l.source_year().is_some_and(|y| y > REPORT_YEAR),
            summary: l.summary.to_string(),
            quote: l.quote().map(str::to_owned),
            source: l.source().map(segments),
            notes: segments(&l.notes),
            peers: peers(data, position, l.crime()),
            correction: corrections.href(
                "links.csv",
                &format!("entity={} crime={}", entity.id, data.crimes().id(l.crime())),
                &LinkRecord::new(data, l),
            ),
        })
        .collect();
    let groups = data
        .groups_of(position)
        .map(|g| GroupView {
            id: g.id.to_string(),
            name: g.name.to_string(),
            role: data
                .members_of(g)
                .find(|m| m.entity() == position)
                .map_or("member", |m| m.role.as_str()),
        })
        .collect();
    ProfilePage {
        layout: super::layout::Layout::new(data),
        title: format!("{} ({})", entity.name, entity.acronym),
        entity: entity.clone(),
        organ: data.label(ORGAN, entity.organ()).to_owned(),
        category: data.label(CATEGORY, entity.category()).to_owned(),
        pillars: entity
            .pillars()
            .iter()
            .map(|&p| data.label(PILLAR, p).to_owned())
            .collect(),
        links,
        groups,
        parent: entity.parent().map(|p| {
            let parent = &data.entities()[p];
            (parent.id.to_string(), parent.name.to_string())
        }),
        crime_count: number_words(data.crimes().len()),
        correction: corrections.href("entities.csv", &format!("id={}", entity.id), entity),
    }
}

async fn profile(
    Data(data): Data,
    corrections: Corrections,
    Path(id): Path<String>,
) -> Result<Html<String>, Error> {
    let data = &*data;
    let (position, entity) = data
        .entity(&id)
        .ok_or_else(|| Error::not_found(format!("there is no entity with id '{id}'")))?;
    Ok(Html(
        profile_page(data, position, entity, &corrections).render()?,
    ))
}
