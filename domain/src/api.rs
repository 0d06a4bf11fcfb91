//! The HTTP API's requests and responses, shared by the widget and the functions.
//!
//! Requests arrive as raw strings (`*Input`, [`SubmitWorkOrder`]) and are parsed into domain
//! types once, here, so the widget can run the same checks before it sends anything.

use crate::availability::Interval;
use crate::contact::{Contact, Email, NAME_MAX, Phone};
use crate::form::{Answer, OrderForm};
use crate::ids::{ServiceId, SiteId, TechnicianId, WorkOrderNumber};
use crate::money::{Currency, Money};
use crate::postcode::{Country, Postcode};
use crate::site::{Service, Site};
use crate::text::{Lines, Text};
use crate::tracking::Tracking;
use crate::work_order::{Address, OrderStatus};
use crate::{FieldError, FieldErrors};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Path prefix of every API route.
pub const API_PREFIX: &str = "/api";
/// Most days one slots request may cover.
pub const MAX_DAYS_PER_QUERY: u16 = 14;
/// Longest street line accepted.
pub const ADDRESS_LINE_MAX: usize = 120;
/// Longest city accepted.
pub const CITY_MAX: usize = 60;
/// Longest note accepted.
pub const NOTES_MAX: usize = 1000;

/// A service as offered to customers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceOffer {
    #[allow(missing_docs)]
    pub id: ServiceId,
    #[allow(missing_docs)]
    pub name: String,
    /// Length in minutes.
    pub duration_minutes: u16,
    #[allow(missing_docs)]
    pub price: Money,
}

impl From<&Service> for ServiceOffer {
    fn from(s: &Service) -> Self {
        Self {
            id: s.id.clone(),
            name: s.name.clone(),
            duration_minutes: s.duration.minutes(),
            price: s.price,
        }
    }
}

/// `GET /api/sites/{site}/config`: what the widget needs to draw a site's booking flow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SiteConfigResponse {
    #[allow(missing_docs)]
    pub site: SiteId,
    #[allow(missing_docs)]
    pub business_name: String,
    /// Country, deciding the postcode format.
    pub country: Country,
    /// "Postcode" or "ZIP code".
    pub postcode_label: String,
    /// IANA zone of the site.
    pub time_zone: String,
    /// Currency of prices.
    pub currency: Currency,
    /// Bookable services.
    pub services: Vec<ServiceOffer>,
    /// The site's order form.
    pub order_form: OrderForm,
    /// Terms and conditions text.
    pub terms: String,
    /// How many days ahead can be booked.
    pub days_ahead: u16,
    /// The business's accent colour for the widget (`#rrggbb`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accent_colour: Option<String>,
    /// The widget's font, a CSS font-family list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub font_family: Option<String>,
    /// The widget's corner radius in pixels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub corner_radius: Option<u16>,
    /// Origins allowed to embed the widget (the server enforces them; shown for diagnosis).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed_origins: Vec<String>,
}

impl From<&Site> for SiteConfigResponse {
    fn from(site: &Site) -> Self {
        Self {
            site: site.id.clone(),
            business_name: site.business_name.clone(),
            country: site.country,
            postcode_label: site.country.postcode_label().to_owned(),
            time_zone: site.time_zone.name().to_owned(),
            currency: site.currency,
            services: site.services.iter().filter(|s| s.active).map(ServiceOffer::from).collect(),
            order_form: site.order_form.clone(),
            terms: site.terms.clone(),
            days_ahead: site.rules.days_ahead,
            accent_colour: site.accent_colour.clone(),
            font_family: site.font_family.clone(),
            corner_radius: site.corner_radius,
            allowed_origins: site.allowed_origins.clone(),
        }
    }
}

/// A technician as customers see one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TechnicianSummary {
    #[allow(missing_docs)]
    pub id: TechnicianId,
    #[allow(missing_docs)]
    pub name: String,
}

/// `GET /api/sites/{site}/coverage?postcode=`: who serves a postcode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CoverageResponse {
    /// The postcode in canonical form.
    pub postcode: String,
    /// Technicians serving it (empty when nobody does).
    pub technicians: Vec<TechnicianSummary>,
}

/// Query of `GET /api/sites/{site}/slots`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct SlotsQuery {
    /// Postcode as typed.
    #[serde(default)]
    pub postcode: String,
    /// Service id.
    #[serde(default)]
    pub service: String,
    /// First day (`YYYY-MM-DD`, in the site's zone); today when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Number of days, 1 to 14 ([`MAX_DAYS_PER_QUERY`]); 7 when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 14))]
    pub days: Option<u16>,
}

