//! Identifiers: parsed once at the edge, opaque afterwards.

use crate::FieldError;
use serde::{Deserialize, Serialize};

/// A slug as a regular expression, for the API's documentation; [`is_slug`] is the check.
pub const SLUG_PATTERN: &str = "^[a-z0-9][a-z0-9_-]{0,63}$";

/// True for a lower-case slug: 1–64 of `a-z 0-9 - _`, starting with a letter or digit.
fn is_slug(raw: &str) -> bool {
    let bytes = raw.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= 64
        && bytes[0].is_ascii_alphanumeric()
        && bytes.iter().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-' || *b == b'_')
}

macro_rules! slug_id {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                crate::openapi::slug(concat!("A ", $what, ": lower-case letters, digits, - and _."))
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $name {}

        impl $name {
            /// Parses a slug such as `acme-car-servicing`.
            pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
                if raw.trim().is_empty() {
                    Err(FieldError::new(field, "This field is required."))
                } else if is_slug(raw) {
                    Ok(Self(raw.to_owned()))
                } else {
                    Err(FieldError::new(
                        field,
                        concat!("Not a valid ", $what, " (lower-case letters, digits, - and _)."),
                    ))
                }
            }

            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = FieldError;
            fn try_from(raw: String) -> Result<Self, FieldError> {
                Self::parse(stringify!($name), &raw)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

slug_id!(
    /// A site (tenant): one business's booking configuration. Every entity belongs to one.
    SiteId,
    "site id"
);
slug_id!(
    /// A technician or location that work is booked with.
    TechnicianId,
    "technician id"
);
slug_id!(
    /// A bookable service such as a logbook service.
    ServiceId,
    "service id"
);
slug_id!(
    /// A field of a site's order form.
    FieldId,
    "field id"
);
slug_id!(
    /// Why a work order was closed incomplete or rejected, from the site's lists.
    ReasonCode,
    "reason code"
);

/// Crockford's base 32: no I, L, O or U, so numbers read aloud over the phone survive.
const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const NUMBER_PREFIX: &str = "WO-";
const NUMBER_DIGITS: usize = 8;

/// A work order's number, e.g. `WO-7K3F9Q2M`: short enough to read out, random so it leaks
/// nothing about volumes and needs no shared counter.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct WorkOrderNumber(String);

/// A work order number as the API writes it, as a regular expression for its documentation.
pub const WORK_ORDER_NUMBER_PATTERN: &str = "^WO-[0-9A-HJKMNP-TV-Z]{8}$";

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for WorkOrderNumber {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        crate::openapi::pattern(
            "A work order number: WO- and 8 characters of Crockford's base 32.",
            WORK_ORDER_NUMBER_PATTERN,
        )
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for WorkOrderNumber {}

impl WorkOrderNumber {
    /// Makes a number from 40 random bits (the caller owns the randomness).
    pub fn from_random(bits: u64) -> Self {
        let mut number = String::with_capacity(NUMBER_PREFIX.len() + NUMBER_DIGITS);
        number.push_str(NUMBER_PREFIX);
        for i in (0..NUMBER_DIGITS).rev() {
            let index = (bits >> (i * 5)) & 0x1f;
            number.push(char::from(CROCKFORD[index as usize]));
        }
        Self(number)
    }

    /// Parses a number as a customer might type it: case and surrounding space do not matter.
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let upper = raw.trim().to_ascii_uppercase();
        let digits = upper.strip_prefix(NUMBER_PREFIX).unwrap_or("");
        if digits.len() == NUMBER_DIGITS && digits.bytes().all(|b| CROCKFORD.contains(&b)) {
            Ok(Self(upper))
        } else {
            Err(FieldError::new(field, "Not a work order number (WO- and 8 characters)."))
        }
    }

    /// The number as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for WorkOrderNumber {
    type Error = FieldError;
    fn try_from(raw: String) -> Result<Self, FieldError> {
        Self::parse("number", &raw)
    }
}

impl From<WorkOrderNumber> for String {
    fn from(number: WorkOrderNumber) -> String {
        number.0
    }
}

impl std::fmt::Display for WorkOrderNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A client-chosen key that makes a create safe to retry: the same key never creates twice.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    /// Parses 8–128 characters of `A-Z a-z 0-9 - _ . :` (a UUID fits).
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let ok = (8..=128).contains(&raw.len())
            && raw.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'));
        if ok {
            Ok(Self(raw.to_owned()))
        } else {
            Err(FieldError::new(field, "Send 8 to 128 characters of letters, digits, '-', '_', '.' or ':'."))
        }
    }

    /// The key as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for IdempotencyKey {
    type Error = FieldError;
    fn try_from(raw: String) -> Result<Self, FieldError> {
        Self::parse("Idempotency-Key", &raw)
    }
}

