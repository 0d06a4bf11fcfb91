//! Dates and instants as the API writes them, read and written with a few lines of calendar
//! arithmetic instead of jiff's parser and printer.
//!
//! jiff's parser accepts every RFC 3339 / ISO 8601 / Temporal spelling and explains each way a
//! string can be wrong; its printer handles every zone. That is ~90 KB of wasm, a third of the
//! widget's budget, spent on strings the widget only ever reads back from our own server. So the
//! API types read dates and instants through [`date`], [`timestamp`] and [`option_date`]: they
//! accept exactly the canonical forms (`2026-11-24`, `2026-11-23T22:00:00Z`, optionally with
//! fractional seconds or a `±HH:MM` offset) and write with jiff, which is free on the server.
//! Property tests check that whatever these accept, jiff reads the same way, and that they accept
//! everything jiff writes.

use jiff::Timestamp;
use jiff::civil::Date;

const SECONDS_PER_DAY: i64 = 86_400;

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The date `days` after 1970-01-01 (Hinnant's `civil_from_days`), as (year, month, day).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days.rem_euclid(146_097);
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 { shifted_month + 3 } else { shifted_month - 9 };
    (year_of_era + era * 400 + i64::from(month <= 2), month, day)
}

fn date_from_days(days: i64) -> Option<Date> {
    let (year, month, day) = civil_from_days(days);
    Date::new(i16::try_from(year).ok()?, month as i8, day as i8).ok()
}

fn days_of(date: Date) -> i64 {
    days_from_civil(i64::from(date.year()), i64::from(date.month()), i64::from(date.day()))
}

/// `n` ASCII digits at the start of `s`, as a number, and the rest.
fn digits(s: &[u8], n: usize) -> Option<(i64, &[u8])> {
    let (head, rest) = s.split_at_checked(n)?;
    let value =
        head.iter().try_fold(0i64, |acc, b| b.is_ascii_digit().then(|| acc * 10 + i64::from(b - b'0')))?;
    Some((value, rest))
}

fn expect(s: &[u8], byte: u8) -> Option<&[u8]> {
    s.split_first().filter(|(first, _)| **first == byte).map(|(_, rest)| rest)
}

fn parse_date_prefix(s: &[u8]) -> Option<(Date, &[u8])> {
    let (year, s) = digits(s, 4)?;
    let (month, s) = digits(expect(s, b'-')?, 2)?;
    let (day, s) = digits(expect(s, b'-')?, 2)?;
    let date = Date::new(year as i16, i8::try_from(month).ok()?, i8::try_from(day).ok()?).ok()?;
    Some((date, s))
}

/// `YYYY-MM-DD` and nothing else.
pub fn parse_date(s: &str) -> Option<Date> {
    parse_date_prefix(s.as_bytes()).and_then(|(date, rest)| rest.is_empty().then_some(date))
}

/// `YYYY-MM-DD`, years 0000 to 9999 (the only ones the API deals in).
pub fn format_date(date: Date) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())
}

/// The date `days` after `date` (before, if negative); `None` past jiff's range.
pub fn add_days(date: Date, days: i64) -> Option<Date> {
    date_from_days(days_of(date).checked_add(days)?)
}

/// `YYYY-MM-DDTHH:MM:SS`, optionally `.` and 1 to 9 digits, then `Z` or `±HH:MM`.
pub fn parse_timestamp(s: &str) -> Option<Timestamp> {
    let (date, s) = parse_date_prefix(s.as_bytes())?;
    let (hour, s) = digits(expect(s, b'T')?, 2)?;
    let (minute, s) = digits(expect(s, b':')?, 2)?;
    let (second, mut s) = digits(expect(s, b':')?, 2)?;
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let mut nanos = 0i64;
    if let Some(fraction) = expect(s, b'.') {
        let len = fraction.iter().take_while(|b| b.is_ascii_digit()).count();
        if !(1..=9).contains(&len) {
            return None;
        }
        let (value, rest) = digits(fraction, len)?;
        nanos = value * 10i64.pow(9 - len as u32);
        s = rest;
    }
    let offset = match s {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), rest @ ..] => {
            let (hours, rest) = digits(rest, 2)?;
            let (minutes, rest) = digits(expect(rest, b':')?, 2)?;
            if !rest.is_empty() || hours > 23 || minutes > 59 {
                return None;
            }
            let offset = hours * 3600 + minutes * 60;
            if *sign == b'-' { -offset } else { offset }
        }
        _ => return None,
    };
    let seconds = days_of(date) * SECONDS_PER_DAY + hour * 3600 + minute * 60 + second - offset;
    Timestamp::new(seconds, nanos as i32).ok()
}

