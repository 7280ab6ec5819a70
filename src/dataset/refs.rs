//! Cells that name something else: a row of another table ([`Ref`]), crime types of the
//! vocabulary ([`Crimes`], [`CrimeType`]); resolved once every file has been read.

use std::fmt;
use std::marker::PhantomData;
use std::ops::Deref;

use serde::{Serialize, Serializer};

use super::cell::{Cell, Schema, deserialize};
use super::dimension::CRIME;
use super::resolve::Resolver;
use super::vocab::Term;

/// A table whose rows other tables refer to by key.
pub trait Keyed {
    /// Its file's name in `data/`, for messages ("entities.csv").
    const FILE: &'static str;
    /// Its resource in the data package ("entities").
    const RESOURCE: &'static str;
    /// What one row is called in messages ("entity").
    const NOUN: &'static str;
}

/// A reference to a row of table `T` by its `id`: the id as written, and the row's position
/// once resolved.
pub struct Ref<T> {
    id: String,
    position: usize,
    table: PhantomData<fn() -> T>,
}

impl<T> Ref<T> {
    /// The id as written in the file.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The position of the row it names in its table.
    pub fn index(&self) -> usize {
        self.position
    }
}

impl<T> Clone for Ref<T> {
    fn clone(&self) -> Self {
        Ref {
            id: self.id.clone(),
            position: self.position,
            table: PhantomData,
        }
    }
}

impl<T> PartialEq for Ref<T> {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl<T> Eq for Ref<T> {}

impl<T> fmt::Debug for Ref<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Ref({})", self.id)
    }
}

impl<T> Serialize for Ref<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.id)
    }
}

impl<T: Keyed> Cell for Ref<T> {
    const SCHEMA: Schema = Schema::Reference(T::RESOURCE, "id");

    fn read(text: &str) -> Result<Self, String> {
        Ok(Ref {
            id: deserialize(text)?,
            position: 0,
            table: PhantomData,
        })
    }

    fn remap(&mut self, file: &str, map: &[Option<usize>]) -> bool {
        if file != T::FILE {
            return true;
        }
        match map.get(self.position).copied().flatten() {
            Some(position) => {
                self.position = position;
                true
            }
            None => false,
        }
    }

    fn resolve(&mut self, resolver: &Resolver) -> Result<(), String> {
        self.position = resolver.position(T::FILE, &self.id).ok_or_else(|| {
            format!(
                "unknown {} '{}' (not an id in {})",
                T::NOUN,
                self.id,
                T::FILE
            )
        })?;
        Ok(())
    }

    fn text(&self) -> String {
        self.id.clone()
    }
}

/// Rows of table `T` by their ids, `;`-separated, each listed once.
pub struct Refs<T>(Vec<Ref<T>>);

impl<T> Refs<T> {
    /// The ids as written.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(Ref::id)
    }

    /// Whether it names the row with this id.
    pub fn contains(&self, id: &str) -> bool {
        self.0.iter().any(|r| r.id == id)
    }
}

impl<T> Clone for Refs<T> {
    fn clone(&self) -> Self {
        Refs(self.0.clone())
    }
}

impl<T> PartialEq for Refs<T> {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}

impl<T> fmt::Debug for Refs<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.ids()).finish()
    }
}

impl<T> Serialize for Refs<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.ids())
    }
}

impl<T: Keyed> Cell for Refs<T> {
    const SCHEMA: Schema = Schema::References(T::RESOURCE);

    fn read(text: &str) -> Result<Self, String> {
        let text: String = deserialize(text)?;
        let mut refs: Vec<Ref<T>> = Vec::new();
        for id in text.split(';').map(str::trim).filter(|s| !s.is_empty()) {
            if refs.iter().any(|r| r.id == id) {
                return Err(format!("{} '{id}' listed twice", T::NOUN));
            }
            refs.push(Ref::read(id)?);
        }
        Ok(Refs(refs))
    }

    fn resolve(&mut self, resolver: &Resolver) -> Result<(), String> {
        self.0.iter_mut().try_for_each(|r| r.resolve(resolver))
    }

    fn text(&self) -> String {
        self.ids().collect::<Vec<_>>().join(";")
    }
}

/// Crime types, `;`-separated, each listed once, kept in the vocabulary's order. May be
/// empty; [`Filled`] is one that must not be.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Crimes {
    ids: Vec<String>,
    terms: Vec<Term>,
}

impl Crimes {
    /// The crime types, in the vocabulary's order.
    pub fn terms(&self) -> &[Term] {
        &self.terms
    }
}

impl Deref for Crimes {
    type Target = [Term];

    fn deref(&self) -> &[Term] {
        &self.terms
    }
}

impl Serialize for Crimes {
    /// As the list of ids, in the vocabulary's order (resolution sorted them).
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(&self.ids)
    }
}

impl Cell for Crimes {
    const SCHEMA: Schema = Schema::Terms {
        dim: CRIME,
        several: true,
    };
    const REQUIRED: bool = false;

    fn read(text: &str) -> Result<Self, String> {
        let text: String = deserialize(text)?;
        let ids = text
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        Ok(Crimes {
            ids,
            terms: Vec::new(),
        })
    }

    fn resolve(&mut self, resolver: &Resolver) -> Result<(), String> {
        let terms = resolver.terms(CRIME, self.ids.iter().map(String::as_str), true)?;
        let mut pairs: Vec<(Term, String)> = terms.into_iter().zip(self.ids.drain(..)).collect();
        pairs.sort();
        (self.terms, self.ids) = pairs.into_iter().unzip();
        Ok(())
    }

    fn text(&self) -> String {
        self.ids.join(";")
    }
}

/// A cell of a type that may be empty (a list) which every row must fill.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
#[serde(transparent)]
pub struct Filled<T>(pub T);

impl<T> Deref for Filled<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: Cell> Cell for Filled<T> {
    const SCHEMA: Schema = T::SCHEMA;

    fn read(text: &str) -> Result<Self, String> {
        T::read(text).map(Filled)
    }

    fn resolve(&mut self, resolver: &Resolver) -> Result<(), String> {
        self.0.resolve(resolver)
    }

    fn text(&self) -> String {
        self.0.text()
    }
}

/// One crime type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrimeType {
    id: String,
    term: Term,
}

impl CrimeType {
    pub fn term(&self) -> Term {
        self.term
    }
}

impl Serialize for CrimeType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.id)
    }
}

impl Cell for CrimeType {
    const SCHEMA: Schema = Schema::Terms {
        dim: CRIME,
        several: false,
    };

    fn read(text: &str) -> Result<Self, String> {
        Ok(CrimeType {
            id: deserialize(text)?,
            term: Term::default(),
        })
    }

    fn resolve(&mut self, resolver: &Resolver) -> Result<(), String> {
        let terms = resolver.terms(CRIME, [self.id.as_str()], false)?;
        self.term = terms[0];
        Ok(())
    }

    fn text(&self) -> String {
        self.id.clone()
    }
}
