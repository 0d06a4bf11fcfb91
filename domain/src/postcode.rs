//! Postcodes and zip codes, per country, and the area key that decides who serves them.

use crate::FieldError;
use serde::{Deserialize, Serialize};

/// A country whose postcode format Jobslot knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Country {
    /// Australia: four digits.
    #[serde(rename = "AU")]
    Au,
    /// The United Kingdom: outward and inward code, e.g. `SW1A 1AA`.
    #[serde(rename = "GB", alias = "UK")]
    Gb,
    /// The United States: ZIP or ZIP+4.
    #[serde(rename = "US")]
    Us,
}

impl Country {
    /// The country of an ISO 3166 `code` as the API writes it (`UK` for `GB` too).
    pub fn from_code(code: &str) -> Option<Country> {
        match code {
            "AU" => Some(Country::Au),
            "GB" | "UK" => Some(Country::Gb),
            "US" => Some(Country::Us),
            _ => None,
        }
    }

    /// What the widget calls the code in this country.
    pub fn postcode_label(self) -> &'static str {
        match self {
            Country::Us => "ZIP code",
            Country::Au | Country::Gb => "Postcode",
        }
    }

    /// An example shown in error messages.
    pub(crate) fn example(self) -> &'static str {
        match self {
            Country::Au => "2000",
            Country::Gb => "SW1A 1AA",
            Country::Us => "94105 or 94105-1420",
        }
    }
}

/// A postcode in its country's canonical form (`SW1A 1AA`, `94105-1420`, `2000`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Postcode {
    country: Country,
    code: String,
}

impl Postcode {
    /// Parses what a customer typed; case and spacing are forgiven, the shape is not.
    pub fn parse(field: &str, country: Country, raw: &str) -> Result<Self, FieldError> {
        let compact: String =
            raw.chars().filter(|c| !c.is_whitespace()).map(|c| c.to_ascii_uppercase()).collect();
        let code = match country {
            Country::Au => parse_au(&compact),
            Country::Gb => parse_gb(&compact),
            Country::Us => parse_us(&compact),
        };
        code.map(|code| Self { country, code })
            .ok_or_else(|| FieldError::new(field, crate::message::Message::Postcode(country)))
    }

    /// The country the code belongs to.
    pub fn country(&self) -> Country {
        self.country
    }

    /// The canonical code.
    pub fn as_str(&self) -> &str {
        &self.code
    }

    /// The part of the code that service areas are defined on: the whole Australian postcode,
    /// the UK outward code (`SW1A`), the US ZIP5.
    pub fn area(&self) -> &str {
        match self.country {
            Country::Au => &self.code,
            Country::Gb => self.code.split(' ').next().unwrap_or(&self.code),
            Country::Us => &self.code[..5.min(self.code.len())],
        }
    }
}

impl std::fmt::Display for Postcode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.code)
    }
}

fn all_digits(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_digit())
}

fn parse_au(compact: &str) -> Option<String> {
    (compact.len() == 4 && all_digits(compact)).then(|| compact.to_owned())
}

fn parse_us(compact: &str) -> Option<String> {
    if !compact.is_ascii() {
        return None;
    }
    let (zip5, plus4) = match compact.split_once('-') {
        Some((zip5, plus4)) => (zip5, Some(plus4)),
        None if compact.len() == 9 => (&compact[..5], Some(&compact[5..])),
        None => (compact, None),
    };
    if zip5.len() != 5 || !all_digits(zip5) {
        return None;
    }
    match plus4 {
        None => Some(zip5.to_owned()),
        Some(p) if p.len() == 4 && all_digits(p) => Some(format!("{zip5}-{p}")),
        Some(_) => None,
    }
}

/// Outward codes: A9, A99, AA9, AA99, A9A, AA9A; inward codes: 9AA.
fn parse_gb(compact: &str) -> Option<String> {
    if !compact.is_ascii() || !(5..=7).contains(&compact.len()) {
        return None;
    }
    let (outward, inward) = compact.split_at(compact.len() - 3);
    let inward_ok = {
        let b = inward.as_bytes();
        b[0].is_ascii_digit() && b[1].is_ascii_alphabetic() && b[2].is_ascii_alphabetic()
    };
    (inward_ok && is_gb_outward(outward)).then(|| format!("{outward} {inward}"))
}

