//! The index's answers equal a brute-force scan of the data, for many random filters over
//! the embedded dataset.

use mandate_map::dataset::index::fold;
use mandate_map::dataset::{Basis, Category, CrimeId, Dataset, Organ, Pillar};
use mandate_map::query::{Filter, Match};
use proptest::prelude::*;
use proptest::sample::subsequence;

fn data() -> &'static Dataset {
    static DATA: std::sync::OnceLock<Dataset> = std::sync::OnceLock::new();
    DATA.get_or_init(|| Dataset::embedded().expect("embedded data is valid"))
}

/// The filter's meaning, written as directly as possible: one entity at a time.
fn scan(data: &Dataset, f: &Filter) -> Vec<usize> {
    data.entities()
        .iter()
        .enumerate()
        .filter(|(i, e)| {
            let has = |c: CrimeId| {
                data.links()
                    .iter()
                    .any(|l| l.entity == *i && l.crime == c && f.basis.is_none_or(|b| l.basis == b))
            };
            let crimes_ok = if f.crimes.is_empty() {
                f.basis.is_none() || CrimeId::ALL.iter().any(|&c| has(c))
            } else {
                match f.match_ {
                    Match::Any => f.crimes.iter().any(|&c| has(c)),
                    Match::All => f.crimes.iter().all(|&c| has(c)),
                }
            };
            let text_ok = f.q.as_ref().is_none_or(|q| {
                let mut hay = format!("{}\n{}\n{}", e.acronym, e.name, e.summary);
                for l in data.links().iter().filter(|l| l.entity == *i) {
                    hay.push('\n');
                    hay.push_str(&l.summary);
                }
                fold(&hay).contains(&fold(q))
            });
            crimes_ok
                && (f.pillars.is_empty() || e.pillars.iter().any(|p| f.pillars.contains(p)))
                && (f.organs.is_empty() || f.organs.contains(&e.organ))
                && (f.categories.is_empty() || f.categories.contains(&e.category))
                && text_ok
        })
        .map(|(i, _)| i)
        .collect()
}

fn filter_strategy() -> impl Strategy<Value = Filter> {
    (
        subsequence(CrimeId::ALL.to_vec(), 0..=3),
        any::<bool>(),
        subsequence(Pillar::ALL.to_vec(), 0..=2),
        subsequence(Organ::ALL.to_vec(), 0..=2),
        subsequence(Category::ALL.to_vec(), 0..=2),
        prop_oneof![Just(None), Just(Some(Basis::Mandate)), Just(Some(Basis::Agenda))],
        prop_oneof![
            4 => Just(None),
            1 => prop::sample::select(vec!["un", "UN", "drug", "Nations", "traffick", "office", "é", "zzz"]).prop_map(|s| Some(s.to_owned())),
        ],
    )
        .prop_map(|(crimes, all, pillars, organs, categories, basis, q)| Filter {
            crimes,
            match_: if all { Match::All } else { Match::Any },
            pillars,
            organs,
            categories,
            basis,
            q,
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn index_filter_equals_brute_force_scan(f in filter_strategy()) {
        let data = data();
        let got: Vec<usize> = f.select(data).iter().collect();
        prop_assert_eq!(got, scan(data, &f));
    }

    #[test]
    fn canonical_query_string_round_trips(f in filter_strategy()) {
        let again = Filter::from_query(&f.to_query()).expect("canonical query parses");
        prop_assert_eq!(again, f);
    }
}

#[test]
fn empty_filter_selects_every_entity() {
    let data = data();
    assert_eq!(Filter::default().select(data).len(), data.entities().len());
}

#[test]
fn unknown_parameter_is_ignored_and_bad_value_names_the_parameter() {
    let f = Filter::from_query("utm_source=newsletter&crime=cybercrime").unwrap();
    assert_eq!(f.crimes, vec![CrimeId::Cybercrime]);
    let e = Filter::from_query("crime=cybercrime&pillar=security").unwrap_err();
    assert_eq!(e.param, "pillar");
    assert_eq!(
        e.expected(),
        ["peace-security", "human-rights", "development"]
    );
}

#[test]
fn text_search_ignores_case_and_accents() {
    let data = data();
    let plain = Filter {
        q: Some("office".into()),
        ..Filter::default()
    }
    .select(data);
    let shouted = Filter {
        q: Some("OFFÍCE".into()),
        ..Filter::default()
    }
    .select(data);
    assert!(!plain.is_empty());
    assert_eq!(plain, shouted);
}
