//! Schemas of types whose JSON is a string with a shape of its own, for the API's OpenAPI
//! document (the `openapi` feature; the widget never carries it).

use utoipa::openapi::schema::{Object, Schema, Type};
use utoipa::openapi::{ObjectBuilder, RefOr};

/// A string matching `pattern`.
pub(crate) fn pattern(description: &str, pattern: &str) -> RefOr<Schema> {
    string(description).pattern(Some(pattern)).build().into()
}

/// A slug id.
pub(crate) fn slug(description: &str) -> RefOr<Schema> {
    pattern(description, crate::ids::SLUG_PATTERN)
}

fn string(description: &str) -> ObjectBuilder {
    Object::builder().schema_type(Type::String).description(Some(description))
}
