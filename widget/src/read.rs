//! The API's answers, parsed by the browser (`Response.json()`), read into the domain's types.
//!
//! serde's derived readers, driven through serde-wasm-bindgen, were a tenth of the widget's
//! download: generic visitors for every type, and error messages that reach float formatting.
//! These readers take from each object what the widget needs, and fail naming the first key
//! that is missing or of the wrong shape. `tests/read.rs` checks them against serde's writing
//! of the same values, so the two cannot drift apart. The hosted pages' own answers are read
//! with serde (that build is not the one sites embed).

use jobslot_domain::FieldError;
use jobslot_domain::api::{
    DaySlots, Problem, ServiceOffer, SiteConfigResponse, SlotOffer, SlotsResponse, TechnicianSummary,
    WorkOrderCreated,
};
use jobslot_domain::form::{FieldKind, FormField, OrderForm};
use jobslot_domain::ids::{FieldId, ServiceId, SiteId, TechnicianId, WorkOrderNumber};
use jobslot_domain::money::{Currency, Money};
use jobslot_domain::postcode::Country;
use jobslot_domain::wire_time::{parse_date, parse_timestamp};
use jobslot_domain::work_order::OrderStatus;
use js_sys::{Array, Reflect};
use wasm_bindgen::JsValue;

/// The key of the first value that could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unreadable(pub &'static str);

/// What a reader gives.
pub type Read<T> = Result<T, Unreadable>;

/// A type the widget reads from an API answer.
pub trait FromJs: Sized {
    /// Reads `value`, the answer's parsed JSON.
    fn from_js(value: JsValue) -> Read<Self>;
}

/// A JSON object from an answer.
pub struct Obj(JsValue);

impl Obj {
    /// `value`, when it is an object; else the failure names `what`.
    pub fn of(value: JsValue, what: &'static str) -> Read<Obj> {
        if value.is_object() && !Array::is_array(&value) { Ok(Obj(value)) } else { Err(Unreadable(what)) }
    }

    /// The value at `key`, none when absent or `null` (what serde's `Option` and `default` take).
    fn given(&self, key: &'static str) -> Option<JsValue> {
        let value = Reflect::get(&self.0, &JsValue::from_str(key)).ok()?;
        (!value.is_undefined() && !value.is_null()).then_some(value)
    }

    /// A required value read by `read`.
    fn required<T>(&self, key: &'static str, read: impl FnOnce(JsValue) -> Option<T>) -> Read<T> {
        self.given(key).and_then(read).ok_or(Unreadable(key))
    }

    /// An optional value read by `read`; a present value of the wrong shape fails.
    fn optional<T>(&self, key: &'static str, read: impl FnOnce(JsValue) -> Option<T>) -> Read<Option<T>> {
        self.given(key).map(|value| read(value).ok_or(Unreadable(key))).transpose()
    }

    /// The string at `key`; absent, `null` or another type fails naming `key`.
    pub fn string(&self, key: &'static str) -> Read<String> {
        self.required(key, |v| v.as_string())
    }

    /// A string or nothing.
    pub fn optional_string(&self, key: &'static str) -> Read<Option<String>> {
        self.optional(key, |v| v.as_string())
    }

    /// A string `parse` accepts.
    pub fn parsed<T>(&self, key: &'static str, parse: impl FnOnce(&str) -> Option<T>) -> Read<T> {
        self.required(key, |v| parse(&v.as_string()?))
    }

    /// A whole number that fits `T`.
    pub fn whole<T: TryFrom<i64>>(&self, key: &'static str) -> Read<T> {
        self.required(key, whole)
    }

    /// A whole number that fits `T`, or nothing.
    pub fn optional_whole<T: TryFrom<i64>>(&self, key: &'static str) -> Read<Option<T>> {
        self.optional(key, whole)
    }

    /// A boolean; false when absent.
    pub fn flag(&self, key: &'static str) -> Read<bool> {
        self.optional(key, |v| v.as_bool()).map(Option::unwrap_or_default)
    }

    /// A nested object.
    pub fn object(&self, key: &'static str) -> Read<Obj> {
        Obj::of(self.given(key).ok_or(Unreadable(key))?, key)
    }

    /// A list of objects read by `item`; empty when absent only if `may_be_absent`.
    pub fn list<T>(
        &self,
        key: &'static str,
        may_be_absent: bool,
        item: impl Fn(Obj) -> Read<T>,
    ) -> Read<Vec<T>> {
        self.items(key, may_be_absent, |v| item(Obj::of(v, key)?))
    }

    /// A list of strings; empty when absent only if `may_be_absent`.
    pub fn strings(&self, key: &'static str, may_be_absent: bool) -> Read<Vec<String>> {
        self.items(key, may_be_absent, |v| v.as_string().ok_or(Unreadable(key)))
    }

    fn items<T>(
        &self,
        key: &'static str,
        may_be_absent: bool,
        item: impl Fn(JsValue) -> Read<T>,
    ) -> Read<Vec<T>> {
        match self.given(key) {
            None if may_be_absent => Ok(Vec::new()),
            Some(value) if Array::is_array(&value) => Array::from(&value).iter().map(item).collect(),
            _ => Err(Unreadable(key)),
        }
    }
}

fn whole<T: TryFrom<i64>>(value: JsValue) -> Option<T> {
    jobslot_domain::number::exact_whole(value.as_f64()?).and_then(|n| T::try_from(n).ok())
}