/// A free slot with one technician.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SlotOffer {
    /// Who.
    pub technician: TechnicianId,
    #[allow(missing_docs)]
    #[serde(with = "crate::wire_time::timestamp")]
    pub start: Timestamp,
    #[allow(missing_docs)]
    #[serde(with = "crate::wire_time::timestamp")]
    pub end: Timestamp,
}

/// The slots of one day in the site's zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DaySlots {
    /// The local date.
    #[serde(with = "crate::wire_time::date")]
    pub date: Date,
    /// Slots sorted by start, then technician.
    pub slots: Vec<SlotOffer>,
}

/// `GET /api/sites/{site}/slots`: free slots of the technicians serving a postcode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SlotsResponse {
    /// The postcode in canonical form.
    pub postcode: String,
    /// The service asked about.
    pub service: ServiceId,
    /// The zone days are grouped in; format times in it.
    pub time_zone: String,
    /// First day covered.
    #[serde(with = "crate::wire_time::date")]
    pub from: Date,
    /// Number of days covered; the next page starts at `from + days`.
    pub days_covered: u16,
    /// Technicians serving the postcode.
    pub technicians: Vec<TechnicianSummary>,
    /// Days with at least one slot.
    pub days: Vec<DaySlots>,
}

/// Contact details as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ContactInput {
    /// Full name.
    pub name: String,
    /// E-mail address.
    pub email: String,
    #[allow(missing_docs)]
    pub phone: String,
}

impl ContactInput {
    /// Parses every contact field, reporting each problem as `contact.<field>`.
    pub fn parse(&self) -> Result<Contact, Vec<FieldError>> {
        let mut errors = FieldErrors::default();
        let name = errors.take(Text::parse("contact.name", &self.name, NAME_MAX));
        let email = errors.take(Email::parse("contact.email", &self.email));
        let phone = errors.take(Phone::parse("contact.phone", &self.phone));
        errors.finish(|| Some(Contact { name: name?, email: email?, phone: phone? }))
    }
}

/// The job's address as typed; the postcode comes from the search step.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct AddressInput {
    /// Street address.
    pub line1: String,
    /// Unit, building, … (optional).
    pub line2: String,
    /// Suburb, town or city.
    pub city: String,
}

impl AddressInput {
    /// Parses the address lines, reporting each problem as `address.<field>`, together with
    /// the postcode parsed elsewhere (its error, if any, is reported too).
    pub fn parse(&self, postcode: Result<Postcode, FieldError>) -> Result<Address, Vec<FieldError>> {
        let mut errors = FieldErrors::default();
        let line1 = errors.take(Text::parse("address.line1", &self.line1, ADDRESS_LINE_MAX));
        let line2 = errors.take(Text::parse_optional(
            "address.line2",
            Some(&self.line2),
            ADDRESS_LINE_MAX,
            Lines::Single,
        ));
        let city = errors.take(Text::parse("address.city", &self.city, CITY_MAX));
        let postcode = errors.take(postcode);
        errors.finish(|| Some(Address { line1: line1?, line2: line2?, city: city?, postcode: postcode? }))
    }
}

/// What a work order is for, as typed: the service, where, who, and the business's own
/// questions. A booking names a slot besides; an order created in advance does not.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct JobInput {
    /// Service id.
    pub service: String,
    /// Postcode of the job.
    pub postcode: String,
    /// Address of the job.
    pub address: AddressInput,
    /// Answers to the site's order form, keyed by field id.
    pub answers: BTreeMap<String, serde_json::Value>,
    #[allow(missing_docs)]
    pub contact: ContactInput,
    /// Anything else the technician should know.
    pub notes: String,
    /// Where the booking came from (the page's UTM parameters, ad click ids), for the
    /// business's reports; at most 10, keys `[a-z0-9_]`, values one line of 200 characters.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub tracking: BTreeMap<String, String>,
}

/// What a work order is for, parsed against its site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    #[allow(missing_docs)]
    pub service: Service,
    /// Where.
    pub location: Address,
    #[allow(missing_docs)]
    pub contact: Contact,
    /// Order-form answers.
    pub answers: Vec<Answer>,
    #[allow(missing_docs)]
    pub notes: Option<Text>,
    #[allow(missing_docs)]
    pub tracking: Tracking,
}

impl JobInput {
    /// Parses every field against the site, reporting every problem at once.
    pub fn parse(&self, site: &Site) -> Result<Job, Vec<FieldError>> {
        let mut errors = FieldErrors::default();
        let job = self.parse_into(site, &mut errors);
        errors.finish(|| job)
    }