/// RFC 3339 in UTC, `Z`-suffixed, with fractional seconds only when there are any.
pub fn format_timestamp(t: Timestamp) -> String {
    let (seconds, nanos) = (t.as_second(), t.subsec_nanosecond());
    // Before 1970 a fraction counts up from the previous whole second.
    let (seconds, nanos) = if nanos < 0 { (seconds - 1, nanos + 1_000_000_000) } else { (seconds, nanos) };
    let (days, time) = (seconds.div_euclid(SECONDS_PER_DAY), seconds.rem_euclid(SECONDS_PER_DAY));
    let (year, month, day) = civil_from_days(days);
    let mut out =
        format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}", time / 3600, time / 60 % 60, time % 60);
    if nanos != 0 {
        let fraction = format!("{nanos:09}");
        out.push('.');
        out.push_str(fraction.trim_end_matches('0'));
    }
    out.push('Z');
    out
}

struct Expected(&'static str);

impl serde::de::Expected for Expected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

const DATE: &str = "a date as YYYY-MM-DD";
const INSTANT: &str = "an RFC 3339 instant such as 2026-11-23T22:00:00Z";

fn parsed<E: serde::de::Error, T>(
    raw: &str,
    parse: fn(&str) -> Option<T>,
    what: &'static str,
) -> Result<T, E> {
    parse(raw).ok_or_else(|| E::invalid_value(serde::de::Unexpected::Str(raw), &Expected(what)))
}

fn read<'de, D, T>(deserializer: D, parse: fn(&str) -> Option<T>, what: &'static str) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
{
    let raw = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(deserializer)?;
    parsed(&raw, parse, what)
}

fn read_optional<'de, D, T>(
    deserializer: D,
    parse: fn(&str) -> Option<T>,
    what: &'static str,
) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    let raw = <Option<std::borrow::Cow<'de, str>> as serde::Deserialize>::deserialize(deserializer)?;
    raw.map(|raw| parsed(&raw, parse, what)).transpose()
}

fn write_optional<S: serde::Serializer, T: std::fmt::Display>(
    value: &Option<T>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(value) => serializer.collect_str(value),
        None => serializer.serialize_none(),
    }
}

/// `#[serde(with = "wire_time::date")]` for a [`Date`].
pub mod date {
    use super::*;

    /// Writes `YYYY-MM-DD`.
    pub fn serialize<S: serde::Serializer>(date: &Date, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(date)
    }

    /// Reads `YYYY-MM-DD`.
    pub fn deserialize<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        read(deserializer, parse_date, DATE)
    }
}

/// `#[serde(default, with = "wire_time::option_date")]` for an `Option<Date>`.
pub mod option_date {
    use super::*;

    /// Writes `YYYY-MM-DD` or null.
    pub fn serialize<S: serde::Serializer>(date: &Option<Date>, serializer: S) -> Result<S::Ok, S::Error> {
        write_optional(date, serializer)
    }

    /// Reads `YYYY-MM-DD` or null.
    pub fn deserialize<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<Date>, D::Error> {
        read_optional(deserializer, parse_date, DATE)
    }
}

/// `#[serde(with = "wire_time::timestamp")]` for a [`Timestamp`].
pub mod timestamp {
    use super::*;

    /// Writes RFC 3339 in UTC.
    pub fn serialize<S: serde::Serializer>(t: &Timestamp, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(t)
    }

    /// Reads RFC 3339 with `Z` or a `±HH:MM` offset.
    pub fn deserialize<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Timestamp, D::Error> {
        read(deserializer, parse_timestamp, INSTANT)
    }
}

