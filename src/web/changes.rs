//! `/changes`: what changed between two editions, crime type by crime type, with the
//! evidence on both sides of each change, and the lineage of the entities.

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::response::Html;
use axum::routing::get;

use super::charts::{InlineChart, Origin, inline_chart};
use super::entities::entity_href;
use super::facets::Controls;
use super::paging::Cut;
use super::text::{Segment, segments};
use super::{AppState, Error, Selection, href};
use crate::changes::{Changes, CrimeChange, Gone, Pair, Shift, changes};
use crate::charts;
use crate::dataset::{Dataset, Lineage, Outcome, Term};
use crate::query::Filter;
use crate::stats::percent_floor;

pub fn router() -> Router<AppState> {
    Router::new().route("/changes", get(page))
}

/// An entity on one side of a change, linked to its evidence there.
struct Side {
    acronym: String,
    /// Its page in that edition, at the crime type's section.
    href: String,
    edition: String,
}

/// One entity's change on a crime type: the entity where it is counted, the other side
/// (what it was or became), and why, for one that stopped.
struct Move {
    here: Side,
    there: Vec<Side>,
    /// What the later edition's searches record for a pair without a link.
    searched: Option<String>,
}

struct Group {
    label: &'static str,
    reason: &'static str,
    moves: Cut<Move>,
}

struct CrimeView {
    id: String,
    label: String,
    before: String,
    after: String,
    /// "+3 points", "−7 points", "no change".
    shift: String,
    started: Cut<Move>,
    stopped: Vec<Group>,
    continued: usize,
}

struct LineageRow {
    kind: &'static str,
    date: String,
    before: Option<Side>,
    after: Option<Side>,
    decision: Vec<Segment>,
    source: Vec<Segment>,
}

#[derive(Template)]
#[template(path = "changes.html")]
struct ChangesPage {
    layout: super::layout::Layout,
    title: String,
    before: String,
    after: String,
    /// The later edition's short label ("2025").
    after_short: String,
    /// The headline per edition: "68 of 106 chart entities (64 per cent)".
    before_headline: String,
    after_headline: String,
    not_examined: usize,
    pairs: usize,
    chart: InlineChart,
    summary: Vec<String>,
    crimes: Vec<CrimeView>,
    lineage: Vec<LineageRow>,
    /// The filter controls.
    controls: Controls,
}

/// The page of an entity of `data` at crime type `crime`'s section.
fn side(data: &Dataset, id: &str, crime: Option<&str>) -> Side {
    let acronym = data
        .any_entity(id)
        .map_or(id, |e| e.acronym.as_str())
        .to_owned();
    let mut href = entity_href(data, id, data.edition());
    if let Some(crime) = crime {
        href.push_str("#h-");
        href.push_str(crime);
    }
    Side {
        acronym,
        href,
        edition: data.edition().short_label.to_string(),
    }
}

/// What the later edition's searches record for each entity and crime type they found no link
/// for: the positions of those searches and their texts, read once for a page rather than
/// once per entity.
type SearchNotes<'a> = HashMap<(&'a str, Term), Vec<(usize, &'a str)>>;

fn search_notes(after: &Dataset) -> SearchNotes<'_> {
    let edition = after.edition().id.as_str();
    let mut notes = SearchNotes::new();
    let searches = after.searches().iter().enumerate();
    for (i, s) in searches.filter(|(_, s)| s.edition.id() == edition && s.outcome != Outcome::Link)
    {
        if !s.searched.is_empty() {
            let key = (s.entity.id(), s.crime.term());
            notes.entry(key).or_default().push((i, s.searched.as_str()));
        }
    }
    notes
}

/// What the later edition's searches record for `entities` on `crime`, in the searches'
/// order.
fn searched(notes: &SearchNotes, entities: &[String], crime: Term) -> Option<String> {
    let mut texts: Vec<(usize, &str)> = (entities.iter())
        .filter_map(|e| notes.get(&(e.as_str(), crime)))
        .flatten()
        .copied()
        .collect();
    texts.sort_unstable_by_key(|(i, _)| *i);
    texts.dedup_by_key(|(i, _)| *i);
    let texts: Vec<&str> = texts.into_iter().map(|(_, text)| text).collect();
    (!texts.is_empty()).then(|| texts.join(" "))
}

/// The entities that started and stopped working on `change`'s crime type, each list cut at
/// a section's length; every one of them is in `whole` (the API's answer).
fn moves(
    pair: &Pair,
    notes: &SearchNotes,
    change: &CrimeChange,
    whole: &str,
) -> (Cut<Move>, Vec<Group>) {
    let crime = pair.after.crimes().id(change.crime).to_owned();
    let started = Cut::of(
        &change.started,
        |s: &Shift| Move {
            here: side(&pair.after, &s.entity, Some(&crime)),
            there: s
                .counterparts
                .iter()
                .map(|c| side(&pair.before, c, None))
                .collect(),
            searched: None,
        },
        whole.to_owned(),
    );
    let groups = [Gone::NotFound, Gone::NotExamined, Gone::Closed]
        .into_iter()
        .map(|gone| Group {
            label: gone.label(),
            reason: gone.as_str(),
            moves: Cut::of(
                change.stopped.iter().filter(|(_, g)| *g == gone),
                |(s, _)| Move {
                    here: side(&pair.before, &s.entity, Some(&crime)),
                    there: s
                        .counterparts
                        .iter()
                        .map(|c| side(&pair.after, c, None))
                        .collect(),
                    searched: searched(notes, &s.counterparts, change.crime),
                },
                whole.to_owned(),
            ),
        })
        .filter(|g| !g.moves.items.is_empty())
        .collect();
    (started, groups)
}

