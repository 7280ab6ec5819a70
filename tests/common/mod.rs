//! Shared test fixtures: a small valid dataset as CSV text, and helpers to mangle it.
#![allow(dead_code)]

use mandate_map::dataset::load::{Source, Sources};
use mandate_map::dataset::{Dataset, LoadErrors};

pub const CRIME_TYPES: &str = "id,label,short_label,description
human-trafficking,Human trafficking and smuggling,Trafficking,d
illicit-drugs,Illicit drugs,Drugs,d
environmental-crime,Environmental crime,Environment,d
cybercrime,Cybercrime,Cyber,d
financial-crime,Financial crime,Financial,d
arms-trafficking,Arms trafficking,Arms,d
";

pub const ENTITIES: &str = "id,acronym,name,organ,category,pillars,website,summary,notes
unodc,UNODC,United Nations Office on Drugs and Crime,secretariat,Departments and Offices,peace-security;development,https://www.unodc.org,Drugs and crime.,
unicef,UNICEF,United Nations Children's Fund,general-assembly,Funds and Programmes,development;human-rights,https://www.unicef.org,Children.,
itu,ITU,International Telecommunication Union,ecosoc,Specialized Agencies,development,,Telecoms.,
";

pub const LINKS: &str = "entity,crime,basis,summary,provenance,quote,source,notes
unodc,illicit-drugs,mandate,Secretariat of CND.,report,UNODC as its secretariat,,
unicef,cybercrime,agenda,Online abuse.,report,UNICEF works to combat online child abuse and exploitation,,
itu,cybercrime,agenda,Programmes.,compiled,,\"ITU, official website\",
";

pub const GROUPS: &str = "id,name,acronym,crimes,quote,notes
icat,Inter-Agency Coordination Group against Trafficking in Persons,ICAT,human-trafficking,the Inter-Agency Coordination Group against Trafficking in Persons,
";

pub const GROUP_MEMBERS: &str = "group,entity,role,provenance,source
icat,unodc,lead,report,
icat,unicef,member,compiled,ICAT members page
";

/// The five fixture files, each replaceable.
pub struct Fixture {
    pub crime_types: String,
    pub entities: String,
    pub links: String,
    pub groups: String,
    pub group_members: String,
}

impl Default for Fixture {
    fn default() -> Self {
        Fixture {
            crime_types: CRIME_TYPES.into(),
            entities: ENTITIES.into(),
            links: LINKS.into(),
            groups: GROUPS.into(),
            group_members: GROUP_MEMBERS.into(),
        }
    }
}

impl Fixture {
    pub fn sources(&self) -> Sources {
        Sources {
            crime_types: Source::new("data/crime_types.csv", self.crime_types.as_bytes()),
            entities: Source::new("data/entities.csv", self.entities.as_bytes()),
            links: Source::new("data/links.csv", self.links.as_bytes()),
            groups: Source::new("data/groups.csv", self.groups.as_bytes()),
            group_members: Source::new("data/group_members.csv", self.group_members.as_bytes()),
        }
    }

    pub fn load(&self) -> Result<Dataset, LoadErrors> {
        Dataset::from_sources(&self.sources())
    }

    /// Writes the fixture into a directory, as `Dataset::load` reads it.
    pub fn write_to(&self, dir: &std::path::Path) {
        for (name, text) in [
            ("crime_types.csv", &self.crime_types),
            ("entities.csv", &self.entities),
            ("links.csv", &self.links),
            ("groups.csv", &self.groups),
            ("group_members.csv", &self.group_members),
        ] {
            std::fs::write(dir.join(name), text).expect("write fixture");
        }
    }
}

/// Sends a GET through the router in-process; answers (status, content type, body).
pub async fn send(app: axum::Router, uri: &str) -> (axum::http::StatusCode, String, String) {
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
    (
        status,
        content_type,
        String::from_utf8_lossy(&body).into_owned(),
    )
}

/// The router over the embedded data.
pub fn app() -> axum::Router {
    mandate_map::web::router(mandate_map::web::AppState::new(
        Dataset::embedded().expect("embedded data is valid"),
    ))
}
