//! Running work orders after booking, for staff: the list and its filters, the history of
//! changes, and changes by `PATCH` with the work order object's semantics (a partial object
//! changes only what it names, `_fields` removes properties, collection items marked
//! `"Delete": true` are removed).
//!
//! Parsing and applying a change are pure; whether a new time or technician is free is the
//! booking service's question, asked before the change is written.

use crate::availability::Interval;
use crate::contact::{Email, NAME_MAX, Phone};
use crate::ids::{ReasonCode, TechnicianId, WorkOrderNumber};
use crate::postcode::{Country, Postcode};
use crate::site::Site;
use crate::text::{Lines, Text};
use crate::work_order::{
    Appointment, Assignee, Note, OrderRules, OrderStatus, OrderType, Reason, ReasonCodes, WorkOrder,
};
use crate::{FieldError, FieldErrors};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// Work orders per list page unless asked otherwise.
pub const LIST_LIMIT_DEFAULT: u16 = 50;
/// Most work orders per list page.
pub const LIST_LIMIT_MAX: u16 = 100;
/// Longest free-text search.
pub const SEARCH_MAX: usize = 100;
/// Longest remark or staff note.
pub const NOTE_MAX: usize = 2_000;
/// Most staff notes one work order keeps.
pub const NOTES_MAX: usize = 200;
/// Unknown properties named one by one before the rest are summed up.
const UNKNOWN_NAMED_MAX: usize = 5;
/// Longest list cursor accepted back.
const CURSOR_MAX: usize = 200;

/// One line of the work-order list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkOrderSummary {
    /// Its number.
    pub number: WorkOrderNumber,
    /// Status.
    pub status: OrderStatus,
    /// Kind of job.
    pub order_type: OrderType,
    /// 0 (highest) to 99 (lowest).
    pub priority: u8,
    /// Service name when booked.
    pub service_name: String,
    /// The technician; none (with no start or end) while the order waits for a slot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub technician: Option<Assignee>,
    /// Planned start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<Timestamp>,
    /// Planned end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<Timestamp>,
    /// The zone the job's local times are in.
    pub time_zone: String,
    /// The customer's name.
    pub customer: String,
    /// The job's postcode.
    pub postcode: String,
    /// The job's suburb, town or city.
    pub city: String,
    /// The work order this one follows up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_up_of: Option<WorkOrderNumber>,
}

impl WorkOrderSummary {
    /// The booked time, if booked yet.
    pub fn time(&self) -> Option<Interval> {
        Some(Interval { start: self.start?, end: self.end? })
    }

    /// The list line of `order`.
    pub fn of(order: &WorkOrder) -> Self {
        Self {
            number: order.number.clone(),
            status: order.status,
            order_type: order.order_type,
            priority: order.priority,
            service_name: order.service.name.clone(),
            technician: order.technician().cloned(),
            start: order.appointment.as_ref().map(|a| a.planned_start),
            end: order.appointment.as_ref().map(|a| a.planned_end),
            time_zone: order.time_zone.clone(),
            customer: order.contact.name.as_str().to_owned(),
            postcode: order.location.postcode.to_string(),
            city: order.location.city.as_str().to_owned(),
            follow_up_of: order.follow_up_of.clone(),
        }
    }
}

/// What a free-text search looks through: number, customer, contact details, address and
/// service, lower-cased.
pub fn search_text(order: &WorkOrder) -> String {
    let mut parts = vec![
        order.number.as_str(),
        order.contact.name.as_str(),
        order.contact.email.as_str(),
        order.contact.phone.as_str(),
        order.location.line1.as_str(),
        order.location.city.as_str(),
        order.service.name.as_str(),
    ];
    if let Some(technician) = order.technician() {
        parts.push(technician.name.as_str());
    }
    if let Some(line2) = &order.location.line2 {
        parts.push(line2.as_str());
    }
    let postcode = order.location.postcode.to_string();
    parts.push(&postcode);
    parts.join("\n").to_lowercase()
}

/// One page of the work-order list, sorted by appointment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkOrderPage {
    /// The work orders.
    pub items: Vec<WorkOrderSummary>,
    /// Pass back as `cursor` for the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

