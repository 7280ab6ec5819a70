//! The JSON shape of the data's rows, from the same declarations that read them: each column's
//! [`Schema`] becomes a JSON Schema property (for the API's OpenAPI document), so the
//! description of what the API sends cannot drift from what the tables hold.

use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{
    ArrayBuilder, KnownFormat, ObjectBuilder, Schema as JsonSchema, SchemaFormat, SchemaType, Type,
};

use super::cell::Schema;
use super::table::{Column, Row, dimension_columns};

/// A row type as the API writes it: an object with one property per column, each required
/// (a column is always written; an empty one as `null` or an empty value).
pub fn row<R: Row>() -> RefOr<JsonSchema> {
    object(
        R::columns()
            .iter()
            .filter(|c| !matches!(c.schema, Schema::Dimensions)),
    )
}

/// The values of the entity dimensions (`links` false) or of the link dimensions, as the
/// exports write them: one property per dimension.
pub fn dimensions(links: bool) -> RefOr<JsonSchema> {
    object(dimension_columns(links).collect::<Vec<_>>().iter())
}

fn object<'a>(columns: impl Iterator<Item = &'a Column>) -> RefOr<JsonSchema> {
    let mut object = ObjectBuilder::new().schema_type(Type::Object);
    for column in columns {
        object = object
            .property(column.name, property(column))
            .required(column.name);
    }
    object.into()
}

/// One column's property.
pub fn property(column: &Column) -> RefOr<JsonSchema> {
    let (ty, format, pattern, values) = match column.schema {
        Schema::Text | Schema::Reference(..) | Schema::Dimensions => {
            (Type::String, None, None, None)
        }
        Schema::Pattern(pattern) => (Type::String, None, Some(format!("^(?:{pattern})$")), None),
        Schema::Integer | Schema::Year => (Type::Integer, None, None, None),
        Schema::Number => (Type::Number, None, None, None),
        Schema::Date => (Type::String, Some(KnownFormat::Date), None, None),
        Schema::Boolean => (Type::Boolean, None, None, None),
        Schema::Enum(values) => (Type::String, None, None, Some(values())),
        Schema::Terms { several: false, .. } => (Type::String, None, None, None),
        Schema::Terms { several: true, .. } | Schema::References(_) => {
            return ArrayBuilder::new()
                .items(ObjectBuilder::new().schema_type(Type::String))
                .description(description(column))
                .into();
        }
    };
    let mut builder = ObjectBuilder::new()
        .schema_type(nullable(ty, column.nullable))
        .format(format.map(SchemaFormat::KnownFormat))
        .pattern(pattern);
    if let Some(mut values) = values {
        if column.nullable {
            values.push(String::new());
        }
        builder = builder.enum_values(Some(values.into_iter().map(|v| {
            if v.is_empty() && column.nullable {
                serde_json::Value::Null
            } else {
                v.into()
            }
        })));
    }
    builder.description(description(column)).into()
}

fn description(column: &Column) -> Option<&'static str> {
    let description = column.description.trim();
    (!description.is_empty()).then_some(description)
}

fn nullable(ty: Type, nullable: bool) -> SchemaType {
    if nullable {
        SchemaType::from_iter([ty, Type::Null])
    } else {
        SchemaType::from(ty)
    }
}
