//! What a request means to the store: its canonical form ([`canonical`]), built from the
//! parameters the application reads ([`known_params`]), and the ETag key derived from that
//! form and the data version ([`etag_key`]). Nothing here knows about bodies or headers.

use std::collections::HashSet;
use std::sync::OnceLock;

use sha2::{Digest, Sha256};

/// How a parameter's repeated values combine.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Repeats {
    /// The values form a set: order and duplicates mean nothing (`crime=a&crime=b`).
    Set,
    /// The last non-empty value wins; earlier ones are still validated.
    Last,
}

/// A query parameter the application reads.
#[derive(Debug)]
pub struct Param {
    pub name: &'static str,
    pub repeats: Repeats,
}

const fn param(name: &'static str, repeats: Repeats) -> Param {
    Param { name, repeats }
}

/// The query parameters the application reads, sorted by name, each from where it is
/// declared: every filter dimension of [`DIMENSIONS`](crate::dataset::DIMENSIONS) (a set of
/// values); the query's own ([`query::PARAMS`](crate::query::PARAMS): `edition`, `match`, `q`, `sort`);
/// the org chart's `entity`; and every chart parameter of
/// [`charts::PARAMS`](crate::charts::PARAMS). Each of those keeps its last value.
pub fn known_params() -> &'static [Param] {
    static PARAMS: OnceLock<Vec<Param>> = OnceLock::new();
    PARAMS.get_or_init(|| {
        let last = crate::query::PARAMS
            .iter()
            .copied()
            .chain([crate::query::ENTITY])
            .chain(crate::charts::PARAMS.iter().map(|p| p.name));
        let mut params: Vec<Param> = crate::dataset::Dim::all()
            .map(|d| param(d.get().param, Repeats::Set))
            .chain(last.map(|name| param(name, Repeats::Last)))
            .collect();
        params.sort_by_key(|p| p.name);
        params
    })
}

/// The canonical form of a request: `path`, then the known parameters of `query`, decoded,
/// without empty values (the search text trimmed, as its parser reads it; every other value
/// as written), sorted by name and re-encoded. A set-valued parameter's
/// values are sorted and de-duplicated; a last-wins parameter keeps the order of its distinct
/// values (an identical pair repeated counts once, at its last place), so the value that wins
/// and every value that is validated stay the same. Two queries with one canonical form
/// therefore get the same answer, byte for byte.
pub fn canonical(path: &str, query: Option<&str>) -> String {
    let mut pairs: Vec<(&'static Param, String)> = Vec::new();
    let mut seen = HashSet::new();
    let decoded: Vec<_> = form_urlencoded::parse(query.unwrap_or("").as_bytes()).collect();
    // Walk backwards so a repeated last-wins pair is kept at its last place.
    for (name, value) in decoded.iter().rev() {
        let Some(known) = known_params().iter().find(|p| p.name == name.as_ref()) else {
            continue;
        };
        let value = if known.name == "q" {
            value.trim()
        } else {
            value.as_ref()
        };
        if value.is_empty() || !seen.insert((known.name, value)) {
            continue;
        }
        pairs.push((known, value.to_owned()));
    }
    pairs.reverse();
    // Stable: a last-wins parameter's values keep their order.
    pairs.sort_by(|(a, x), (b, y)| {
        a.name.cmp(b.name).then_with(|| match a.repeats {
            Repeats::Set => x.cmp(y),
            Repeats::Last => std::cmp::Ordering::Equal,
        })
    });
    if pairs.is_empty() {
        return path.to_owned();
    }
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (param, value) in &pairs {
        query.append_pair(param.name, value);
    }
    format!("{path}?{}", query.finish())
}

/// The validator of a canonical request against a data version, `VERSION-DIGEST`: the same on
/// every server copy. Each content coding's ETag adds its suffix to it.
pub(super) fn etag_key(version: &str, canonical: &str) -> String {
    let mut hash = Sha256::new();
    hash.update(version.as_bytes());
    hash.update([0]);
    hash.update(canonical.as_bytes());
    let digest: String = hash.finalize()[..10]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("{version}-{digest}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_differ_by_version_and_request() {
        let a = canonical("/entities", Some("crime=cybercrime"));
        let b = canonical("/entities", Some("crime=arms-trafficking"));
        assert_ne!(etag_key("v1", &a), etag_key("v1", &b));
        assert_ne!(etag_key("v1", &a), etag_key("v2", &a));
        assert_eq!(etag_key("v1", &a), etag_key("v1", &a));
    }

    #[test]
    fn equivalent_queries_have_one_canonical_form() {
        let c = |q: &str| canonical("/entities", Some(q));
        let base = c("crime=cybercrime&pillar=development");
        assert_eq!(base, "/entities?crime=cybercrime&pillar=development");
        for same in [
            "pillar=development&crime=cybercrime",
            "crime=cybercrime&crime=cybercrime&pillar=development",
            "crime=cybercrime&z=1&pillar=development&utm_source=x",
            "crime=%63ybercrime&pillar=development&organ=",
        ] {
            assert_eq!(c(same), base, "{same}");
        }
        assert_eq!(canonical("/", Some("z=1")), "/");
        assert_eq!(canonical("/", None), "/");
        assert_eq!(c("q=a+b"), c("q=a%20b"));
    }

    #[test]
    fn canonical_forms_keep_what_changes_the_answer() {
        let c = |q: &str| canonical("/entities", Some(q));
        assert_ne!(c("crime=cybercrime"), c("crime=illicit-drugs"));
        // Last wins: the order of different values matters, a repeat of one does not.
        assert_ne!(c("sort=name&sort=acronym"), c("sort=acronym&sort=name"));
        assert_eq!(
            c("sort=name&sort=acronym&sort=name"),
            c("sort=acronym&sort=name")
        );
        // An invalid value is still there to be reported.
        assert_ne!(c("match=bogus&match=all"), c("match=all"));
        assert_ne!(c("q=%26"), c(""));
        // A padded value is refused by the parser: it must not share the answer of none.
        assert_ne!(c("edition=+"), c("edition="));
        assert_ne!(c("crime=+cybercrime"), c("crime=cybercrime"));
        assert_eq!(c("q=+drug+"), c("q=drug"));
    }
}
