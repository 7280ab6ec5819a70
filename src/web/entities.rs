//! The entity views: `/entities` (the filtered list) and `/entities/{id}` (a profile).

use askama::Template;
use axum::Router;
use axum::extract::Path;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;

use super::charts::{ChartPanel, Origin, panel};
use super::corrections::Corrections;
use super::evidence::Evidence;
use super::facets::{Controls, Search, search};
use super::paging::Paging;
use super::text::{Segment, segments};
use super::{AppState, Data, Error, Selection, href};
use crate::charts::{self, ChartRequest};
use crate::dataset::index::fold;
use crate::dataset::vocab::number_words;
use crate::dataset::{CATEGORY, Dataset, Edition, Entity, ORGAN, PILLAR, Term, Whereabouts};
use crate::export::LinkRecord;
use crate::query::{Filter, Sort, url};
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
    /// When the filter names a crime type, basis or grade: the evidence of the links it
    /// selects, so that the answer comes with its evidence.
    evidence: Vec<Evidence>,
}

/// A sort option: a link that keeps the filter and changes the order.
struct SortLink {
    label: &'static str,
    href: String,
    current: bool,
}

/// How many entities a page of `/entities` lists unless `size` says otherwise: the shipped
/// data fits on one.
pub const LIST_PAGE: usize = 200;

/// Where a page of a long list is: shown when there is more than one.
struct Pager {
    /// The positions (from 1) of the first and last rows shown, and the total.
    first: usize,
    last: usize,
    total: usize,
    previous: Option<String>,
    next: Option<String>,
}

