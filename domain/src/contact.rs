//! Contact details: who to call about a job.

use crate::FieldError;
use crate::message::Message;
use crate::text::Text;
use serde::{Deserialize, Serialize};

/// An e-mail address in a shape mail servers accept; the domain part is lower-cased.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    /// Parses an address such as `mary@example.com`.
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let invalid = || FieldError::new(field, Message::Email);
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(FieldError::new(field, Message::Required));
        }
        if raw.len() > 254 {
            return Err(FieldError::new(field, Message::TooLong { max: 254 }));
        }
        let (local, domain) = raw.split_once('@').ok_or_else(invalid)?;
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local.chars().all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c));
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && labels.iter().all(|l| {
                !l.is_empty()
                    && l.len() <= 63
                    && !l.starts_with('-')
                    && !l.ends_with('-')
                    && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            })
            && labels
                .last()
                .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()));
        if local_ok && domain_ok {
            Ok(Self(format!("{local}@{}", domain.to_ascii_lowercase())))
        } else {
            Err(invalid())
        }
    }

    #[allow(missing_docs)]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A phone number: digits with an optional leading `+`, punctuation removed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct Phone(String);

impl Phone {
    /// Parses `0412 345 678`, `+61 412-345-678`, `(415) 555-0100`, …
    pub fn parse(field: &str, raw: &str) -> Result<Self, FieldError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(FieldError::new(field, Message::Required));
        }
        let (plus, rest) = match raw.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => (false, raw),
        };
        let mut digits = String::with_capacity(rest.len() + 1);
        for c in rest.chars() {
            match c {
                '0'..='9' => digits.push(c),
                ' ' | '-' | '(' | ')' | '.' => {}
                _ => return Err(FieldError::new(field, Message::PhoneCharacters)),
            }
        }
        if !(6..=15).contains(&digits.len()) {
            return Err(FieldError::new(field, Message::PhoneDigits));
        }
        if plus {
            digits.insert(0, '+');
        }
        Ok(Self(digits))
    }

    /// The number, digits only (and a leading `+` if given).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The person the business talks to about the job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Contact {
    /// Full name.
    pub name: Text,
    /// E-mail address for the confirmation.
    pub email: Email,
    /// Phone number for the technician.
    pub phone: Phone,
}

/// Longest name accepted.
pub const NAME_MAX: usize = 100;

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn emails_keep_the_local_part_and_lower_case_the_domain() {
        let email = Email::parse("email", " Mary.Smith+car@Example.COM ");
        assert_eq!(email.map(|e| e.0), Ok("Mary.Smith+car@example.com".into()));
    }

    #[test]
    fn malformed_emails_are_rejected() {
        for raw in [
            "",
            "mary",
            "mary@",
            "@example.com",
            "mary@example",
            "ma ry@example.com",
            "mary@exa mple.com",
            "mary@@example.com",
            "mary@example.c",
            "a..b@example.com",
        ] {
            assert!(Email::parse("email", raw).is_err(), "{raw:?} should be rejected");
        }
    }

    #[test]
    fn phone_numbers_lose_their_punctuation() {
        assert_eq!(Phone::parse("p", "+61 412-345-678").map(|p| p.0), Ok("+61412345678".into()));
        assert_eq!(Phone::parse("p", "(415) 555-0100").map(|p| p.0), Ok("4155550100".into()));
        assert!(Phone::parse("p", "12345").is_err());
        assert!(Phone::parse("p", "0412 abc").is_err());
        assert!(Phone::parse("p", "+1234567890123456").is_err());
    }

    proptest! {
        #[test]
        fn parsers_never_panic(raw in "\\PC{0,300}") {
            let _ = Email::parse("e", &raw);
            let _ = Phone::parse("p", &raw);
        }

        #[test]
        fn parsed_emails_parse_back_unchanged(local in "[a-z0-9]{1,20}", host in "[a-z]{1,10}", tld in "[a-z]{2,4}") {
            let email = Email::parse("e", &format!("{local}@{host}.{tld}"));
            prop_assert!(email.is_ok());
            if let Ok(email) = email {
                prop_assert_eq!(Email::parse("e", email.as_str()), Ok(email.clone()));
            }
        }
    }
}
