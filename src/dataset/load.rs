//! CSV → model. Reads the five data files, checks every row and every cross-reference, and
//! returns either the parsed tables or every problem found, each naming file, line and column.
//!
//! Nothing in here panics on any input: bytes that are not UTF-8, rows of the wrong length,
//! unknown values and dangling references all become a [`LoadError`].

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::str::FromStr;

use super::model::{
    Basis, Category, CrimeId, CrimeType, Entity, Evidence, Group, Link, Member, Organ, Pillar,
    Provenance, Role, UnknownValue,
};

pub const CRIME_TYPES: &str = "crime_types.csv";
pub const ENTITIES: &str = "entities.csv";
pub const LINKS: &str = "links.csv";
pub const GROUPS: &str = "groups.csv";
pub const GROUP_MEMBERS: &str = "group_members.csv";

/// The most entities an index can hold (one bit each in a `u128`).
pub const MAX_ENTITIES: usize = 128;

/// One problem in the data, located as precisely as the problem allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    /// The file as the user named it (e.g. `data/links.csv`).
    pub file: String,
    /// 1-based line of the record, when the problem is in one record.
    pub line: Option<u64>,
    /// The column's header name, when the problem is in one field.
    pub column: Option<String>,
    /// What is wrong, and where useful what would be right.
    pub message: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(column) = &self.column {
            write!(f, ": column '{column}'")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Every problem found while loading, in file and line order.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct LoadErrors(pub Vec<LoadError>);

impl fmt::Display for LoadErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

/// The raw contents of one data file, with the name to report it under.
#[derive(Debug, Clone)]
pub struct Source {
    pub name: String,
    /// `None` when the file could not be read; `read_error` says why.
    pub bytes: Option<Vec<u8>>,
    pub read_error: Option<String>,
}

impl Source {
    /// A file's contents that were read successfully.
    pub fn new(name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        Source {
            name: name.into(),
            bytes: Some(bytes.into()),
            read_error: None,
        }
    }

    /// A file that could not be read.
    pub fn unreadable(name: impl Into<String>, why: impl Into<String>) -> Self {
        Source {
            name: name.into(),
            bytes: None,
            read_error: Some(why.into()),
        }
    }
}

/// The five files of a data directory.
#[derive(Debug, Clone)]
pub struct Sources {
    pub crime_types: Source,
    pub entities: Source,
    pub links: Source,
    pub groups: Source,
    pub group_members: Source,
}

/// The parsed, cross-checked tables.
#[derive(Debug, Clone)]
pub struct Tables {
    /// Indexed by `CrimeId::index()`.
    pub crime_types: Vec<CrimeType>,
    pub entities: Vec<Entity>,
    pub links: Vec<Link>,
    pub groups: Vec<Group>,
}

/// Parses and checks all five files, returning every problem at once.
pub fn parse(sources: &Sources) -> Result<Tables, LoadErrors> {
    let mut errors = Vec::new();

    let crime_types = parse_crime_types(&sources.crime_types, &mut errors);
    let (entities, entity_ids) = parse_entities(&sources.entities, &mut errors);
    let links = parse_links(&sources.links, &entity_ids, &mut errors);
    let mut groups = parse_groups(&sources.groups, &mut errors);
    parse_group_members(
        &sources.group_members,
        &entity_ids,
        &mut groups,
        &mut errors,
    );

    let mut groups: Vec<(u64, Group)> = groups.into_values().collect();
    groups.sort_by_key(|(line, _)| *line);
    match crime_types {
        Some(crime_types) if errors.is_empty() => Ok(Tables {
            crime_types,
            entities,
            links,
            groups: groups.into_iter().map(|(_, g)| g).collect(),
        }),
        _ => Err(LoadErrors(errors)),
    }
}

/// A CSV file split into records, with its header.
struct Table<'a> {
    file: &'a str,
    columns: HashMap<&'static str, usize>,
    records: Vec<Record>,
}

struct Record {
    line: u64,
    fields: Vec<String>,
}

