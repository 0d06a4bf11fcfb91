//! Tracking values: where a booking came from (UTM parameters, ad click ids), carried from the
//! page the widget is on to the work order, for the business's own marketing reports.

use crate::FieldError;
use crate::text::{Lines, Text};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The page-address parameters the widget passes on when the page has them.
pub const TRACKING_KEYS: [&str; 7] =
    ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "gclid", "fbclid"];

/// Most values one booking carries.
pub const MAX_VALUES: usize = 10;
/// Longest key.
pub const KEY_MAX: usize = 40;
/// Longest value.
pub const VALUE_MAX: usize = 200;

/// Parsed tracking values: keys of lowercase letters, digits and `_`; values one line of text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct Tracking(BTreeMap<String, Text>);

impl Tracking {
    /// Parses `raw` for the body field `field` (errors name `field.key`); blank values are
    /// dropped, as a page's empty `?utm_term=` says nothing.
    pub fn parse(field: &str, raw: &BTreeMap<String, String>) -> Result<Self, Vec<FieldError>> {
        if raw.len() > MAX_VALUES {
            return Err(vec![FieldError::new(field, format!("Send at most {MAX_VALUES} tracking values."))]);
        }
        let mut values = BTreeMap::new();
        let mut errors = Vec::new();
        for (key, value) in raw {
            let key_ok = (1..=KEY_MAX).contains(&key.len())
                && key.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
            if !key_ok {
                errors.push(FieldError::new(
                    field,
                    format!("Tracking keys are 1 to {KEY_MAX} lowercase letters, digits or _."),
                ));
                continue;
            }
            match Text::parse_optional(&format!("{field}.{key}"), Some(value), VALUE_MAX, Lines::Single) {
                Ok(Some(text)) => {
                    values.insert(key.clone(), text);
                }
                Ok(None) => {}
                Err(error) => errors.push(error),
            }
        }
        if errors.is_empty() { Ok(Self(values)) } else { Err(errors) }
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The values by key.
    pub fn values(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn utm_values_are_kept_and_blank_ones_dropped() {
        let tracking = Tracking::parse("tracking", &raw(&[("utm_source", " newsletter "), ("utm_term", "")]))
            .expect("valid");
        assert_eq!(tracking.values().collect::<Vec<_>>(), [("utm_source", "newsletter")]);
    }

    #[test]
    fn odd_keys_long_or_multiline_values_and_too_many_are_refused() {
        let errors = Tracking::parse("tracking", &raw(&[("UTM-Source", "x")])).expect_err("key");
        assert_eq!(errors[0].field, "tracking");
        let long = "x".repeat(VALUE_MAX + 1);
        let errors = Tracking::parse("tracking", &raw(&[("utm_source", &long)])).expect_err("long");
        assert_eq!(errors[0].field, "tracking.utm_source");
        let errors = Tracking::parse("tracking", &raw(&[("utm_source", "a\nb")])).expect_err("lines");
        assert_eq!(errors[0].field, "tracking.utm_source");
        let many: BTreeMap<String, String> =
            (0..=MAX_VALUES).map(|i| (format!("k{i}"), "v".to_owned())).collect();
        assert!(Tracking::parse("tracking", &many).is_err());
    }
}