#[derive(Template)]
#[template(path = "entities.html")]
struct ListPage {
    layout: super::layout::Layout,
    title: &'static str,
    tally: Tally,
    rows: Vec<Row>,
    /// Where these rows are in the selection, when it takes more than one page.
    pager: Option<Pager>,
    /// The filter controls.
    controls: Controls,
    sorts: Vec<SortLink>,
    /// The text searched for, and the rest of the filter as hidden form fields, so that a
    /// search keeps the other selections.
    search: Search,
    json_href: String,
    csv_href: String,
    api_href: String,
    /// The selection's links, with every evidence column.
    links_csv_href: String,
    links_json_href: String,
    /// Whether the rows show the evidence of the links the filter selects.
    evidence: bool,
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

fn row(data: &Dataset, filter: &Filter, position: usize, e: &Entity) -> Row {
    let evidence = if filter.restricts_links() {
        data.links_of(position)
            .filter(|l| filter.selects(l))
            .map(|l| Evidence::of(data, l))
            .collect()
    } else {
        Vec::new()
    };
    Row {
        id: e.id.to_string(),
        acronym: e.acronym.to_string(),
        name: e.name.to_string(),
        organ: data.label(ORGAN, e.organ()).to_owned(),
        category: data.label(CATEGORY, e.category()).to_owned(),
        badges: badges(data, position),
        evidence,
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

fn list_page(
    data: &Dataset,
    filter: &Filter,
    sort: Sort,
    paging: Paging,
    origin: &Origin,
) -> Result<ListPage, Error> {
    let positions = sorted(data, filter, sort);
    let window = paging.window(positions.len())?;
    // Every link keeps the order and the page size; a new order starts at the first page.
    let address = |sort: Sort, page: usize| {
        let mut extra: Vec<(&str, String)> = Vec::new();
        if sort != Sort::Chart {
            extra.push(("sort", sort.as_str().to_owned()));
        }
        extra.extend(paging.params(page));
        let extra: Vec<(&str, &str)> = extra.iter().map(|(k, v)| (*k, v.as_str())).collect();
        href(data, "/entities", filter, &extra)
    };
    let with_sort = |s: Sort| address(s, 1);
    let (previous, next) = paging.neighbours(positions.len());
    let pager = (paging.pages(positions.len()) > 1).then(|| Pager {
        first: window.start + 1,
        last: window.end,
        total: positions.len(),
        previous: previous.map(|p| address(sort, p)),
        next: next.map(|p| address(sort, p)),
    });
    Ok(ListPage {
        layout: super::layout::Layout::of_edition(data, filter),
        title: "Entities",
        tally: tally(data, &filter.select(data)),
        rows: positions[window]
            .iter()
            .map(|&i| row(data, filter, i, &data.entities()[i]))
            .collect(),
        pager,
        controls: Controls::of_entities(data, filter, "/entities", false),
        sorts: Sort::ALL
            .iter()
            .map(|&s| SortLink {
                label: s.label(),
                href: with_sort(s),
                current: s == sort,
            })
            .collect(),
        search: search(data, filter, "/entities"),
        json_href: href(data, "/export/entities.json", filter, &[]),
        csv_href: href(data, "/export/entities.csv", filter, &[]),
        api_href: href(data, "/api/entities", filter, &[]),
        links_csv_href: href(data, "/export/links.csv", filter, &[]),
        links_json_href: href(data, "/export/links.json", filter, &[]),
        evidence: filter.restricts_links(),
        panel: panel(
            data,
            &ChartRequest {
                filter: filter.clone(),
                ..ChartRequest::new(&charts::matrix::MatrixChart)
            },
            origin,
        ),
    })
}

async fn list(selection: Selection, origin: Origin) -> Result<Html<String>, Error> {
    let sort = Sort::from_query(&selection.query)?;
    let paging = Paging::from_query(&selection.query, LIST_PAGE)?;
    let page = list_page(&selection.data, &selection.filter, sort, paging, &origin)?;
    Ok(Html(page.render()?))
}

/// One link on a profile: its evidence, the others on its crime type, a correction link.
struct LinkView {
    evidence: Evidence,
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

/// One change in an entity's lineage.
struct Change {
    kind: &'static str,
    date: String,
    /// The entity before the change (none for one created).
    before: Option<Named>,
    /// The entity after it (none for one closed).
    after: Option<Named>,
    decision: Vec<Segment>,
    source: Vec<Segment>,
    notes: Vec<Segment>,
}

/// An entity named in a lineage row, linked to its page in an edition that has it.
struct Named {
    acronym: String,
    href: String,
}

/// An edition that has the entity, linked to its page there.
struct InEdition {
    short_label: String,
    href: String,
    current: bool,
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
    /// Its changes of name, split, merger, creation or closure, in date order.
    history: Vec<Change>,
    /// The editions that have it.
    editions: Vec<InEdition>,
    /// When this edition's evidence is dated ("by 2019", "in 2020 or later").
    period: String,
}

/// The address of entity `id`'s page in `edition`.
pub fn entity_href(data: &Dataset, id: &str, edition: &Edition) -> String {
    url(
        &format!("/entities/{id}"),
        &Filter::default().to_query_in(data, edition),
    )
}

/// Entity `id`, linked to its page in this edition if it has it, else in the latest that
/// does (an id in the lineage is of some edition: the loader checks it).
fn named(data: &Dataset, id: &str) -> Named {
    let entity = data.any_entity(id);
    let edition = entity
        .filter(|_| data.entity(id).is_none())
        .and_then(|e| data.editions_of(e).last())
        .unwrap_or(data.edition());
    Named {
        acronym: entity.map_or(id, |e| e.acronym.as_str()).to_owned(),
        href: entity_href(data, id, edition),
    }
}

fn history(data: &Dataset, id: &str) -> Vec<Change> {
    data.history(id)
        .into_iter()
        .map(|row| Change {
            kind: row.kind.label(),
            date: row.date.to_string(),
            before: row.from.as_ref().map(|r| named(data, r.id())),
            after: row.to.as_ref().map(|r| named(data, r.id())),
            decision: segments(&row.decision),
            source: segments(&row.source),
            notes: segments(&row.notes),
        })
        .collect()
}

/// When an edition's evidence is dated, in words that follow "stated" or "evidence" ("by
/// 2019", "in 2020 or later").
pub fn period(edition: &Edition) -> String {
    match (edition.evidence_from, edition.evidence_to) {
        (Some(from), Some(to)) => format!("between {from} and {to}"),
        (Some(from), None) => format!("in {from} or later"),
        (None, Some(to)) => format!("by {to}"),
        (None, None) => "at any date".to_owned(),
    }
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
            evidence: Evidence::of(data, l),
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
    let mut layout = super::layout::Layout::of_edition(data, &Filter::default());
    // In an edition without this entity, the switch goes where its address there leads
    // (its successor, or its page in the edition that has it), as a static host cannot
    // redirect.
    for (switch, edition) in layout.switch.iter_mut().zip(data.editions()) {
        if let Some(other) = data.in_edition(&edition.id)
            && let Err(NotHere::Moved(address)) = locate(&other, "/entities", &entity.id)
        {
            switch.href = address;
        }
    }
    ProfilePage {
        layout,
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
        history: history(data, &entity.id),
        editions: data
            .editions_of(entity)
            .map(|e| InEdition {
                short_label: e.short_label.to_string(),
                href: entity_href(data, &entity.id, e),
                current: e.id == data.edition().id,
            })
            .collect(),
        period: period(data.edition()),
    }
}

/// The answer for an entity id an edition does not have.
pub enum NotHere {
    /// Its successor in this edition, or its address in an edition that has it.
    Moved(String),
    /// No edition has it.
    Unknown(Error),
}

impl IntoResponse for NotHere {
    fn into_response(self) -> Response {
        match self {
            NotHere::Moved(address) => Redirect::temporary(&address).into_response(),
            NotHere::Unknown(error) => error.into_response(),
        }
    }
}

/// Where entity `id` is in `data`'s edition, or the answer for an id it does not have: an old
/// id never stops answering, but leads to its successor in this edition, or to its address
/// in an edition that has it (whose page's history says what became of it), under `base`
/// (`/entities`, `/api/entities`). An id no edition has is a 404.
pub fn locate(data: &Dataset, base: &str, id: &str) -> Result<usize, NotHere> {
    let to = |id: &str, edition: &Edition| {
        NotHere::Moved(url(
            &format!("{base}/{id}"),
            &Filter::default().to_query_in(data, edition),
        ))
    };
    match data.whereabouts(id) {
        Whereabouts::Here(position) => Ok(position),
        Whereabouts::Successor(successor) => Err(to(&successor, data.edition())),
        Whereabouts::Elsewhere(edition) => {
            let edition = data.editions().iter().find(|e| e.id.as_str() == edition);
            Err(to(id, edition.unwrap_or(data.edition())))
        }
        Whereabouts::Unknown => Err(NotHere::Unknown(Error::not_found(format!(
            "there is no entity with id '{id}'"
        )))),
    }
}

async fn profile(
    Data(data): Data,
    corrections: Corrections,
    Path(id): Path<String>,
) -> Result<Response, Error> {
    let data = &*data;
    let position = match locate(data, "/entities", &id) {
        Ok(position) => position,
        Err(answer) => return Ok(answer.into_response()),
    };
    let entity = &data.entities()[position];
    Ok(Html(profile_page(data, position, entity, &corrections).render()?).into_response())
}