/// Query of `GET /api/sites/{site}/work-orders`, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
#[serde(default)]
pub struct WorkOrderListQuery {
    /// Statuses to include, by name or code, comma-separated (`new,enroute` or `1,6`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// First day of appointments (`YYYY-MM-DD`, in the site's zone).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Last day of appointments, included (`YYYY-MM-DD`, in the site's zone).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// Only this technician's work orders.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub technician: Option<String>,
    /// Only work orders at this postcode.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub postcode: Option<String>,
    /// Words to find in the number, customer, contact details, address or service.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    /// The `next` of the previous page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
    /// Work orders per page, 1 to 100 ([`LIST_LIMIT_MAX`]); 50 when absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 100))]
    pub limit: Option<u16>,
}

fn given(raw: &Option<String>) -> Option<&str> {
    raw.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// A parsed list query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkOrderFilter {
    /// Statuses to include; empty means all.
    pub statuses: Vec<OrderStatus>,
    /// First day of appointments, in the site's zone.
    pub from: Option<Date>,
    /// Last day of appointments (included), in the site's zone.
    pub to: Option<Date>,
    /// Only this technician's.
    pub technician: Option<TechnicianId>,
    /// Only at this postcode.
    pub postcode: Option<Postcode>,
    /// Lower-cased words that must all appear.
    pub words: Vec<String>,
    /// Where the previous page ended.
    pub cursor: Option<String>,
    /// Page size.
    pub limit: usize,
}

impl WorkOrderListQuery {
    /// Parses the query for a site in `country`, naming every field at fault.
    pub fn parse(&self, country: Country) -> Result<WorkOrderFilter, Vec<FieldError>> {
        let mut errors = FieldErrors::default();
        let mut statuses = Vec::new();
        if let Some(raw) = given(&self.status) {
            for part in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                if let Some(status) = errors.take(OrderStatus::parse("status", part))
                    && !statuses.contains(&status)
                {
                    statuses.push(status);
                }
            }
        }
        let date = |field: &str, raw: Option<&str>| match raw {
            None => Ok(None),
            Some(raw) => raw
                .parse::<Date>()
                .map(Some)
                .map_err(|_| FieldError::new(field, "Enter a date as YYYY-MM-DD.")),
        };
        let from = errors.take(date("from", given(&self.from))).flatten();
        let to = errors.take(date("to", given(&self.to))).flatten();
        if let (Some(from), Some(to)) = (from, to)
            && to < from
        {
            errors.push(FieldError::new("to", "The last day comes before the first."));
        }
        let technician =
            given(&self.technician).and_then(|raw| errors.take(TechnicianId::parse("technician", raw)));
        let postcode =
            given(&self.postcode).and_then(|raw| errors.take(Postcode::parse("postcode", country, raw)));
        let words = match given(&self.q) {
            Some(raw) if raw.chars().count() > SEARCH_MAX => {
                errors.push(FieldError::new("q", format!("Search for at most {SEARCH_MAX} characters.")));
                Vec::new()
            }
            Some(raw) => raw.to_lowercase().split_whitespace().map(str::to_owned).collect(),
            None => Vec::new(),
        };
        let cursor = given(&self.cursor).map(str::to_owned);
        if cursor.as_ref().is_some_and(|c| c.len() > CURSOR_MAX || !c.is_ascii()) {
            errors.push(FieldError::new("cursor", "Pass back the `next` of the previous page."));
        }
        let limit = self.limit.unwrap_or(LIST_LIMIT_DEFAULT);
        if !(1..=LIST_LIMIT_MAX).contains(&limit) {
            errors.push(FieldError::new("limit", format!("Ask for 1 to {LIST_LIMIT_MAX} work orders.")));
        }
        errors.finish(|| {
            Some(WorkOrderFilter {
                statuses,
                from,
                to,
                technician,
                postcode,
                words,
                cursor,
                limit: usize::from(limit),
            })
        })
    }
}

