//! A site's or a technician's time zone, resolved from its IANA name once, when the record is
//! read, so that no request re-parses it and no code path can fall back to UTC.
//!
//! Resolving needs a zone database: the functions bundle one (jiff's `tzdb-bundle-always`). The
//! browser builds have none and never read these records; they see zone names as plain strings
//! on the wire types.

use jiff::tz::TimeZone;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A time zone this build knows, with the IANA name it was stored under.
#[derive(Clone)]
pub struct Zone {
    name: Box<str>,
    tz: TimeZone,
}

/// The name is not a zone this build knows. Times stated in it would be wrong, so nothing that
/// needs the zone is written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown time zone {zone:?}")]
pub struct UnknownZone {
    /// The name as given or stored.
    pub zone: String,
}

impl Zone {
    /// The zone named `name` (surrounding spaces ignored).
    pub fn parse(name: &str) -> Result<Self, UnknownZone> {
        let name = name.trim();
        match TimeZone::get(name) {
            Ok(tz) => Ok(Self { name: name.into(), tz }),
            Err(_) => Err(UnknownZone { zone: name.to_owned() }),
        }
    }

    /// UTC: only for a record whose zone is set before it is stored.
    pub fn utc() -> Self {
        Self { name: "UTC".into(), tz: TimeZone::UTC }
    }

    /// Its IANA name, as stored and shown.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The zone, for converting instants to local times and back.
    pub fn tz(&self) -> &TimeZone {
        &self.tz
    }
}

impl PartialEq for Zone {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for Zone {}

impl fmt::Debug for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Zone").field(&self.name).finish()
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

impl Serialize for Zone {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.name)
    }
}

impl<'de> Deserialize<'de> for Zone {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        Zone::parse(&name).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_zone_is_resolved_once_and_written_back_by_its_name() {
        let zone: Zone = serde_json::from_str("\"Australia/Sydney\"").expect("known");
        assert_eq!(zone.name(), "Australia/Sydney");
        let winter = jiff::Timestamp::from_second(1_720_000_000).expect("instant");
        assert_eq!(winter.to_zoned(zone.tz().clone()).offset().seconds(), 10 * 3600);
        assert_eq!(serde_json::to_string(&zone).expect("written"), "\"Australia/Sydney\"");
    }

    #[test]
    fn a_record_with_an_unknown_zone_does_not_load_rather_than_run_in_utc() {
        let read = serde_json::from_str::<Zone>("\"Mars/Olympus_Mons\"");
        let error = read.expect_err("unknown zone").to_string();
        assert!(error.contains("Mars/Olympus_Mons"), "{error}");
        assert_eq!(Zone::parse(" Europe/Paris ").map(|z| z.name().to_owned()), Ok("Europe/Paris".into()));
    }
}