/// One sentence per crime type whose share changed most, largest change first: what the
/// overview says of the changes.
pub fn summary(pair: &Pair, found: &Changes) -> Vec<String> {
    let mut rows: Vec<(i64, String)> = found
        .crimes
        .iter()
        .map(|c| {
            let (b, a) = (percent_floor(c.before.share), percent_floor(c.after.share));
            let delta = i64::from(a) - i64::from(b);
            let after = &pair.after.edition().short_label;
            let count = |gone: Gone| c.stopped.iter().filter(|(_, g)| *g == gone).count();
            let mut parts = vec![format!("{} with a link new in {after}", c.started.len())];
            for (gone, what) in [
                (Gone::NotFound, "whose link was not found again"),
                (Gone::NotExamined, "not yet examined"),
                (Gone::Closed, "no longer in the chart"),
            ] {
                let n = count(gone);
                if n > 0 {
                    parts.push(format!("{n} {what}"));
                }
            }
            let sentence = format!(
                "{}: {} per cent of the UN System in {}, {} per cent in {after} (entities: {}).",
                c.before.label,
                b,
                pair.before.edition().short_label,
                a,
                parts.join(", "),
            );
            (delta.abs(), sentence)
        })
        .collect();
    rows.sort_by_key(|row| std::cmp::Reverse(row.0));
    rows.into_iter().take(3).map(|(_, s)| s).collect()
}

fn headline(data: &Dataset, filter: &Filter) -> String {
    let entities_only = filter.with(crate::dataset::CRIME, []);
    let set = entities_only.select(data);
    let cov = crate::stats::coverage(data, &set, &entities_only);
    format!(
        "{} of {} chart entities ({} per cent)",
        cov.with_any,
        cov.entities,
        percent_floor(cov.share)
    )
}

fn lineage(pair: &Pair) -> Vec<LineageRow> {
    let named = |id: &str| {
        // Each side in the edition that has it: the earlier one for what was, else the later.
        if pair.before.entity(id).is_some() {
            side(&pair.before, id, None)
        } else {
            side(&pair.after, id, None)
        }
    };
    crate::changes::lineage(&pair.after)
        .into_iter()
        .map(|row: &Lineage| LineageRow {
            kind: row.kind.label(),
            date: row.date.to_string(),
            before: row.from.as_ref().map(|r| named(r.id())),
            after: row.to.as_ref().map(|r| named(r.id())),
            decision: segments(&row.decision),
            source: segments(&row.source),
        })
        .collect()
}

fn changes_page(
    data: &Dataset,
    pair: &Pair,
    filter: &Filter,
    origin: &Origin,
) -> Result<ChangesPage, askama::Error> {
    let found = changes(pair, filter);
    let after_id = pair.after.edition().id.as_str();
    let searches = pair
        .after
        .searches()
        .iter()
        .filter(|s| s.edition.id() == after_id);
    let (pairs, not_examined) = searches.fold((0, 0), |(n, x), s| {
        (n + 1, x + usize::from(s.outcome == Outcome::NotExamined))
    });
    let notes = search_notes(&pair.after);
    let api = href(data, "/api/changes", filter, &[]);
    let crimes = found
        .crimes
        .iter()
        .map(|c| {
            let (started, stopped) = moves(pair, &notes, c, &api);
            let delta =
                i64::from(percent_floor(c.after.share)) - i64::from(percent_floor(c.before.share));
            CrimeView {
                id: c.before.id.clone(),
                label: c.before.label.clone(),
                before: format!(
                    "{} of {} ({} per cent)",
                    c.before.count,
                    found.before_entities,
                    percent_floor(c.before.share)
                ),
                after: format!(
                    "{} of {} ({} per cent)",
                    c.after.count,
                    found.after_entities,
                    percent_floor(c.after.share)
                ),
                shift: match delta {
                    0 => "no change in share".to_owned(),
                    d if d > 0 => format!("up {d} points"),
                    d => format!("down {} points", -d),
                },
                started,
                stopped,
                continued: c.continued,
            }
        })
        .collect();
    Ok(ChangesPage {
        layout: super::layout::Layout::of_edition(data, filter),
        title: format!(
            "What changed: {} and {}",
            pair.before.edition().short_label,
            pair.after.edition().short_label
        ),
        before: pair.before.edition().label.to_string(),
        after: pair.after.edition().label.to_string(),
        after_short: pair.after.edition().short_label.to_string(),
        before_headline: headline(&pair.before, filter),
        after_headline: headline(&pair.after, filter),
        not_examined,
        pairs,
        chart: inline_chart(data, &charts::changes::ChangesChart, filter, origin)?,
        summary: summary(pair, &found),
        crimes,
        lineage: lineage(pair),
        controls: Controls::of_entities(data, filter, "/changes", true),
    })
}

async fn page(selection: Selection, origin: Origin) -> Result<Html<String>, Error> {
    let data = &selection.data;
    let pair = Pair::of(data).ok_or_else(|| {
        Error::not_found(format!(
            "the data has one edition ({}): there is nothing to compare it with",
            data.edition().id
        ))
    })?;
    let page = changes_page(data, &pair, &selection.filter, &origin)?;
    Ok(Html(page.render()?))
}