impl WorkOrderFilter {
    /// Whether a listed order passes the filters other than its date (the date range is a
    /// range of the index, not a filter).
    pub fn matches(&self, summary: &WorkOrderSummary, search_text: &str) -> bool {
        (self.statuses.is_empty() || self.statuses.contains(&summary.status))
            && self
                .technician
                .as_ref()
                .is_none_or(|t| summary.technician.as_ref().is_some_and(|a| a.id == *t))
            && self.postcode.as_ref().is_none_or(|p| p.to_string() == summary.postcode)
            && self.words.iter().all(|w| search_text.contains(w.as_str()))
    }
}

/// One property changed by one edit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Change {
    /// The property (`status`, `technician`, `contact.phone`, `staff_notes`, …).
    pub field: String,
    /// Its value before; absent when it had none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Its value after; absent when it was removed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
}

/// One edit of a work order: who, when, and every property it changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HistoryEntry {
    /// When.
    pub at: Timestamp,
    /// Who (their e-mail address; `customer` for the booking itself).
    pub by: String,
    /// What changed.
    pub changes: Vec<Change>,
}

/// A work order with its history, oldest change first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkOrderDetail {
    /// The work order.
    #[serde(flatten)]
    pub order: WorkOrder,
    /// Every change since it was booked.
    pub history: Vec<HistoryEntry>,
}

/// Deserializes a property that is present, even as `null`, to `Some`; a missing one stays
/// `None` through `#[serde(default)]`. A PATCH must tell "not named" from "set to null".
fn present<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(deserializer).map(Some)
}

/// `PATCH /api/sites/{site}/work-orders/{number}` with `If-Match`: a partial work order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct WorkOrderPatch {
    /// New status, by name or code; closing incomplete or rejecting needs `reason_code`.
    #[serde(deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub status: Option<Value>,
    /// A code from the site's list for the new status.
    #[serde(deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub reason_code: Option<Value>,
    /// 0 (highest) to 99 (lowest).
    #[serde(deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<u8>, minimum = 0, maximum = 99))]
    pub priority: Option<Value>,
    /// Reassign to this technician (their time must be free).
    #[serde(deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub technician: Option<Value>,
    /// Reschedule to this start (RFC 3339); the length stays the service's.
    #[serde(deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub start: Option<Value>,
    /// Remarks for the customer; `null` removes them.
    #[serde(deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub remarks: Option<Value>,
    /// Contact properties to change (`name`, `email`, `phone`).
    #[serde(deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<BTreeMap<String, String>>))]
    pub contact: Option<Value>,
    /// Address properties to change (`line1`, `line2`, `city`; not the postcode).
    #[serde(deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<BTreeMap<String, String>>))]
    pub location: Option<Value>,
    /// Staff notes: `{"text": …}` adds one, `{"id": …, "Delete": true}` removes one.
    #[serde(deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Vec<NotePatch>>))]
    pub staff_notes: Option<Value>,
    /// Properties to remove: `remarks`, `location.line2`.
    #[serde(rename = "_fields", deserialize_with = "present", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Vec<String>>))]
    pub remove: Option<Value>,
    /// Anything else: refused, by name.
    #[serde(flatten)]
    #[cfg_attr(feature = "openapi", schema(ignore))]
    pub other: BTreeMap<String, Value>,
}

/// One item of `staff_notes` in a patch.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotePatch {
    /// The note to remove.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The text of a new note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// `true` removes the note `id`.
    #[serde(default, rename = "Delete", alias = "delete")]
    pub delete: bool,
}

/// Properties a work order keeps whatever staff send.
const FIXED: [&str; 11] = [
    "number",
    "site",
    "created_at",
    "updated_at",
    "service",
    "order_type",
    "planned_end",
    "time_zone",
    "follow_up_of",
    "follow_ups",
    "history",
];

