//! The types a column of a data file may have: each reads one field (through serde, from the
//! field's text), says how the data package describes it, and, for a reference to another
//! table or to a vocabulary, resolves itself once every table has been read.
//!
//! A row is read field by field ([`read`]), so that every problem in a row is reported, each
//! with its column. Empty fields are `None` for an `Option` and an error ("required field is
//! empty") for a type that must be filled.

use std::fmt;
use std::ops::Deref;

use serde::de::{self, DeserializeOwned, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer, forward_to_deserialize_any};

use super::codes::{
    Basis, Grade, InstrumentKind, LineageKind, MandateKind, Outcome, Provenance, Role, Unit,
};
use super::date::PartialDate;
use super::dimension::Dim;
use super::resolve::Resolver;
use super::vocab::Terms;

/// How the data package (Frictionless Table Schema) describes a column.
#[derive(Debug, Clone, Copy)]
pub enum Schema {
    /// Free text.
    Text,
    /// Text matching a regular expression (the whole value, as XML Schema patterns do).
    Pattern(&'static str),
    Integer,
    /// A non-negative number.
    Number,
    /// A year, `YYYY`.
    Year,
    /// A calendar date, `YYYY-MM-DD`.
    Date,
    /// `true` or `false`.
    Boolean,
    /// One of a closed set of values declared in code.
    Enum(fn() -> Vec<String>),
    /// One value of a filter dimension's vocabulary (`several`: `;`-separated, any number).
    Terms {
        dim: Dim,
        several: bool,
    },
    /// The key of a row of another table: `(resource, field)`.
    Reference(&'static str, &'static str),
    /// The ids of rows of another table (`;`-separated): the resource.
    References(&'static str),
    /// The columns of the entity or link dimensions, which the declaration expands.
    Dimensions,
}

/// The type of one column.
pub trait Cell: Sized {
    /// How the data package describes it.
    const SCHEMA: Schema;
    /// Whether every row must fill it.
    const REQUIRED: bool = true;
    /// Whether its JSON is `null` when it is empty (an `Option`), rather than an empty value.
    const NULLABLE: bool = false;

    /// Reads the field's (trimmed, non-empty unless the type allows empty) text.
    fn read(text: &str) -> Result<Self, String>;

    /// Resolves references to other tables or vocabularies, once every table is read.
    fn resolve(&mut self, _: &Resolver) -> Result<(), String> {
        Ok(())
    }

    /// The text the cell was read from, for keys and messages.
    fn text(&self) -> String;

    /// Follows the rows of `file` to their positions in a subset of that table (`map[old]`,
    /// `None` for a row left out): false if the cell names a row left out.
    fn remap(&mut self, _file: &str, _map: &[Option<usize>]) -> bool {
        true
    }
}

/// Reads one field into `T`: the one place a field's text becomes a value.
pub fn read<T: Cell>(text: &str) -> Result<T, String> {
    if text.is_empty() && T::REQUIRED {
        return Err("required field is empty".to_owned());
    }
    T::read(text)
}

/// Deserializes a cell type from a field's text with serde.
pub(super) fn deserialize<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    T::deserialize(Field(text)).map_err(|e| e.0)
}

/// One CSV field, as a serde deserializer: a string, or for an `Option` nothing when empty.
struct Field<'a>(&'a str);

/// A field that could not be read: the message a reader sees.
#[derive(Debug)]
struct FieldError(String);

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FieldError {}

impl de::Error for FieldError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        FieldError(msg.to_string())
    }
}

impl<'de> Deserializer<'de> for Field<'de> {
    type Error = FieldError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FieldError> {
        visitor.visit_borrowed_str(self.0)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FieldError> {
        if self.0.is_empty() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier
        ignored_any
    }
}

/// Implements `Deserialize` from `FromStr`, whose error is the reader's message.
macro_rules! text_serde {
    ($ty:ty) => {
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                text.parse().map_err(de::Error::custom)
            }
        }
    };
}

impl Cell for String {
    const SCHEMA: Schema = Schema::Text;
    const REQUIRED: bool = false;

    fn read(text: &str) -> Result<Self, String> {
        deserialize(text)
    }

    fn text(&self) -> String {
        self.clone()
    }
}

/// Optional text shared rather than copied when its row is (the long notes of entities and
/// links, which every edition's rows hold).
impl Cell for std::sync::Arc<str> {
    const SCHEMA: Schema = Schema::Text;
    const REQUIRED: bool = false;

    fn read(text: &str) -> Result<Self, String> {
        String::read(text).map(Into::into)
    }

    fn text(&self) -> String {
        self.to_string()
    }
}

