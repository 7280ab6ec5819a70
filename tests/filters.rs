//! The index's answers equal a brute-force scan of the data, for many random filters over
//! the embedded dataset.

mod common;

use common::{filter_strategy, scan};
use mandate_map::dataset::{CRIME, Dataset, Editions};
use mandate_map::query::Filter;
use proptest::prelude::*;

fn data() -> &'static Dataset {
    static DATA: std::sync::OnceLock<Dataset> = std::sync::OnceLock::new();
    DATA.get_or_init(|| Dataset::embedded().expect("embedded data is valid"))
}

/// The last edition of the embedded data (the default is the first).
fn later() -> &'static Dataset {
    static EDITIONS: std::sync::OnceLock<Editions> = std::sync::OnceLock::new();
    let editions = EDITIONS.get_or_init(|| Editions::embedded().expect("embedded data is valid"));
    editions.all().last().expect("an edition")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn index_filter_equals_brute_force_scan(f in filter_strategy(data())) {
        let data = data();
        let got: Vec<usize> = f.select(data).iter().collect();
        prop_assert_eq!(got, scan(data, &f));
    }

    #[test]
    fn index_filter_equals_brute_force_scan_in_the_later_edition(f in filter_strategy(later())) {
        let data = later();
        let got: Vec<usize> = f.select(data).iter().collect();
        prop_assert_eq!(got, scan(data, &f));
    }

    #[test]
    fn canonical_query_string_round_trips_in_the_later_edition(f in filter_strategy(later())) {
        let data = later();
        let query = f.to_query(data);
        prop_assert!(query.starts_with("edition="), "{}", query);
        let again = Filter::from_query(data, &query).expect("canonical query parses");
        prop_assert_eq!(again, f);
    }

    #[test]
    fn the_query_string_from_pre_encoded_pairs_is_the_encoded_pairs(
        f in filter_strategy(data()),
        q in proptest::option::of("[ -~é&=+%#]{0,12}"),
    ) {
        let data = data();
        let mut f = f;
        if q.is_some() {
            f.q = q;
        }
        let pairs = f.pairs(data);
        let expected = mandate_map::query::encode(pairs.iter().map(|(k, v)| (*k, v.as_ref())));
        prop_assert_eq!(f.to_query(data), expected);
    }

    #[test]
    fn canonical_query_string_round_trips(f in filter_strategy(data())) {
        let data = data();
        let again = Filter::from_query(data, &f.to_query(data)).expect("canonical query parses");
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
    let data = data();
    let f = Filter::from_query(data, "utm_source=newsletter&crime=cybercrime").unwrap();
    assert_eq!(f.get(CRIME), [data.crimes().parse("cybercrime").unwrap()]);
    let e = Filter::from_query(data, "crime=cybercrime&pillar=security").unwrap_err();
    assert_eq!(e.param, "pillar");
    assert_eq!(
        e.expected(),
        ["peace-security", "human-rights", "development"]
    );
}

#[test]
fn text_search_ignores_case_and_accents() {
    let data = data();
    let search = |q: &str| {
        let mut filter = Filter::default();
        filter.q = Some(q.to_owned());
        filter.select(data)
    };
    let plain = search("office");
    let shouted = search("OFFÍCE");
    assert!(!plain.is_empty());
    assert_eq!(plain, shouted);
}
