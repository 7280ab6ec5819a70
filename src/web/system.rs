//! `/system`: the UN System as an org chart, one box per principal organ and chart category,
//! one tile per entity. A filter highlights the entities it selects (marking mandate and
//! working agenda apart) and fades the rest; `entity=ID` opens that entity's panel.

use askama::Template;
use axum::Router;
use axum::response::Html;
use axum::routing::get;

use super::evidence::Evidence;
use super::facets::Controls;
use super::{AppState, Error, Selection, href};
use crate::dataset::{Basis, CATEGORY, CRIME, Dataset, EntitySet, ORGAN, UnknownValue};
use crate::query::{Filter, FilterError, param};
use crate::stats::{Tally, tally};

/// An organ box is drawn twice as wide when it holds more entities than this (on the 2017
/// chart: the General Assembly, ECOSOC and the Secretariat).
const WIDE_ORGAN: usize = 12;

use crate::query::ENTITY;

pub fn router() -> Router<AppState> {
    Router::new().route("/system", get(system))
}

struct Tile<'a> {
    id: &'a str,
    acronym: &'a str,
    name: &'a str,
    /// `mandate` or `agenda` for a highlighted tile with links, `none` for a highlighted tile
    /// without; `None` when the tile is not highlighted.
    matched: Option<&'static str>,
    faded: bool,
    /// A body the chart does not draw as a box (drawn dashed, not counted in shares).
    within: bool,
}

struct CategoryBox<'a> {
    label: &'a str,
    tiles: Vec<Tile<'a>>,
    /// The box's entities not drawn, past [`TILES_SHOWN`], and their list.
    more: Option<(usize, String)>,
}

/// The most tiles one box of the chart draws: past it (thousands of entities), the box
/// draws the selected ones first and links the list of them all. The UN's largest box holds
/// about thirty.
pub const TILES_SHOWN: usize = 60;

struct OrganBox<'a> {
    id: &'a str,
    label: &'a str,
    wide: bool,
    categories: Vec<CategoryBox<'a>>,
}

/// One crime type's text in the entity panel.
struct Panel {
    id: String,
    acronym: String,
    name: String,
    summary: String,
    /// Its links on the selected crime types (all, if none is), with their evidence.
    links: Vec<Evidence>,
    close_href: String,
}

#[derive(Template)]
#[template(path = "system.html")]
struct SystemPage<'a> {
    layout: super::layout::Layout,
    title: &'static str,
    organs: Vec<OrganBox<'a>>,
    filtered: bool,
    /// The selection, when filtered; every entity otherwise.
    tally: Tally,
    /// One chip per crime type: (id, label, selected, href selecting only it).
    crimes: Vec<(String, String, bool, String)>,
    all_href: String,
    no_crime: bool,
    /// The filter controls.
    controls: Controls,
    panel: Option<Panel>,
    /// `panel_base`: a tile's panel is this followed by its id.
    panel_base: String,
    list_href: String,
}

/// The strongest basis among the links that count for this filter.
fn strongest(data: &Dataset, position: usize, filter: &Filter) -> &'static str {
    let counted: Vec<Basis> = data
        .links_of(position)
        .filter(|l| filter.selects(l))
        .map(|l| l.basis())
        .collect();
    if counted.contains(&Basis::Mandate) {
        "mandate"
    } else if counted.contains(&Basis::Agenda) {
        "agenda"
    } else {
        "none"
    }
}

/// This page's link with the same filter and `entity=` last, to which a tile's id is appended
/// to open its panel (the script does so; entity ids are slugs, which need no encoding).
fn panel_base(data: &Dataset, filter: &Filter) -> String {
    let query = filter.to_query(data);
    let mut base = format!("/system?{query}");
    if !query.is_empty() {
        base.push('&');
    }
    base.push_str("entity=");
    base
}

