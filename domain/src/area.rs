//! Service areas: which postcodes a technician covers.
//!
//! A business writes them the way it thinks of them: single codes (`2000`, `94105`, the UK
//! outward code `SW1A`), numeric ranges (`2000-2099`) and prefixes (`941*`, `SW*`, `SW1*`).
//!
//! To find who serves a postcode without scanning every technician, each area is filed under
//! the *buckets* it touches: the first two digits of an Australian postcode, the first three
//! of a US ZIP, the letters of a UK postcode area. A postcode falls in exactly one bucket, so
//! a lookup reads one bucket and keeps the areas that contain the code.

use crate::FieldError;
use crate::postcode::{Country, Postcode, is_gb_outward};
use serde::{Deserialize, Serialize};

/// One service area, in canonical form.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum ServiceArea {
    /// One code: an Australian postcode, a US ZIP5, a UK outward code.
    Exact(String),
    /// Numeric codes from the first to the last, inclusive, of equal length.
    Range(String, String),
    /// Every code starting with these characters.
    Prefix(String),
}

/// Largest number of buckets one area may span: a range over all US ZIPs is 1,000 buckets.
const MAX_BUCKETS: usize = 1_000;

impl ServiceArea {
    /// Parses an area as a business types it, for a site in `country`.
    pub fn parse(field: &str, country: Country, raw: &str) -> Result<Self, FieldError> {
        let area = Self::parse_shape(raw)
            .filter(|a| a.fits(country))
            .ok_or_else(|| FieldError::new(field, Self::hint(country)))?;
        if let ServiceArea::Range(from, to) = &area
            && from > to
        {
            return Err(FieldError::new(field, "Put the lower code first (for example 2000-2099)."));
        }
        Ok(area)
    }

    fn hint(country: Country) -> &'static str {
        match country {
            Country::Au => "Enter a postcode (2000), a range (2000-2099) or a prefix (20*).",
            Country::Us => "Enter a ZIP code (94105), a range (94100-94199) or a prefix (941*).",
            Country::Gb => "Enter an outward code (SW1A) or a prefix (SW*, SW1*).",
        }
    }

    /// The shape alone, without knowing the country (how stored areas are read back).
    fn parse_shape(raw: &str) -> Option<Self> {
        let compact: String =
            raw.chars().filter(|c| !c.is_whitespace()).map(|c| c.to_ascii_uppercase()).collect();
        if !compact.is_ascii() || compact.is_empty() || compact.len() > 12 {
            return None;
        }
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if let Some(prefix) = compact.strip_suffix('*') {
            let ok = digits(prefix) || is_gb_prefix(prefix);
            return ok.then(|| ServiceArea::Prefix(prefix.to_owned()));
        }
        if let Some((from, to)) = compact.split_once('-') {
            let ok = digits(from) && digits(to) && from.len() == to.len();
            return ok.then(|| ServiceArea::Range(from.to_owned(), to.to_owned()));
        }
        (digits(&compact) || is_gb_outward(&compact)).then_some(ServiceArea::Exact(compact))
    }

    /// Whether the area is written in `country`'s postcode shapes.
    fn fits(&self, country: Country) -> bool {
        let numeric = |len: usize, s: &str| s.len() == len && s.bytes().all(|b| b.is_ascii_digit());
        let length = match country {
            Country::Au => 4,
            Country::Us => 5,
            Country::Gb => {
                return match self {
                    ServiceArea::Exact(code) => is_gb_outward(code),
                    ServiceArea::Prefix(prefix) => is_gb_prefix(prefix),
                    ServiceArea::Range(..) => false,
                };
            }
        };
        match self {
            ServiceArea::Exact(code) => numeric(length, code),
            ServiceArea::Range(from, to) => numeric(length, from) && numeric(length, to),
            ServiceArea::Prefix(prefix) => {
                prefix.len() < length && prefix.bytes().all(|b| b.is_ascii_digit())
            }
        }
    }

    /// Whether the postcode is in the area.
    pub fn contains(&self, postcode: &Postcode) -> bool {
        let code = postcode.area();
        match self {
            ServiceArea::Exact(exact) => exact == code,
            ServiceArea::Range(from, to) => {
                code.len() == from.len() && from.as_str() <= code && code <= to.as_str()
            }
            ServiceArea::Prefix(prefix) => match postcode.country() {
                // By parts, not characters: `SW1*` covers SW1 and SW1A but not SW19, and `S*`
                // covers Sheffield (S1) but not south-west London (SW1).
                Country::Gb => {
                    let (letters, district, sub) = gb_parts(prefix);
                    let (code_letters, code_district, code_sub) = gb_parts(code);
                    letters == code_letters
                        && (district.is_empty() || district == code_district)
                        && (sub.is_empty() || sub == code_sub)
                }
                Country::Au | Country::Us => code.starts_with(prefix.as_str()),
            },
        }
    }

    /// The buckets the area is filed under (see the module documentation).
    pub fn buckets(&self, country: Country) -> Vec<String> {
        match country {
            Country::Gb => match self {
                ServiceArea::Exact(code) | ServiceArea::Prefix(code) => vec![gb_area_letters(code)],
                ServiceArea::Range(..) => Vec::new(),
            },
            Country::Au | Country::Us => {
                let width = bucket_width(country);
                let (from, to) = match self {
                    ServiceArea::Exact(code) => (code.clone(), code.clone()),
                    ServiceArea::Range(from, to) => (from.clone(), to.clone()),
                    ServiceArea::Prefix(prefix) => {
                        let length = if country == Country::Au { 4 } else { 5 };
                        (format!("{prefix:0<length$}"), format!("{prefix:9<length$}"))
                    }
                };
                let first = from.get(..width).and_then(|s| s.parse::<u32>().ok()).unwrap_or(0);
                let last = to.get(..width).and_then(|s| s.parse::<u32>().ok()).unwrap_or(0);
                (first..=last).take(MAX_BUCKETS).map(|b| format!("{b:0width$}")).collect()
            }
        }
    }
}

