//! The work order: what is to be done, where, for whom, by whom and when.
//!
//! Shaped after the work order object of the source documents: order status and type codes,
//! account, location, contact, asset details from the form, planned dates and the technician.

use crate::api::Job;
use crate::availability::Interval;
use crate::contact::Contact;
use crate::form::Answer;
use crate::ids::{ReasonCode, ServiceId, SiteId, TechnicianId, WorkOrderNumber};
use crate::money::Money;
use crate::postcode::Postcode;
use crate::text::Text;
use crate::tracking::Tracking;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// Where a work order is in its life. The numeric codes are the work order object's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    /// Booked, not yet started (1).
    New,
    /// The technician is travelling (6).
    Enroute,
    /// The technician is on site (7).
    Onsite,
    /// Travel finished (8).
    TravelComplete,
    /// Waiting on something (9).
    Pending,
    /// Declined by the business (1001).
    Rejected,
    /// Done (4096).
    ClosedComplete,
    /// Closed without finishing; may lead to a follow-up (4097).
    ClosedIncomplete,
    /// Called off before the job was done; its time is free again. Jobslot's own code (1002):
    /// the work order object's list has no cancelled status.
    Cancelled,
}

impl OrderStatus {
    /// The status code of the work order object.
    pub fn code(self) -> u16 {
        match self {
            OrderStatus::New => 1,
            OrderStatus::Enroute => 6,
            OrderStatus::Onsite => 7,
            OrderStatus::TravelComplete => 8,
            OrderStatus::Pending => 9,
            OrderStatus::Rejected => 1001,
            OrderStatus::ClosedComplete => 4096,
            OrderStatus::ClosedIncomplete => 4097,
            OrderStatus::Cancelled => 1002,
        }
    }

    /// Every status, in the order of the work's life.
    pub const ALL: [OrderStatus; 9] = [
        OrderStatus::New,
        OrderStatus::Enroute,
        OrderStatus::TravelComplete,
        OrderStatus::Onsite,
        OrderStatus::Pending,
        OrderStatus::ClosedComplete,
        OrderStatus::ClosedIncomplete,
        OrderStatus::Rejected,
        OrderStatus::Cancelled,
    ];

