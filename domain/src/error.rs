//! Validation errors that name the field they belong to.

use crate::message::Message;
use serde::{Deserialize, Serialize};

/// One problem with one input field, addressed by a dotted path such as `contact.email`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// Dotted path of the field in the request (`postcode`, `answers.car_make`, …).
    pub field: String,
    /// A sentence a customer can act on (English on the wire).
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub message: Message,
}

impl FieldError {
    /// An error for `field` with a customer-facing `message`.
    pub fn new(field: impl Into<String>, message: impl Into<Message>) -> Self {
        Self { field: field.into(), message: message.into() }
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for FieldError {}

/// Every field error found in one request, so a form can show them all at once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    /// Records the error of a failed parse and returns the parsed value if there was one.
    pub fn take<T>(&mut self, result: Result<T, FieldError>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.0.push(error);
                None
            }
        }
    }

    /// Records one error.
    pub fn push(&mut self, error: FieldError) {
        self.0.push(error);
    }

    /// Records several errors.
    pub fn extend(&mut self, errors: impl IntoIterator<Item = FieldError>) {
        self.0.extend(errors);
    }

    /// True when nothing was wrong.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(value)` when no errors were recorded, otherwise every error.
    pub fn finish<T>(self, value: impl FnOnce() -> Option<T>) -> Result<T, Vec<FieldError>> {
        if self.0.is_empty() {
            value().ok_or_else(|| vec![FieldError::new("", "invalid request")])
        } else {
            Err(self.0)
        }
    }
}