/// What a technician's areas cover, in words for the console: for numeric postcodes the number
/// of codes (overlaps counted once) and the merged ranges; for UK outward codes, the codes and
/// prefixes as written.
pub fn coverage_summary(areas: &[ServiceArea], country: Country) -> String {
    const LISTED: usize = 6;
    if areas.is_empty() {
        return "Covers no postcodes yet.".to_owned();
    }
    let listed = |mut parts: Vec<String>| {
        let more = parts.len().saturating_sub(LISTED);
        parts.truncate(LISTED);
        let mut text = parts.join(", ");
        if more > 0 {
            text.push_str(&format!(" and {more} more"));
        }
        text
    };
    let length = match country {
        Country::Au => 4,
        Country::Us => 5,
        Country::Gb => {
            let (mut exact, mut prefixes) = (Vec::new(), Vec::new());
            for area in areas {
                match area {
                    ServiceArea::Exact(code) => exact.push(code.clone()),
                    ServiceArea::Prefix(prefix) => prefixes.push(format!("{prefix}…")),
                    ServiceArea::Range(..) => {}
                }
            }
            return format!("Covers {}.", listed(exact.into_iter().chain(prefixes).collect()));
        }
    };
    let number = |code: &str| code.parse::<u64>().unwrap_or(0);
    let mut spans: Vec<(u64, u64)> = areas
        .iter()
        .map(|area| match area {
            ServiceArea::Exact(code) => (number(code), number(code)),
            ServiceArea::Range(from, to) => (number(from), number(to)),
            ServiceArea::Prefix(prefix) => {
                (number(&format!("{prefix:0<length$}")), number(&format!("{prefix:9<length$}")))
            }
        })
        .collect();
    spans.sort_unstable();
    let mut merged: Vec<(u64, u64)> = Vec::new();
    for (from, to) in spans {
        match merged.last_mut() {
            Some(last) if from <= last.1 + 1 => last.1 = last.1.max(to),
            _ => merged.push((from, to)),
        }
    }
    let count: u64 = merged.iter().map(|(from, to)| to - from + 1).sum();
    let code = |n: u64| format!("{n:0length$}");
    let parts = merged
        .iter()
        .map(|&(from, to)| if from == to { code(from) } else { format!("{}–{}", code(from), code(to)) })
        .collect();
    let noun = if count == 1 { "postcode" } else { "postcodes" };
    format!("Covers {count} {noun}: {}.", listed(parts))
}

