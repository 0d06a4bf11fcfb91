//! Free text with limits: names, address lines, form answers.

use crate::FieldError;
use serde::{Deserialize, Serialize};

/// Trimmed, non-empty text of at most a given number of characters, without control characters.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Text(String);

impl Text {
    /// Parses `raw` for `field`: trims it, requires it non-empty and at most `max_chars` long.
    pub fn parse(field: &str, raw: &str, max_chars: usize) -> Result<Self, FieldError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(FieldError::new(field, "This field is required."));
        }
        if trimmed.chars().count() > max_chars {
            return Err(FieldError::new(field, format!("Use at most {max_chars} characters.")));
        }
        if trimmed.chars().any(|c| c.is_control() && c != '\n') {
            return Err(FieldError::new(field, "Remove the control characters."));
        }
        Ok(Self(trimmed.to_owned()))
    }

    /// Like [`Text::parse`], but blank input means "not given".
    pub fn parse_optional(
        field: &str,
        raw: Option<&str>,
        max_chars: usize,
    ) -> Result<Option<Self>, FieldError> {
        match raw.map(str::trim) {
            None | Some("") => Ok(None),
            Some(value) => Self::parse(field, value, max_chars).map(Some),
        }
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_trimmed_and_bounded() {
        assert_eq!(Text::parse("name", "  Mary  ", 10).map(|t| t.0), Ok("Mary".into()));
        assert!(Text::parse("name", "   ", 10).is_err());
        assert!(Text::parse("name", "abcdefghijk", 10).is_err());
        assert!(Text::parse("name", "ok\u{0}", 10).is_err());
        assert_eq!(Text::parse_optional("x", Some("  "), 5), Ok(None));
    }

    #[test]
    fn limits_count_characters_not_bytes() {
        assert!(Text::parse("name", "ééééé", 5).is_ok());
    }
}
