//! Shared test fixtures: a small valid dataset as CSV text, and helpers to mangle it.
#![allow(dead_code)]

pub mod server;

use mandate_map::dataset::load::{Source, Sources};
use mandate_map::dataset::{Dataset, LoadErrors};

pub const CRIME_TYPES: &str = "id,label,short_label,description,checked
human-trafficking,Human trafficking and smuggling,Trafficking,d,2026-12-03
illicit-drugs,Illicit drugs,Drugs,d,2026-12-03
environmental-crime,Environmental crime,Environment,d,2026-12-03
cybercrime,Cybercrime,Cyber,d,2026-12-03
financial-crime,Financial crime,Financial,d,2026-12-03
arms-trafficking,Arms trafficking,Arms,d,2026-12-03
";

/// Two editions: the report's (the default) and a later one with an entity created since.
pub const EDITIONS: &str = "id,label,short_label,chart,evidence_from,evidence_to,default,report,description,checked
2019,2019: the report's UN System,2019,UN System Chart 17-00023,,2019,true,true,The report's.,2026-12-03
2025,2025: today's UN System,2025,UN System Chart 25-00005,2020,,false,false,Today's.,2026-12-03
";

pub const ENTITIES: &str = "id,acronym,name,organ,category,pillars,website,summary,notes,editions,checked
unodc,UNODC,United Nations Office on Drugs and Crime,secretariat,Departments and Offices,peace-security;development,https://www.unodc.org,Drugs and crime.,,2019;2025,2026-12-03
unicef,UNICEF,United Nations Children's Fund,general-assembly,Funds and Programmes,development;human-rights,https://www.unicef.org,Children.,,2019;2025,2026-12-03
itu,ITU,International Telecommunication Union,ecosoc,Specialized Agencies,development,,Telecoms.,,2019;2025,2026-12-03
odet,ODET,Office for Digital and Emerging Technologies,secretariat,Departments and Offices,development,,Digital technologies.,,2025,2026-12-03
";

pub const LINKS: &str = "entity,crime,edition,basis,summary,provenance,quote,source,notes,mandate_source,evidence,source_year,checked
unodc,illicit-drugs,2019,mandate,Secretariat of CND.,report,UNODC as its secretariat,,,E/RES/1991/47,strong,,2026-12-03
unicef,cybercrime,2019,agenda,Online abuse.,report,UNICEF works to combat online child abuse and exploitation,,,,strong,,2026-12-03
itu,cybercrime,2019,agenda,Programmes.,compiled,,\"ITU, official website\",Partial: a programme page.,,partial,2018,2026-12-03
unodc,illicit-drugs,2025,mandate,World Drug Report.,compiled,,\"UNODC, World Drug Report 2024\",,E/RES/1991/47,strong,2024,2026-12-03
odet,cybercrime,2025,agenda,Digital cooperation.,compiled,,\"ODET, official website\",Partial: one mention.,,partial,2025,2026-12-03
";

pub const LINEAGE: &str = "from,to,kind,date,decision,source,notes,checked
,odet,created,2025-01-01,,\"ODET, official website\",,2026-12-03
";

pub const SEARCHES: &str = "edition,entity,crime,outcome,searched,checked
2025,unodc,illicit-drugs,link,,2026-12-03
2025,unicef,cybercrime,not-found,UNICEF pages on online abuse,2026-12-03
2025,itu,cybercrime,not-examined,,2026-12-03
";

pub const REPORT_FIGURES: &str = "id,label,value,unit,crime,quote,notes,checked
entities-total,Entities,102,count,,79 out of the UN's 102 entities,,2026-12-03
share-cybercrime,Share on cybercrime,21,percent,cybercrime,21 per cent,,2026-12-03
";

pub const ORGANS: &str = "id,label,short_label,colour,checked
general-assembly,General Assembly,GA,#1d4e89,2026-12-03
ecosoc,Economic and Social Council,ECOSOC,#2e6b30,2026-12-03
secretariat,Secretariat,Secretariat,#5b3f8c,2026-12-03
";

