//! `/system`: the UN System as an org chart, one box per principal organ and chart category,
//! one tile per entity. A filter highlights the entities it selects (marking mandate and
//! working agenda apart) and fades the rest; `entity=ID` opens that entity's panel.

use askama::Template;
use axum::Router;
use axum::extract::RawQuery;
use axum::response::Html;
use axum::routing::get;

use super::facets::{Facet, MatchSwitch, facets, href, match_switch};
use super::{AppState, Data, Error};
use crate::dataset::{Basis, Category, CrimeId, Dataset, EntitySet, Organ, UnknownValue};
use crate::query::{Filter, FilterError, param};

pub fn router() -> Router<AppState> {
    Router::new().route("/system", get(system))
}

struct Tile {
    id: String,
    acronym: String,
    name: String,
    /// `mandate` or `agenda` for a highlighted tile with links, `none` for a highlighted tile
    /// without; `None` when the tile is not highlighted.
    matched: Option<&'static str>,
    faded: bool,
    href: String,
    /// This page with the entity's panel open (for the dialog).
    panel: String,
}

struct CategoryBox {
    label: &'static str,
    tiles: Vec<Tile>,
}

struct OrganBox {
    id: &'static str,
    label: &'static str,
    wide: bool,
    categories: Vec<CategoryBox>,
}

/// One crime type's text in the entity panel.
struct PanelLink {
    label: String,
    basis: &'static str,
    summary: String,
}

struct Panel {
    id: String,
    acronym: String,
    name: String,
    summary: String,
    links: Vec<PanelLink>,
    close_href: String,
}

#[derive(Template)]
#[template(path = "system.html")]
struct SystemPage {
    title: &'static str,
    organs: Vec<OrganBox>,
    filtered: bool,
    highlighted: usize,
    total: usize,
    /// One chip per crime type: (id, label, selected, href selecting only it).
    crimes: Vec<(&'static str, String, bool, String)>,
    all_href: String,
    no_crime: bool,
    clear_href: Option<&'static str>,
    match_switch: Option<MatchSwitch>,
    facets: Vec<Facet>,
    panel: Option<Panel>,
    list_href: String,
}

/// The strongest basis among the links that count for this filter.
fn strongest(data: &Dataset, position: usize, filter: &Filter) -> &'static str {
    let counted: Vec<Basis> = data
        .links_of(position)
        .filter(|l| filter.crimes.is_empty() || filter.crimes.contains(&l.crime))
        .filter(|l| filter.basis.is_none_or(|b| b == l.basis))
        .map(|l| l.basis)
        .collect();
    if counted.contains(&Basis::Mandate) {
        "mandate"
    } else if counted.contains(&Basis::Agenda) {
        "agenda"
    } else {
        "none"
    }
}

/// A link to this page with the same filter and `entity=id`.
fn panel_href(filter: &Filter, id: &str) -> String {
    let base = href("/system", filter);
    let sep = if base.contains('?') { '&' } else { '?' };
    format!("{base}{sep}entity={id}")
}

fn page(data: &Dataset, filter: &Filter, entity: Option<usize>) -> SystemPage {
    let filtered = *filter != Filter::default();
    let selected = if filtered {
        filter.select(data)
    } else {
        EntitySet::EMPTY
    };
    let tile = |i: usize| {
        let e = &data.entities()[i];
        let hit = selected.contains(i);
        Tile {
            id: e.id.clone(),
            acronym: e.acronym.clone(),
            name: e.name.clone(),
            matched: hit.then(|| strongest(data, i, filter)),
            faded: filtered && !hit,
            href: format!("/entities/{}", e.id),
            panel: panel_href(filter, &e.id),
        }
    };
    let organs = Organ::ALL
        .iter()
        .map(|&organ| OrganBox {
            id: organ.as_str(),
            label: organ.label(),
            wide: matches!(
                organ,
                Organ::GeneralAssembly | Organ::Ecosoc | Organ::Secretariat
            ),
            categories: Category::ALL
                .iter()
                .filter_map(|&category| {
                    let members = data
                        .index()
                        .organ(organ)
                        .intersection(data.index().category(category));
                    (!members.is_empty()).then(|| CategoryBox {
                        label: category.label(),
                        tiles: members.iter().map(tile).collect(),
                    })
                })
                .collect(),
        })
        .collect();
    let panel = entity.map(|i| {
        let e = &data.entities()[i];
        Panel {
            id: e.id.clone(),
            acronym: e.acronym.clone(),
            name: e.name.clone(),
            summary: e.summary.clone(),
            links: data
                .links_of(i)
                .filter(|l| filter.crimes.is_empty() || filter.crimes.contains(&l.crime))
                .map(|l| PanelLink {
                    label: data.crime_type(l.crime).label.clone(),
                    basis: l.basis.label(),
                    summary: l.summary.clone(),
                })
                .collect(),
            close_href: href("/system", filter),
        }
    });
    SystemPage {
        title: "The UN System",
        organs,
        filtered,
        highlighted: selected.len(),
        total: data.entities().len(),
        crimes: CrimeId::ALL
            .iter()
            .map(|&c| {
                (
                    c.as_str(),
                    data.crime_type(c).label.clone(),
                    filter.crimes == [c],
                    href(
                        "/system",
                        &Filter {
                            crimes: vec![c],
                            ..filter.clone()
                        },
                    ),
                )
            })
            .collect(),
        all_href: href(
            "/system",
            &Filter {
                crimes: Vec::new(),
                ..filter.clone()
            },
        ),
        no_crime: filter.crimes.is_empty(),
        clear_href: filtered.then_some("/system"),
        match_switch: match_switch(filter, "/system"),
        facets: facets(data, filter, "/system"),
        panel,
        list_href: href("/entities", filter),
    }
}

async fn system(Data(data): Data, RawQuery(query): RawQuery) -> Result<Html<String>, Error> {
    let query = query.unwrap_or_default();
    let filter = Filter::from_query(&query)?;
    let data = &*data;
    let entity = match param(&query, "entity") {
        None => None,
        Some(id) => match data.entity(&id) {
            Some((i, _)) => Some(i),
            None => {
                return Err(FilterError {
                    param: "entity",
                    problem: UnknownValue {
                        kind: "entity",
                        given: id,
                        expected: vec!["an entity id, as listed at /entities"],
                    },
                }
                .into());
            }
        },
    };
    Ok(Html(page(data, &filter, entity).render()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panel_links_keep_the_filter() {
        let f = Filter::from_query("crime=cybercrime").unwrap();
        assert_eq!(panel_href(&f, "itu"), "/system?crime=cybercrime&entity=itu");
        assert_eq!(panel_href(&Filter::default(), "itu"), "/system?entity=itu");
    }
}
