//! The languages customers are spoken to in: English, and Spanish.

/// A language Jobslot has words for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Language {
    /// The default, and the staff's.
    #[default]
    English,
    /// Spanish, for any region (`es`, `es-MX`, `es-419`).
    Spanish,
}

impl Language {
    /// The language a BCP 47 tag such as `es-MX` or `en-AU` asks for; English for any other.
    pub fn from_tag(tag: &str) -> Language {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or_default();
        if primary.eq_ignore_ascii_case("es") { Language::Spanish } else { Language::English }
    }

    /// The first of a visitor's preferred languages (in the order given, as
    /// `navigator.languages` or an `Accept-Language` header without weights lists them) that
    /// Jobslot speaks; English when none.
    pub fn first_spoken<'a>(tags: impl IntoIterator<Item = &'a str>) -> Language {
        for tag in tags {
            let primary = tag.trim().split(['-', '_', ';']).next().unwrap_or_default();
            if primary.eq_ignore_ascii_case("es") {
                return Language::Spanish;
            }
            if primary.eq_ignore_ascii_case("en") {
                return Language::English;
            }
        }
        Language::English
    }

    /// Its primary BCP 47 tag, for `<html lang>` and `Intl`.
    pub fn tag(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::Spanish => "es",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spanish_is_chosen_by_its_tag_whatever_the_region() {
        for tag in ["es", "es-MX", "ES_es", " es-419 "] {
            assert_eq!(Language::from_tag(tag), Language::Spanish, "{tag}");
        }
        for tag in ["en-AU", "", "fr", "esperanto", "e"] {
            assert_eq!(Language::from_tag(tag), Language::English, "{tag}");
        }
    }

    #[test]
    fn a_visitors_first_language_spoken_here_wins() {
        assert_eq!(Language::first_spoken(["fr-FR", "es-ES", "en"]), Language::Spanish);
        assert_eq!(Language::first_spoken(["de", "en-GB", "es"]), Language::English);
        assert_eq!(Language::first_spoken(["de", "fr"]), Language::English);
        assert_eq!(Language::first_spoken([]), Language::English);
    }
}
