//! The macros that declare the data: [`row!`](crate::row) (a row type of typed cells and
//! its reader), [`table!`](crate::table) (a data file: its row type and its
//! [`Spec`](super::table::Spec)) and [`tables!`](crate::tables) (the list of every table,
//! once). What they generate is described by the traits of [`table`](super::table).

/// Declares a row type with one typed field per column (each documented: the doc comment is
/// the column's description) and its reader. A field marked `= optional` may be left out of
/// the header; `as "name"` names the column when it is not the field's name; a field
/// `= entity_dimensions` or `= link_dimensions` holds the values of every filter dimension
/// of [`DIMENSIONS`](crate::dataset::DIMENSIONS) of that kind, one column each.
#[macro_export]
macro_rules! row {
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident {
            $(
                $(#[doc = $fdoc:literal])*
                pub $field:ident : $ty:ty $(as $col:literal)? $(= $marker:ident)?
            ),+ $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, PartialEq)]
        pub struct $name {
            $(
                $(#[doc = $fdoc])*
                pub $field: $ty,
            )+
        }

        /// As its columns (the dimension values aside), in the declaration's order.
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap;
                let mut map = s.serialize_map(None)?;
                $(
                    $crate::__table_serialize!(
                        map, self.$field, $crate::__table_name!($field $(, $col)?) $(, $marker)?
                    );
                )+
                map.end()
            }
        }

        /// Its JSON, from the columns' declarations (see [`json_schema`](
        /// $crate::dataset::json_schema)).
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                $crate::dataset::json_schema::row::<Self>()
            }
        }

        impl utoipa::ToSchema for $name {}

        impl $crate::dataset::table::Row for $name {
            fn columns() -> &'static [$crate::dataset::table::Column] {
                static COLUMNS: &[$crate::dataset::table::Column] = &[$(
                    $crate::__table_column!(
                        $ty,
                        $crate::__table_name!($field $(, $col)?),
                        concat!($($fdoc),*),
                        $($marker)?
                    ),
                )+];
                COLUMNS
            }

            fn read(reader: &mut $crate::dataset::table::RowReader) -> Option<Self> {
                $(
                    let $field = $crate::__table_read!(
                        reader, $ty, $crate::__table_name!($field $(, $col)?) $(, $marker)?
                    );
                )+
                Some($name { $($field: $field?,)+ })
            }

            fn resolve(
                &mut self,
                resolver: &$crate::dataset::resolve::Resolver,
                report: &mut dyn FnMut(&'static str, String),
            ) {
                $(
                    if let Err(message) =
                        $crate::dataset::cell::Cell::resolve(&mut self.$field, resolver)
                    {
                        report($crate::__table_name!($field $(, $col)?), message);
                    }
                )+
            }

            fn remap(&mut self, file: &str, map: &[Option<usize>]) -> bool {
                let mut kept = true;
                $(
                    kept &= $crate::dataset::cell::Cell::remap(&mut self.$field, file, map);
                )+
                kept
            }
        }
    };
}

/// Declares a data file: its row type (as [`row!`](crate::row)) and its [`Spec`]: file
/// name, resource, title (the struct's doc comment), key, what a row is called, and the
/// message for a duplicate key.
#[macro_export]
macro_rules! table {
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident in $file:literal as $resource:literal {
            noun: $noun:literal,
            key: [$($key:literal),+],
            duplicate: $duplicate:expr,
            $(check: $check:path,)?
        }
        { $($fields:tt)+ }
    ) => {
        $crate::row! {
            $(#[doc = $doc])*
            pub struct $name { $($fields)+ }
        }

        impl $crate::dataset::table::Table for $name {
            const SPEC: $crate::dataset::table::Spec = $crate::dataset::table::Spec {
                file: $file,
                resource: $resource,
                title: concat!($($doc),*),
                noun: $noun,
                key: &[$($key),+],
                duplicate: $duplicate,
                embedded: include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/", $file)),
            };

            $(
                fn check(&self, rows: &[Self]) -> Vec<(&'static str, String)> {
                    $check(self, rows)
                }
            )?
        }

        impl $crate::dataset::refs::Keyed for $name {
            const FILE: &'static str = $file;
            const RESOURCE: &'static str = $resource;
            const NOUN: &'static str = $noun;
        }
    };
}

