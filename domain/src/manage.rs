//! The customer's manage page: their booking, seen and changed through the link in its
//! e-mails, without signing in. The link is signed and expires (see the functions'
//! `app::manage`); what it may still do is decided here.

use crate::connector::{LinkedAppointment, LinkedOrder};
use crate::ids::TechnicianId;
use crate::language::Language;
use crate::site::Site;
use crate::work_order::{OrderStatus, WorkOrder};
use crate::{FieldError, FieldErrors};
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

/// Name of the header carrying a manage link's token.
pub const TOKEN_HEADER: &str = "Manage-Token";
/// A manage link's token as its parts: `{expiry}.{tag}`, or `{expiry}.{count}.{tag}` once
/// staff replaced the order's link `count` times. The tag (a signature) is checked by whoever
/// holds the key; this type only knows the shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManageToken {
    /// Unix seconds after which the link no longer opens the booking.
    pub expires: i64,
    /// How many times the order's link had been replaced when this one was made.
    pub count: u32,
    /// The signature, base64url as sent.
    pub tag: String,
}

impl ManageToken {
    /// The token in `raw`, if it has a token's shape. A count is written only when it is not
    /// 0, without leading zeros: one spelling per token.
    pub fn parse(raw: &str) -> Option<Self> {
        let mut parts = raw.trim().split('.');
        let (expires, second, third) = (parts.next()?, parts.next()?, parts.next());
        if parts.next().is_some() {
            return None;
        }
        let expires = expires.parse().ok()?;
        let (count, tag) = match third {
            None => (0, second),
            Some(tag) => (second.parse().ok().filter(|c| *c != 0 && !second.starts_with('0'))?, tag),
        };
        Some(Self { expires, count, tag: tag.to_owned() })
    }

    /// The token as sent.
    pub fn to_text(&self) -> String {
        if self.count == 0 {
            format!("{}.{}", self.expires, self.tag)
        } else {
            format!("{}.{}.{}", self.expires, self.count, self.tag)
        }
    }
}

/// Hours before the appointment until which customers change or cancel online, unless the
/// site says otherwise.
pub const CHANGE_NOTICE_HOURS: u16 = 24;

/// What the manage page shows of the booking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ManagedBooking {
    /// The booking (its time kept on record once cancelled).
    #[serde(flatten)]
    pub order: LinkedOrder,
    /// Until when it can be moved or cancelled here; none once it cannot.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::wire_time::option_timestamp")]
    pub changeable_until: Option<Timestamp>,
    /// Why it cannot be moved or cancelled here any more, when it cannot, in English.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locked: Option<String>,
    /// The same, as a code a page can say in its own language (with `contact_phone`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locked_reason: Option<Locked>,
    /// The business's phone number, when it gives one: whom a locked booking's customer calls.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_phone: Option<String>,
}

/// Why a booking cannot be moved or cancelled online.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Locked {
    /// Cancelled already.
    Cancelled,
    /// The business declined it.
    Declined,
    /// An order created in advance that has no time yet.
    NoAppointment,
    /// The job has started (its status is past `new`).
    Started {
        /// Where it is.
        status: OrderStatus,
    },
    /// Online changes close this many hours before the appointment, and that time has come.
    TooLate {
        /// The site's notice.
        hours: u16,
    },
}

impl Locked {
    /// What the customer reads, in `language`: why, and whom to call (`business`, on `phone`).
    pub fn sentence(self, language: Language, business: &str, phone: Option<&str>) -> String {
        use Language::{English, Spanish};
        let call = match (language, phone) {
            (English, Some(phone)) => format!("call {business} on {phone} to change it."),
            (English, None) => format!("contact {business} to change it."),
            (Spanish, Some(phone)) => format!("llama a {business} al {phone} para cambiarla."),
            (Spanish, None) => format!("contacta con {business} para cambiarla."),
        };
        match (self, language) {
            (Locked::Cancelled, English) => "This booking is cancelled.".to_owned(),
            (Locked::Cancelled, Spanish) => "Esta reserva está cancelada.".to_owned(),
            (Locked::Declined, English) => "The business declined this booking.".to_owned(),
            (Locked::Declined, Spanish) => "La empresa rechazó esta reserva.".to_owned(),
            (Locked::NoAppointment, English) => "This work order has no appointment yet.".to_owned(),
            (Locked::NoAppointment, Spanish) => "Esta orden de trabajo aún no tiene cita.".to_owned(),
            (Locked::Started { status }, English) => {
                format!("This job is {}: {call}", status.customer_phrase(language))
            }
            (Locked::Started { status }, Spanish) => {
                format!("Este trabajo está {}: {call}", status.customer_phrase(language))
            }
            (Locked::TooLate { hours }, English) => {
                format!("Online changes close {hours} hours before the appointment: {call}")
            }
            (Locked::TooLate { hours }, Spanish) => {
                format!("Los cambios en línea se cierran {hours} horas antes de la cita: {call}")
            }
        }
    }

    /// The English sentence for `site`'s customer.
    pub fn english(self, site: &Site) -> String {
        self.sentence(Language::English, &site.business_name, site.contact_phone.as_ref().map(|p| p.as_str()))
    }
}

