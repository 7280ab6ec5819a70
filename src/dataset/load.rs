//! CSV → model. Reads the five data files, checks every row and every cross-reference, and
//! returns either the parsed tables or every problem found, each naming file, line and column.
//!
//! Nothing in here panics on any input: bytes that are not UTF-8, rows of the wrong length,
//! unknown values and dangling references all become a [`LoadError`].

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::str::FromStr;

use super::dimension::{BASIS, CRIME, Dim, EVIDENCE, Of, Values};
use super::model::{
    Basis, Entity, Evidence, Grade, Group, Instrument, InstrumentKind, Link, MandateKind, Member,
    PartialDate, Provenance, REPORT_YEAR, ReportFigure, Role, SpecialProcedure, Unit,
};
use super::schema::{self, Column, FileSpec};
use super::vocab::{MAX_TERMS, Term, TermInfo, UnknownValue, Vocabulary};

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
    /// The file's name in `data/` (`links.csv`).
    pub file: &'static str,
    /// The name to report it under (`data/links.csv`, `/tmp/copy/links.csv`).
    pub name: String,
    /// `None` when the file could not be read; `read_error` says why.
    pub bytes: Option<Vec<u8>>,
    pub read_error: Option<String>,
}

impl Source {
    /// A file's contents that were read successfully.
    pub fn new(file: &'static str, name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        Source {
            file,
            name: name.into(),
            bytes: Some(bytes.into()),
            read_error: None,
        }
    }

    /// A file that could not be read.
    pub fn unreadable(file: &'static str, name: impl Into<String>, why: impl Into<String>) -> Self {
        Source {
            file,
            name: name.into(),
            bytes: None,
            read_error: Some(why.into()),
        }
    }
}

/// The files of a data directory, one per entry of [`schema::files`], in that order.
#[derive(Debug, Clone)]
pub struct Sources(pub Vec<Source>);

impl Sources {
    /// Reads every file with `read(file name)`.
    pub fn read(mut read: impl FnMut(&'static str) -> Source) -> Sources {
        Sources(schema::files().iter().map(|f| read(f.name)).collect())
    }

    /// The file called `file` (e.g. `links.csv`).
    pub fn get(&self, file: &str) -> Option<&Source> {
        self.0.iter().find(|s| s.file == file)
    }

    /// The file called `file`, to replace or mangle it.
    pub fn get_mut(&mut self, file: &str) -> Option<&mut Source> {
        self.0.iter_mut().find(|s| s.file == file)
    }
}

/// The parsed, cross-checked tables.
#[derive(Debug, Clone)]
pub struct Tables {
    /// One per dimension, by [`Dim`].
    pub vocabularies: Vec<Vocabulary>,
    pub entities: Vec<Entity>,
    pub links: Vec<Link>,
    pub groups: Vec<Group>,
    pub report_figures: Vec<ReportFigure>,
    pub instruments: Vec<Instrument>,
    pub special_procedures: Vec<SpecialProcedure>,
    /// Each file's header as read, by file name (for the data package).
    pub headers: HashMap<&'static str, Vec<String>>,
}

/// Parses and checks every file, returning every problem at once.
pub fn parse(sources: &Sources) -> Result<Tables, LoadErrors> {
    let mut cx = Context {
        sources,
        errors: Vec::new(),
        headers: HashMap::new(),
    };
    let vocabularies: Vec<Option<Vocabulary>> = Dim::all().map(|d| cx.vocabulary(d)).collect();
    let Some(vocabularies) = vocabularies.into_iter().collect::<Option<Vec<_>>>() else {
        // Rows that refer to a vocabulary that failed would only repeat its problems, but
        // the other files can still be read and their headers checked.
        for spec in [
            schema::ENTITIES,
            schema::LINKS,
            schema::GROUPS,
            schema::GROUP_MEMBERS,
            schema::INSTRUMENTS,
            schema::SPECIAL_PROCEDURES,
        ] {
            cx.table(&spec);
        }
        return Err(LoadErrors(cx.errors));
    };
    let (entities, entity_ids) = cx.entities(&vocabularies);
    let links = cx.links(&vocabularies, &entity_ids);
    let mut groups = cx.groups(&vocabularies[CRIME.0]);
    cx.group_members(&entity_ids, &mut groups);
    let report_figures = cx.report_figures(&vocabularies[CRIME.0]);
    let instruments = cx.instruments(&vocabularies[CRIME.0], &entity_ids);
    let special_procedures = cx.special_procedures(&vocabularies[CRIME.0], &entity_ids);

    let mut groups: Vec<(u64, Group)> = groups.into_values().collect();
    groups.sort_by_key(|(line, _)| *line);
    if !cx.errors.is_empty() {
        return Err(LoadErrors(cx.errors));
    }
    Ok(Tables {
        vocabularies,
        entities,
        links,
        groups: groups.into_iter().map(|(_, g)| g).collect(),
        report_figures,
        instruments,
        special_procedures,
        headers: cx.headers,
    })
}

/// What every file's parser shares: the sources, the problems found so far and the headers.
struct Context<'a> {
    sources: &'a Sources,
    errors: Vec<LoadError>,
    headers: HashMap<&'static str, Vec<String>>,
}

