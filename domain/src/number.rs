//! Whole numbers in request bodies, however the client's JSON library wrote them.

use serde::de::{self, Deserializer, Unexpected, Visitor};
use std::fmt;
use std::marker::PhantomData;

/// Deserializes a whole number written as `340` or `340.0`. JSON does not tell the two apart
/// and JSON Schema calls both an integer; some JSON libraries write every number with a
/// fraction. A fraction or a value out of `T`'s range is still refused.
pub fn whole<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<i64> + TryFrom<u64>,
{
    deserializer.deserialize_any(Whole(PhantomData))
}

/// [`whole`] for an optional field: `null` (or, with `#[serde(default)]`, nothing) is `None`.
pub fn whole_option<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: TryFrom<i64> + TryFrom<u64>,
{
    struct Present<T>(T);
    impl<'de, T: TryFrom<i64> + TryFrom<u64>> serde::Deserialize<'de> for Present<T> {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            whole(deserializer).map(Present)
        }
    }
    <Option<Present<T>> as serde::Deserialize>::deserialize(deserializer).map(|o| o.map(|p| p.0))
}

struct Whole<T>(PhantomData<T>);

impl<T: TryFrom<i64> + TryFrom<u64>> Visitor<'_> for Whole<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a whole number in the field's range")
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        T::try_from(v).map_err(|_| E::invalid_value(Unexpected::Unsigned(v), &self))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        T::try_from(v).map_err(|_| E::invalid_value(Unexpected::Signed(v), &self))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        exact_whole(v)
            .and_then(|whole| T::try_from(whole).ok())
            .ok_or_else(|| E::invalid_value(Unexpected::Float(v), &self))
    }
}

/// `v` as an `i64` when it has no fraction and fits.
pub fn exact_whole(v: f64) -> Option<i64> {
    // 2^63 is the first float past i64::MAX; every float below it with no fraction is exact.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    #[allow(clippy::cast_possible_truncation)] // Whole and in range: exact.
    (v.fract() == 0.0 && (-LIMIT..LIMIT).contains(&v)).then_some(v as i64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde::Deserialize;

    #[derive(Deserialize, Debug)]
    struct Minutes {
        #[serde(deserialize_with = "whole")]
        minutes: u16,
    }

    fn parse(json: &str) -> Result<u16, String> {
        serde_json::from_str::<Minutes>(json).map(|m| m.minutes).map_err(|e| e.to_string())
    }

    #[derive(Deserialize, Debug)]
    struct Radius {
        #[serde(default, deserialize_with = "whole_option")]
        radius: Option<u16>,
    }

    #[test]
    fn an_optional_whole_number_may_be_absent_null_or_written_with_a_fraction_of_zero() {
        let parse =
            |json: &str| serde_json::from_str::<Radius>(json).map(|r| r.radius).map_err(|e| e.to_string());
        assert_eq!(parse(r#"{}"#), Ok(None));
        assert_eq!(parse(r#"{"radius": null}"#), Ok(None));
        assert_eq!(parse(r#"{"radius": 19.0}"#), Ok(Some(19)));
        assert!(parse(r#"{"radius": 1.5}"#).is_err());
    }

    #[test]
    fn a_whole_number_may_be_written_with_a_fraction_of_zero() {
        assert_eq!(parse(r#"{"minutes": 340}"#), Ok(340));
        assert_eq!(parse(r#"{"minutes": 340.0}"#), Ok(340));
        assert_eq!(parse(r#"{"minutes": 3.4e2}"#), Ok(340));
    }

    #[test]
    fn fractions_negatives_overflow_and_other_types_are_refused_with_the_range() {
        for json in
            [r#"{"minutes": 1.5}"#, r#"{"minutes": -1}"#, r#"{"minutes": 65536}"#, r#"{"minutes": 1e300}"#]
        {
            let error = parse(json).expect_err(json);
            assert!(error.contains("a whole number in the field's range"), "{json}: {error}");
        }
        assert!(parse(r#"{"minutes": "15"}"#).is_err());
        assert!(parse(r#"{"minutes": null}"#).is_err());
    }

    proptest! {
        #[test]
        fn every_i64_reads_back_from_its_integer_form(n in any::<i64>()) {
            let read: i64 = whole(&mut serde_json::Deserializer::from_str(&n.to_string())).expect("whole");
            prop_assert_eq!(read, n);
        }
    }
}