    /// The status's name in the API (`closed_incomplete`).
    pub fn name(self) -> &'static str {
        match self {
            OrderStatus::New => "new",
            OrderStatus::Enroute => "enroute",
            OrderStatus::Onsite => "onsite",
            OrderStatus::TravelComplete => "travel_complete",
            OrderStatus::Pending => "pending",
            OrderStatus::Rejected => "rejected",
            OrderStatus::ClosedComplete => "closed_complete",
            OrderStatus::ClosedIncomplete => "closed_incomplete",
            OrderStatus::Cancelled => "cancelled",
        }
    }

    /// Words for staff (`Closed incomplete`).
    pub fn label(self) -> &'static str {
        match self {
            OrderStatus::New => "New",
            OrderStatus::Enroute => "Enroute",
            OrderStatus::Onsite => "Onsite",
            OrderStatus::TravelComplete => "Travel complete",
            OrderStatus::Pending => "Pending",
            OrderStatus::Rejected => "Rejected",
            OrderStatus::ClosedComplete => "Closed complete",
            OrderStatus::ClosedIncomplete => "Closed incomplete",
            OrderStatus::Cancelled => "Cancelled",
        }
    }

    /// Where the job is, as a customer reads it in `language`: what follows "This job is" or
    /// "Este trabajo está".
    pub fn customer_phrase(self, language: crate::language::Language) -> String {
        match language {
            crate::language::Language::English => self.label().to_ascii_lowercase(),
            crate::language::Language::Spanish => self.spanish_phrase().to_owned(),
        }
    }

    fn spanish_phrase(self) -> &'static str {
        match self {
            OrderStatus::New => "pendiente de empezar",
            OrderStatus::Enroute => "en camino",
            OrderStatus::Onsite => "en el lugar",
            OrderStatus::TravelComplete => "con el viaje terminado",
            OrderStatus::Pending => "en espera",
            OrderStatus::Rejected => "rechazado",
            OrderStatus::ClosedComplete => "cerrado y completado",
            OrderStatus::ClosedIncomplete => "cerrado sin completar",
            OrderStatus::Cancelled => "cancelado",
        }
    }

    /// Parses a status for `field` by its name or its numeric code (`onsite` or `7`).
    pub fn parse(field: &str, raw: &str) -> Result<Self, crate::FieldError> {
        let raw = raw.trim();
        Self::ALL.into_iter().find(|s| s.name() == raw || s.code().to_string() == raw).ok_or_else(|| {
            crate::FieldError::new(field, "Choose a status such as new, enroute, onsite or closed_complete.")
        })
    }

    /// True once nothing more can happen to the order.
    pub fn is_closed(self) -> bool {
        matches!(
            self,
            OrderStatus::Rejected
                | OrderStatus::ClosedComplete
                | OrderStatus::ClosedIncomplete
                | OrderStatus::Cancelled
        )
    }

    /// True while the order keeps its technician's time: a rejected or cancelled job frees
    /// it, a closed one keeps the record of the time it took.
    pub fn holds_time(self) -> bool {
        !matches!(self, OrderStatus::Rejected | OrderStatus::Cancelled)
    }

    /// True for the statuses of work on site, which an order waiting for its slot cannot
    /// reach before it is booked.
    pub fn needs_appointment(self) -> bool {
        matches!(
            self,
            OrderStatus::Enroute
                | OrderStatus::Onsite
                | OrderStatus::TravelComplete
                | OrderStatus::ClosedComplete
                | OrderStatus::ClosedIncomplete
        )
    }

    /// Which list of reason codes a move to this status must pick from, if any.
    pub fn reason_list(self) -> Option<ReasonList> {
        match self {
            OrderStatus::ClosedIncomplete => Some(ReasonList::ClosedIncomplete),
            OrderStatus::Rejected => Some(ReasonList::Rejected),
            _ => None,
        }
    }

    /// Whether staff may move an order from this status to `next`.
    pub fn can_become(self, next: OrderStatus) -> bool {
        use OrderStatus::*;
        match self {
            New => matches!(next, Enroute | Onsite | Pending | Rejected | Cancelled),
            Enroute => matches!(next, TravelComplete | Onsite | Pending | Cancelled),
            TravelComplete => matches!(next, Onsite | Pending | Cancelled),
            Onsite => matches!(next, Pending | ClosedComplete | ClosedIncomplete),
            Pending => matches!(next, Enroute | Onsite | Rejected | ClosedIncomplete | Cancelled),
            Rejected | ClosedComplete | ClosedIncomplete | Cancelled => false,
        }
    }
}

/// The kind of job. The numeric codes are the work order object's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum OrderType {
    /// Install (1001).
    Install,
    /// Inspection (1002).
    Inspection,
    /// Maintenance (1003).
    Maintenance,
    /// De-install (1004).
    DeInstall,
    /// Repair (1005).
    Repair,
    /// Demo (1006).
    Demo,
    /// Training (1007).
    Training,
}

impl OrderType {
    /// The type code of the work order object.
    pub fn code(self) -> u16 {
        match self {
            OrderType::Install => 1001,
            OrderType::Inspection => 1002,
            OrderType::Maintenance => 1003,
            OrderType::DeInstall => 1004,
            OrderType::Repair => 1005,
            OrderType::Demo => 1006,
            OrderType::Training => 1007,
        }
    }

    /// Every order type.
    pub const ALL: [OrderType; 7] = [
        OrderType::Install,
        OrderType::Inspection,
        OrderType::Maintenance,
        OrderType::DeInstall,
        OrderType::Repair,
        OrderType::Demo,
        OrderType::Training,
    ];

    /// Words for staff.
    pub fn label(self) -> &'static str {
        match self {
            OrderType::Install => "Install",
            OrderType::Inspection => "Inspection",
            OrderType::Maintenance => "Maintenance",
            OrderType::DeInstall => "De-install",
            OrderType::Repair => "Repair",
            OrderType::Demo => "Demo",
            OrderType::Training => "Training",
        }
    }
}

/// The two lists of reason codes a site keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReasonList {
    /// Why a job was closed without being finished.
    ClosedIncomplete,
    /// Why the business declined a job.
    Rejected,
}