impl Table<'_> {
    fn field<'r>(&self, record: &'r Record, column: &str) -> &'r str {
        // Every column named here was required when the table was read.
        self.columns
            .get(column)
            .and_then(|&i| record.fields.get(i))
            .map_or("", |s| s.trim())
    }

    fn error(&self, record: &Record, column: &str, message: impl Into<String>) -> LoadError {
        LoadError {
            file: self.file.to_owned(),
            line: Some(record.line),
            column: Some(column.to_owned()),
            message: message.into(),
        }
    }

    /// A required field's text, or an error naming the empty column.
    fn required<'r>(
        &self,
        record: &'r Record,
        column: &str,
        errors: &mut Vec<LoadError>,
    ) -> Option<&'r str> {
        let value = self.field(record, column);
        if value.is_empty() {
            errors.push(self.error(record, column, "required field is empty"));
            None
        } else {
            Some(value)
        }
    }

    /// A field parsed into a closed vocabulary, or an error listing the valid values.
    fn parsed<T>(&self, record: &Record, column: &str, errors: &mut Vec<LoadError>) -> Option<T>
    where
        T: FromStr<Err = UnknownValue>,
    {
        let value = self.required(record, column, errors)?;
        value
            .parse()
            .map_err(|e: UnknownValue| errors.push(self.error(record, column, e.to_string())))
            .ok()
    }

    /// An id field that must be a lower-case slug.
    fn slug<'r>(
        &self,
        record: &'r Record,
        column: &str,
        errors: &mut Vec<LoadError>,
    ) -> Option<&'r str> {
        let value = self.required(record, column, errors)?;
        if is_slug(value) {
            Some(value)
        } else {
            errors.push(self.error(
                record,
                column,
                format!(
                    "'{value}' is not a slug (lower-case letters, digits and single hyphens, e.g. 'un-women')"
                ),
            ));
            None
        }
    }
}

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn file_error(file: &str, line: Option<u64>, message: impl Into<String>) -> LoadError {
    LoadError {
        file: file.to_owned(),
        line,
        column: None,
        message: message.into(),
    }
}

/// Decodes, checks the header and splits a file into records. A file that cannot be split
/// at all yields `None`; problems in single records are reported and those records skipped.
fn read_table<'a>(
    source: &'a Source,
    required: &[&'static str],
    optional: &[&'static str],
    errors: &mut Vec<LoadError>,
) -> Option<Table<'a>> {
    let file = source.name.as_str();
    let Some(bytes) = &source.bytes else {
        let why = source.read_error.as_deref().unwrap_or("cannot be read");
        errors.push(file_error(file, None, why));
        return None;
    };
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let line = 1 + bytes[..e.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u64;
            errors.push(file_error(
                file,
                Some(line),
                format!(
                    "not valid UTF-8 (byte offset {}): save the file as UTF-8",
                    e.valid_up_to()
                ),
            ));
            return None;
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);

    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|s| s.trim().to_owned()).collect(),
        Err(e) => {
            errors.push(file_error(file, Some(1), format!("malformed header: {e}")));
            return None;
        }
    };
    if header.iter().all(|h| h.is_empty()) {
        errors.push(file_error(
            file,
            Some(1),
            format!(
                "empty file: expected a header row with columns {}",
                required.join(",")
            ),
        ));
        return None;
    }

    let mut columns = HashMap::new();
    let mut ok = true;
    for (i, name) in header.iter().enumerate() {
        match required
            .iter()
            .chain(optional)
            .find(|c| **c == name.as_str())
        {
            Some(&known) if columns.contains_key(known) => {
                errors.push(file_error(
                    file,
                    Some(1),
                    format!("column '{name}' appears twice"),
                ));
                ok = false;
            }
            Some(&known) => {
                columns.insert(known, i);
            }
            None => {
                let all: Vec<&str> = required.iter().chain(optional).copied().collect();
                errors.push(file_error(
                    file,
                    Some(1),
                    format!("unknown column '{name}' (expected: {})", all.join(", ")),
                ));
                ok = false;
            }
        }
    }
    for column in required {
        if !columns.contains_key(column) {
            errors.push(file_error(
                file,
                Some(1),
                format!("missing column '{column}'"),
            ));
            ok = false;
        }
    }
    if !ok {
        return None;
    }

    let mut records = Vec::new();
    for result in reader.records() {
        match result {
            Ok(record) => {
                let line = record.position().map_or(0, |p| p.line());
                if record.iter().all(|f| f.trim().is_empty()) {
                    continue; // a blank line, e.g. a trailing one
                }
                if record.len() != header.len() {
                    errors.push(file_error(
                        file,
                        Some(line),
                        format!(
                            "has {} fields, the header has {} (is a comma inside a field missing its double quotes?)",
                            record.len(),
                            header.len()
                        ),
                    ));
                    continue;
                }
                records.push(Record {
                    line,
                    fields: record.iter().map(str::to_owned).collect(),
                });
            }
            Err(e) => {
                let line = e.position().map(|p| p.line());
                errors.push(file_error(file, line, format!("malformed CSV: {e}")));
                return None;
            }
        }
    }
    Some(Table {
        file,
        columns,
        records,
    })
}