fn bucket_width(country: Country) -> usize {
    match country {
        Country::Au => 2,
        Country::Us => 3,
        Country::Gb => 0,
    }
}

/// The bucket a postcode falls in.
pub fn bucket(postcode: &Postcode) -> String {
    match postcode.country() {
        Country::Gb => gb_area_letters(postcode.area()),
        country => postcode.area().chars().take(bucket_width(country)).collect(),
    }
}

/// `SW` of `SW1A`: the letters before the first digit.
fn gb_area_letters(code: &str) -> String {
    code.chars().take_while(char::is_ascii_alphabetic).collect()
}

/// An outward code or prefix in parts: area letters, district digits, sub-district letter.
fn gb_parts(code: &str) -> (&str, &str, &str) {
    let letters = code.bytes().take_while(u8::is_ascii_alphabetic).count();
    let digits = code[letters..].bytes().take_while(u8::is_ascii_digit).count();
    (&code[..letters], &code[letters..letters + digits], &code[letters + digits..])
}

/// A UK prefix: an area (`S`, `SW`) or the start of an outward code (`SW1`, `SW1A`).
fn is_gb_prefix(prefix: &str) -> bool {
    let letters = gb_area_letters(prefix);
    (1..=2).contains(&letters.len())
        && (prefix.len() == letters.len() || is_gb_outward(prefix) || {
            let rest = &prefix[letters.len()..];
            rest.len() <= 2 && rest.bytes().all(|b| b.is_ascii_digit())
        })
}

impl TryFrom<String> for ServiceArea {
    type Error = String;
    fn try_from(raw: String) -> Result<Self, String> {
        Self::parse_shape(&raw).ok_or_else(|| format!("not a service area: {raw:?}"))
    }
}

impl From<ServiceArea> for String {
    fn from(area: ServiceArea) -> String {
        area.to_string()
    }
}

impl std::fmt::Display for ServiceArea {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ServiceArea::Exact(code) => f.write_str(code),
            ServiceArea::Range(from, to) => write!(f, "{from}-{to}"),
            ServiceArea::Prefix(prefix) => write!(f, "{prefix}*"),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_summary_counts_each_postcode_once_and_merges_what_touches() {
        let parse = |raw: &str| ServiceArea::parse("areas", Country::Au, raw).expect(raw);
        let areas: Vec<ServiceArea> = ["2000", "2100-2199", "21*", "2200", "2999"].map(parse).to_vec();
        assert_eq!(coverage_summary(&areas, Country::Au), "Covers 103 postcodes: 2000, 2100–2200, 2999.");
        assert_eq!(coverage_summary(&[parse("2000")], Country::Au), "Covers 1 postcode: 2000.");
        assert_eq!(coverage_summary(&[], Country::Au), "Covers no postcodes yet.");
        let gb: Vec<ServiceArea> =
            ["SW1A", "E1*"].map(|raw| ServiceArea::parse("areas", Country::Gb, raw).expect(raw)).to_vec();
        assert_eq!(coverage_summary(&gb, Country::Gb), "Covers SW1A, E1….");
    }

    use super::*;
    use proptest::prelude::*;

    fn area(country: Country, raw: &str) -> ServiceArea {
        ServiceArea::parse("areas", country, raw).expect(raw)
    }

    fn code(country: Country, raw: &str) -> Postcode {
        Postcode::parse("p", country, raw).expect(raw)
    }