/// Lists the tables of the data, once: the [`Tables`](crate::dataset::model::Tables) struct
/// with a `Vec` of rows per table, the list of their specs and columns, and the reading of
/// them all.
#[macro_export]
macro_rules! tables {
    ($($field:ident: $ty:ty),+ $(,)?) => {
        /// Every table of the data, read, resolved and checked.
        #[derive(Debug, Clone, Default)]
        pub struct Tables {
            $(pub $field: Vec<$ty>,)+
        }

        /// Every table's declaration, in loading order.
        pub fn tables() -> Vec<$crate::dataset::table::File> {
            vec![$($crate::dataset::table::File::of::<$ty>(),)+]
        }

        impl Tables {
            /// Every table's rows that name no row of `file` left out of a subset of it,
            /// following the others to the subset (see [`remapped`](
            /// $crate::dataset::table::remapped)); the table `file` itself is left as it is.
            pub fn remapped(&self, file: &str, map: &[Option<usize>]) -> Tables {
                Tables {
                    $(
                        $field: if <$ty as $crate::dataset::table::Table>::SPEC.file == file {
                            self.$field.clone()
                        } else {
                            $crate::dataset::table::remapped(&self.$field, file, map)
                        },
                    )+
                }
            }

            /// Checks the headers of every table only (when the vocabularies their rows need
            /// could not be read).
            pub fn check_headers(loading: &mut $crate::dataset::loading::Loading) {
                $(loading.check_header::<$ty>();)+
            }

            /// Reads, resolves and checks every table; problems go to `loading`.
            pub fn load(loading: &mut $crate::dataset::loading::Loading) -> Tables {
                let mut read = Tables { $($field: loading.read::<$ty>(),)+ };
                $(loading.resolve(&mut read.$field);)+
                $(loading.check(&read.$field);)+
                read
            }
        }

        $(
            impl $crate::dataset::table::Has<$ty> for Tables {
                fn rows(&self) -> &[$ty] {
                    &self.$field
                }
            }
        )+
    };
}

/// The column name of a field: its own name, or the one `as` gives.
#[doc(hidden)]
#[macro_export]
macro_rules! __table_name {
    ($field:ident) => {
        stringify!($field)
    };
    ($field:ident, $col:literal) => {
        $col
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __table_column {
    ($ty:ty, $name:expr, $doc:expr,) => {
        $crate::dataset::table::Column::of::<$ty>($name, $doc, false)
    };
    ($ty:ty, $name:expr, $doc:expr, optional) => {
        $crate::dataset::table::Column::of::<$ty>($name, $doc, true)
    };
    ($ty:ty, $name:expr, $doc:expr, entity_dimensions) => {
        $crate::dataset::table::Column::of::<$ty>("entity_values", $doc, false)
    };
    ($ty:ty, $name:expr, $doc:expr, link_dimensions) => {
        $crate::dataset::table::Column::of::<$ty>("link_values", $doc, false)
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __table_read {
    ($reader:ident, $ty:ty, $name:expr) => {
        $reader.cell::<$ty>($name)
    };
    ($reader:ident, $ty:ty, $name:expr, optional) => {
        $reader.cell::<$ty>($name)
    };
    ($reader:ident, $ty:ty, $name:expr, entity_dimensions) => {
        $reader.dimensions(false)
    };
    ($reader:ident, $ty:ty, $name:expr, link_dimensions) => {
        $reader.dimensions(true)
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __table_serialize {
    ($map:ident, $value:expr, $name:expr) => {
        $map.serialize_entry($name, &$value)?
    };
    ($map:ident, $value:expr, $name:expr, optional) => {
        $map.serialize_entry($name, &$value)?
    };
    ($map:ident, $value:expr, $name:expr, entity_dimensions) => {};
    ($map:ident, $value:expr, $name:expr, link_dimensions) => {};
}