/// A parsed patch: only what it names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Patch {
    /// New status.
    pub status: Option<OrderStatus>,
    /// Reason code for it.
    pub reason_code: Option<ReasonCode>,
    /// New priority.
    pub priority: Option<u8>,
    /// Reassign.
    pub technician: Option<TechnicianId>,
    /// Reschedule.
    pub start: Option<Timestamp>,
    /// `Some(None)` removes the remarks.
    pub remarks: Option<Option<Text>>,
    /// New contact name.
    pub contact_name: Option<Text>,
    /// New contact e-mail.
    pub contact_email: Option<Email>,
    /// New contact phone.
    pub contact_phone: Option<Phone>,
    /// New street address.
    pub line1: Option<Text>,
    /// `Some(None)` removes the second address line.
    pub line2: Option<Option<Text>>,
    /// New city.
    pub city: Option<Text>,
    /// Notes to add.
    pub add_notes: Vec<Text>,
    /// Ids of notes to remove.
    pub delete_notes: Vec<String>,
}

fn string<'a>(field: &str, value: &'a Value) -> Result<&'a str, FieldError> {
    value.as_str().ok_or_else(|| FieldError::new(field, "Give this as a string."))
}

/// Short, printable keys are echoed back; anything else is summed up, because the request
/// controls keys and an answer must not grow with them.
fn key_name(parent: &str, key: &str) -> Option<String> {
    let printable = key.len() <= 40 && key.chars().all(|c| c.is_ascii_graphic());
    printable.then(|| if parent.is_empty() { key.to_owned() } else { format!("{parent}.{key}") })
}

impl WorkOrderPatch {
    /// Parses the patch, naming every property at fault.
    pub fn parse(&self) -> Result<Patch, Vec<FieldError>> {
        let mut errors = FieldErrors::default();
        let mut patch = Patch::default();
        let (mut named, mut unnamed) = (0usize, 0usize);
        for key in self.other.keys() {
            match key_name("", key).filter(|_| named < UNKNOWN_NAMED_MAX) {
                Some(name) if FIXED.contains(&key.as_str()) => {
                    errors.push(FieldError::new(name, "This property cannot be changed."))
                }
                Some(name) if key == "notes" => errors.push(FieldError::new(
                    name,
                    "The customer's notes stay as they wrote them; add a staff note instead.",
                )),
                Some(name) if key == "_paths" => {
                    errors.push(FieldError::new(name, "Remove properties with _fields."))
                }
                Some(name) => errors.push(FieldError::new(name, "Work orders have no such property.")),
                None => unnamed += 1,
            }
            named += 1;
        }
        if unnamed > 0 {
            errors.push(FieldError::new(
                "patch",
                format!("{unnamed} more properties work orders do not have."),
            ));
        }
        if let Some(value) = &self.status {
            patch.status = errors.take(string("status", value).and_then(|s| OrderStatus::parse("status", s)));
        }
        if let Some(value) = &self.reason_code {
            patch.reason_code = errors
                .take(string("reason_code", value).and_then(|s| ReasonCode::parse("reason_code", s.trim())));
        }
        if let Some(value) = &self.priority {
            patch.priority = errors.take(
                value
                    .as_u64()
                    .or_else(|| value.as_f64().filter(|f| f.fract() == 0.0 && *f >= 0.0).map(|f| f as u64))
                    .and_then(|p| u8::try_from(p).ok())
                    .filter(|p| *p <= 99)
                    .ok_or_else(|| FieldError::new("priority", "Use 0 (highest) to 99 (lowest).")),
            );
        }
        if let Some(value) = &self.technician {
            patch.technician = errors
                .take(string("technician", value).and_then(|s| TechnicianId::parse("technician", s.trim())));
        }
        if let Some(value) = &self.start {
            patch.start = errors.take(string("start", value).and_then(|s| {
                s.trim().parse::<Timestamp>().map_err(|_| {
                    FieldError::new(
                        "start",
                        "Give the new start as an instant, e.g. 2026-12-01T09:00:00+11:00.",
                    )
                })
            }));
        }
        if let Some(value) = &self.remarks {
            patch.remarks = match value {
                Value::Null => Some(None),
                other => errors.take(
                    string("remarks", other)
                        .and_then(|s| Text::parse_optional("remarks", Some(s), NOTE_MAX, Lines::Multi)),
                ),
            };
        }
        if let Some(value) = &self.contact {
            for (key, raw) in object("contact", value, &mut errors) {
                let raw = string(&format!("contact.{key}"), raw);
                match key.as_str() {
                    "name" => {
                        patch.contact_name =
                            errors.take(raw.and_then(|s| Text::parse("contact.name", s, NAME_MAX)))
                    }
                    "email" => {
                        patch.contact_email = errors.take(raw.and_then(|s| Email::parse("contact.email", s)))
                    }
                    "phone" => {
                        patch.contact_phone = errors.take(raw.and_then(|s| Phone::parse("contact.phone", s)))
                    }
                    other => errors.push(unknown("contact", other)),
                }
            }
        }
        if let Some(value) = &self.location {
            use crate::api::{ADDRESS_LINE_MAX, CITY_MAX};
            for (key, raw) in object("location", value, &mut errors) {
                let field = format!("location.{key}");
                match key.as_str() {
                    "line1" => {
                        patch.line1 = errors
                            .take(string(&field, raw).and_then(|s| Text::parse(&field, s, ADDRESS_LINE_MAX)))
                    }
                    "line2" => {
                        patch.line2 = match raw {
                            Value::Null => Some(None),
                            raw => errors.take(string(&field, raw).and_then(|s| {
                                Text::parse_optional(&field, Some(s), ADDRESS_LINE_MAX, Lines::Single)
                            })),
                        }
                    }
                    "city" => {
                        patch.city =
                            errors.take(string(&field, raw).and_then(|s| Text::parse(&field, s, CITY_MAX)))
                    }
                    "postcode" => errors.push(FieldError::new(
                        field,
                        "A job at another postcode may need another technician: book a new work order.",
                    )),
                    other => errors.push(unknown("location", other)),
                }
            }
        }
        if let Some(value) = &self.staff_notes {
            self.parse_notes(value, &mut patch, &mut errors);
        }
        if let Some(value) = &self.remove {
            let names = value.as_array().map(|a| a.iter().map(Value::as_str).collect::<Vec<_>>());
            match names {
                Some(names) if names.len() <= 10 => {
                    for (i, name) in names.into_iter().enumerate() {
                        match name {
                            Some("remarks") => patch.remarks = Some(None),
                            Some("location.line2") => patch.line2 = Some(None),
                            _ => errors.push(FieldError::new(
                                format!("_fields[{i}]"),
                                "Only remarks and location.line2 can be removed.",
                            )),
                        }
                    }
                }
                _ => errors.push(FieldError::new("_fields", "List at most 10 property names to remove.")),
            }
        }
        errors.finish(|| Some(patch))
    }