/// A reason code and the words staff pick it by (`parts`, "Waiting for parts").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reason {
    /// Stable code (a slug), kept on the work order.
    pub code: ReasonCode,
    /// What staff see.
    pub label: String,
}

/// A site's reason codes for closing incomplete and for rejecting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReasonCodes {
    /// Reasons a job is closed incomplete.
    pub closed_incomplete: Vec<Reason>,
    /// Reasons a job is rejected.
    pub rejected: Vec<Reason>,
}

impl Default for ReasonCodes {
    fn default() -> Self {
        let reason = |code: &str, label: &str| Reason {
            code: ReasonCode::parse("code", code).expect("a valid built-in code"),
            label: label.to_owned(),
        };
        Self {
            closed_incomplete: vec![
                reason("parts-needed", "Parts needed"),
                reason("more-time-needed", "More time needed"),
                reason("customer-absent", "Customer not there"),
                reason("no-access", "No access to the site"),
            ],
            rejected: vec![
                reason("out-of-area", "Outside our service area"),
                reason("duplicate", "Duplicate booking"),
                reason("not-serviceable", "We cannot do this job"),
            ],
        }
    }
}

impl ReasonCodes {
    /// The list a status's reasons come from.
    pub fn list(&self, list: ReasonList) -> &[Reason] {
        match list {
            ReasonList::ClosedIncomplete => &self.closed_incomplete,
            ReasonList::Rejected => &self.rejected,
        }
    }
}

/// Rules (flags) that control what may happen to work orders of one type, after the work
/// order object's `Rules`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct OrderRules {
    /// A job closed incomplete may be followed up by booking a new work order.
    pub can_schedule_followup: bool,
}

/// A staff note kept on a work order; internal, never shown to the customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Note {
    /// Stable id within the order (to delete it with `"delete": true`).
    pub id: String,
    /// Who wrote it (their e-mail address).
    pub author: String,
    #[allow(missing_docs)]
    pub at: Timestamp,
    /// What.
    pub text: Text,
}

/// Where the job is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Address {
    /// Street address.
    pub line1: Text,
    /// Unit, building, … (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line2: Option<Text>,
    /// Suburb, town or city.
    pub city: Text,
    /// The postcode (carries its country).
    pub postcode: Postcode,
}

/// The customer's account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Account {
    /// Account name: the customer's name for a private customer.
    pub name: Text,
}

/// Who does the job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Assignee {
    #[allow(missing_docs)]
    pub id: TechnicianId,
    /// Technician name when booked.
    pub name: String,
}

/// What was booked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BookedService {
    #[allow(missing_docs)]
    pub id: ServiceId,
    /// Service name when booked.
    pub name: String,
    /// Price quoted when booked.
    pub price: Money,
}

/// A work order as stored and as returned to staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkOrder {
    /// The site it belongs to.
    pub site: SiteId,
    #[allow(missing_docs)]
    pub number: WorkOrderNumber,
    /// Status; `New` on creation.
    pub status: OrderStatus,
    /// Kind of job.
    pub order_type: OrderType,
    /// 0 (highest) to 99 (lowest).
    pub priority: u8,
    /// The service booked.
    pub service: BookedService,
    /// The customer's account.
    pub account: Account,
    /// Who to talk to.
    pub contact: Contact,
    /// Where.
    pub location: Address,
    /// Details of the asset from the site's order form (car make, model, …).
    pub asset: Vec<Answer>,
    /// Notes from the customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<Text>,
    /// When and with whom; none while the order waits for its customer to pick a slot
    /// (created in advance by an integrator or a dispatcher).
    #[serde(flatten, deserialize_with = "all_or_nothing")]
    #[cfg_attr(feature = "openapi", schema(schema_with = crate::openapi::appointment))]
    pub appointment: Option<Appointment>,
    /// The zone the job's local times are in.
    pub time_zone: String,
    /// When it was created.
    pub created_at: Timestamp,
    /// Why it was closed incomplete or rejected (a code from the site's lists).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Reason>,
    /// Remarks for the customer (shown to them, unlike notes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remarks: Option<Text>,
    /// Internal notes by staff, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub staff_notes: Vec<Note>,
    /// The work order this one follows up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_up_of: Option<WorkOrderNumber>,
    /// The work orders booked to follow this one up.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub follow_ups: Vec<WorkOrderNumber>,
    /// When it last changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<Timestamp>,
    /// The `SEQUENCE` of the customer's calendar invitation: 0 as booked, one more for each
    /// move or cancellation of the booked time.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub calendar_sequence: u32,
    /// How many times staff replaced the customer's manage link: a link signed for an
    /// earlier count no longer opens the booking.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub manage_link: u32,
    /// Where the booking came from (UTM parameters, ad click ids), as the widget's page said.
    #[serde(default, skip_serializing_if = "Tracking::is_empty")]
    pub tracking: Tracking,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// When a work order is to be done, and by whom. Stored and returned as the order's own
