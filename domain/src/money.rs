//! Prices in minor units: no floating point near money.

use serde::{Deserialize, Serialize};

/// A currency a site can price in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Currency {
    /// Australian dollar.
    #[serde(rename = "AUD")]
    Aud,
    /// Pound sterling.
    #[serde(rename = "GBP")]
    Gbp,
    /// US dollar.
    #[serde(rename = "USD")]
    Usd,
}

impl Currency {
    /// ISO 4217 code, which `Intl.NumberFormat` takes.
    pub fn code(self) -> &'static str {
        match self {
            Currency::Aud => "AUD",
            Currency::Gbp => "GBP",
            Currency::Usd => "USD",
        }
    }

    /// The currency of an ISO 4217 `code`, as the API writes it.
    pub fn from_code(code: &str) -> Option<Currency> {
        [Currency::Aud, Currency::Gbp, Currency::Usd].into_iter().find(|c| c.code() == code)
    }
}

/// An amount of money in cents (or pence).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Money {
    /// Amount in the currency's minor unit.
    pub minor: i64,
    #[allow(missing_docs)]
    pub currency: Currency,
}

impl std::fmt::Display for Money {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.minor < 0 { "-" } else { "" };
        let abs = self.minor.unsigned_abs();
        write!(f, "{sign}{} {}.{:02}", self.currency.code(), abs / 100, abs % 100)
    }
}

/// An amount typed in major units (`149`, `149.5`, `$149.50`) in minor units (14950);
/// `None` for anything else, including a third decimal.
pub fn minor_units(text: &str) -> Option<i64> {
    let text = text.trim().trim_start_matches(['$', '£']);
    let (whole, cents) = text.split_once('.').unwrap_or((text, "0"));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(whole) || !digits(cents) {
        return None;
    }
    let cents = match cents.len() {
        1 => cents.parse::<i64>().ok()? * 10,
        2 => cents.parse::<i64>().ok()?,
        _ => return None,
    };
    whole.parse::<i64>().ok()?.checked_mul(100)?.checked_add(cents)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_are_typed_in_major_units() {
        assert_eq!(minor_units("149"), Some(14_900));
        assert_eq!(minor_units("$149.5"), Some(14_950));
        assert_eq!(minor_units("0.05"), Some(5));
        for bad in ["1.234", "abc", "", "-5", "1.-5", ".5"] {
            assert_eq!(minor_units(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn money_prints_with_two_decimals() {
        let price = Money { minor: 28_905, currency: Currency::Aud };
        assert_eq!(price.to_string(), "AUD 289.05");
        let refund = Money { minor: -5, currency: Currency::Gbp };
        assert_eq!(refund.to_string(), "-GBP 0.05");
    }

    #[test]
    fn a_currency_is_read_from_the_code_the_api_writes() {
        for currency in [Currency::Aud, Currency::Gbp, Currency::Usd] {
            let wire = serde_json::to_value(currency).expect("written");
            assert_eq!(Currency::from_code(wire.as_str().unwrap_or_default()), Some(currency));
        }
        assert_eq!(Currency::from_code("EUR"), None);
    }
}
