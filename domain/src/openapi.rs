//! Schemas of types whose JSON is a string with a shape of its own (and one flattened
//! object), for the API's OpenAPI document (the `openapi` feature; the widget never carries it).

use utoipa::openapi::schema::{KnownFormat, Object, Schema, SchemaFormat, Type};
use utoipa::openapi::{ObjectBuilder, Ref, RefOr};

/// A string matching `pattern`.
pub(crate) fn pattern(description: &str, pattern: &str) -> RefOr<Schema> {
    string(description).pattern(Some(pattern)).build().into()
}

/// A slug id.
pub(crate) fn slug(description: &str) -> RefOr<Schema> {
    pattern(description, crate::ids::SLUG_PATTERN)
}

/// A work order's appointment, flattened into the order: all three properties, or none
/// while the order waits for its slot (which a `required` list cannot say).
pub(crate) fn appointment() -> Object {
    let instant = |description: &str| {
        string(description).format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime))).build()
    };
    Object::builder()
        .description(Some(
            "`planned_start`, `planned_end` and `technician` together, or none of them while the \
            order waits for its customer to pick a slot.",
        ))
        .property("planned_start", instant("Planned start."))
        .property("planned_end", instant("Planned end."))
        .property("technician", Ref::from_schema_name("Assignee"))
        .build()
}

fn string(description: &str) -> ObjectBuilder {
    Object::builder().schema_type(Type::String).description(Some(description))
}