    fn parse_notes(&self, value: &Value, patch: &mut Patch, errors: &mut FieldErrors) {
        let Some(items) = value.as_array().filter(|a| a.len() <= 20) else {
            errors.push(FieldError::new("staff_notes", "Send a list of at most 20 notes to add or remove."));
            return;
        };
        for (i, item) in items.iter().enumerate() {
            let field = format!("staff_notes[{i}]");
            match serde_json::from_value::<NotePatch>(item.clone()) {
                Ok(NotePatch { id: Some(id), delete: true, .. }) if id.len() <= 40 => {
                    patch.delete_notes.push(id)
                }
                Ok(NotePatch { id: None, text: Some(text), delete: false }) => {
                    if let Some(text) = errors.take(Text::parse_lines(
                        &format!("{field}.text"),
                        &text,
                        NOTE_MAX,
                        Lines::Multi,
                    )) {
                        patch.add_notes.push(text);
                    }
                }
                _ => errors.push(FieldError::new(
                    field,
                    "Add a note with {\"text\": …} or remove one with {\"id\": …, \"Delete\": true}.",
                )),
            }
        }
    }
}

fn object<'a>(field: &str, value: &'a Value, errors: &mut FieldErrors) -> Vec<(&'a String, &'a Value)> {
    match value.as_object() {
        Some(map) => map.iter().take(10).collect(),
        None => {
            errors.push(FieldError::new(field, "Give this as an object of the properties to change."));
            Vec::new()
        }
    }
}

