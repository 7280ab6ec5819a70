//! The coordination bodies (the report's Figure 3, rebuilt): `/groups`, filterable by crime
//! type, with the bodies per crime type, the bodies × entities chart and the entities that
//! sit in several bodies; and `/groups/{id}`, one body with its lead, members and sources.

use askama::Template;
use axum::Router;
use axum::extract::Path;
use axum::response::Html;
use axum::routing::get;

use super::charts::{InlineChart, Origin, inline_chart};
use super::corrections::Corrections;
use super::facets::Controls;
use super::refs::{self, Ref};
use super::text::{Segment, segments};
use super::{AppState, CrimeSelection, Data, Error, href};
use crate::charts;
use crate::charts::groups::{per_crime, seats, short_name};
use crate::dataset::{CRIME, Dataset, Group, Provenance, Role, Whereabouts};
use crate::query::Filter;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/groups", get(list))
        .route("/groups/{id}", get(profile))
}

/// One body in the list.
struct Body {
    id: String,
    name: String,
    acronym: String,
    crimes: Vec<Ref>,
    leads: Vec<Ref>,
    members: usize,
}

/// One crime type's count of bodies.
struct Forum {
    href: String,
    label: String,
    count: usize,
}

#[derive(Template)]
#[template(path = "groups.html")]
struct ListPage {
    layout: super::layout::Layout,
    title: &'static str,
    controls: Controls,
    count: usize,
    total: usize,
    forums: Vec<Forum>,
    chart: InlineChart,
    bodies: Vec<Body>,
    /// Entities in more than one of the selected bodies, with how many.
    several: Vec<(Ref, usize)>,
    /// In an edition other than the report's: the memberships compiled for it that this
    /// edition's chart no longer has.
    left_out: Vec<String>,
}

fn body(data: &Dataset, group: &Group) -> Body {
    Body {
        id: group.id.to_string(),
        name: group.name.to_string(),
        acronym: group.acronym.clone(),
        crimes: refs::crimes(data, &group.crimes),
        leads: data
            .members_of(group)
            .filter(|m| m.role == Role::Lead)
            .map(|m| refs::entity(data, m.entity()))
            .collect(),
        members: data.members_of(group).count(),
    }
}

/// The memberships of the report's edition this edition leaves out (their entity is not on
/// its chart), each with what the entity became: "DPI in CASA (now DGC)".
fn left_out(data: &Dataset) -> Vec<String> {
    let Some(report) = data.report_edition().and_then(|r| data.in_edition(&r.id)) else {
        return Vec::new();
    };
    if report.edition().id == data.edition().id {
        return Vec::new();
    }
    let mut out = Vec::new();
    for group in report.groups() {
        for member in report.members_of(group) {
            let entity = &report.entities()[member.entity()];
            if data.entity(&entity.id).is_some() {
                continue;
            }
            let now = match data.whereabouts(&entity.id) {
                Whereabouts::Successor(to) => data
                    .entity(&to)
                    .map(|(_, e)| format!(" (now {})", e.acronym))
                    .unwrap_or_default(),
                _ => String::new(),
            };
            out.push(format!("{} in {}{now}", entity.acronym, group.short_name));
        }
    }
    out
}

fn list_page(data: &Dataset, filter: &Filter, origin: &Origin) -> Result<ListPage, Error> {
    let groups = filter.bodies(data);
    let all: Vec<&Group> = data.groups().iter().collect();
    let forums = per_crime(data, &all)
        .into_iter()
        .zip(data.crimes().terms())
        .map(|((label, count), c)| Forum {
            href: href(data, "/groups", &Filter::default().with(CRIME, [c]), &[]),
            label,
            count,
        })
        .collect();
    let count = |f: &Filter| data.groups().iter().filter(|g| f.admits(&g.crimes)).count();
    let several = seats(data, &groups)
        .into_iter()
        .map(|(i, roles)| (refs::entity(data, i), roles.iter().flatten().count()))
        .filter(|(_, n)| *n > 1)
        .collect();
    Ok(ListPage {
        layout: super::layout::Layout::of_edition(data, filter),
        title: "Coordination bodies",
        controls: Controls::of_crimes(data, filter, "/groups", "Bodies", &count),
        count: groups.len(),
        total: data.groups().len(),
        forums,
        chart: inline_chart(data, &charts::groups::GroupsChart, filter, origin)?,
        bodies: groups.iter().map(|g| body(data, g)).collect(),
        several,
        left_out: left_out(data),
    })
}

async fn list(
    CrimeSelection(selection): CrimeSelection,
    origin: Origin,
) -> Result<Html<String>, Error> {
    let page = list_page(&selection.data, &selection.filter, &origin)?;
    Ok(Html(page.render()?))
}

/// One member of a body, with where its membership is stated: the report, or the numbered
/// source in the page's list of sources (several members often share one).
struct Seat {
    entity: Ref,
    name: String,
    role: &'static str,
    source: Option<usize>,
}

#[derive(Template)]
#[template(path = "group.html")]
struct ProfilePage {
    layout: super::layout::Layout,
    title: String,
    body: Body,
    /// The report's words naming it, if it does.
    quote: Option<String>,
    notes: Vec<Segment>,
    seats: Vec<Seat>,
    /// The distinct sources of the members, numbered from 1 in the order of the seats.
    sources: Vec<Vec<Segment>>,
    chart_href: String,
    /// A message suggesting a correction to the body.
    correction: String,
}

fn profile_page(data: &Dataset, group: &Group, corrections: &Corrections) -> ProfilePage {
    let mut sources: Vec<&str> = Vec::new();
    let seats = data
        .members_of(group)
        .map(|m| Seat {
            entity: refs::entity(data, m.entity()),
            name: data.entities()[m.entity()].name.to_string(),
            role: m.role.as_str(),
            source: match m.provenance {
                Provenance::Report => None,
                Provenance::Compiled => Some(
                    match sources.iter().position(|s| *s == m.source) {
                        Some(i) => i,
                        None => {
                            sources.push(&m.source);
                            sources.len() - 1
                        }
                    } + 1,
                ),
            },
        })
        .collect();
    let filter = Filter::default().with(CRIME, group.crimes.iter().copied());
    ProfilePage {
        layout: super::layout::Layout::of_edition(data, &Filter::default()),
        title: short_name(group).to_owned(),
        body: body(data, group),
        quote: group.quote.as_ref().map(ToString::to_string),
        notes: segments(&group.notes),
        seats,
        sources: sources.into_iter().map(segments).collect(),
        correction: corrections.href("groups.csv", &format!("id={}", group.id), group),
        chart_href: href(data, "/groups", &filter, &[]),
    }
}

async fn profile(
    Data(data): Data,
    corrections: Corrections,
    Path(id): Path<String>,
) -> Result<Html<String>, Error> {
    let group = data.group(&id).ok_or_else(|| {
        let ids: Vec<&str> = data.groups().iter().map(|g| g.id.as_str()).collect();
        Error::not_found(format!(
            "there is no coordination body '{id}'; the bodies are: {}",
            ids.join(", ")
        ))
    })?;
    Ok(Html(profile_page(&data, group, &corrections).render()?))
}