pub const CATEGORIES: &str = "id,label,short_label,checked
funds-and-programmes,Funds and Programmes,Funds,2026-12-03
specialized-agencies,Specialized Agencies,Agencies,2026-12-03
departments-and-offices,Departments and Offices,Offices,2026-12-03
";

pub const PILLARS: &str = "id,label,short_label,checked
peace-security,Peace and security,Peace,2026-12-03
human-rights,Human rights,Rights,2026-12-03
development,Development,Development,2026-12-03
";

pub const GROUPS: &str = "id,name,acronym,short_name,crimes,quote,notes,checked
icat,Inter-Agency Coordination Group against Trafficking in Persons,ICAT,ICAT,human-trafficking,the Inter-Agency Coordination Group against Trafficking in Persons,,2026-12-03
";

pub const GROUP_MEMBERS: &str = "group,entity,role,provenance,source,checked
icat,unodc,lead,report,,2026-12-03
icat,unicef,member,compiled,ICAT members page,2026-12-03
";

pub const INSTRUMENTS: &str = "id,name,short_name,type,date,adopting_decision,crimes,entity,secretariat,later_than_report,report_quote,source,notes,checked
untoc,United Nations Convention against Transnational Organized Crime,UNTOC,convention,2000-11-15,A/RES/55/25,financial-crime,,unodc,false,UNTOC is the main instrument,UN OLA,,2026-12-03
cnd,Commission on Narcotic Drugs,CND,commission,1946-02,,illicit-drugs,,unodc,false,,A source,,2026-12-03
cybercrime-convention,UN Convention against Cybercrime,Cybercrime Convention,convention,2024-12-24,A/RES/79/243,cybercrime,,unodc,true,,A source,,2026-12-03
";

pub const SPECIAL_PROCEDURES: &str = "id,title,short_title,type,established,establishing_resolution,crimes,partial,report_quote,appointed_by,supported_by,source,notes,checked
sr-trafficking,Special Rapporteur on trafficking in persons,SR on trafficking,special-rapporteur,2004,decision 2004/110,human-trafficking,,,unicef,unodc,OHCHR page,,2026-12-03
sr-expression,Special Rapporteur on freedom of expression,SR on expression,special-rapporteur,,,cybercrime;human-trafficking,cybercrime,,unicef,unodc,A report,,2026-12-03
";

pub const RELEASES: &str = "version,date,digest,summary
1.0.0,2026-01-01,0123456789abcdef,A first release.
";

/// The fixture's text of each data file, by file name.
const FILES: &[(&str, &str)] = &[
    ("editions.csv", EDITIONS),
    ("crime_types.csv", CRIME_TYPES),
    ("organs.csv", ORGANS),
    ("categories.csv", CATEGORIES),
    ("pillars.csv", PILLARS),
    ("entities.csv", ENTITIES),
    ("links.csv", LINKS),
    ("groups.csv", GROUPS),
    ("group_members.csv", GROUP_MEMBERS),
    ("report_figures.csv", REPORT_FIGURES),
    ("instruments.csv", INSTRUMENTS),
    ("special_procedures.csv", SPECIAL_PROCEDURES),
    ("releases.csv", RELEASES),
    ("lineage.csv", LINEAGE),
    ("searches.csv", SEARCHES),
];

