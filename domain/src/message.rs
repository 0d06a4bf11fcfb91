//! What a refused field says, in the customer's language.
//!
//! The rules a customer meets (required, too long, one line, an e-mail's or a phone number's
//! shape, a postcode, an order-form answer) are checked by the widget before it sends and by
//! the API after; each is a [`Message`] the widget says in its language. The API's documents
//! carry the English sentence (the wire is a plain string, as it always was). Messages only
//! staff meet stay English sentences ([`Message::Said`]).

use crate::language::Language;
use crate::postcode::Country;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;

/// A sentence a customer can act on.
#[derive(Debug, Clone)]
pub enum Message {
    /// This field is required.
    Required,
    /// Use at most `max` characters.
    TooLong {
        /// Characters allowed.
        max: usize,
    },
    /// Keep this to a single line.
    SingleLine,
    /// Remove the control characters.
    ControlCharacters,
    /// Remove the invisible formatting characters.
    InvisibleFormatting,
    /// Not an e-mail address.
    Email,
    /// A phone number with letters or other signs.
    PhoneCharacters,
    /// A phone number with too few or too many digits.
    PhoneDigits,
    /// Not a postcode of the site's country.
    Postcode(Country),
    /// Terms not accepted.
    AcceptTerms,
    /// A required checkbox not ticked.
    Tick,
    /// Not a whole number.
    WholeNumber,
    /// A number outside the field's range.
    NumberRange {
        /// Smallest allowed.
        min: i64,
        /// Largest allowed.
        max: i64,
    },
    /// None of a list's options.
    ChooseOption,
    /// Not a date.
    Date,
    /// A date outside the field's range.
    DateRange,
    /// A sentence in English only (what staff and integrators meet).
    Said(Cow<'static, str>),
}

impl Message {
    /// The sentence in `language`.
    pub fn say(&self, language: Language) -> Cow<'static, str> {
        match language {
            Language::English => self.english(),
            Language::Spanish => self.spanish(),
        }
    }

    /// The sentence in English: what the API sends.
    pub fn english(&self) -> Cow<'static, str> {
        Cow::Borrowed(match self {
            Message::Required => "This field is required.",
            Message::TooLong { max } => return format!("Use at most {max} characters.").into(),
            Message::SingleLine => "Keep this to a single line.",
            Message::ControlCharacters => "Remove the control characters.",
            Message::InvisibleFormatting => {
                "Remove the invisible formatting characters (such as text-direction marks)."
            }
            Message::Email => "Enter an e-mail address like name@example.com.",
            Message::PhoneCharacters => "Use digits, spaces and a leading + only.",
            Message::PhoneDigits => "Enter a phone number of 6 to 15 digits.",
            Message::Postcode(country) => {
                // ASCII: str::to_lowercase would bring all of Unicode's case tables (7 KB of brotli) into the widget.
                let label = country.postcode_label().to_ascii_lowercase();
                return format!("Enter a valid {label} (for example {}).", country.example()).into();
            }
            Message::AcceptTerms => "Accept the terms to book.",
            Message::Tick => "Tick this box to continue.",
            Message::WholeNumber => "Enter a whole number.",
            Message::NumberRange { min, max } => {
                return format!("Enter a number from {min} to {max}.").into();
            }
            Message::ChooseOption => "Choose one of the options.",
            Message::Date => "Enter a date as YYYY-MM-DD.",
            Message::DateRange => "Enter a date in the allowed range.",
            Message::Said(text) => return text.clone(),
        })
    }

    fn spanish(&self) -> Cow<'static, str> {
        Cow::Borrowed(match self {
            Message::Required => "Este campo es obligatorio.",
            Message::TooLong { max } => return format!("Usa como máximo {max} caracteres.").into(),
            Message::SingleLine => "Escríbelo en una sola línea.",
            Message::ControlCharacters => "Quita los caracteres de control.",
            Message::InvisibleFormatting => {
                "Quita los caracteres de formato invisibles (como las marcas de dirección del texto)."
            }
            Message::Email => "Escribe un correo electrónico como nombre@ejemplo.com.",
            Message::PhoneCharacters => "Usa solo dígitos, espacios y un + al principio.",
            Message::PhoneDigits => "Escribe un número de teléfono de 6 a 15 dígitos.",
            Message::Postcode(country) => {
                return format!("Escribe un código postal válido (por ejemplo {}).", country.example())
                    .into();
            }
            Message::AcceptTerms => "Acepta los términos para reservar.",
            Message::Tick => "Marca esta casilla para continuar.",
            Message::WholeNumber => "Escribe un número entero.",
            Message::NumberRange { min, max } => {
                return format!("Escribe un número de {min} a {max}.").into();
            }
            Message::ChooseOption => "Elige una de las opciones.",
            Message::Date => "Escribe una fecha como AAAA-MM-DD.",
            Message::DateRange => "Elige una fecha dentro del intervalo permitido.",
            Message::Said(text) => return text.clone(),
        })
    }
}

/// Two messages are the same when they say the same (a message read back from the API is a
/// [`Message::Said`] of the English sentence).
impl PartialEq for Message {
    fn eq(&self, other: &Self) -> bool {
        self.english() == other.english()
    }
}

impl Eq for Message {}

impl PartialEq<&str> for Message {
    fn eq(&self, other: &&str) -> bool {
        self.english() == *other
    }
}

impl std::fmt::Display for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.english())
    }
}

impl From<&'static str> for Message {
    fn from(text: &'static str) -> Self {
        Message::Said(Cow::Borrowed(text))
    }
}

impl From<String> for Message {
    fn from(text: String) -> Self {
        Message::Said(Cow::Owned(text))
    }
}

impl Serialize for Message {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.english())
    }
}

impl<'de> Deserialize<'de> for Message {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Message::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wire_carries_the_english_sentence_and_reads_back_equal() {
        let message = Message::TooLong { max: 40 };
        let wire = serde_json::to_string(&message).expect("serialized");
        assert_eq!(wire, "\"Use at most 40 characters.\"");
        let read: Message = serde_json::from_str(&wire).expect("read");
        assert_eq!(read, message);
        assert_eq!(
            Message::Postcode(Country::Us).english(),
            "Enter a valid zip code (for example 94105 or 94105-1420)."
        );
    }

    #[test]
    fn every_customer_message_has_its_own_spanish() {
        let all = [
            Message::Required,
            Message::TooLong { max: 5 },
            Message::SingleLine,
            Message::ControlCharacters,
            Message::InvisibleFormatting,
            Message::Email,
            Message::PhoneCharacters,
            Message::PhoneDigits,
            Message::Postcode(Country::Au),
            Message::AcceptTerms,
            Message::Tick,
            Message::WholeNumber,
            Message::NumberRange { min: 1, max: 9 },
            Message::ChooseOption,
            Message::Date,
            Message::DateRange,
        ];
        for message in &all {
            assert_ne!(message.say(Language::Spanish), message.english(), "{message}");
        }
        let spanish: std::collections::HashSet<_> = all.iter().map(|m| m.say(Language::Spanish)).collect();
        assert_eq!(spanish.len(), all.len(), "no two say the same");
        assert_eq!(Message::from("Staff only.").say(Language::Spanish), "Staff only.");
    }
}