fn unknown(parent: &str, key: &str) -> FieldError {
    match key_name(parent, key) {
        Some(name) => FieldError::new(name, "There is no such property."),
        None => FieldError::new(parent, "There is no such property."),
    }
}

/// A patch applied: the changed order and the history of what changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// The order after the change.
    pub order: WorkOrder,
    /// What changed, property by property (empty when the patch changed nothing).
    pub changes: Vec<Change>,
}

impl Patch {
    /// True when the patch names only what a technician may change on their own job:
    /// status, its reason, remarks and staff notes.
    pub fn is_field_work(&self) -> bool {
        self.priority.is_none()
            && self.technician.is_none()
            && self.start.is_none()
            && self.contact_name.is_none()
            && self.contact_email.is_none()
            && self.contact_phone.is_none()
            && self.line1.is_none()
            && self.line2.is_none()
            && self.city.is_none()
    }

    /// Applies the patch to `order` of `site`. `assignee` is the technician the order is
    /// reassigned to (looked up by the caller when [`Patch::technician`] names one); `note_id`
    /// makes ids for new notes. Checks the status machine, the site's reason codes, and that a
    /// closed order takes nothing but notes.
    pub fn apply(
        &self,
        order: &WorkOrder,
        site: &Site,
        assignee: Option<Assignee>,
        author: &str,
        now: Timestamp,
        mut note_id: impl FnMut() -> String,
    ) -> Result<Applied, Vec<FieldError>> {
        let mut errors = FieldErrors::default();
        let mut next = order.clone();
        let mut changes = Vec::new();
        let mut change = |field: &str, from: Option<String>, to: Option<String>| {
            if from != to {
                changes.push(Change { field: field.to_owned(), from, to });
            }
        };

        let new_status = self.status.filter(|s| *s != order.status);
        if order.status.is_closed()
            && (!self.is_field_work() || new_status.is_some() || self.remarks.is_some())
        {
            return Err(vec![FieldError::new(
                "status",
                format!(
                    "This work order is {}: only staff notes can be added.",
                    order.status.label().to_lowercase()
                ),
            )]);
        }
        match (new_status, &self.reason_code) {
            (Some(status), reason) => {
                if !order.status.can_become(status) {
                    errors.push(FieldError::new(
                        "status",
                        format!(
                            "A {} work order cannot become {}.",
                            order.status.label().to_lowercase(),
                            status.label().to_lowercase()
                        ),
                    ));
                }
                match (status.reason_list(), reason) {
                    (Some(list), Some(code)) => {
                        match site.reasons.list(list).iter().find(|r| r.code == *code) {
                            Some(found) => next.reason = Some(found.clone()),
                            None => errors.push(FieldError::new(
                                "reason_code",
                                "Choose one of the site's reason codes.",
                            )),
                        }
                    }
                    (Some(_), None) => errors.push(FieldError::new(
                        "reason_code",
                        format!("Give a reason code to mark it {}.", status.label().to_lowercase()),
                    )),
                    (None, Some(_)) => errors.push(FieldError::new(
                        "reason_code",
                        "Only closing incomplete or rejecting takes a reason code.",
                    )),
                    (None, None) => {}
                }
                change("status", Some(order.status.name().into()), Some(status.name().into()));
                if let Some(reason) = &next.reason {
                    change("reason_code", None, Some(reason.code.to_string()));
                }
                next.status = status;
            }
            (None, Some(_)) => {
                errors.push(FieldError::new("reason_code", "Give the new status the reason is for."));
            }
            (None, None) => {}
        }
        if let Some(priority) = self.priority {
            change("priority", Some(order.priority.to_string()), Some(priority.to_string()));
            next.priority = priority;
        }
        let current = order.appointment.as_ref();
        let moves = self.technician.as_ref().is_some_and(|t| current.is_none_or(|a| *t != a.technician.id))
            || self.start.is_some_and(|s| current.is_none_or(|a| s != a.planned_start));
        if moves && !next.status.holds_time() {
            errors.push(FieldError::new(
                if self.start.is_some() { "start" } else { "technician" },
                "A cancelled or rejected work order has no time to move.",
            ));
        }
        match (current, self.start, assignee) {
            (Some(was), start, assignee) => {
                let mut now = was.clone();
                if let Some(start) = start {
                    match start.checked_add(was.planned_end.duration_since(was.planned_start)) {
                        Ok(end) => {
                            change("start", Some(was.planned_start.to_string()), Some(start.to_string()));
                            now.planned_start = start;
                            now.planned_end = end;
                        }
                        Err(_) => errors.push(FieldError::new("start", "That time is out of range.")),
                    }
                }
                if let Some(assignee) = assignee.filter(|a| a.id != was.technician.id) {
                    change("technician", Some(was.technician.id.to_string()), Some(assignee.id.to_string()));
                    now.technician = assignee;
                }
                next.appointment = Some(now);
            }
            (None, Some(start), Some(technician)) => {
                let length =
                    site.services.iter().find(|s| s.id == order.service.id).map(|s| s.duration.span());
                match length.map(|length| start.checked_add(length)) {
                    Some(Ok(planned_end)) => {
                        change("start", None, Some(start.to_string()));
                        change("technician", None, Some(technician.id.to_string()));
                        next.appointment =
                            Some(Appointment { planned_start: start, planned_end, technician });
                    }
                    Some(Err(_)) => errors.push(FieldError::new("start", "That time is out of range.")),
                    None => errors.push(FieldError::new(
                        "start",
                        "The site no longer offers this work order's service, so it has no length to book.",
                    )),
                }
            }
            (None, Some(_), None) => errors.push(FieldError::new(
                "technician",
                "This work order has no appointment yet: give its technician with its start.",
            )),
            (None, None, Some(_)) => errors.push(FieldError::new(
                "start",
                "This work order has no appointment yet: give its start with its technician.",
            )),
            (None, None, None) => {}
        }
        if next.appointment.is_none() && next.status.needs_appointment() {
            errors.push(FieldError::new(
                "status",
                format!(
                    "This work order has no appointment yet: book it before marking it {}.",
                    next.status.label().to_lowercase()
                ),
            ));
        }
        if let Some(remarks) = &self.remarks {
            change("remarks", text(order.remarks.as_ref()), text(remarks.as_ref()));
            next.remarks = remarks.clone();
        }
        if let Some(name) = &self.contact_name {
            change("contact.name", text(Some(&order.contact.name)), text(Some(name)));
            next.contact.name = name.clone();
            next.account.name = name.clone();
        }
        if let Some(email) = &self.contact_email {
            change("contact.email", Some(order.contact.email.as_str().into()), Some(email.as_str().into()));
            next.contact.email = email.clone();
        }
        if let Some(phone) = &self.contact_phone {
            change("contact.phone", Some(order.contact.phone.as_str().into()), Some(phone.as_str().into()));
            next.contact.phone = phone.clone();
        }
        if let Some(line1) = &self.line1 {
            change("location.line1", text(Some(&order.location.line1)), text(Some(line1)));
            next.location.line1 = line1.clone();
        }
        if let Some(line2) = &self.line2 {
            change("location.line2", text(order.location.line2.as_ref()), text(line2.as_ref()));
            next.location.line2 = line2.clone();
        }
        if let Some(city) = &self.city {
            change("location.city", text(Some(&order.location.city)), text(Some(city)));
            next.location.city = city.clone();
        }
        for id in &self.delete_notes {
            match next.staff_notes.iter().position(|n| n.id == *id) {
                Some(at) => {
                    let removed = next.staff_notes.remove(at);
                    change("staff_notes", Some(removed.text.as_str().into()), None);
                }
                None => errors.push(FieldError::new("staff_notes", "There is no note with that id.")),
            }
        }
        for text in &self.add_notes {
            change("staff_notes", None, Some(text.as_str().into()));
            next.staff_notes.push(Note {
                id: note_id(),
                author: author.to_owned(),
                at: now,
                text: text.clone(),
            });
        }
        if next.staff_notes.len() > NOTES_MAX {
            errors.push(FieldError::new(
                "staff_notes",
                format!("A work order keeps at most {NOTES_MAX} notes."),
            ));
        }
        if !changes.is_empty() {
            next.updated_at = Some(now);
        }
        if order.held().is_some() && (next.moved_from(order) || next.held().is_none()) {
            // The customer's calendar has the booking: its next invitation must supersede it.
            next.calendar_sequence += 1;
        }
        errors.finish(|| Some(Applied { order: next, changes }))
    }
}