impl<T: Cell> Cell for Option<T> {
    const SCHEMA: Schema = T::SCHEMA;
    const REQUIRED: bool = false;
    const NULLABLE: bool = true;

    fn read(text: &str) -> Result<Self, String> {
        if text.is_empty() {
            Ok(None)
        } else {
            T::read(text).map(Some)
        }
    }

    fn resolve(&mut self, resolver: &Resolver) -> Result<(), String> {
        match self {
            Some(cell) => cell.resolve(resolver),
            None => Ok(()),
        }
    }

    /// An optional reference to a row left out becomes empty.
    fn remap(&mut self, file: &str, map: &[Option<usize>]) -> bool {
        if let Some(cell) = self
            && !cell.remap(file, map)
        {
            *self = None;
        }
        true
    }

    fn text(&self) -> String {
        self.as_ref().map(Cell::text).unwrap_or_default()
    }
}

/// Declares a text newtype: text that must be filled and may be checked, shared rather than
/// copied when its row is (each edition holds its own rows, on the same text).
macro_rules! text_cell {
    ($(#[$meta:meta])* $name:ident, $schema:expr, $check:expr) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize)]
        #[serde(transparent)]
        pub struct $name(pub std::sync::Arc<str>);

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                let check: fn(&str) -> Result<(), String> = $check;
                check(s).map(|()| $name(s.into()))
            }
        }

        text_serde!($name);

        impl Cell for $name {
            const SCHEMA: Schema = $schema;
            fn read(text: &str) -> Result<Self, String> {
                deserialize(text)
            }
            fn text(&self) -> String {
                self.0.to_string()
            }
        }

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                *self.0 == *other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                *self.0 == **other
            }
        }
    };
}

text_cell!(
    /// Text that every row fills.
    Text,
    Schema::Text,
    |_| Ok(())
);

/// The pattern of a slug, for the data package.
pub const SLUG_PATTERN: &str = "[a-z0-9]+(-[a-z0-9]+)*";

text_cell!(
    /// A stable lower-case identifier: letters, digits and single hyphens.
    Slug,
    Schema::Pattern(SLUG_PATTERN),
    |s| if is_slug(s) {
        Ok(())
    } else {
        Err(format!(
            "'{s}' is not a slug (lower-case letters, digits and single hyphens, e.g. 'un-women')"
        ))
    }
);

text_cell!(
    /// A web address, `https://...` (or `http://`).
    WebAddress,
    Schema::Pattern("https?://.+"),
    |s| if s.starts_with("https://") || s.starts_with("http://") {
        Ok(())
    } else {
        Err(format!("'{s}' is not a web address (expected https://...)"))
    }
);

text_cell!(
    /// A colour, `#rrggbb`.
    Colour,
    Schema::Pattern("#[0-9a-fA-F]{6}"),
    |s| if s.len() == 7 && s.starts_with('#') && s[1..].bytes().all(|b| b.is_ascii_hexdigit())
    {
        Ok(())
    } else {
        Err(format!(
            "'{s}' is not a colour (expected #rrggbb, e.g. #1d4e89)"
        ))
    }
);

text_cell!(
    /// A digest of the data files: 16 lower-case hexadecimal digits.
    Digest,
    Schema::Pattern("[0-9a-f]{16}"),
    |s| if s.len() == 16 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
        Ok(())
    } else {
        Err(format!("'{s}' is not a digest (16 lower-case hexadecimal digits, as mandate-map check prints it)"))
    }
);

/// Whether `s` is a slug.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A year, `YYYY`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Year(pub u16);

impl std::str::FromStr for Year {
    type Err = String;

    fn from_str(s: &str) -> Result<Year, String> {
        match s.parse::<PartialDate>() {
            Ok(date) if date.month.is_none() => Ok(Year(date.year)),
            Ok(_) => Err(format!("'{s}' is not a year (write YYYY)")),
            Err(_) => Err(format!("'{s}' is not a year (write YYYY, e.g. 2017)")),
        }
    }
}

text_serde!(Year);

impl Cell for Year {
    const SCHEMA: Schema = Schema::Year;

    fn read(text: &str) -> Result<Self, String> {
        deserialize(text)
    }

    fn text(&self) -> String {
        self.0.to_string()
    }
}

impl fmt::Display for Year {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

text_serde!(PartialDate);

impl Serialize for PartialDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.iso())
    }
}

/// The pattern of a date as precise as its source.
pub const PARTIAL_DATE_PATTERN: &str = "[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?";

impl Cell for PartialDate {
    const SCHEMA: Schema = Schema::Pattern(PARTIAL_DATE_PATTERN);