/// The org chart: one box per organ, one sub-box per chart category it has entities in, one
/// tile per entity, highlighted when `selected` holds it (if the page is filtered at all).
fn org_chart<'a>(data: &'a Dataset, filter: &Filter, selected: &EntitySet) -> Vec<OrganBox<'a>> {
    let filtered = !filter.is_empty();
    let tile = |i: usize| {
        let e = &data.entities()[i];
        let hit = selected.contains(i);
        Tile {
            id: &e.id,
            acronym: &e.acronym,
            name: &e.name,
            matched: hit.then(|| strongest(data, i, filter)),
            faded: filtered && !hit,
            within: e.parent.is_some(),
        }
    };
    let index = data.index();
    let boxes = |organ| {
        data.vocabulary(CATEGORY)
            .iter()
            .filter_map(|(category, info)| {
                let members = index
                    .value(ORGAN, organ)
                    .intersection(index.value(CATEGORY, category));
                if members.is_empty() {
                    return None;
                }
                let mut shown: Vec<usize> = members.iter().collect();
                let more = (shown.len() > TILES_SHOWN).then(|| {
                    // The selected first, each part in the chart's order.
                    shown.sort_by_key(|&i| !selected.contains(i));
                    // The whole box, as the tiles are (a filter fades tiles, not hides them).
                    let list = href(
                        data,
                        "/entities",
                        &Filter::default(),
                        &[
                            (ORGAN.get().param, data.vocabulary(ORGAN).id(organ)),
                            (CATEGORY.get().param, info.id.as_str()),
                        ],
                    );
                    (shown.len() - TILES_SHOWN, list)
                });
                shown.truncate(TILES_SHOWN);
                Some(CategoryBox {
                    label: &info.label,
                    tiles: shown.into_iter().map(tile).collect(),
                    more,
                })
            })
            .collect()
    };
    data.vocabulary(ORGAN)
        .iter()
        .map(|(organ, info)| OrganBox {
            id: &info.id,
            label: &info.label,
            wide: index.value(ORGAN, organ).len() > WIDE_ORGAN,
            categories: boxes(organ),
        })
        .collect()
}

/// The panel of the entity at `i`: its work on the selected crime types (all, if none is).
fn entity_panel(data: &Dataset, filter: &Filter, i: usize) -> Panel {
    let e = &data.entities()[i];
    let crimes = filter.crimes();
    Panel {
        id: e.id.to_string(),
        acronym: e.acronym.to_string(),
        name: e.name.to_string(),
        summary: e.summary.to_string(),
        links: data
            .links_of(i)
            .filter(|l| crimes.is_empty() || crimes.contains(&l.crime()))
            .map(|l| Evidence::of(data, l))
            .collect(),
        close_href: href(data, "/system", filter, &[]),
    }
}

fn page<'a>(data: &'a Dataset, filter: &Filter, entity: Option<usize>) -> SystemPage<'a> {
    let filtered = !filter.is_empty();
    let selected = if filtered {
        filter.select(data)
    } else {
        EntitySet::EMPTY
    };
    SystemPage {
        layout: super::layout::Layout::of_edition(data, filter),
        title: "The UN System",
        organs: org_chart(data, filter, &selected),
        filtered,
        tally: tally(
            data,
            if filtered {
                &selected
            } else {
                &data.index().all
            },
        ),
        crimes: data
            .crimes()
            .iter()
            .map(|(c, ct)| {
                (
                    ct.id.clone(),
                    ct.label.clone(),
                    filter.crimes() == [c],
                    href(data, "/system", &filter.with(CRIME, [c]), &[]),
                )
            })
            .collect(),
        all_href: href(data, "/system", &filter.with(CRIME, []), &[]),
        no_crime: filter.crimes().is_empty(),
        controls: Controls::of_entities(data, filter, "/system", true),
        panel: entity.map(|i| entity_panel(data, filter, i)),
        panel_base: panel_base(data, filter),
        list_href: href(data, "/entities", filter, &[]),
    }
}

async fn system(selection: Selection) -> Result<Html<String>, Error> {
    let data = &*selection.data;
    let entity = match param(&selection.query, ENTITY) {
        None => None,
        Some(id) => match data.entity(&id) {
            Some((i, _)) => Some(i),
            None => {
                return Err(FilterError {
                    param: ENTITY,
                    problem: UnknownValue {
                        kind: "entity",
                        given: id,
                        expected: vec!["an entity id, as listed at /entities".to_owned()],
                    },
                }
                .into());
            }
        },
    };
    Ok(Html(page(data, &selection.filter, entity).render()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panel_links_keep_the_filter_and_equal_the_general_builder() {
        let data = Dataset::embedded().unwrap();
        for query in [
            "crime=cybercrime",
            "",
            "q=a+b%26c&crime=cybercrime&crime=illicit-drugs&match=all&pillar=development",
        ] {
            let f = Filter::from_query(&data, query).unwrap();
            let base = panel_base(&data, &f);
            for e in data.entities() {
                assert_eq!(
                    format!("{base}{}", e.id),
                    href(&data, "/system", &f, &[(ENTITY, &e.id)]),
                    "{query}"
                );
            }
        }
        let f = Filter::from_query(&data, "crime=cybercrime").unwrap();
        assert_eq!(panel_base(&data, &f), "/system?crime=cybercrime&entity=");
        assert_eq!(panel_base(&data, &Filter::default()), "/system?entity=");
    }
}