/// A small valid copy of every data file the schema declares, each replaceable:
/// `f["links.csv"].push_str(...)`.
#[derive(Clone)]
pub struct Fixture(std::collections::BTreeMap<&'static str, String>);

impl Default for Fixture {
    /// One text per file of `schema::files()`: a file declared without a fixture here is a
    /// panic, so that a new table cannot go untested.
    fn default() -> Self {
        Fixture(
            mandate_map::dataset::schema::files()
                .iter()
                .map(|file| {
                    let name = file.name();
                    let text = FILES
                        .iter()
                        .find(|(n, _)| *n == name)
                        .unwrap_or_else(|| panic!("tests/common: no fixture for {name}"))
                        .1;
                    (name, text.to_owned())
                })
                .collect(),
        )
    }
}

impl std::ops::Index<&str> for Fixture {
    type Output = String;

    fn index(&self, name: &str) -> &String {
        self.0
            .get(name)
            .unwrap_or_else(|| panic!("the fixture has no file {name}"))
    }
}

impl std::ops::IndexMut<&str> for Fixture {
    fn index_mut(&mut self, name: &str) -> &mut String {
        self.0
            .get_mut(name)
            .unwrap_or_else(|| panic!("the fixture has no file {name}"))
    }
}

impl Fixture {
    /// The text of the file called `name` (e.g. `links.csv`).
    pub fn text(&self, name: &str) -> &str {
        &self[name]
    }

    /// The file names, in the schema's order.
    pub fn names(&self) -> Vec<&'static str> {
        mandate_map::dataset::schema::files()
            .iter()
            .map(|f| f.name())
            .collect()
    }

    /// Every file, as the loader reads them.
    pub fn sources(&self) -> Sources {
        Sources::read(|file| Source::new(file, format!("data/{file}"), self.text(file)))
    }

    pub fn load(&self) -> Result<Dataset, LoadErrors> {
        Dataset::from_sources(&self.sources())
    }

    /// Writes the fixture into a directory, as `Dataset::load` reads it.
    pub fn write_to(&self, dir: &std::path::Path) {
        for (name, text) in &self.0 {
            std::fs::write(dir.join(name), text).expect("write fixture");
        }
    }

    /// The fixture with `field` of line `line` (1 is the header) of `file` set to `value`.
    pub fn with_field(mut self, file: &str, line: usize, field: &str, value: &str) -> Fixture {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(self.text(file).as_bytes());
        let mut rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        let column = rows[0]
            .iter()
            .position(|h| h == field)
            .unwrap_or_else(|| panic!("{file} has no column {field}"));
        let mut row: Vec<String> = rows[line - 1].iter().map(str::to_owned).collect();
        row[column] = value.to_owned();
        rows[line - 1] = csv::StringRecord::from(row);
        let mut w = csv::Writer::from_writer(Vec::new());
        for r in &rows {
            w.write_record(r).unwrap();
        }
        self[file] = String::from_utf8(w.into_inner().unwrap()).unwrap();
        self
    }
}

/// Sends a GET through the router in-process; answers (status, content type, body).
pub async fn send(app: axum::Router, uri: &str) -> (axum::http::StatusCode, String, String) {
    let (status, content_type, body) = send_bytes(app, uri).await;
    (
        status,
        content_type,
        String::from_utf8_lossy(&body).into_owned(),
    )
}

/// Sends a GET through the router in-process; answers (status, content type, body bytes).
pub async fn send_bytes(app: axum::Router, uri: &str) -> (axum::http::StatusCode, String, Vec<u8>) {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let request = axum::http::Request::get(uri)
        .body(axum::body::Body::empty())
        .expect("a valid request");
    let response = app.oneshot(request).await.expect("the router answers");
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = response
        .into_body()
        .collect()
        .await
        .expect("a body")
        .to_bytes();
    (status, content_type, body.to_vec())
}

/// The router over the embedded data.
/// The server on the embedded data, every edition.
pub fn app() -> axum::Router {
    mandate_map::web::router(mandate_map::web::AppState::new(
        mandate_map::dataset::Editions::embedded().expect("embedded data is valid"),
    ))
}