/// `#[serde(default, with = "wire_time::option_timestamp")]` for an `Option<Timestamp>`.
pub mod option_timestamp {
    use super::*;

    /// Writes RFC 3339 in UTC or null.
    pub fn serialize<S: serde::Serializer>(t: &Option<Timestamp>, serializer: S) -> Result<S::Ok, S::Error> {
        write_optional(t, serializer)
    }

    /// Reads RFC 3339 or null.
    pub fn deserialize<'de, D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Timestamp>, D::Error> {
        read_optional(deserializer, parse_timestamp, INSTANT)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn any_timestamp() -> impl Strategy<Value = Timestamp> {
        // Years 0000 to 9999, the ones RFC 3339 can spell.
        (-62_167_219_200i64..253_402_300_800, 0i32..1_000_000_000)
            .prop_filter_map("in range", |(s, n)| Timestamp::new(s, n).ok())
    }

    fn any_date() -> impl Strategy<Value = Date> {
        (0i16..=9999, 1i8..=12, 1i8..=31).prop_filter_map("a real date", |(y, m, d)| Date::new(y, m, d).ok())
    }

    #[test]
    fn reads_what_the_api_writes() {
        assert_eq!(parse_date("2026-11-24"), Some(jiff::civil::date(2026, 11, 24)));
        let t: Timestamp = "2026-11-23T22:00:00Z".parse().expect("valid");
        assert_eq!(parse_timestamp("2026-11-23T22:00:00Z"), Some(t));
        assert_eq!(parse_timestamp("2026-11-24T09:00:00+11:00"), Some(t));
        assert_eq!(
            parse_timestamp("2026-11-23T22:00:00.5Z"),
            Some(t + jiff::SignedDuration::from_millis(500))
        );
        assert_eq!(format_timestamp(t), "2026-11-23T22:00:00Z");
        assert_eq!(add_days(jiff::civil::date(2026, 12, 28), 7), Some(jiff::civil::date(2027, 1, 4)));
    }

    #[test]
    fn refuses_what_is_not_canonical() {
        for bad in ["2026-11-24T", "2026-02-30", "26-11-24", "2026-1-24", "2026-11-24 ", "２０２６-11-24"]
        {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
        for bad in [
            "2026-11-23T22:00:00",
            "2026-11-23T24:00:00Z",
            "2026-11-23T22:00:60Z",
            "2026-11-23T22:00:00.Z",
            "2026-11-23T22:00:00.1234567890Z",
            "2026-11-23T22:00:00+1100",
            "2026-11-23T22:00:00+11:00 ",
            "2026-11-23 22:00:00Z",
        ] {
            assert_eq!(parse_timestamp(bad), None, "{bad}");
        }
    }

    proptest! {
        #[test]
        fn reads_every_timestamp_jiff_writes(t in any_timestamp()) {
            prop_assert_eq!(parse_timestamp(&t.to_string()), Some(t));
        }

        #[test]
        fn writes_what_jiff_reads_back(t in any_timestamp()) {
            prop_assert_eq!(format_timestamp(t), t.to_string());
        }

        #[test]
        fn reads_every_date_jiff_writes(d in any_date()) {
            prop_assert_eq!(parse_date(&d.to_string()), Some(d));
            prop_assert_eq!(format_date(d), d.to_string());
        }

        #[test]
        fn adds_days_as_jiff_does(d in any_date(), days in -400_000i64..400_000) {
            let jiff = d.checked_add(jiff::Span::new().days(days)).ok();
            prop_assert_eq!(add_days(d, days), jiff);
        }

        #[test]
        fn accepts_only_what_jiff_reads_the_same(s in "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,10})?(Z|[+-][0-9]{2}:[0-9]{2}|)") {
            if let Some(ours) = parse_timestamp(&s) {
                prop_assert_eq!(s.parse::<Timestamp>().ok(), Some(ours));
            }
        }

        #[test]
        fn dates_accepted_are_jiffs(s in "[0-9]{4}-[0-9]{2}-[0-9]{2}") {
            prop_assert_eq!(parse_date(&s), s.parse::<Date>().ok());
        }
    }
}