    fn read(text: &str) -> Result<Self, String> {
        deserialize(text)
    }

    fn text(&self) -> String {
        self.iso()
    }
}

/// A semantic version, `MAJOR.MINOR.PATCH`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version(pub semver::Version);

impl std::str::FromStr for Version {
    type Err = String;

    fn from_str(s: &str) -> Result<Version, String> {
        semver::Version::parse(s)
            .map(Version)
            .map_err(|e| format!("'{s}' is not a version MAJOR.MINOR.PATCH ({e})"))
    }
}

text_serde!(Version);

impl Serialize for Version {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

impl Cell for Version {
    const SCHEMA: Schema = Schema::Pattern("[0-9]+\\.[0-9]+\\.[0-9]+");

    fn read(text: &str) -> Result<Self, String> {
        deserialize(text)
    }

    fn text(&self) -> String {
        self.0.to_string()
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A calendar date, `YYYY-MM-DD`, exact to the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Date(pub PartialDate);

impl std::str::FromStr for Date {
    type Err = String;

    fn from_str(s: &str) -> Result<Date, String> {
        let date: PartialDate = s.parse()?;
        if date.day.is_none() {
            return Err(format!("'{s}' is not a full date (write YYYY-MM-DD)"));
        }
        Ok(Date(date))
    }
}

text_serde!(Date);

impl Cell for Date {
    const SCHEMA: Schema = Schema::Date;

    fn read(text: &str) -> Result<Self, String> {
        deserialize(text)
    }

    fn text(&self) -> String {
        self.0.iso()
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// `true` or `false`.
impl Cell for bool {
    const SCHEMA: Schema = Schema::Boolean;

    fn read(text: &str) -> Result<Self, String> {
        match text {
            "true" => Ok(true),
            "false" => Ok(false),
            other => Err(format!("'{other}' is not true or false")),
        }
    }

    fn text(&self) -> String {
        self.to_string()
    }
}

/// A finite, non-negative number (`79`, `34.8`).
impl Cell for f64 {
    const SCHEMA: Schema = Schema::Number;

    fn read(text: &str) -> Result<Self, String> {
        text.parse::<f64>()
            .ok()
            .filter(|n| n.is_finite() && *n >= 0.0)
            .ok_or_else(|| format!("'{text}' is not a number (e.g. 79 or 34.8)"))
    }

    fn text(&self) -> String {
        self.to_string()
    }
}

/// A closed vocabulary declared in code (`vocabulary!`) is a cell of its slugs.
#[macro_export]
macro_rules! code_cell {
    ($($ty:ty),+ $(,)?) => {$(
        impl $crate::dataset::cell::Cell for $ty {
            const SCHEMA: $crate::dataset::cell::Schema =
                $crate::dataset::cell::Schema::Enum(<$ty>::slugs);
            fn read(text: &str) -> Result<Self, String> {
                text.parse().map_err(|e: $crate::dataset::UnknownValue| e.to_string())
            }
            fn text(&self) -> String {
                self.as_str().to_owned()
            }
        }
    )+};
}

code_cell!(
    Basis,
    Grade,
    Unit,
    Provenance,
    Role,
    InstrumentKind,
    MandateKind,
    LineageKind,
    Outcome
);

/// The values of every dimension of a row: read column by column by the table's reader.
impl Cell for Terms {
    const SCHEMA: Schema = Schema::Dimensions;

    fn read(_: &str) -> Result<Self, String> {
        Err("the dimension columns are read together".to_owned())
    }

    fn text(&self) -> String {
        String::new()
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
    fn fields_read_through_serde_with_the_readers_message() {
        assert_eq!(read::<Year>("2017"), Ok(Year(2017)));
        assert!(
            read::<Year>("2004-05")
                .unwrap_err()
                .contains("is not a year")
        );
        assert_eq!(read::<Option<Year>>(""), Ok(None));
        assert_eq!(
            read::<Text>("").unwrap_err(),
            "required field is empty".to_owned()
        );
        assert_eq!(read::<String>(""), Ok(String::new()));
        assert_eq!(read::<bool>("true"), Ok(true));
        assert!(
            read::<bool>("yes")
                .unwrap_err()
                .contains("not true or false")
        );
        assert!(read::<f64>("x").unwrap_err().contains("is not a number"));
        assert!(read::<f64>("-1").unwrap_err().contains("is not a number"));
        assert!(read::<Date>("2026-12").unwrap_err().contains("full date"));
        assert_eq!(read::<Grade>("strong"), Ok(Grade::Strong));
    }
}
