//! Changes by `PATCH` with the work order object's semantics: a partial object changes only
//! what it names, `_fields` removes properties, collection items marked `"Delete": true` are
//! removed. Parsing and applying a change are pure; whether a new time or technician is free is
//! the booking service's question, asked before the change is written.

use super::detail::Change;
use crate::contact::{Email, NAME_MAX, Phone};
use crate::ids::{ReasonCode, TechnicianId};
use crate::site::Site;
use crate::text::{Lines, Text};
use crate::work_order::{Appointment, Assignee, Note, OrderStatus, WorkOrder};
use crate::{FieldError, FieldErrors};
use jiff::Timestamp;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// Longest remark or staff note.
pub const NOTE_MAX: usize = 2_000;
/// Most staff notes one work order keeps.
pub const NOTES_MAX: usize = 200;
/// Unknown properties named one by one before the rest are summed up.
const UNKNOWN_NAMED_MAX: usize = 5;

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
    #[allow(missing_docs)]
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
    #[allow(missing_docs)]
    pub add_notes: Vec<Text>,
    /// Ids of notes to remove.
    pub delete_notes: Vec<String>,
}

fn string<'a>(field: &str, value: &'a Value) -> Result<&'a str, FieldError> {
    value.as_str().ok_or_else(|| FieldError::new(field, "Give this as a string."))
}

/// Short, printable keys are echoed back; anything else is summed up, because the request
/// controls keys and an answer must not grow with them.
pub(super) fn key_name(parent: &str, key: &str) -> Option<String> {
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

fn text(value: Option<&Text>) -> Option<String> {
    value.map(|t| t.as_str().to_owned())
}