/// Most reason codes in one list.
pub const REASONS_MAX: usize = 30;
/// Longest reason label.
pub const REASON_LABEL_MAX: usize = 60;

/// `PUT /api/sites/{site}/work-order-rules`: the site's reason codes and its rules per order
/// type, as the console edits them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct WorkOrderRulesInput {
    /// Reasons a job may be closed incomplete.
    pub closed_incomplete: Vec<ReasonInput>,
    /// Reasons a job may be rejected.
    pub rejected: Vec<ReasonInput>,
    /// Rules by order type (`repair`, `install`, …); a type not listed has every rule off.
    pub order_types: BTreeMap<String, OrderRules>,
}

/// One reason code as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ReasonInput {
    /// Stable code, a slug (`parts-needed`).
    pub code: String,
    /// What staff pick it by.
    pub label: String,
}

impl WorkOrderRulesInput {
    /// The rules of `site`, as the console edits them.
    pub fn of(site: &Site) -> Self {
        let reasons = |list: &[Reason]| {
            list.iter().map(|r| ReasonInput { code: r.code.to_string(), label: r.label.clone() }).collect()
        };
        Self {
            closed_incomplete: reasons(&site.reasons.closed_incomplete),
            rejected: reasons(&site.reasons.rejected),
            order_types: site
                .order_rules
                .iter()
                .map(|(t, r)| {
                    (
                        serde_json::to_value(t)
                            .ok()
                            .and_then(|v| v.as_str().map(str::to_owned))
                            .unwrap_or_default(),
                        *r,
                    )
                })
                .collect(),
        }
    }