fn parse_crime_types(source: &Source, errors: &mut Vec<LoadError>) -> Option<Vec<CrimeType>> {
    let table = read_table(
        source,
        &["id", "label", "short_label", "description"],
        &[],
        errors,
    )?;
    let mut found: Vec<Option<CrimeType>> = vec![None; CrimeId::ALL.len()];
    for record in &table.records {
        let id = table.parsed::<CrimeId>(record, "id", errors);
        let label = table.required(record, "label", errors);
        let short_label = table.required(record, "short_label", errors);
        let description = table.required(record, "description", errors);
        let (Some(id), Some(label), Some(short_label), Some(description)) =
            (id, label, short_label, description)
        else {
            continue;
        };
        let slot = &mut found[id.index()];
        if slot.is_some() {
            errors.push(table.error(record, "id", format!("duplicate crime type '{id}'")));
            continue;
        }
        *slot = Some(CrimeType {
            id,
            label: label.to_owned(),
            short_label: short_label.to_owned(),
            description: description.to_owned(),
        });
    }
    let mut crime_types = Vec::with_capacity(found.len());
    for (id, slot) in CrimeId::ALL.iter().zip(found) {
        match slot {
            Some(c) => crime_types.push(c),
            None => errors.push(file_error(
                table.file,
                None,
                format!("missing crime type '{id}' (every one of the six must have a row)"),
            )),
        }
    }
    (crime_types.len() == CrimeId::ALL.len()).then_some(crime_types)
}

/// Returns the valid entities and the ids of every row that had a well-formed id, so that
/// references to an entity whose row has some other problem are not reported twice.
fn parse_entities(
    source: &Source,
    errors: &mut Vec<LoadError>,
) -> (Vec<Entity>, HashMap<String, usize>) {
    let mut entities = Vec::new();
    let mut ids = HashMap::new();
    let Some(table) = read_table(
        source,
        &[
            "id", "acronym", "name", "organ", "category", "pillars", "website", "summary",
        ],
        &["notes"],
        errors,
    ) else {
        return (entities, ids);
    };
    let mut seen = HashSet::new();
    for record in &table.records {
        let id = table.slug(record, "id", errors);
        if let Some(id) = id
            && !seen.insert(id.to_owned())
        {
            errors.push(table.error(record, "id", format!("duplicate entity id '{id}'")));
            continue;
        }
        let acronym = table.required(record, "acronym", errors);
        let name = table.required(record, "name", errors);
        let organ = table.parsed::<Organ>(record, "organ", errors);
        let category = table.required(record, "category", errors).and_then(|c| {
            Category::parse_loose(c)
                .map_err(|e| errors.push(table.error(record, "category", e.to_string())))
                .ok()
        });
        let pillars = parse_pillars(&table, record, errors);
        let website = table.field(record, "website");
        let website_ok =
            website.is_empty() || website.starts_with("https://") || website.starts_with("http://");
        if !website_ok {
            errors.push(table.error(
                record,
                "website",
                format!("'{website}' is not a web address (expected https://...)"),
            ));
        }
        let summary = table.required(record, "summary", errors);

        if let Some(id) = id {
            // Position it will have if every row is valid; only used for reference checks.
            ids.insert(id.to_owned(), ids.len());
        }
        let (
            Some(id),
            Some(acronym),
            Some(name),
            Some(organ),
            Some(category),
            Some(pillars),
            Some(summary),
            true,
        ) = (
            id, acronym, name, organ, category, pillars, summary, website_ok,
        )
        else {
            continue;
        };
        if entities.len() == MAX_ENTITIES {
            errors.push(table.error(
                record,
                "id",
                format!(
                    "more than {MAX_ENTITIES} entities: the index holds at most {MAX_ENTITIES}"
                ),
            ));
            continue;
        }
        entities.push(Entity {
            id: id.to_owned(),
            acronym: acronym.to_owned(),
            name: name.to_owned(),
            organ,
            category,
            pillars,
            website: website.to_owned(),
            summary: summary.to_owned(),
            notes: table.field(record, "notes").to_owned(),
        });
    }
    (entities, ids)
}