impl<'a> Context<'a> {
    /// Splits the file `spec` names into records, checking its header against the spec.
    fn table(&mut self, spec: &FileSpec) -> Option<Table<'a>> {
        let Some(source) = self.sources.get(spec.name) else {
            self.errors
                .push(file_error(spec.name, None, "the file was not given"));
            return None;
        };
        let table = read_table(source, &spec.all_columns(), &mut self.errors)?;
        self.headers.insert(spec.name, table.header.clone());
        Some(table)
    }
}

/// A CSV file split into records, with its header.
struct Table<'a> {
    file: &'a str,
    header: Vec<String>,
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
    spec: &[Column],
    errors: &mut Vec<LoadError>,
) -> Option<Table<'a>> {
    let file = source.name.as_str();
    let text = decode(source, errors)?;
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
    let columns = check_header(file, &header, spec, errors)?;
    let mut records = Vec::new();
    for result in reader.records() {
        let record = match result {
            Ok(record) => record,
            Err(e) => {
                let line = e.position().map(|p| p.line());
                errors.push(file_error(file, line, format!("malformed CSV: {e}")));
                return None;
            }
        };
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
    Some(Table {
        file,
        header,
        columns,
        records,
    })
}

/// The file's text: UTF-8, without a byte-order mark.
fn decode<'a>(source: &'a Source, errors: &mut Vec<LoadError>) -> Option<&'a str> {
    let file = source.name.as_str();
    let Some(bytes) = &source.bytes else {
        let why = source.read_error.as_deref().unwrap_or("cannot be read");
        errors.push(file_error(file, None, why));
        return None;
    };
    match std::str::from_utf8(bytes) {
        Ok(text) => Some(text.strip_prefix('\u{feff}').unwrap_or(text)),
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
            None
        }
    }
}

/// Checks a header against the file's columns: each known, none twice, none required
/// missing. Answers each column's position.
fn check_header(
    file: &str,
    header: &[String],
    spec: &[Column],
    errors: &mut Vec<LoadError>,
) -> Option<HashMap<&'static str, usize>> {
    let names: Vec<&'static str> = spec.iter().map(|c| c.name).collect();
    let problem = |message: String| file_error(file, Some(1), message);
    if header.iter().all(|h| h.is_empty()) {
        let required: Vec<&str> = spec
            .iter()
            .filter(|c| !c.optional)
            .map(|c| c.name)
            .collect();
        errors.push(problem(format!(
            "empty file: expected a header row with columns {}",
            required.join(",")
        )));
        return None;
    }
    let before = errors.len();
    let mut columns = HashMap::new();
    for (i, name) in header.iter().enumerate() {
        match names.iter().find(|c| **c == name.as_str()) {
            Some(&known) if columns.contains_key(known) => {
                errors.push(problem(format!("column '{name}' appears twice")));
            }
            Some(&known) => {
                columns.insert(known, i);
            }
            None => errors.push(problem(format!(
                "unknown column '{name}' (expected: {})",
                names.join(", ")
            ))),
        }
    }
    for column in spec.iter().filter(|c| !c.optional) {
        if !columns.contains_key(column.name) {
            errors.push(problem(format!("missing column '{}'", column.name)));
        }
    }
    (errors.len() == before).then_some(columns)
}

