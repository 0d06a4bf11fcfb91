//! Seed 003's connector: work orders created in advance (by an integrator's system or a
//! dispatcher) with everything but a slot, and the link that sends their customer to the
//! hosted booking page to pick one, then back to the integrator's `callback_uri`.
//!
//! The link carries a random token bound to one order; only its hash is stored, so the link
//! is shown once, when the order is created. The callback is an open redirect unless its
//! origin is one the site allows, so it is parsed here, once, before anything is shown.

use crate::FieldError;
use crate::ids::{SiteId, TechnicianId, WorkOrderNumber};
use crate::work_order::{OrderStatus, WorkOrder};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// Name of the header carrying a booking link's token (kept out of URLs the API logs).
pub const TOKEN_HEADER: &str = "Booking-Token";
/// Random bytes in a booking link's token.
pub const TOKEN_BYTES: usize = 32;
/// Longest `callback_uri` accepted.
pub const CALLBACK_MAX: usize = 2048;

/// The answer to creating a work order in advance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnscheduledOrderCreated {
    /// The new work order's number: keep it to find the order again.
    pub number: WorkOrderNumber,
    /// Its status (`new`).
    pub status: OrderStatus,
    /// The hosted booking page for this order and no other, on the Jobslot host, with its
    /// token; append `&callback_uri=…` to send the customer back afterwards. Shown only
    /// now: Jobslot keeps a hash of the token, not the token.
    pub booking_path: String,
}

/// The path of the hosted booking page of `number` with `token`.
pub fn booking_path(site: &SiteId, number: &WorkOrderNumber, token: &str) -> String {
    format!("/book/{site}/work-orders/{number}?token={token}")
}

/// A booking link's token as presented: the URL-safe base64 of [`TOKEN_BYTES`] bytes, or
/// nothing that could be one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookingToken(String);

impl BookingToken {
    /// The token in `raw`, if it has a token's shape (anything else can match no order).
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        let shaped = raw.len() == (TOKEN_BYTES * 4).div_ceil(3)
            && raw.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        shaped.then(|| Self(raw.to_owned()))
    }

    /// The token's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Query of `GET /api/sites/{site}/work-orders/{number}/booking`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
#[serde(default)]
pub struct LinkQuery {
    /// The link's `callback_uri`, if it had one: checked against the site's allowed origins
    /// before anything is shown, and the answer's `return_to` built from it.
    pub callback_uri: String,
}

/// What the hosted booking page shows of the order its link is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LinkedOrder {
    /// The work order's number.
    pub number: WorkOrderNumber,
    #[allow(missing_docs)]
    pub status: OrderStatus,
    /// The service id, for the slot search.
    pub service: String,
    /// The service's name.
    pub service_name: String,
    /// Where and for whom, while the order waits for its booking. Once it is booked or
    /// called off the link shows none of it: links travel in e-mails and chats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job: Option<LinkedJob>,
    /// The booked time, once booked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub booked: Option<LinkedAppointment>,
    /// Where to send the customer now (the `callback_uri` asked for, with the outcome).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_to: Option<String>,
}

/// The job of an order that waits for its booking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LinkedJob {
    /// The job's postcode, for the slot search.
    pub postcode: String,
    /// The job's address in one line.
    pub address: String,
    /// Who the job is for.
    pub customer: String,
}

/// A booked time as the customer sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LinkedAppointment {
    #[allow(missing_docs)]
    #[serde(with = "crate::wire_time::timestamp")]
    pub start: Timestamp,
    #[allow(missing_docs)]
    #[serde(with = "crate::wire_time::timestamp")]
    pub end: Timestamp,
    /// The technician's name.
    pub technician_name: String,
    /// The zone to show the times in.
    pub time_zone: String,
}

impl LinkedOrder {
    /// The view of `order` a booking link gives, returning to `callback` if the link asked to.
    pub fn of(order: &WorkOrder, callback: Option<&Callback>) -> Self {
        let waiting = order.held().is_none() && order.status == OrderStatus::New;
        Self::view(order, callback, waiting)
    }

    /// The view of `order` its customer's manage link gives: with the job, whatever its state.
    pub fn for_its_customer(order: &WorkOrder) -> Self {
        Self::view(order, None, true)
    }

    fn view(order: &WorkOrder, callback: Option<&Callback>, with_job: bool) -> Self {
        let job = with_job.then(|| {
            let location = &order.location;
            let mut address = vec![location.line1.as_str()];
            address.extend(location.line2.as_ref().map(|l| l.as_str()));
            address.push(location.city.as_str());
            let postcode = location.postcode.to_string();
            LinkedJob {
                address: format!("{} {postcode}", address.join(", ")),
                postcode,
                customer: order.contact.name.as_str().to_owned(),
            }
        });
        Self {
            number: order.number.clone(),
            status: order.status,
            service: order.service.id.to_string(),
            service_name: order.service.name.clone(),
            job,
            booked: order.held().map(|a| LinkedAppointment {
                start: a.planned_start,
                end: a.planned_end,
                technician_name: a.technician.name.clone(),
                time_zone: order.time_zone.clone(),
            }),
            return_to: callback.map(|c| c.with_outcome(order)),
        }
    }
}

/// `POST …/work-orders/{number}/booking`: the slot the customer picked for the order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct LinkBookingInput {
    /// Technician id of the chosen slot.
    pub technician: String,
    /// Start instant of the chosen slot (RFC 3339).
    pub start: String,
    /// The customer accepted the site's terms.
    pub terms_accepted: bool,
    /// The link's `callback_uri`, if it had one: the answer's `return_to` is built from it.
    pub callback_uri: String,
}