fn parse_pillars(
    table: &Table,
    record: &Record,
    errors: &mut Vec<LoadError>,
) -> Option<Vec<Pillar>> {
    let text = table.required(record, "pillars", errors)?;
    let mut pillars = Vec::new();
    for part in text.split(';').map(str::trim) {
        match part.parse::<Pillar>() {
            Ok(p) if pillars.contains(&p) => {
                errors.push(table.error(record, "pillars", format!("pillar '{p}' listed twice")));
                return None;
            }
            Ok(p) => pillars.push(p),
            Err(e) => {
                errors.push(table.error(
                    record,
                    "pillars",
                    format!("{e}; separate several with ';'"),
                ));
                return None;
            }
        }
    }
    pillars.sort();
    Some(pillars)
}

/// Reads `provenance`, `quote` and `source` into evidence: a report link needs a quote, a
/// compiled one a source, and neither carries the other's field.
fn parse_evidence(table: &Table, record: &Record, errors: &mut Vec<LoadError>) -> Option<Evidence> {
    let provenance = table.parsed::<Provenance>(record, "provenance", errors)?;
    let quote = table.field(record, "quote");
    let source = table.field(record, "source");
    match provenance {
        Provenance::Report if quote.is_empty() => {
            errors.push(table.error(
                record,
                "quote",
                "a 'report' link needs the report's verbatim quote",
            ));
            None
        }
        Provenance::Report => Some(Evidence::Report {
            quote: quote.to_owned(),
        }),
        Provenance::Compiled if source.is_empty() => {
            errors.push(table.error(
                record,
                "source",
                "a 'compiled' link needs its source (official page, founding resolution or UN document symbol)",
            ));
            None
        }
        Provenance::Compiled if !quote.is_empty() => {
            errors.push(table.error(
                record,
                "quote",
                "a 'compiled' link carries a source, not a quote (quotes are for links the report states)",
            ));
            None
        }
        Provenance::Compiled => Some(Evidence::Compiled {
            source: source.to_owned(),
        }),
    }
}

fn lookup_entity(
    table: &Table,
    record: &Record,
    column: &str,
    entity_ids: &HashMap<String, usize>,
    errors: &mut Vec<LoadError>,
) -> Option<usize> {
    let id = table.required(record, column, errors)?;
    match entity_ids.get(id) {
        Some(&i) => Some(i),
        None => {
            errors.push(table.error(
                record,
                column,
                format!("unknown entity '{id}' (not an id in {ENTITIES})"),
            ));
            None
        }
    }
}

fn parse_links(
    source: &Source,
    entity_ids: &HashMap<String, usize>,
    errors: &mut Vec<LoadError>,
) -> Vec<Link> {
    let mut links = Vec::new();
    let Some(table) = read_table(
        source,
        &[
            "entity",
            "crime",
            "basis",
            "summary",
            "provenance",
            "quote",
            "source",
        ],
        &["notes"],
        errors,
    ) else {
        return links;
    };
    let mut seen = HashSet::new();
    for record in &table.records {
        let entity = lookup_entity(&table, record, "entity", entity_ids, errors);
        let crime = table.parsed::<CrimeId>(record, "crime", errors);
        let basis = table.parsed::<Basis>(record, "basis", errors);
        let summary = table.required(record, "summary", errors);
        let evidence = parse_evidence(&table, record, errors);
        let (Some(entity), Some(crime), Some(basis), Some(summary), Some(evidence)) =
            (entity, crime, basis, summary, evidence)
        else {
            continue;
        };
        if !seen.insert((entity, crime)) {
            errors.push(table.error(
                record,
                "crime",
                format!(
                    "duplicate link: entity '{}' already has a row for '{crime}'",
                    table.field(record, "entity")
                ),
            ));
            continue;
        }
        links.push(Link {
            entity,
            crime,
            basis,
            summary: summary.to_owned(),
            evidence,
            notes: table.field(record, "notes").to_owned(),
        });
    }
    links
}