    /// Parses every field against the site into `errors`; the job if all were valid.
    pub fn parse_into(&self, site: &Site, errors: &mut FieldErrors) -> Option<Job> {
        let service = errors.take(site.parse_service("service", &self.service));
        let postcode = Postcode::parse("postcode", site.country, &self.postcode);
        let location = self.address.parse(postcode).map_err(|e| errors.extend(e)).ok();
        let contact = self.contact.parse().map_err(|e| errors.extend(e)).ok();
        let answers = site.order_form.parse_answers(&self.answers).map_err(|e| errors.extend(e)).ok();
        let notes = errors.take(Text::parse_optional("notes", Some(&self.notes), NOTES_MAX, Lines::Multi));
        let tracking = Tracking::parse("tracking", &self.tracking).map_err(|e| errors.extend(e)).ok();
        Some(Job {
            service: service?,
            location: location?,
            contact: contact?,
            answers: answers?,
            notes: notes?,
            tracking: tracking?,
        })
    }
}

/// `POST /api/sites/{site}/work-orders`, with an `Idempotency-Key` header: book a slot.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct SubmitWorkOrder {
    #[allow(missing_docs)]
    #[serde(flatten)]
    pub job: JobInput,
    /// Technician id of the chosen slot.
    pub technician: String,
    /// Start instant of the chosen slot (RFC 3339).
    pub start: String,
    /// The customer accepted the site's terms.
    pub terms_accepted: bool,
}

/// A submission whose every field has been parsed against its site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submission {
    #[allow(missing_docs)]
    pub job: Job,
    /// The technician asked for.
    pub technician: TechnicianId,
    /// The slot asked for.
    pub slot: Interval,
}

impl SubmitWorkOrder {
    /// Parses the whole submission against the site, reporting every problem at once.
    /// Whether the slot is still free is the booking service's question, not this one's.
    pub fn parse(&self, site: &Site) -> Result<Submission, Vec<FieldError>> {
        let mut errors = FieldErrors::default();
        let job = self.job.parse_into(site, &mut errors);
        let technician = errors.take(TechnicianId::parse("technician", &self.technician));
        let start = errors.take(parse_start(&self.start));
        if !self.terms_accepted {
            errors.push(FieldError::new("terms_accepted", crate::message::Message::AcceptTerms));
        }
        errors.finish(|| {
            let job = job?;
            let slot = job.service.slot_from(start?)?;
            Some(Submission { job, technician: technician?, slot })
        })
    }
}

/// The start of a slot asked for, as `start`.
pub fn parse_start(raw: &str) -> Result<Timestamp, FieldError> {
    raw.trim().parse::<Timestamp>().map_err(|_| FieldError::new("start", "Choose a time slot."))
}

/// Answer to a successful booking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkOrderCreated {
    /// The new work order's number.
    pub number: WorkOrderNumber,
    /// Its status (`new`).
    pub status: OrderStatus,
    #[allow(missing_docs)]
    pub service_name: String,
    #[allow(missing_docs)]
    pub technician_name: String,
    /// Booked start.
    #[serde(with = "crate::wire_time::timestamp")]
    pub start: Timestamp,
    /// Booked end.
    #[serde(with = "crate::wire_time::timestamp")]
    pub end: Timestamp,
    /// Zone to show the times in.
    pub time_zone: String,
}

/// The kinds of problem the API reports; each has a stable `type` URI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProblemKind {
    /// One or more fields are invalid (422).
    Validation,
    /// The body is not JSON of the expected shape (400).
    MalformedBody,
    /// The body is too large (413).
    BodyTooLarge,
    /// No such site (404).
    UnknownSite,
    /// No such resource (404).
    NotFound,
    /// Nobody serves the postcode (422).
    PostcodeNotServed,
    /// The slot is not offered, or was just taken (409).
    SlotUnavailable,
    /// The idempotency key was used for a different request (422).
    IdempotencyKeyReused,
    /// Staff credentials are missing or wrong (401).
    Unauthorized,
    /// The route exists but not with this method (405).
    MethodNotAllowed,
    /// The caller's role on the site does not allow this (403).
    Forbidden,
    /// A dependency is down, or the server is too busy; retry after `Retry-After` seconds (503).
    Unavailable,
    /// This client sent too many requests of this kind; retry after `Retry-After` seconds (429).
    TooManyRequests,
    /// The record changed since the version the edit names (412).
    PreconditionFailed,
    /// An edit must name the version it is based on with `If-Match` (428).
    PreconditionRequired,
    /// The record exists already (409).
    AlreadyExists,
    /// The work order cannot be followed up: not closed incomplete, or its rules say no (409).
    FollowUpNotAllowed,
    /// The work order cannot be booked through its link: booked already, or called off (409).
    NotBookable,
    /// The customer can no longer move or cancel the booking online (409).
    ChangeClosed,
    /// The link was genuine but is past its time (410).
    LinkExpired,
    /// Something failed on our side (500).
    Internal,
}