/// The filter's meaning, written as directly as possible: one entity and one link at a time,
/// over every dimension the data declares.
pub fn scan(data: &Dataset, f: &mandate_map::query::Filter) -> Vec<usize> {
    use mandate_map::dataset::index::fold;
    use mandate_map::dataset::{CRIME, Dim, Term};
    use mandate_map::query::Match;
    let restricts_links = Dim::of(true).any(|d| !f.get(d).is_empty());
    data.entities()
        .iter()
        .enumerate()
        .filter(|(i, e)| {
            // A link on one of `crimes` (any crime type if empty) that every other link
            // dimension allows.
            let has = |crimes: &[Term]| {
                data.links().iter().any(|l| {
                    l.entity() == *i
                        && Dim::of(true).all(|d| {
                            let allowed = if d == CRIME { crimes } else { f.get(d) };
                            allowed.is_empty() || allowed.contains(&l.values.get(d)[0])
                        })
                })
            };
            let links_ok = if !restricts_links {
                true
            } else if f.match_ == Match::All && f.crimes().len() > 1 {
                f.crimes().iter().all(|c| has(std::slice::from_ref(c)))
            } else {
                has(f.crimes())
            };
            let entity_ok = Dim::of(false).all(|d| {
                f.get(d).is_empty() || e.values.get(d).iter().any(|t| f.get(d).contains(t))
            });
            let text_ok = f.q.as_ref().is_none_or(|q| {
                let mut hay = format!("{}\n{}\n{}", e.acronym, e.name, e.summary);
                for l in data.links().iter().filter(|l| l.entity() == *i) {
                    hay.push('\n');
                    hay.push_str(&l.summary);
                }
                fold(&hay).contains(&fold(q))
            });
            links_ok && entity_ok && text_ok
        })
        .map(|(i, _)| i)
        .collect()
}

/// Random filters over every dimension of `data`: up to three values each, any or all, and
/// now and then a text.
pub fn filter_strategy(
    data: &Dataset,
) -> impl proptest::strategy::Strategy<Value = mandate_map::query::Filter> + use<> {
    use mandate_map::dataset::Dim;
    use mandate_map::query::{Filter, Match};
    use proptest::prelude::*;
    let per_dimension: Vec<_> = Dim::all()
        .map(|d| {
            let terms: Vec<_> = data.vocabulary(d).terms().collect();
            let most = terms.len().min(3);
            proptest::sample::subsequence(terms, 0..=most)
        })
        .collect();
    (
        per_dimension,
        any::<bool>(),
        prop_oneof![
            4 => Just(None),
            1 => prop::sample::select(vec!["un", "UN", "drug", "Nations", "traffick", "office", "é", "zzz"]).prop_map(|s| Some(s.to_owned())),
        ],
    )
        .prop_map(|(terms, all, q)| {
            let mut f = Filter::default();
            for (d, chosen) in Dim::all().zip(terms) {
                f = f.with(d, chosen);
            }
            f.match_ = if all { Match::All } else { Match::Any };
            f.q = q;
            f
        })
}

/// The crime type with this id in `data`.
pub fn crime(data: &Dataset, id: &str) -> mandate_map::dataset::Term {
    data.crimes()
        .find(id)
        .unwrap_or_else(|| panic!("no crime type {id}"))
}

/// The id of an entity's principal organ.
pub fn organ<'a>(data: &'a Dataset, e: &mandate_map::dataset::Entity) -> &'a str {
    data.vocabulary(mandate_map::dataset::ORGAN).id(e.organ())
}

/// The id of an entity's box on the chart.
pub fn category<'a>(data: &'a Dataset, e: &mandate_map::dataset::Entity) -> &'a str {
    data.vocabulary(mandate_map::dataset::CATEGORY)
        .id(e.category())
}

/// Whether an entity is in the pillar with this id.
pub fn in_pillar(data: &Dataset, e: &mandate_map::dataset::Entity, id: &str) -> bool {
    let pillars = data.vocabulary(mandate_map::dataset::PILLAR);
    e.pillars().iter().any(|&p| pillars.id(p) == id)
}

/// The entities with a link of `basis` on `crime`, straight from the links.
pub fn with_link(
    data: &Dataset,
    crime: mandate_map::dataset::Term,
    basis: mandate_map::dataset::Basis,
) -> Vec<usize> {
    (0..data.entities().len())
        .filter(|&i| data.link(i, crime).is_some_and(|l| l.basis() == basis))
        .collect()
}

/// The ids of the entity objects in a JSON answer's `entities` list, in order.
pub fn entity_ids(json: &serde_json::Value) -> Vec<String> {
    json["entities"]
        .as_array()
        .expect("an entities list")
        .iter()
        .map(|e| e["id"].as_str().expect("an id").to_owned())
        .collect()
}