/// `planned_start`, `planned_end` and `technician` properties, as before orders could wait
/// for a slot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Appointment {
    #[allow(missing_docs)]
    pub planned_start: Timestamp,
    #[allow(missing_docs)]
    pub planned_end: Timestamp,
    #[allow(missing_docs)]
    pub technician: Assignee,
}

impl Appointment {
    /// The booked time.
    pub fn time(&self) -> Interval {
        Interval { start: self.planned_start, end: self.planned_end }
    }
}

/// Reads the flattened appointment: all three properties or none. (serde's own flattened
/// `Option` turns a half-present appointment into none without a word.)
fn all_or_nothing<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Appointment>, D::Error> {
    #[derive(Deserialize)]
    struct Parts {
        planned_start: Option<Timestamp>,
        planned_end: Option<Timestamp>,
        technician: Option<Assignee>,
    }
    let parts = Parts::deserialize(deserializer)?;
    match (parts.planned_start, parts.planned_end, parts.technician) {
        (Some(planned_start), Some(planned_end), Some(technician)) => {
            Ok(Some(Appointment { planned_start, planned_end, technician }))
        }
        (None, None, None) => Ok(None),
        _ => Err(serde::de::Error::custom("planned_start, planned_end and technician go together")),
    }
}

impl WorkOrder {
    /// A new work order of site `site` for `job`, booked at `appointment` or waiting for its
    /// slot, its local times in `time_zone`.
    pub fn new(
        site: &SiteId,
        number: WorkOrderNumber,
        job: &Job,
        appointment: Option<Appointment>,
        time_zone: String,
        now: Timestamp,
    ) -> Self {
        WorkOrder {
            site: site.clone(),
            number,
            status: OrderStatus::New,
            order_type: job.service.order_type,
            priority: DEFAULT_PRIORITY,
            service: BookedService {
                id: job.service.id.clone(),
                name: job.service.name.clone(),
                price: job.service.price,
            },
            account: Account { name: job.contact.name.clone() },
            contact: job.contact.clone(),
            location: job.location.clone(),
            asset: job.answers.clone(),
            notes: job.notes.clone(),
            appointment,
            time_zone,
            created_at: now,
            reason: None,
            remarks: None,
            staff_notes: Vec::new(),
            follow_up_of: None,
            follow_ups: Vec::new(),
            updated_at: None,
            calendar_sequence: 0,
            manage_link: 0,
            tracking: job.tracking.clone(),
        }
    }

    /// The order's job, for `service` as the site offers it now: what a follow-up repeats
    /// and what booking an order created in advance books.
    pub fn job(&self, service: crate::site::Service) -> Job {
        Job {
            service,
            location: self.location.clone(),
            contact: self.contact.clone(),
            answers: self.asset.clone(),
            notes: self.notes.clone(),
            // A follow-up, or the booking of an order made in advance, came from no campaign.
            tracking: Tracking::default(),
        }
    }

    /// True when this order, changed from `before`, holds time now but not the time it held
    /// (another start or technician, or it had none): its booking and slot locks must move.
    pub fn moved_from(&self, before: &WorkOrder) -> bool {
        let Some(now) = self.appointment.as_ref().filter(|_| self.status.holds_time()) else { return false };
        before.appointment.as_ref().is_none_or(|was| {
            was.technician.id != now.technician.id || was.planned_start != now.planned_start
        })
    }