/// Groups keyed by id, each with the line it was defined on (for ordering).
type GroupTable = std::collections::BTreeMap<String, (u64, Group)>;

fn parse_groups(source: &Source, errors: &mut Vec<LoadError>) -> GroupTable {
    let mut groups = GroupTable::new();
    let Some(table) = read_table(
        source,
        &["id", "name", "acronym", "crimes", "quote"],
        &["notes"],
        errors,
    ) else {
        return groups;
    };
    for record in &table.records {
        let id = table.slug(record, "id", errors);
        let name = table.required(record, "name", errors);
        let quote = table.required(record, "quote", errors);
        let mut crimes = Vec::new();
        let mut crimes_ok = true;
        for part in table
            .field(record, "crimes")
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            match part.parse::<CrimeId>() {
                Ok(c) if !crimes.contains(&c) => crimes.push(c),
                Ok(c) => {
                    errors.push(table.error(record, "crimes", format!("'{c}' listed twice")));
                    crimes_ok = false;
                }
                Err(e) => {
                    errors.push(table.error(record, "crimes", e.to_string()));
                    crimes_ok = false;
                }
            }
        }
        let (Some(id), Some(name), Some(quote), true) = (id, name, quote, crimes_ok) else {
            continue;
        };
        if groups.contains_key(id) {
            errors.push(table.error(record, "id", format!("duplicate group id '{id}'")));
            continue;
        }
        crimes.sort();
        groups.insert(
            id.to_owned(),
            (
                record.line,
                Group {
                    id: id.to_owned(),
                    name: name.to_owned(),
                    acronym: table.field(record, "acronym").to_owned(),
                    crimes,
                    quote: quote.to_owned(),
                    notes: table.field(record, "notes").to_owned(),
                    members: Vec::new(),
                },
            ),
        );
    }
    groups
}

fn parse_group_members(
    source: &Source,
    entity_ids: &HashMap<String, usize>,
    groups: &mut GroupTable,
    errors: &mut Vec<LoadError>,
) {
    let Some(table) = read_table(
        source,
        &["group", "entity", "role", "provenance", "source"],
        &[],
        errors,
    ) else {
        return;
    };
    for record in &table.records {
        let group = table.required(record, "group", errors);
        let known_group = group.filter(|g| groups.contains_key(*g));
        if let (Some(g), None) = (group, known_group) {
            errors.push(table.error(
                record,
                "group",
                format!("unknown group '{g}' (not an id in {GROUPS})"),
            ));
        }
        let entity = lookup_entity(&table, record, "entity", entity_ids, errors);
        let role = table.parsed::<Role>(record, "role", errors);
        let provenance = table.parsed::<Provenance>(record, "provenance", errors);
        let source = table.field(record, "source");
        if provenance == Some(Provenance::Compiled) && source.is_empty() {
            errors.push(table.error(
                record,
                "source",
                "a 'compiled' member needs the source that lists it",
            ));
            continue;
        }
        let (Some(group), Some(entity), Some(role), Some(provenance)) =
            (known_group, entity, role, provenance)
        else {
            continue;
        };
        let Some((_, group)) = groups.get_mut(group) else {
            continue;
        };
        if group.members.iter().any(|m| m.entity == entity) {
            errors.push(table.error(
                record,
                "entity",
                format!(
                    "'{}' is already a member of '{}'",
                    table.field(record, "entity"),
                    group.id
                ),
            ));
            continue;
        }
        group.members.push(Member {
            entity,
            role,
            provenance,
            source: source.to_owned(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lower_case_words_joined_by_single_hyphens() {
        assert!(is_slug("un-women"));
        assert!(is_slug("unodc"));
        assert!(!is_slug("UN-Women"));
        assert!(!is_slug("-unodc"));
        assert!(!is_slug("un--women"));
        assert!(!is_slug("un women"));
        assert!(!is_slug(""));
    }

    #[test]
    fn error_display_names_file_line_and_column() {
        let e = LoadError {
            file: "data/links.csv".into(),
            line: Some(41),
            column: Some("crime".into()),
            message: "bad".into(),
        };
        assert_eq!(e.to_string(), "data/links.csv:41: column 'crime': bad");
    }
}