    /// Applies the rules to `site`, naming every field at fault.
    pub fn apply(&self, site: &Site) -> Result<Site, Vec<FieldError>> {
        let mut errors = FieldErrors::default();
        let closed_incomplete = parse_reasons("closed_incomplete", &self.closed_incomplete, &mut errors);
        let rejected = parse_reasons("rejected", &self.rejected, &mut errors);
        let mut order_rules = BTreeMap::new();
        for (name, rules) in &self.order_types {
            match serde_json::from_value::<OrderType>(Value::String(name.clone())) {
                Ok(order_type) => {
                    order_rules.insert(order_type, *rules);
                }
                Err(_) => errors.push(FieldError::new(
                    key_name("order_types", name).unwrap_or_else(|| "order_types".into()),
                    "Not an order type (install, inspection, maintenance, de_install, repair, demo, training).",
                )),
            }
        }
        errors.finish(|| {
            Some(Site { reasons: ReasonCodes { closed_incomplete, rejected }, order_rules, ..site.clone() })
        })
    }
}

fn parse_reasons(list: &str, raw: &[ReasonInput], errors: &mut FieldErrors) -> Vec<Reason> {
    if raw.is_empty() || raw.len() > REASONS_MAX {
        errors.push(FieldError::new(list, format!("Keep 1 to {REASONS_MAX} reasons.")));
        return Vec::new();
    }
    let mut reasons: Vec<Reason> = Vec::new();
    for (i, input) in raw.iter().enumerate() {
        let code = errors.take(ReasonCode::parse(&format!("{list}[{i}].code"), input.code.trim()));
        let label = errors.take(Text::parse(&format!("{list}[{i}].label"), &input.label, REASON_LABEL_MAX));
        if let (Some(code), Some(label)) = (code, label) {
            if reasons.iter().any(|r| r.code == code) {
                errors.push(FieldError::new(format!("{list}[{i}].code"), "Each code may appear once."));
            } else {
                reasons.push(Reason { code, label: label.as_str().to_owned() });
            }
        }
    }
    reasons
}

fn text(value: Option<&Text>) -> Option<String> {
    value.map(|t| t.as_str().to_owned())
}

#[cfg(test)]
mod tests;