/// A UK outward code: A9, A99, AA9, AA99, A9A, AA9A.
pub(crate) fn is_gb_outward(code: &str) -> bool {
    let shape: String = code
        .bytes()
        .map(|b| {
            if b.is_ascii_digit() {
                '9'
            } else if b.is_ascii_alphabetic() {
                'A'
            } else {
                '?'
            }
        })
        .collect();
    matches!(shape.as_str(), "A9" | "A99" | "AA9" | "AA99" | "A9A" | "AA9A")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_country_is_read_from_the_code_the_api_writes() {
        for country in [Country::Au, Country::Gb, Country::Us] {
            let wire = serde_json::to_value(country).expect("written");
            assert_eq!(Country::from_code(wire.as_str().unwrap_or_default()), Some(country));
        }
        assert_eq!(Country::from_code("UK"), Some(Country::Gb), "serde's alias too");
        assert_eq!(Country::from_code("NZ"), None);
    }

    fn code(country: Country, raw: &str) -> Option<String> {
        Postcode::parse("postcode", country, raw).ok().map(|p| p.code)
    }

    #[test]
    fn australian_postcodes_are_four_digits() {
        assert_eq!(code(Country::Au, " 2000 "), Some("2000".into()));
        assert_eq!(code(Country::Au, "200"), None);
        assert_eq!(code(Country::Au, "20000"), None);
        assert_eq!(code(Country::Au, "2OOO"), None);
    }

    #[test]
    fn uk_postcodes_are_normalised_with_one_space() {
        assert_eq!(code(Country::Gb, "sw1a1aa"), Some("SW1A 1AA".into()));
        assert_eq!(code(Country::Gb, "M1 1AE"), Some("M1 1AE".into()));
        assert_eq!(code(Country::Gb, "CR2 6XH"), Some("CR2 6XH".into()));
        assert_eq!(code(Country::Gb, "DN55 1PT"), Some("DN55 1PT".into()));
        assert_eq!(code(Country::Gb, "SW1A"), None);
        assert_eq!(code(Country::Gb, "12345"), None);
        let p = Postcode::parse("p", Country::Gb, "sw1a 1aa").ok();
        assert_eq!(p.as_ref().map(Postcode::area), Some("SW1A"));
    }

    #[test]
    fn us_zip_codes_accept_zip_plus_four() {
        assert_eq!(code(Country::Us, "94105"), Some("94105".into()));
        assert_eq!(code(Country::Us, "94105-1420"), Some("94105-1420".into()));
        assert_eq!(code(Country::Us, "941051420"), Some("94105-1420".into()));
        assert_eq!(code(Country::Us, "9410"), None);
        assert_eq!(code(Country::Us, "94105-14"), None);
        let p = Postcode::parse("p", Country::Us, "94105-1420").ok();
        assert_eq!(p.as_ref().map(Postcode::area), Some("94105"));
    }

    #[test]
    fn errors_name_the_field_and_give_an_example() {
        let err = Postcode::parse("postcode", Country::Au, "abc").err();
        assert_eq!(err.as_ref().map(|e| e.field.as_str()), Some("postcode"));
        assert!(err.is_some_and(|e| e.message.english().contains("2000")));
    }

    proptest! {
        #[test]
        fn parsing_never_panics_and_is_idempotent(raw in "\\PC{0,12}", c in 0..3u8) {
            let country = [Country::Au, Country::Gb, Country::Us][c as usize];
            if let Ok(p) = Postcode::parse("p", country, &raw) {
                let again = Postcode::parse("p", country, p.as_str());
                prop_assert_eq!(again.as_ref(), Ok(&p));
                prop_assert!(p.as_str().starts_with(p.area()));
            }
        }

        #[test]
        fn every_well_formed_uk_code_parses(
            out in "[A-Z]{1,2}[0-9]{1,2}", inw in "[0-9][A-Z]{2}", space in " {0,2}",
        ) {
            let raw = format!("{out}{space}{inw}");
            prop_assert_eq!(code(Country::Gb, &raw), Some(format!("{out} {inw}")));
        }
    }
}
