//! Dates, times and prices for people, through the browser's `Intl` (no zone data shipped),
//! in the widget's language ([`Lang`]).

use crate::i18n::Lang;
use jiff::Timestamp;
use jiff::civil::Date;
use jobslot_domain::money::Money;
use js_sys::{Array, Function, Intl, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

fn options(pairs: &[(&str, &str)]) -> Object {
    let object = Object::new();
    for (key, value) in pairs {
        let _ = Reflect::set(&object, &JsValue::from_str(key), &JsValue::from_str(value));
    }
    object
}

/// A `DateTimeFormat`, or `None` where the browser refuses the options (a time zone newer
/// than its own database throws a RangeError, which must not take the widget down).
fn date_time_format(lang: Lang, pairs: &[(&str, &str)]) -> Option<Intl::DateTimeFormat> {
    let intl = Reflect::get(&js_sys::global(), &JsValue::from_str("Intl")).ok()?;
    let constructor: Function =
        Reflect::get(&intl, &JsValue::from_str("DateTimeFormat")).ok()?.dyn_into().ok()?;
    let args = Array::of2(&locales(lang), &options(pairs));
    Reflect::construct(&constructor, &args).ok().map(JsCast::unchecked_into)
}

/// The locales `Intl` is asked for: the widget's language, or the browser's own.
fn locales(lang: Lang) -> Array {
    lang.locale.map_or_else(Array::new, |tag| Array::of1(&JsValue::from_str(tag)))
}

fn format_ms(lang: Lang, ms: f64, pairs: &[(&str, &str)]) -> String {
    let without_zone: Vec<(&str, &str)> = pairs.iter().copied().filter(|(k, _)| *k != "timeZone").collect();
    let Some(formatter) = date_time_format(lang, pairs).or_else(|| date_time_format(lang, &without_zone))
    else {
        return String::new();
    };
    let date = js_sys::Date::new(&JsValue::from_f64(ms));
    formatter.format().call1(&formatter, &date).ok().and_then(|v| v.as_string()).unwrap_or_default()
}

/// "9:00 am" in `zone`, in the browser's language.
pub fn time(lang: Lang, t: Timestamp, zone: &str) -> String {
    format_ms(
        lang,
        t.as_millisecond() as f64,
        &[("timeZone", zone), ("hour", "numeric"), ("minute", "2-digit")],
    )
}

/// Noon UTC of a calendar date, in JavaScript milliseconds: formatted in UTC it is that date.
fn date_ms(date: Date) -> f64 {
    let first_of_month = js_sys::Date::utc(f64::from(date.year()), f64::from(date.month() - 1));
    first_of_month + (f64::from(date.day()) - 0.5) * 86_400_000.0
}

/// "Tuesday 24 November" for a calendar date.
pub fn day(lang: Lang, date: Date) -> String {
    format_ms(
        lang,
        date_ms(date),
        &[("timeZone", "UTC"), ("weekday", "long"), ("day", "numeric"), ("month", "long")],
    )
}

/// "Tue 24 Nov" for a calendar date.
pub fn short_day(lang: Lang, date: Date) -> String {
    format_ms(
        lang,
        date_ms(date),
        &[("timeZone", "UTC"), ("weekday", "short"), ("day", "numeric"), ("month", "short")],
    )
}

/// "Tuesday 24 November at 9:00 am" in `zone`.
pub fn date_time(lang: Lang, t: Timestamp, zone: &str) -> String {
    format_ms(
        lang,
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
pub fn money(lang: Lang, price: Money) -> String {
    let formatter = Intl::NumberFormat::new(
        &locales(lang),
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

/// The name of `zone` at instant `t` in the browser's language ("Australian Eastern Daylight
/// Time"), or the zone's id where the browser cannot name it.
pub fn zone_name(lang: Lang, t: Timestamp, zone: &str) -> String {
    let Some(formatter) = date_time_format(lang, &[("timeZone", zone), ("timeZoneName", "long")]) else {
        return zone.replace('_', " ");
    };
    let date = js_sys::Date::new(&JsValue::from_f64(t.as_millisecond() as f64));
    let parts = formatter.format_to_parts(&date);
    parts
        .iter()
        .find(|part| {
            Reflect::get(part, &"type".into()).ok().and_then(|t| t.as_string()).as_deref()
                == Some("timeZoneName")
        })
        .and_then(|part| Reflect::get(&part, &"value".into()).ok()?.as_string())
        .unwrap_or_else(|| zone.replace('_', " "))
}