impl Context<'_> {
    /// The vocabulary of dimension `dim`: declared in code, or read from its file.
    fn vocabulary(&mut self, dim: Dim) -> Option<Vocabulary> {
        let kind = dim.get().kind;
        let spec = match dim.get().values {
            Values::Fixed(vocabulary) => return Some(vocabulary()),
            Values::File { .. } => schema::vocabulary_file(dim)?,
        };
        let table = self.table(&spec)?;
        let errors = &mut self.errors;
        let mut terms: Vec<TermInfo> = Vec::new();
        for record in &table.records {
            let Some(term) = table.term(record, errors) else {
                continue;
            };
            if terms.iter().any(|t| t.id == term.id) {
                let message = format!("duplicate {kind} '{}'", term.id);
                errors.push(table.error(record, "id", message));
                continue;
            }
            terms.push(term);
        }
        let problem = if terms.is_empty() {
            format!("no {kind}: the file needs at least one row")
        } else if terms.len() > MAX_TERMS {
            format!("more than {MAX_TERMS} rows")
        } else {
            return Some(Vocabulary::new(kind, terms));
        };
        errors.push(file_error(table.file, None, problem));
        None
    }

    /// Returns the valid entities and the ids of every row that had a well-formed id, so
    /// that references to an entity whose row has some other problem are not reported twice.
    fn entities(&mut self, vocabularies: &[Vocabulary]) -> (Vec<Entity>, HashMap<String, usize>) {
        let mut entities = Vec::new();
        let mut ids = HashMap::new();
        let Some(table) = self.table(&schema::ENTITIES) else {
            return (entities, ids);
        };
        let errors = &mut self.errors;
        let mut seen = HashSet::new();
        // (entity position, record, parent id), resolved once every id is known.
        let mut parents: Vec<(usize, &Record, &str)> = Vec::new();
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
            let values = table.values(record, false, vocabularies, errors);
            let website = table.web_address(record, "website", errors);
            let summary = table.required(record, "summary", errors);

            if let Some(id) = id {
                // Position it will have if every row is valid; only used for reference checks.
                ids.insert(id.to_owned(), ids.len());
            }
            let (Some(id), Some(acronym), Some(name), Some(values), Some(summary), Some(website)) =
                (id, acronym, name, values, summary, website)
            else {
                continue;
            };
            let parent = table.field(record, "parent");
            if !parent.is_empty() {
                parents.push((entities.len(), record, parent));
            }
            entities.push(Entity {
                id: id.to_owned(),
                acronym: acronym.to_owned(),
                name: name.to_owned(),
                values,
                parent: None,
                website: website.to_owned(),
                summary: summary.to_owned(),
                notes: table.field(record, "notes").to_owned(),
            });
        }
        let children: HashSet<usize> = parents.iter().map(|(p, _, _)| *p).collect();
        for (position, record, parent) in parents {
            match resolve_parent(&entities, &children, position, parent) {
                Ok(p) => entities[position].parent = Some(p),
                Err(message) => errors.push(table.error(record, "parent", message)),
            }
        }
        (entities, ids)
    }

    /// The figures the report states, each with its words.
    fn report_figures(&mut self, crimes: &Vocabulary) -> Vec<ReportFigure> {
        let mut figures: Vec<ReportFigure> = Vec::new();
        let Some(table) = self.table(&schema::REPORT_FIGURES) else {
            return figures;
        };
        let errors = &mut self.errors;
        for record in &table.records {
            let id = table.slug(record, "id", errors);
            let label = table.required(record, "label", errors);
            let value = table.required(record, "value", errors).and_then(|v| {
                let number = v.parse::<f64>().ok().filter(|n| n.is_finite() && *n >= 0.0);
                if number.is_none() {
                    let message = format!("'{v}' is not a number (e.g. 79 or 34.8)");
                    errors.push(table.error(record, "value", message));
                }
                number
            });
            let unit = table.parsed::<Unit>(record, "unit", errors);
            let crime = match table.field(record, "crime") {
                "" => Some(None),
                text => crimes
                    .parse(text)
                    .map(Some)
                    .map_err(|e| errors.push(table.error(record, "crime", e.to_string())))
                    .ok(),
            };
            let quote = table.required(record, "quote", errors);
            let (Some(id), Some(label), Some(value), Some(unit), Some(crime), Some(quote)) =
                (id, label, value, unit, crime, quote)
            else {
                continue;
            };
            if figures.iter().any(|f| f.id == id) {
                let message = format!("duplicate figure '{id}'");
                errors.push(table.error(record, "id", message));
                continue;
            }
            figures.push(ReportFigure {
                id: id.to_owned(),
                label: label.to_owned(),
                value,
                unit,
                crime,
                quote: quote.to_owned(),
                notes: table.field(record, "notes").to_owned(),
            });
        }
        figures
    }

    fn instruments(
        &mut self,
        crimes: &Vocabulary,
        entity_ids: &HashMap<String, usize>,
    ) -> Vec<Instrument> {
        let mut instruments: Vec<Instrument> = Vec::new();
        let Some(table) = self.table(&schema::INSTRUMENTS) else {
            return instruments;
        };
        let errors = &mut self.errors;
        for record in &table.records {
            let id = table.slug(record, "id", errors);
            let name = table.required(record, "name", errors);
            let short_name = table.required(record, "short_name", errors);
            let kind = table.parsed::<InstrumentKind>(record, "type", errors);
            let date = table.date(record, "date", errors);
            let crimes = table
                .required(record, "crimes", errors)
                .and_then(|_| table.terms(record, "crimes", crimes, true, true, errors));
            let entity = table.optional_entity(record, "entity", entity_ids, errors);
            let secretariat = table.optional_entity(record, "secretariat", entity_ids, errors);
            let later = date.and_then(|d| table.later_than_report(record, d, errors));
            let source = table.required(record, "source", errors);
            let (Some(id), Some(name), Some(short_name), Some(kind), Some(date), Some(crimes)) =
                (id, name, short_name, kind, date, crimes)
            else {
                continue;
            };
            let (Some(entity), Some(secretariat), Some(later), Some(source)) =
                (entity, secretariat, later, source)
            else {
                continue;
            };
            if instruments.iter().any(|i| i.id == id) {
                errors.push(table.error(record, "id", format!("duplicate id '{id}'")));
                continue;
            }
            instruments.push(Instrument {
                id: id.to_owned(),
                name: name.to_owned(),
                short_name: short_name.to_owned(),
                kind,
                date,
                adopting_decision: table.field(record, "adopting_decision").to_owned(),
                crimes,
                entity,
                secretariat,
                later_than_report: later,
                report_quote: table.field(record, "report_quote").to_owned(),
                source: source.to_owned(),
                notes: table.field(record, "notes").to_owned(),
            });
        }
        instruments
    }

    fn special_procedures(
        &mut self,
        vocabulary: &Vocabulary,
        entity_ids: &HashMap<String, usize>,
    ) -> Vec<SpecialProcedure> {
        let mut mandates: Vec<SpecialProcedure> = Vec::new();
        let Some(table) = self.table(&schema::SPECIAL_PROCEDURES) else {
            return mandates;
        };
        let errors = &mut self.errors;
        for record in &table.records {
            let id = table.slug(record, "id", errors);
            let title = table.required(record, "title", errors);
            let kind = table.parsed::<MandateKind>(record, "type", errors);
            let established = table.optional_year(record, "established", errors);
            let title_short = table.required(record, "short_title", errors);
            let crimes = table
                .required(record, "crimes", errors)
                .and_then(|_| table.terms(record, "crimes", vocabulary, true, true, errors));
            let partial = table
                .terms(record, "partial", vocabulary, true, true, errors)
                .and_then(|p| {
                    table.some_of(record, "partial", p, crimes.as_deref(), vocabulary, errors)
                });
            let appointed_by = table.entity(record, "appointed_by", entity_ids, errors);
            let supported_by = table.entity(record, "supported_by", entity_ids, errors);
            let source = table.required(record, "source", errors);
            let (Some(id), Some(title), Some(kind), Some(established), Some(crimes)) =
                (id, title, kind, established, crimes)
            else {
                continue;
            };
            let (Some(short_title), Some(partial), Some(appointed_by), Some(supported_by)) =
                (title_short, partial, appointed_by, supported_by)
            else {
                continue;
            };
            let Some(source) = source else { continue };
            if mandates.iter().any(|m| m.id == id) {
                errors.push(table.error(record, "id", format!("duplicate id '{id}'")));
                continue;
            }
            mandates.push(SpecialProcedure {
                id: id.to_owned(),
                title: title.to_owned(),
                short_title: short_title.to_owned(),
                kind,
                established,
                establishing_resolution: table.field(record, "establishing_resolution").to_owned(),
                crimes,
                partial,
                report_quote: table.field(record, "report_quote").to_owned(),
                appointed_by,
                supported_by,
                source: source.to_owned(),
                notes: table.field(record, "notes").to_owned(),
            });
        }
        mandates
    }

    fn links(
        &mut self,
        vocabularies: &[Vocabulary],
        entity_ids: &HashMap<String, usize>,
    ) -> Vec<Link> {
        let mut links = Vec::new();
        let Some(table) = self.table(&schema::LINKS) else {
            return links;
        };
        let errors = &mut self.errors;
        let mut seen = HashSet::new();
        for record in &table.records {
            let entity = table.entity(record, "entity", entity_ids, errors);
            let values = table.values(record, true, vocabularies, errors);
            let summary = table.required(record, "summary", errors);
            let evidence = parse_evidence(&table, record, errors);
            let (Some(entity), Some(values), Some(summary), Some(evidence)) =
                (entity, values, summary, evidence)
            else {
                continue;
            };
            let (Some(mandate_source), Some(source_year)) = (
                table.mandate_source(record, &values, errors),
                table.source_year(record, &evidence, errors),
            ) else {
                continue;
            };
            if Grade::ALL[values.get(EVIDENCE)[0].index()] == Grade::Partial
                && table.field(record, "notes").is_empty()
            {
                let message = "a 'partial' link says in its notes why the evidence is partial";
                errors.push(table.error(record, "notes", message));
                continue;
            }
            let crime = values.get(CRIME)[0];
            if !seen.insert((entity, crime)) {
                errors.push(table.error(
                    record,
                    "crime",
                    format!(
                        "duplicate link: entity '{}' already has a row for '{}'",
                        table.field(record, "entity"),
                        vocabularies[CRIME.0].id(crime)
                    ),
                ));
                continue;
            }
            links.push(Link {
                entity,
                values,
                mandate_source,
                source_year,
                summary: summary.to_owned(),
                evidence,
                notes: table.field(record, "notes").to_owned(),
            });
        }
        links
    }

    fn groups(&mut self, crimes: &Vocabulary) -> GroupTable {
        let mut groups = GroupTable::new();
        let Some(table) = self.table(&schema::GROUPS) else {
            return groups;
        };
        let errors = &mut self.errors;
        for record in &table.records {
            let id = table.slug(record, "id", errors);
            let name = table.required(record, "name", errors);
            let quote = table.required(record, "quote", errors);
            let crimes = table.terms(record, "crimes", crimes, true, false, errors);
            let (Some(id), Some(name), Some(quote), Some(crimes)) = (id, name, quote, crimes)
            else {
                continue;
            };
            if groups.contains_key(id) {
                errors.push(table.error(record, "id", format!("duplicate group id '{id}'")));
                continue;
            }
            let group = Group {
                id: id.to_owned(),
                name: name.to_owned(),
                acronym: table.field(record, "acronym").to_owned(),
                crimes,
                quote: quote.to_owned(),
                notes: table.field(record, "notes").to_owned(),
                members: Vec::new(),
            };
            groups.insert(id.to_owned(), (record.line, group));
        }
        groups
    }

    fn group_members(&mut self, entity_ids: &HashMap<String, usize>, groups: &mut GroupTable) {
        let Some(table) = self.table(&schema::GROUP_MEMBERS) else {
            return;
        };
        let errors = &mut self.errors;
        for record in &table.records {
            let group = table.required(record, "group", errors);
            let known_group = group.filter(|g| groups.contains_key(*g));
            if let (Some(g), None) = (group, known_group) {
                errors.push(table.error(
                    record,
                    "group",
                    format!("unknown group '{g}' (not an id in {})", schema::GROUPS.name),
                ));
            }
            let entity = table.entity(record, "entity", entity_ids, errors);
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
}

fn is_colour(s: &str) -> bool {
    s.len() == 7 && s.starts_with('#') && s[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

impl Table<'_> {
    /// One row of a vocabulary file. A bad colour is reported, but the value is kept, so that
    /// the rows which use it are not reported again.
    fn term(&self, record: &Record, errors: &mut Vec<LoadError>) -> Option<TermInfo> {
        let id = self.slug(record, "id", errors);
        let label = self.required(record, "label", errors);
        let short_label = self.required(record, "short_label", errors);
        let mut colour = self.field(record, "colour");
        if !(colour.is_empty() || is_colour(colour)) {
            errors.push(self.error(
                record,
                "colour",
                format!("'{colour}' is not a colour (expected #rrggbb, e.g. #1d4e89)"),
            ));
            colour = "";
        }
        Some(TermInfo {
            id: id?.to_owned(),
            label: label?.to_owned(),
            short_label: short_label?.to_owned(),
            colour: colour.to_owned(),
            description: self.field(record, "description").to_owned(),
        })
    }

    /// A row's values in the entity dimensions (`links == false`) or the link dimensions,
    /// each checked against its vocabulary.
    fn values(
        &self,
        record: &Record,
        links: bool,
        vocabularies: &[Vocabulary],
        errors: &mut Vec<LoadError>,
    ) -> Option<super::model::Terms> {
        let mut values = vec![Vec::new(); vocabularies.len()];
        let mut ok = true;
        for dim in Dim::of(links) {
            let dimension = dim.get();
            let several = dimension.of == (Of::Entity { several: true });
            let column = dimension.column;
            match self.required(record, column, errors) {
                None => ok = false,
                Some(_) => match self.terms(
                    record,
                    column,
                    &vocabularies[dim.0],
                    several,
                    several,
                    errors,
                ) {
                    Some(terms) => values[dim.0] = terms,
                    None => ok = false,
                },
            }
        }
        ok.then_some(super::model::Terms(values))
    }

    /// The terms a field names: one, or with `several` any number separated by `;`, each
    /// listed once; sorted in the vocabulary's order.
    fn terms(
        &self,
        record: &Record,
        column: &str,
        vocabulary: &Vocabulary,
        several: bool,
        hint: bool,
        errors: &mut Vec<LoadError>,
    ) -> Option<Vec<Term>> {
        let text = self.field(record, column);
        let by_label = Dim::all().any(|d| d.get().column == column && d.get().by_label);
        let parts: Vec<&str> = if several {
            text.split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect()
        } else {
            vec![text]
        };
        let mut terms = Vec::new();
        for part in parts {
            let parsed = if by_label {
                vocabulary.parse_loose(part)
            } else {
                vocabulary.parse(part)
            };
            match parsed {
                Ok(t) if terms.contains(&t) => {
                    let what = if hint {
                        format!("{} '{part}'", vocabulary.kind())
                    } else {
                        format!("'{part}'")
                    };
                    errors.push(self.error(record, column, format!("{what} listed twice")));
                    return None;
                }
                Ok(t) => terms.push(t),
                Err(e) if hint => {
                    errors.push(self.error(
                        record,
                        column,
                        format!("{e}; separate several with ';'"),
                    ));
                    return None;
                }
                Err(e) => {
                    errors.push(self.error(record, column, e.to_string()));
                    return None;
                }
            }
        }
        terms.sort();
        Some(terms)
    }

    /// A reference to an entity by id, as its position.
    fn entity(
        &self,
        record: &Record,
        column: &str,
        entity_ids: &HashMap<String, usize>,
        errors: &mut Vec<LoadError>,
    ) -> Option<usize> {
        let id = self.required(record, column, errors)?;
        match entity_ids.get(id) {
            Some(&i) => Some(i),
            None => {
                errors.push(self.error(
                    record,
                    column,
                    format!(
                        "unknown entity '{id}' (not an id in {})",
                        schema::ENTITIES.name
                    ),
                ));
                None
            }
        }
    }
}

impl Table<'_> {
    /// An entity id that may be left empty: `Some(None)` when it is.
    fn optional_entity(
        &self,
        record: &Record,
        column: &str,
        entity_ids: &HashMap<String, usize>,
        errors: &mut Vec<LoadError>,
    ) -> Option<Option<usize>> {
        if self.field(record, column).is_empty() {
            return Some(None);
        }
        self.entity(record, column, entity_ids, errors).map(Some)
    }

    /// A required date, `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, checked against the calendar.
    fn date(
        &self,
        record: &Record,
        column: &str,
        errors: &mut Vec<LoadError>,
    ) -> Option<PartialDate> {
        let value = self.required(record, column, errors)?;
        value
            .parse()
            .map_err(|e: String| errors.push(self.error(record, column, e)))
            .ok()
    }

    /// `part`, the crime types of `column`, if each is one of the row's `crimes` (when those
    /// could be read).
    fn some_of(
        &self,
        record: &Record,
        column: &str,
        part: Vec<Term>,
        crimes: Option<&[Term]>,
        vocabulary: &Vocabulary,
        errors: &mut Vec<LoadError>,
    ) -> Option<Vec<Term>> {
        let crimes = crimes?;
        if let Some(&stray) = part.iter().find(|c| !crimes.contains(c)) {
            let message = format!(
                "'{}' is not one of the row's crime types ({column} lists some of 'crimes')",
                vocabulary.id(stray)
            );
            errors.push(self.error(record, column, message));
            return None;
        }
        Some(part)
    }

    /// An optional year, `YYYY`: `Some(None)` when empty.
    fn optional_year(
        &self,
        record: &Record,
        column: &str,
        errors: &mut Vec<LoadError>,
    ) -> Option<Option<u16>> {
        let year = self.field(record, column);
        if year.is_empty() {
            return Some(None);
        }
        let date = self.date(record, column, errors)?;
        if date.month.is_some() {
            let message = format!("'{year}' is not a year (write YYYY)");
            errors.push(self.error(record, column, message));
            return None;
        }
        Some(Some(date.year))
    }

    /// An optional web address: empty, or starting `https://` or `http://`.
    fn web_address<'r>(
        &self,
        record: &'r Record,
        column: &str,
        errors: &mut Vec<LoadError>,
    ) -> Option<&'r str> {
        let address = self.field(record, column);
        if address.is_empty() || address.starts_with("https://") || address.starts_with("http://") {
            return Some(address);
        }
        let message = format!("'{address}' is not a web address (expected https://...)");
        errors.push(self.error(record, column, message));
        None
    }

    /// `later_than_report`, a `true` or `false` that must say whether `date` is after the
    /// report's year.
    fn later_than_report(
        &self,
        record: &Record,
        date: PartialDate,
        errors: &mut Vec<LoadError>,
    ) -> Option<bool> {
        let column = "later_than_report";
        let later = self.flag(record, column, errors)?;
        let after = date.year > REPORT_YEAR;
        if later != after {
            let position = if after { "after" } else { "not after" };
            let message = format!(
                "is {later}, but the date {} is {position} the report ({REPORT_YEAR}): true exactly for what is dated after it",
                date.iso(),
            );
            errors.push(self.error(record, column, message));
            return None;
        }
        Some(later)
    }

    /// A required `true` or `false`.
    fn flag(&self, record: &Record, column: &str, errors: &mut Vec<LoadError>) -> Option<bool> {
        match self.required(record, column, errors)? {
            "true" => Some(true),
            "false" => Some(false),
            other => {
                let message = format!("'{other}' is not true or false");
                errors.push(self.error(record, column, message));
                None
            }
        }
    }
}