impl From<IdempotencyKey> for String {
    fn from(key: IdempotencyKey) -> String {
        key.0
    }
}

/// A user as the identity provider names them (the token's `sub`): a Cognito UUID, or the
/// local issuer's random id. Parsed so it can never smuggle a key separator into the store.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
pub struct UserId(String);

impl UserId {
    /// Parses 1–128 characters of `A-Z a-z 0-9 - _ . : @`.
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let ok = (1..=128).contains(&raw.len())
            && raw
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':' | b'@'));
        if ok { Ok(Self(raw.to_owned())) } else { Err(FieldError::new(field, "Not a user id.")) }
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for UserId {
    type Error = FieldError;
    fn try_from(raw: String) -> Result<Self, FieldError> {
        Self::parse("user", &raw)
    }
}

impl From<UserId> for String {
    fn from(id: UserId) -> String {
        id.0
    }
}

impl std::fmt::Display for UserId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn slugs_accept_lower_case_words() {
        assert!(SiteId::parse("site", "acme-car-servicing").is_ok());
        assert!(SiteId::parse("site", "Acme").is_err());
        assert!(SiteId::parse("site", "-acme").is_err());
        assert!(SiteId::parse("site", "").is_err());
        assert!(SiteId::parse("site", &"a".repeat(65)).is_err());
    }

    #[test]
    fn work_order_numbers_are_readable_and_parse_back() {
        let number = WorkOrderNumber::from_random(0);
        assert_eq!(number.as_str(), "WO-00000000");
        let parsed = WorkOrderNumber::parse("n", " wo-7k3f9q2m ");
        assert_eq!(parsed.map(|n| n.0), Ok("WO-7K3F9Q2M".to_owned()));
        assert!(WorkOrderNumber::parse("n", "WO-7K3F9Q2I").is_err(), "I is not Crockford");
    }

    /// Strings matching a whole-string pattern (the generator takes it without anchors).
    fn matching(pattern: &str) -> impl Strategy<Value = String> {
        let unanchored = pattern.trim_start_matches('^').trim_end_matches('$');
        proptest::string::string_regex(unanchored).expect("pattern")
    }

    proptest! {
        #[test]
        fn what_the_documented_patterns_match_parses(
            slug in matching(SLUG_PATTERN),
            number in matching(WORK_ORDER_NUMBER_PATTERN),
        ) {
            prop_assert!(SiteId::parse("site", &slug).is_ok(), "{slug:?}");
            prop_assert!(WorkOrderNumber::parse("number", &number).is_ok(), "{number:?}");
        }

        #[test]
        fn every_random_number_parses_back(bits in any::<u64>()) {
            let number = WorkOrderNumber::from_random(bits);
            prop_assert_eq!(WorkOrderNumber::parse("n", number.as_str()), Ok(number));
        }

        #[test]
        fn slug_parsing_never_panics(raw in ".{0,80}") {
            let _ = SiteId::parse("site", &raw);
            let _ = IdempotencyKey::parse("key", &raw);
            if let Ok(user) = UserId::parse("user", &raw) {
                prop_assert!(!user.as_str().contains('#'));
            }
        }
    }
}