impl ProblemKind {
    const ALL: [ProblemKind; 21] = [
        ProblemKind::Validation,
        ProblemKind::MalformedBody,
        ProblemKind::BodyTooLarge,
        ProblemKind::UnknownSite,
        ProblemKind::NotFound,
        ProblemKind::PostcodeNotServed,
        ProblemKind::SlotUnavailable,
        ProblemKind::IdempotencyKeyReused,
        ProblemKind::Unauthorized,
        ProblemKind::MethodNotAllowed,
        ProblemKind::Forbidden,
        ProblemKind::Unavailable,
        ProblemKind::TooManyRequests,
        ProblemKind::PreconditionFailed,
        ProblemKind::PreconditionRequired,
        ProblemKind::AlreadyExists,
        ProblemKind::FollowUpNotAllowed,
        ProblemKind::NotBookable,
        ProblemKind::ChangeClosed,
        ProblemKind::LinkExpired,
        ProblemKind::Internal,
    ];

    /// The stable `type` URI of the problem.
    pub fn type_uri(self) -> &'static str {
        match self {
            ProblemKind::Validation => "https://jobslot.dev/problems/validation",
            ProblemKind::MalformedBody => "https://jobslot.dev/problems/malformed-body",
            ProblemKind::BodyTooLarge => "https://jobslot.dev/problems/body-too-large",
            ProblemKind::UnknownSite => "https://jobslot.dev/problems/unknown-site",
            ProblemKind::NotFound => "https://jobslot.dev/problems/not-found",
            ProblemKind::PostcodeNotServed => "https://jobslot.dev/problems/postcode-not-served",
            ProblemKind::SlotUnavailable => "https://jobslot.dev/problems/slot-unavailable",
            ProblemKind::IdempotencyKeyReused => "https://jobslot.dev/problems/idempotency-key-reused",
            ProblemKind::Unauthorized => "https://jobslot.dev/problems/unauthorized",
            ProblemKind::MethodNotAllowed => "https://jobslot.dev/problems/method-not-allowed",
            ProblemKind::Forbidden => "https://jobslot.dev/problems/forbidden",
            ProblemKind::Unavailable => "https://jobslot.dev/problems/unavailable",
            ProblemKind::TooManyRequests => "https://jobslot.dev/problems/too-many-requests",
            ProblemKind::PreconditionFailed => "https://jobslot.dev/problems/changed-by-someone-else",
            ProblemKind::PreconditionRequired => "https://jobslot.dev/problems/if-match-required",
            ProblemKind::AlreadyExists => "https://jobslot.dev/problems/already-exists",
            ProblemKind::FollowUpNotAllowed => "https://jobslot.dev/problems/follow-up-not-allowed",
            ProblemKind::NotBookable => "https://jobslot.dev/problems/work-order-not-bookable",
            ProblemKind::ChangeClosed => "https://jobslot.dev/problems/change-closed",
            ProblemKind::LinkExpired => "https://jobslot.dev/problems/link-expired",
            ProblemKind::Internal => "https://jobslot.dev/problems/internal",
        }
    }

    /// The kind a `type` URI names.
    pub fn from_type_uri(uri: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.type_uri() == uri)
    }
}

/// An RFC 9457 problem document (`application/problem+json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    /// Stable URI of the kind of problem.
    #[serde(rename = "type")]
    pub type_uri: String,
    /// Short summary of the kind.
    pub title: String,
    /// HTTP status.
    pub status: u16,
    /// What went wrong this time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The fields at fault, when there are any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

impl Problem {
    /// The kind, when the type is one of ours.
    pub fn kind(&self) -> Option<ProblemKind> {
        ProblemKind::from_type_uri(&self.type_uri)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problem_types_round_trip() {
        for kind in ProblemKind::ALL {
            assert_eq!(ProblemKind::from_type_uri(kind.type_uri()), Some(kind));
        }
    }

    #[test]
    fn contact_errors_name_each_field() {
        let errors = ContactInput { name: " ".into(), email: "x".into(), phone: "1".into() }
            .parse()
            .expect_err("invalid");
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["contact.name", "contact.email", "contact.phone"]);
    }
}
