//! Prices in minor units: no floating point near money.

use serde::{Deserialize, Serialize};

/// A currency a site can price in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
}

/// An amount of money in cents (or pence).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    /// Amount in the currency's minor unit.
    pub minor: i64,
    /// The currency.
    pub currency: Currency,
}

impl std::fmt::Display for Money {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.minor < 0 { "-" } else { "" };
        let abs = self.minor.unsigned_abs();
        write!(f, "{sign}{} {}.{:02}", self.currency.code(), abs / 100, abs % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_prints_with_two_decimals() {
        let price = Money { minor: 28_905, currency: Currency::Aud };
        assert_eq!(price.to_string(), "AUD 289.05");
        let refund = Money { minor: -5, currency: Currency::Gbp };
        assert_eq!(refund.to_string(), "-GBP 0.05");
    }
}