impl ManagedBooking {
    /// The page's view of `order` of `site` at `now`.
    pub fn of(order: &WorkOrder, site: &Site, now: Timestamp) -> Self {
        let mut linked = LinkedOrder::for_its_customer(order);
        linked.booked = order.appointment.as_ref().map(|a| LinkedAppointment {
            start: a.planned_start,
            end: a.planned_end,
            technician_name: a.technician.name.clone(),
            time_zone: order.time_zone.clone(),
        });
        let (changeable_until, locked_reason) = match may_change(order, site, now) {
            Ok(()) => (change_deadline(order, site).ok(), None),
            Err(why) => (None, Some(why)),
        };
        Self {
            order: linked,
            changeable_until,
            locked: locked_reason.map(|why| why.english(site)),
            locked_reason,
            contact_phone: site.contact_phone.as_ref().map(|p| p.as_str().to_owned()),
        }
    }
}

/// The last moment the customer may move or cancel `order` online, or why they cannot at all.
pub fn change_deadline(order: &WorkOrder, site: &Site) -> Result<Timestamp, Locked> {
    let Some(appointment) = order.held() else {
        return Err(match order.status {
            OrderStatus::Cancelled => Locked::Cancelled,
            OrderStatus::Rejected => Locked::Declined,
            _ => Locked::NoAppointment,
        });
    };
    if order.status != OrderStatus::New {
        return Err(Locked::Started { status: order.status });
    }
    let notice = SignedDuration::from_hours(i64::from(site.change_notice_hours));
    Ok(appointment.planned_start.checked_sub(notice).unwrap_or(appointment.planned_start))
}

/// Whether `order` may be moved or cancelled online at `now`; why not, when not.
pub fn may_change(order: &WorkOrder, site: &Site, now: Timestamp) -> Result<(), Locked> {
    match change_deadline(order, site)? {
        deadline if now < deadline => Ok(()),
        _ => Err(Locked::TooLate { hours: site.change_notice_hours }),
    }
}

/// `POST …/bookings/{number}/reschedule`: the new slot the customer picked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct RescheduleInput {
    /// Technician id of the chosen slot.
    pub technician: String,
    /// Start instant of the chosen slot (RFC 3339).
    pub start: String,
}

impl RescheduleInput {
    /// The technician and start asked for.
    pub fn parse(&self) -> Result<(TechnicianId, Timestamp), Vec<FieldError>> {
        let mut errors = FieldErrors::default();
        let technician = errors.take(TechnicianId::parse("technician", &self.technician));
        let start = errors.take(crate::api::parse_start(&self.start));
        errors.finish(|| Some((technician?, start?)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manage_token_has_one_spelling_per_count() {
        let parsed = |raw: &str| ManageToken::parse(raw).map(|t| (t.expires, t.count, t.tag));
        assert_eq!(parsed("1700000000.tag"), Some((1_700_000_000, 0, "tag".into())));
        assert_eq!(parsed("1700000000.2.tag"), Some((1_700_000_000, 2, "tag".into())));
        for other in
            ["1700000000.0.tag", "1700000000.02.tag", "1700000000.x.tag", "1.2.3.4", "tag", "x.tag", ""]
        {
            assert_eq!(parsed(other), None, "{other}");
        }
        let token = ManageToken::parse("1700000000.2.tag").expect("token");
        assert_eq!(token.to_text(), "1700000000.2.tag");
    }

    use crate::work_order::fixtures;

    fn site() -> Site {
        serde_json::from_value(serde_json::json!({
            "id": "acme", "business_name": "Acme", "country": "AU", "time_zone": "Australia/Sydney",
            "currency": "AUD", "terms": "", "order_form": { "fields": [] }, "services": [],
            "rules": { "step": 30, "min_notice_minutes": 120, "days_ahead": 30 },
            "contact_phone": "02 9000 1234"
        }))
        .expect("site")
    }

    #[test]
    fn a_booking_changes_online_until_the_notice_and_then_the_customer_calls() {
        let order = fixtures::order("new");
        let start = order.appointment.as_ref().map(|a| a.planned_start).expect("booked");
        let day_before = start - SignedDuration::from_hours(24);
        assert_eq!(change_deadline(&order, &site()), Ok(day_before));
        assert!(may_change(&order, &site(), day_before - SignedDuration::from_secs(1)).is_ok());
        let late = may_change(&order, &site(), day_before).expect_err("too late");
        assert_eq!(late, Locked::TooLate { hours: 24 });
        let view = ManagedBooking::of(&order, &site(), day_before);
        assert_eq!((view.changeable_until, view.locked_reason), (None, Some(late)));
        let english = view.locked.expect("said");
        assert!(english.contains("24 hours") && english.contains("02 9000 1234"), "{english}");
        let spanish = late.sentence(Language::Spanish, "Acme", view.contact_phone.as_deref());
        assert_eq!(
            spanish,
            "Los cambios en línea se cierran 24 horas antes de la cita: llama a Acme al 02 9000 1234 para cambiarla."
        );
    }

    #[test]
    fn a_started_or_cancelled_job_is_not_changed_online() {
        assert!(may_change(&fixtures::order("enroute"), &site(), Timestamp::UNIX_EPOCH).is_err());
        let cancelled = may_change(&fixtures::order("cancelled"), &site(), Timestamp::UNIX_EPOCH);
        assert_eq!(cancelled, Err(Locked::Cancelled));
        let view = ManagedBooking::of(&fixtures::order("cancelled"), &site(), Timestamp::UNIX_EPOCH);
        assert!(view.order.booked.is_some(), "the cancelled time stays on record");
        assert_eq!(view.locked.as_deref(), Some("This booking is cancelled."));
        let started =
            may_change(&fixtures::order("onsite"), &site(), Timestamp::UNIX_EPOCH).expect_err("started");
        assert_eq!(
            started.sentence(Language::Spanish, "Acme", None),
            "Este trabajo está en el lugar: contacta con Acme para cambiarla."
        );
    }
}
