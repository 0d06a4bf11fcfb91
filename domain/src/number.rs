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
        // 2^63 is the first float past i64::MAX; every float below it with no fraction is exact.
        const LIMIT: f64 = 9_223_372_036_854_775_808.0;
        if v.fract() == 0.0 && (-LIMIT..LIMIT).contains(&v) {
            #[allow(clippy::cast_possible_truncation)] // Whole and in range: exact.
            let whole = v as i64;
            return T::try_from(whole).map_err(|_| E::invalid_value(Unexpected::Float(v), &self));
        }
        Err(E::invalid_value(Unexpected::Float(v), &self))
    }
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
