//! Free text with limits: names, address lines, notes, form answers.
//!
//! Text shown to staff and printed on work orders must look like what it is. Two things make
//! text lie: line breaks where one line is expected (a name that spans three lines in a list),
//! and invisible format characters (a right-to-left override turns `mary.jpg.exe` into
//! `mary.exe.gpj`; zero-width spaces make two equal-looking names differ). Both are refused
//! with a message naming the field, so the customer can fix what they typed.

use crate::FieldError;
use crate::message::Message;
use serde::{Deserialize, Serialize};

/// Whether a field holds one line or several.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    /// Names, address lines, short answers: no line breaks.
    Single,
    /// Notes and long answers: line breaks allowed (`\r\n` becomes `\n`).
    Multi,
}

/// Trimmed, non-empty text of at most a given number of characters, without control or
/// invisible format characters.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct Text(String);

impl Text {
    /// Parses one line of text for `field`: trimmed, required, at most `max_chars` long.
    pub fn parse(field: &str, raw: &str, max_chars: usize) -> Result<Self, FieldError> {
        Self::parse_lines(field, raw, max_chars, Lines::Single)
    }

    /// Parses text for `field` with the given line rule.
    pub fn parse_lines(field: &str, raw: &str, max_chars: usize, lines: Lines) -> Result<Self, FieldError> {
        let text = clean(raw, max_chars, lines).map_err(|message| FieldError::new(field, message))?;
        if text.is_empty() {
            return Err(FieldError::new(field, Message::Required));
        }
        Ok(Self(text))
    }

    /// Like [`Text::parse_lines`], but blank input means "not given".
    pub fn parse_optional(
        field: &str,
        raw: Option<&str>,
        max_chars: usize,
        lines: Lines,
    ) -> Result<Option<Self>, FieldError> {
        match raw.map(str::trim) {
            None | Some("") => Ok(None),
            Some(value) => Self::parse_lines(field, value, max_chars, lines).map(Some),
        }
    }

    #[allow(missing_docs)]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Trims `raw` and checks it against the rules, returning the cleaned text (possibly empty)
/// or a message a customer can act on. Shared by [`Text`] and the order form's text answers.
pub fn clean(raw: &str, max_chars: usize, lines: Lines) -> Result<String, Message> {
    let text = match lines {
        Lines::Single => raw.trim().to_owned(),
        Lines::Multi => raw.trim().replace("\r\n", "\n"),
    };
    if text.chars().count() > max_chars {
        return Err(Message::TooLong { max: max_chars });
    }
    if lines == Lines::Single && text.chars().any(|c| matches!(c, '\n' | '\r' | '\u{2028}' | '\u{2029}')) {
        return Err(Message::SingleLine);
    }
    if text.chars().any(|c| c.is_control() && c != '\n') {
        return Err(Message::ControlCharacters);
    }
    if has_invisible_formatting(&text) {
        return Err(Message::InvisibleFormatting);
    }
    Ok(text)
}

/// True when `text` holds a Unicode format character that changes how text displays without
/// being seen: direction overrides and marks, zero-width spaces, word joiners, byte-order
/// marks, tag characters. Zero-width (non-)joiners are allowed between two visible
/// characters, where Persian, Indic scripts and emoji sequences need them.
pub fn has_invisible_formatting(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    chars.iter().enumerate().any(|(i, &c)| match c {
        '\u{200C}' | '\u{200D}' => {
            let visible = |at: Option<&char>| at.is_some_and(|c| !c.is_whitespace() && !is_format(*c));
            !(i > 0 && visible(chars.get(i - 1)) && visible(chars.get(i + 1)))
        }
        c => is_format(c),
    })
}

/// The format characters (Unicode general category Cf) that can appear in typed text.
fn is_format(c: char) -> bool {
    matches!(c,
        '\u{00AD}'                  // soft hyphen
        | '\u{061C}'                // Arabic letter mark
        | '\u{180E}'                // Mongolian vowel separator
        | '\u{200B}'..='\u{200F}'   // zero-width space, joiners, LRM, RLM
        | '\u{202A}'..='\u{202E}'   // bidi embeddings and overrides
        | '\u{2060}'..='\u{2064}'   // word joiner, invisible operators
        | '\u{2066}'..='\u{206F}'   // bidi isolates, deprecated format characters
        | '\u{FEFF}'                // zero-width no-break space (BOM)
        | '\u{FFF9}'..='\u{FFFB}'   // interlinear annotation
        | '\u{110BD}' | '\u{110CD}'
        | '\u{1BCA0}'..='\u{1BCA3}'
        | '\u{1D173}'..='\u{1D17A}'
        | '\u{E0001}' | '\u{E0020}'..='\u{E007F}' // tags
    )
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// `text` as HTML content or a quoted attribute value.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn text_is_trimmed_and_bounded() {
        assert_eq!(Text::parse("name", "  Mary  ", 10).map(|t| t.0), Ok("Mary".into()));
        assert!(Text::parse("name", "   ", 10).is_err());
        assert!(Text::parse("name", "abcdefghijk", 10).is_err());
        assert!(Text::parse("name", "ok\u{0}", 10).is_err());
        assert_eq!(Text::parse_optional("x", Some("  "), 5, Lines::Single), Ok(None));
    }