/// The parent an entity names: another entity, itself a chart box (not one of `children`,
/// the entities that name a parent).
fn resolve_parent(
    entities: &[Entity],
    children: &HashSet<usize>,
    position: usize,
    parent: &str,
) -> Result<usize, String> {
    match entities.iter().position(|e| e.id == parent) {
        None => Err(format!(
            "unknown entity '{parent}' (not an id in {})",
            schema::ENTITIES.name
        )),
        Some(p) if p == position => Err("an entity cannot be its own parent".into()),
        Some(p) if children.contains(&p) => Err(format!(
            "'{parent}' has a parent itself: name the chart box it belongs to"
        )),
        Some(p) => Ok(p),
    }
}

impl Table<'_> {
    /// A link's `mandate_source`: the decision a mandate rests on, and only for a mandate.
    fn mandate_source(
        &self,
        record: &Record,
        values: &super::model::Terms,
        errors: &mut Vec<LoadError>,
    ) -> Option<String> {
        let text = self.field(record, "mandate_source");
        let basis = Basis::ALL[values.get(BASIS)[0].index()];
        let problem = match (basis, text.is_empty()) {
            (Basis::Mandate, true) => {
                "a 'mandate' link names the governing body's decision (a resolution or decision symbol)"
            }
            (Basis::Agenda, false) => {
                "an 'agenda' link rests on no governing body's decision: leave it empty, or make the basis 'mandate'"
            }
            _ => return Some(text.to_owned()),
        };
        errors.push(self.error(record, "mandate_source", problem));
        None
    }

    /// A link's `source_year`: required for a compiled link, a year from 1945 on.
    fn source_year(
        &self,
        record: &Record,
        evidence: &Evidence,
        errors: &mut Vec<LoadError>,
    ) -> Option<Option<u16>> {
        let text = self.field(record, "source_year");
        let year = text
            .parse::<u16>()
            .ok()
            .filter(|y| (1945..=2100).contains(y));
        let problem = match (evidence.provenance(), text.is_empty(), year) {
            (Provenance::Compiled, true, _) => {
                "a 'compiled' link gives the year of the evidence it cites".to_owned()
            }
            (_, true, _) => return Some(None),
            (_, false, None) => format!("'{text}' is not a year (expected e.g. 2017)"),
            (_, false, Some(y)) => return Some(Some(y)),
        };
        errors.push(self.error(record, "source_year", problem));
        None
    }
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

/// Groups keyed by id, each with the line it was defined on (for ordering).
type GroupTable = BTreeMap<String, (u64, Group)>;

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
