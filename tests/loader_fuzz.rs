//! The loader never panics: random bytes and mangled CSV in any file the schema declares
//! become errors, never crashes.

mod common;

use common::Fixture;
use mandate_map::dataset::Dataset;
use mandate_map::dataset::load::Source;
use proptest::prelude::*;

/// Applies byte-level edits (overwrite, delete, insert) to a valid file.
fn mangle(text: &str, edits: &[(usize, u8, u8)]) -> Vec<u8> {
    let mut bytes = text.as_bytes().to_vec();
    for &(pos, op, byte) in edits {
        if bytes.is_empty() {
            bytes.push(byte);
            continue;
        }
        let at = pos % bytes.len();
        match op % 3 {
            0 => bytes[at] = byte,
            1 => {
                bytes.remove(at);
            }
            _ => bytes.insert(at, byte),
        }
    }
    bytes
}

/// Bytes that matter to a CSV parser, mixed with arbitrary ones.
fn csv_byte() -> impl Strategy<Value = u8> {
    prop_oneof![
        Just(b','),
        Just(b'"'),
        Just(b'\n'),
        Just(b'\r'),
        Just(b';'),
        Just(0xef),
        Just(0xff),
        any::<u8>()
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn random_bytes_in_any_file_never_panic(file in any::<prop::sample::Index>(), bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let mut sources = Fixture::default().sources();
        let n = sources.0.len();
        let slot = &mut sources.0[file.index(n)];
        *slot = Source::new(slot.file, slot.name.clone(), bytes);
        // Either outcome is fine; it must simply return.
        let _ = Dataset::from_sources(&sources);
    }

    #[test]
    fn mangled_csv_never_panics_and_errors_are_located(
        file in any::<prop::sample::Index>(),
        edits in proptest::collection::vec((any::<usize>(), any::<u8>(), csv_byte()), 1..12),
    ) {
        let f = Fixture::default();
        let mut sources = f.sources();
        let n = sources.0.len();
        let slot = &mut sources.0[file.index(n)];
        let mangled = mangle(f.text(slot.file), &edits);
        *slot = Source::new(slot.file, slot.name.clone(), mangled);
        if let Err(errors) = Dataset::from_sources(&sources) {
            prop_assert!(!errors.0.is_empty());
            for e in &errors.0 {
                prop_assert!(e.file.starts_with("data/") && e.file.ends_with(".csv"), "{}", e);
                prop_assert!(!e.message.is_empty());
            }
        }
    }
}