    #[test]
    fn limits_count_characters_not_bytes() {
        assert!(Text::parse("name", "ééééé", 5).is_ok());
    }

    #[test]
    fn a_single_line_refuses_line_breaks_and_names_the_field() {
        for raw in ["Mary\nSmith", "Mary\r\nSmith", "Mary\rSmith", "Mary\u{2028}Smith"] {
            let error = Text::parse("contact.name", raw, 100).expect_err(raw);
            assert_eq!(error.field, "contact.name");
            assert_eq!(error.message, "Keep this to a single line.");
        }
    }

    #[test]
    fn several_lines_keep_their_breaks_with_unix_endings() {
        let notes = Text::parse_lines("notes", " Gate code 1234\r\nDog in yard ", 100, Lines::Multi);
        assert_eq!(notes.map(|t| t.0), Ok("Gate code 1234\nDog in yard".into()));
        assert!(Text::parse_lines("notes", "tab\there", 100, Lines::Multi).is_err());
    }

    #[test]
    fn invisible_formatting_is_refused() {
        for raw in [
            "mary\u{202E}gpj.exe",
            "Ma\u{200B}ry",
            "\u{FEFF}Mary",
            "Mary\u{2066}",
            "Mary\u{200D}",
            "\u{200C}Mary",
            "Mary\u{E0041}",
        ] {
            let error = Text::parse("contact.name", raw, 100).expect_err(raw);
            assert!(error.message.english().contains("invisible"), "{raw:?}: {}", error.message);
        }
    }

    #[test]
    fn joiners_inside_words_and_emoji_are_kept() {
        // Persian "mi-khaham" with a zero-width non-joiner, and a family emoji sequence.
        assert!(Text::parse("name", "می\u{200C}خواهم", 100).is_ok());
        assert!(Text::parse("name", "👩\u{200D}👧", 100).is_ok());
        assert!(Text::parse("name", "O'Brien-Smith Ñúñez 山田", 100).is_ok());
    }

    proptest! {
        #[test]
        fn accepted_text_is_trimmed_bounded_and_free_of_hidden_characters(raw in "\\PC{0,60}", lines in any::<bool>()) {
            let lines = if lines { Lines::Multi } else { Lines::Single };
            if let Ok(text) = Text::parse_lines("f", &raw, 40, lines) {
                prop_assert_eq!(text.as_str().trim(), text.as_str());
                prop_assert!(text.as_str().chars().count() <= 40);
                prop_assert!(!has_invisible_formatting(text.as_str()));
                prop_assert!(lines == Lines::Multi || !text.as_str().contains('\n'));
            }
        }

        #[test]
        fn any_bytes_are_handled_without_panicking(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let raw = String::from_utf8_lossy(&bytes);
            let _ = Text::parse_lines("f", &raw, 50, Lines::Multi);
            let _ = has_invisible_formatting(&raw);
        }
    }
}
