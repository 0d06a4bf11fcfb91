//! Dates, times and prices for people, through the browser's `Intl` (no zone data shipped).

use jiff::Timestamp;
use jiff::civil::Date;
use jobslot_domain::money::Money;
use js_sys::{Array, Intl, Object, Reflect};
use wasm_bindgen::JsValue;

fn options(pairs: &[(&str, &str)]) -> Object {
    let object = Object::new();
    for (key, value) in pairs {
        let _ = Reflect::set(&object, &JsValue::from_str(key), &JsValue::from_str(value));
    }
    object
}

fn format_ms(ms: f64, pairs: &[(&str, &str)]) -> String {
    let formatter = Intl::DateTimeFormat::new(&Array::new(), &options(pairs));
    let date = js_sys::Date::new(&JsValue::from_f64(ms));
    formatter.format().call1(&formatter, &date).ok().and_then(|v| v.as_string()).unwrap_or_default()
}

/// "9:00 am" in `zone`, in the browser's language.
pub fn time(t: Timestamp, zone: &str) -> String {
    format_ms(t.as_millisecond() as f64, &[("timeZone", zone), ("hour", "numeric"), ("minute", "2-digit")])
}

/// Noon UTC of a calendar date, in JavaScript milliseconds: formatted in UTC it is that date.
fn date_ms(date: Date) -> f64 {
    let first_of_month = js_sys::Date::utc(f64::from(date.year()), f64::from(date.month() - 1));
    first_of_month + (f64::from(date.day()) - 0.5) * 86_400_000.0
}

/// "Tuesday 24 November" for a calendar date.
pub fn day(date: Date) -> String {
    format_ms(
        date_ms(date),
        &[("timeZone", "UTC"), ("weekday", "long"), ("day", "numeric"), ("month", "long")],
    )
}

/// "Tue 24 Nov" for a calendar date.
pub fn short_day(date: Date) -> String {
    format_ms(
        date_ms(date),
        &[("timeZone", "UTC"), ("weekday", "short"), ("day", "numeric"), ("month", "short")],
    )
}

/// "Tuesday 24 November at 9:00 am" in `zone`.
pub fn date_time(t: Timestamp, zone: &str) -> String {
    format_ms(
        t.as_millisecond() as f64,
        &[
            ("timeZone", zone),
            ("weekday", "long"),
            ("day", "numeric"),
            ("month", "long"),
            ("hour", "numeric"),
            ("minute", "2-digit"),
        ],
    )
}

/// "$149.00" in the browser's language.
pub fn money(price: Money) -> String {
    let formatter = Intl::NumberFormat::new(
        &Array::new(),
        &options(&[("style", "currency"), ("currency", price.currency.code())]),
    );
    let amount = JsValue::from_f64(price.minor as f64 / 100.0);
    formatter
        .format()
        .call1(&formatter, &amount)
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| price.to_string())
}