/// An id (or number) its domain parser accepts.
fn id<T>(parse: fn(&str, &str) -> Result<T, FieldError>) -> impl FnOnce(&str) -> Option<T> {
    move |raw| parse("", raw).ok()
}

impl FromJs for SiteConfigResponse {
    fn from_js(value: JsValue) -> Read<Self> {
        let o = Obj::of(value, "config")?;
        let currency = o.parsed("currency", Currency::from_code)?;
        Ok(SiteConfigResponse {
            site: o.parsed("site", id(SiteId::parse))?,
            business_name: o.string("business_name")?,
            country: o.parsed("country", Country::from_code)?,
            postcode_label: o.string("postcode_label")?,
            time_zone: o.string("time_zone")?,
            currency,
            services: o.list("services", false, service)?,
            order_form: OrderForm { fields: o.object("order_form")?.list("fields", false, form_field)? },
            terms: o.string("terms")?,
            days_ahead: o.whole("days_ahead")?,
            accent_colour: o.optional_string("accent_colour")?,
            font_family: o.optional_string("font_family")?,
            corner_radius: o.optional_whole("corner_radius")?,
            allowed_origins: o.strings("allowed_origins", true)?,
        })
    }
}

fn service(o: Obj) -> Read<ServiceOffer> {
    let price = o.object("price")?;
    Ok(ServiceOffer {
        id: o.parsed("id", id(ServiceId::parse))?,
        name: o.string("name")?,
        duration_minutes: o.whole("duration_minutes")?,
        price: Money {
            minor: price.whole("minor")?,
            currency: price.parsed("currency", Currency::from_code)?,
        },
    })
}

fn form_field(o: Obj) -> Read<FormField> {
    let date = |key| o.optional(key, |v| parse_date(&v.as_string()?));
    let kind = match o.string("kind")?.as_str() {
        "text" => FieldKind::Text { max_length: o.whole("max_length")? },
        "long_text" => FieldKind::LongText { max_length: o.whole("max_length")? },
        "number" => FieldKind::Number { min: o.whole("min")?, max: o.whole("max")? },
        "select" => FieldKind::Select { options: o.strings("options", false)? },
        "date" => FieldKind::Date { min: date("min")?, max: date("max")? },
        "checkbox" => FieldKind::Checkbox,
        _ => return Err(Unreadable("kind")),
    };
    Ok(FormField {
        id: o.parsed("id", id(FieldId::parse))?,
        label: o.string("label")?,
        required: o.flag("required")?,
        help: o.optional_string("help")?,
        kind,
    })
}

impl FromJs for SlotsResponse {
    fn from_js(value: JsValue) -> Read<Self> {
        let o = Obj::of(value, "slots")?;
        Ok(SlotsResponse {
            postcode: o.string("postcode")?,
            service: o.parsed("service", id(ServiceId::parse))?,
            time_zone: o.string("time_zone")?,
            from: o.parsed("from", parse_date)?,
            days_covered: o.whole("days_covered")?,
            technicians: o.list("technicians", false, |t| {
                Ok(TechnicianSummary {
                    id: t.parsed("id", id(TechnicianId::parse))?,
                    name: t.string("name")?,
                })
            })?,
            days: o.list("days", false, |d| {
                Ok(DaySlots { date: d.parsed("date", parse_date)?, slots: d.list("slots", false, slot)? })
            })?,
        })
    }
}

fn slot(o: Obj) -> Read<SlotOffer> {
    Ok(SlotOffer {
        technician: o.parsed("technician", id(TechnicianId::parse))?,
        start: o.parsed("start", parse_timestamp)?,
        end: o.parsed("end", parse_timestamp)?,
    })
}

impl FromJs for WorkOrderCreated {
    fn from_js(value: JsValue) -> Read<Self> {
        let o = Obj::of(value, "work order")?;
        Ok(WorkOrderCreated {
            number: o.parsed("number", id(WorkOrderNumber::parse))?,
            status: o.parsed("status", |raw| OrderStatus::parse("", raw).ok())?,
            service_name: o.string("service_name")?,
            technician_name: o.string("technician_name")?,
            start: o.parsed("start", parse_timestamp)?,
            end: o.parsed("end", parse_timestamp)?,
            time_zone: o.string("time_zone")?,
        })
    }
}

impl FromJs for Problem {
    fn from_js(value: JsValue) -> Read<Self> {
        let o = Obj::of(value, "problem")?;
        Ok(Problem {
            type_uri: o.string("type")?,
            title: o.string("title")?,
            status: o.whole("status")?,
            detail: o.optional_string("detail")?,
            errors: o
                .list("errors", true, |e| Ok(FieldError::new(e.string("field")?, e.string("message")?)))?,
        })
    }
}

/// The hosted pages' answers, read by serde.
#[cfg(feature = "hosted")]
macro_rules! read_by_serde {
    ($($name:ty),*) => {$(
        impl FromJs for $name {
            fn from_js(value: JsValue) -> Read<Self> {
                serde_wasm_bindgen::from_value(value).map_err(|_| Unreadable(stringify!($name)))
            }
        }
    )*};
}

#[cfg(feature = "hosted")]
read_by_serde!(jobslot_domain::connector::LinkedOrder, jobslot_domain::manage::ManagedBooking);