impl LinkBookingInput {
    /// The technician and start asked for, and the callback, checked against the site's
    /// `allowed` origins; every problem at once.
    pub fn parse(
        &self,
        allowed: &[String],
    ) -> Result<(TechnicianId, Timestamp, Option<Callback>), Vec<FieldError>> {
        let mut errors = crate::FieldErrors::default();
        let technician = errors.take(TechnicianId::parse("technician", &self.technician));
        let start = errors.take(crate::api::parse_start(&self.start));
        if !self.terms_accepted {
            errors.push(FieldError::new("terms_accepted", crate::message::Message::AcceptTerms));
        }
        let callback = errors.take(Callback::parse_optional(&self.callback_uri, allowed));
        errors.finish(|| Some((technician?, start?, callback?)))
    }
}

/// Where the customer goes back to: an absolute `http(s)` URL on an origin the site allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Callback {
    /// Everything before the fragment.
    base: String,
    /// The fragment, with its `#`, if any.
    fragment: String,
}

impl Callback {
    /// The callback in `raw` (none when empty), if its origin is one of `allowed` (origins
    /// as the site stores them: lower-case `scheme://host[:port]`).
    pub fn parse_optional(raw: &str, allowed: &[String]) -> Result<Option<Self>, FieldError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Ok(None);
        }
        let refuse = |message: &'static str| FieldError::new("callback_uri", message);
        if raw.len() > CALLBACK_MAX {
            return Err(refuse("The return address is too long."));
        }
        if raw.chars().any(|c| c.is_control() || c.is_whitespace() || c == '\\') {
            return Err(refuse("The return address has characters a URL cannot have."));
        }
        let (scheme, rest) =
            raw.split_once("://").ok_or_else(|| refuse("Give an absolute https:// address."))?;
        let scheme = scheme.to_ascii_lowercase();
        if scheme != "https" && scheme != "http" {
            return Err(refuse("Give an absolute https:// address."));
        }
        let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let authority = &rest[..authority_end];
        // `https://allowed.example@elsewhere.example` goes to elsewhere.example.
        if authority.is_empty() || authority.contains('@') {
            return Err(refuse("Give an address without a user name."));
        }
        let origin = format!("{scheme}://{}", authority.to_ascii_lowercase());
        if !allowed.contains(&origin) {
            return Err(refuse("The business does not allow returning to this address."));
        }
        let (base, fragment) = match raw.find('#') {
            Some(at) => (&raw[..at], &raw[at..]),
            None => (raw, ""),
        };
        Ok(Some(Self { base: base.to_owned(), fragment: fragment.to_owned() }))
    }

    /// The callback with the order's `work_order`, `status` and `progress` added to its query.
    pub fn with_outcome(&self, order: &WorkOrder) -> String {
        let joiner = if self.base.contains('?') { '&' } else { '?' };
        format!(
            "{}{joiner}work_order={}&status={}&progress={}{}",
            self.base,
            order.number,
            order.status.name(),
            progress(order),
            self.fragment
        )
    }
}

/// How much of what the link asked the customer is done, 0 to 100: picking a slot is all of
/// it, so 100 once the order holds a time, else 0.
pub fn progress(order: &WorkOrder) -> u8 {
    if order.held().is_some() { 100 } else { 0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allowed() -> Vec<String> {
        vec!["https://shop.example".into(), "http://127.0.0.1:8080".into()]
    }

    fn parse(raw: &str) -> Result<Option<Callback>, FieldError> {
        Callback::parse_optional(raw, &allowed())
    }

    #[test]
    fn a_callback_on_an_allowed_origin_gets_the_outcome_in_its_query_before_any_fragment() {
        let order = crate::work_order::fixtures::order("new");
        let plain = parse("https://shop.example/done").expect("allowed").expect("given");
        assert_eq!(
            plain.with_outcome(&order),
            "https://shop.example/done?work_order=WO-0000000A&status=new&progress=100"
        );
        let rich = parse("HTTPS://Shop.Example/app?job=7#/jobs/7").expect("allowed").expect("given");
        assert_eq!(
            rich.with_outcome(&order),
            "HTTPS://Shop.Example/app?job=7&work_order=WO-0000000A&status=new&progress=100#/jobs/7"
        );
        let mut waiting = order.clone();
        waiting.appointment = None;
        assert!(plain.with_outcome(&waiting).ends_with("progress=0"));
        assert_eq!(parse("  "), Ok(None));
    }

    #[test]
    fn a_callback_elsewhere_is_refused_so_the_page_is_no_open_redirect() {
        for raw in [
            "https://evil.example/",
            "https://shop.example.evil.example/",
            "https://shop.example@evil.example/",
            "http://shop.example/",
            "https://shop.example:444/",
            "//shop.example/",
            "javascript://shop.example/%0aalert(1)",
            "https://shop.example\\@evil.example",
            "https://shop.example/\nSet-Cookie: x",
            "shop.example/done",
        ] {
            let refused = parse(raw).expect_err(raw);
            assert_eq!(refused.field, "callback_uri", "{raw}");
        }
        assert!(parse(&format!("https://shop.example/{}", "a".repeat(CALLBACK_MAX))).is_err());
    }

    #[test]
    fn only_a_token_shaped_string_is_a_token() {
        let token = "a".repeat(43);
        assert_eq!(BookingToken::parse(&token).map(|t| t.as_str().len()), Some(43));
        assert!(BookingToken::parse(&"a".repeat(42)).is_none());
        assert!(BookingToken::parse(&format!("{}=", "a".repeat(42))).is_none());
        assert!(BookingToken::parse("").is_none());
    }
}
