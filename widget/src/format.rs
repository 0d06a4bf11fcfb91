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

/// "Tuesday 24 November" for a calendar date.
pub fn day(date: Date) -> String {
    let noon_utc =
        date.to_datetime(jiff::civil::Time::constant(12, 0, 0, 0)).to_zoned(jiff::tz::TimeZone::UTC);
    let ms = noon_utc.map(|z| z.timestamp().as_millisecond() as f64).unwrap_or(0.0);
    format_ms(ms, &[("timeZone", "UTC"), ("weekday", "long"), ("day", "numeric"), ("month", "long")])
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