    #[test]
    fn areas_parse_in_their_countrys_shapes() {
        assert_eq!(area(Country::Au, " 2000 ").to_string(), "2000");
        assert_eq!(area(Country::Au, "2000 - 2099").to_string(), "2000-2099");
        assert_eq!(area(Country::Us, "941*").to_string(), "941*");
        assert_eq!(area(Country::Gb, "sw1a").to_string(), "SW1A");
        assert_eq!(area(Country::Gb, "SW*").to_string(), "SW*");
        for (country, raw) in [
            (Country::Au, "200"),
            (Country::Au, "2099-2000"),
            (Country::Au, "20000"),
            (Country::Us, "94105-941"),
            (Country::Gb, "2000"),
            (Country::Gb, "SW1A-SW1B"),
            (Country::Au, "SW1A"),
            (Country::Au, "*"),
        ] {
            assert!(ServiceArea::parse("areas", country, raw).is_err(), "{raw:?} in {country:?}");
        }
    }

    #[test]
    fn areas_contain_what_a_business_means() {
        let au = |raw| code(Country::Au, raw);
        assert!(area(Country::Au, "2000-2099").contains(&au("2050")));
        assert!(!area(Country::Au, "2000-2099").contains(&au("2100")));
        assert!(area(Country::Au, "20*").contains(&au("2099")));
        let us = code(Country::Us, "94105-1420");
        assert!(area(Country::Us, "94105").contains(&us));
        assert!(area(Country::Us, "941*").contains(&us));
        let gb = |raw| code(Country::Gb, raw);
        assert!(area(Country::Gb, "SW*").contains(&gb("SW1A 1AA")));
        assert!(area(Country::Gb, "SW1*").contains(&gb("SW1A 1AA")));
        assert!(area(Country::Gb, "SW1*").contains(&gb("SW1 1AA")));
        assert!(!area(Country::Gb, "SW1*").contains(&gb("SW19 1AA")), "SW1* is not SW19");
        assert!(!area(Country::Gb, "S*").contains(&gb("SW1A 1AA")), "S is its own area, not SW");
        assert!(area(Country::Gb, "S*").contains(&gb("S1 2AB")));
    }

    #[test]
    fn buckets_cover_every_code_an_area_contains() {
        assert_eq!(area(Country::Au, "2000-2199").buckets(Country::Au), ["20", "21"]);
        assert_eq!(area(Country::Us, "941*").buckets(Country::Us), ["941"]);
        assert_eq!(area(Country::Us, "9*").buckets(Country::Us).len(), 100);
        assert_eq!(area(Country::Gb, "SW1A").buckets(Country::Gb), ["SW"]);
        assert_eq!(bucket(&code(Country::Gb, "SW1A 1AA")), "SW");
        assert_eq!(bucket(&code(Country::Us, "94105-1420")), "941");
    }

    proptest! {
        #[test]
        fn a_contained_code_is_in_one_of_the_areas_buckets(from in 0u32..10_000, len in 0u32..500, probe in 0u32..10_000) {
            let to = (from + len).min(9_999);
            let range = area(Country::Au, &format!("{from:04}-{to:04}"));
            let postcode = code(Country::Au, &format!("{probe:04}"));
            prop_assert_eq!(range.contains(&postcode), (from..=to).contains(&probe));
            if range.contains(&postcode) {
                prop_assert!(range.buckets(Country::Au).contains(&bucket(&postcode)));
            }
        }

        #[test]
        fn parsing_any_text_never_panics_and_round_trips(raw in "\\PC{0,14}", c in 0..3u8) {
            let country = [Country::Au, Country::Gb, Country::Us][c as usize];
            if let Ok(parsed) = ServiceArea::parse("a", country, &raw) {
                prop_assert_eq!(ServiceArea::parse("a", country, &parsed.to_string()), Ok(parsed.clone()));
                prop_assert!(!parsed.buckets(country).is_empty());
            }
        }
    }
}
