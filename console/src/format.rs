//! Instants for staff, in the job's own zone, through the browser's `Intl` (the console
//! ships no time-zone data).

use jiff::Timestamp;
use jobslot_domain::availability::Interval;
use js_sys::{Array, Function, Intl, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

fn formatter(locales: &Array, pairs: &[(&str, &str)]) -> Option<Intl::DateTimeFormat> {
    let options = Object::new();
    for (key, value) in pairs {
        let _ = Reflect::set(&options, &JsValue::from_str(key), &JsValue::from_str(value));
    }
    let intl = Reflect::get(&js_sys::global(), &JsValue::from_str("Intl")).ok()?;
    let constructor: Function =
        Reflect::get(&intl, &JsValue::from_str("DateTimeFormat")).ok()?.dyn_into().ok()?;
    // An unknown zone throws a RangeError; the caller falls back to UTC.
    Reflect::construct(&constructor, &Array::of2(locales, &options)).ok().map(JsCast::unchecked_into)
}

fn format(ms: f64, locales: &Array, pairs: &[(&str, &str)]) -> String {
    let utc: Vec<(&str, &str)> =
        pairs.iter().map(|&(k, v)| if k == "timeZone" { (k, "UTC") } else { (k, v) }).collect();
    let Some(formatter) = formatter(locales, pairs).or_else(|| formatter(locales, &utc)) else {
        return String::new();
    };
    let date = js_sys::Date::new(&JsValue::from_f64(ms));
    formatter.format().call1(&formatter, &date).ok().and_then(|v| v.as_string()).unwrap_or_default()
}

/// The site's zone, once read: what times that belong to no job (the audit trail, deliveries)
/// are shown in. Provided by the workspace for the site chosen.
#[derive(Clone, Copy)]
pub struct SiteZone(pub leptos::prelude::RwSignal<String>);

/// The chosen site's zone (tracked), UTC until it is known.
pub fn site_zone() -> String {
    use leptos::prelude::{Get, use_context};
    use_context::<SiteZone>().map(|zone| zone.0.get()).unwrap_or_else(|| "UTC".to_owned())
}

/// "Tue 24 Nov, 9:00 am AEDT" in `zone`, named, in the browser's language.
pub fn date_time(t: Timestamp, zone: &str) -> String {
    let pairs = [
        ("timeZone", zone),
        ("weekday", "short"),
        ("day", "numeric"),
        ("month", "short"),
        ("hour", "numeric"),
        ("minute", "2-digit"),
        ("timeZoneName", "short"),
    ];
    format(t.as_millisecond() as f64, &Array::new(), &pairs)
}

/// "Tue 24 Nov, 9:00 am AEDT – 10:00 am" in `zone`, or what an order waiting for its slot shows.
pub fn booked(time: Option<Interval>, zone: &str) -> String {
    match time {
        Some(time) => format!("{} – {}", date_time(time.start, zone), self::time(time.end, zone)),
        None => "Not booked yet".into(),
    }
}

/// "9:00 am" in `zone`.
pub fn time(t: Timestamp, zone: &str) -> String {
    format(
        t.as_millisecond() as f64,
        &Array::new(),
        &[("timeZone", zone), ("hour", "numeric"), ("minute", "2-digit")],
    )
}

/// The calendar date of `t` in `zone`, as `YYYY-MM-DD` (Canadian English writes dates so).
pub fn iso_date(t: Timestamp, zone: &str) -> String {
    let locales = Array::of1(&JsValue::from_str("en-CA"));
    let pairs = [("timeZone", zone), ("year", "numeric"), ("month", "2-digit"), ("day", "2-digit")];
    format(t.as_millisecond() as f64, &locales, &pairs)
}

/// Now, by the browser's clock.
pub fn now() -> Timestamp {
    Timestamp::from_millisecond(js_sys::Date::now() as i64).unwrap_or(Timestamp::UNIX_EPOCH)
}