    /// The appointment while the order holds its time (not cancelled or rejected).
    pub fn held(&self) -> Option<&Appointment> {
        self.appointment.as_ref().filter(|_| self.status.holds_time())
    }

    /// Whose job it is, if anyone's yet.
    pub fn technician(&self) -> Option<&Assignee> {
        self.appointment.as_ref().map(|a| &a.technician)
    }

    /// True when it is the job of `technician` (if the caller is one).
    pub fn is_job_of(&self, technician: Option<&TechnicianId>) -> bool {
        technician.is_some_and(|t| self.technician().is_some_and(|a| a.id == *t))
    }
}

/// Priority given to work orders booked by customers.
pub const DEFAULT_PRIORITY: u8 = 50;

#[cfg(test)]
pub(crate) mod fixtures {
    use super::WorkOrder;

    /// A booked work order of site `acme` in `status`: Mary Jones at 1 George St, Unit 4, Sydney 2000,
    /// with Sam from 09:00 to 10:00 Sydney time on 8 December 2026.
    pub fn order(status: &str) -> WorkOrder {
        serde_json::from_value(serde_json::json!({
            "site": "acme", "number": "WO-0000000A", "status": status, "order_type": "repair", "priority": 50,
            "service": { "id": "basic", "name": "Basic", "price": { "minor": 100, "currency": "AUD" } },
            "account": { "name": "Mary Jones" },
            "contact": { "name": "Mary Jones", "email": "mary@example.com", "phone": "0412 345 678" },
            "location": { "line1": "1 George St", "line2": "Unit 4", "city": "Sydney", "postcode": { "country": "AU", "code": "2000" } },
            "asset": [], "planned_start": "2026-12-07T22:00:00Z", "planned_end": "2026-12-07T23:00:00Z",
            "time_zone": "Australia/Sydney", "technician": { "id": "sam", "name": "Sam" },
            "created_at": "2026-12-01T00:00:00Z"
        }))
        .expect("order")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [OrderStatus; 9] = OrderStatus::ALL;

    #[test]
    fn status_codes_match_the_work_order_object() {
        let codes: Vec<u16> = ALL.iter().map(|s| s.code()).collect();
        assert_eq!(codes, [1, 6, 8, 7, 9, 4096, 4097, 1001, 1002]);
        assert_eq!(OrderType::Install.code(), 1001);
        assert_eq!(OrderType::Training.code(), 1007);
    }

    #[test]
    fn closed_orders_never_change_and_nothing_returns_to_new() {
        for from in ALL {
            for to in ALL {
                if from.is_closed() {
                    assert!(!from.can_become(to), "{from:?} -> {to:?}");
                }
                assert!(!from.can_become(OrderStatus::New), "{from:?} -> New");
            }
        }
        assert!(OrderStatus::Onsite.can_become(OrderStatus::ClosedIncomplete));
        assert!(!OrderStatus::New.can_become(OrderStatus::ClosedComplete));
    }

    #[test]
    fn a_status_parses_by_name_or_code_and_serializes_by_name() {
        for status in ALL {
            assert_eq!(OrderStatus::parse("status", status.name()), Ok(status));
            assert_eq!(OrderStatus::parse("status", &status.code().to_string()), Ok(status));
            let json = serde_json::to_string(&status).expect("json");
            assert_eq!(json, format!("\"{}\"", status.name()));
        }
        assert!(OrderStatus::parse("status", "closed").is_err());
    }

    #[test]
    fn only_rejecting_and_closing_incomplete_need_a_reason_and_only_they_and_cancelling_free_time() {
        let needing: Vec<_> = ALL.into_iter().filter(|s| s.reason_list().is_some()).collect();
        assert_eq!(needing, [OrderStatus::ClosedIncomplete, OrderStatus::Rejected]);
        let freeing: Vec<_> = ALL.into_iter().filter(|s| !s.holds_time()).collect();
        assert_eq!(freeing, [OrderStatus::Rejected, OrderStatus::Cancelled]);
        assert!(!OrderStatus::Onsite.can_become(OrderStatus::Cancelled));
    }
}
