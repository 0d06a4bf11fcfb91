//! The customer's manage page: their booking, seen and changed through the link in its
//! e-mails, without signing in. The link is signed and expires (see the functions'
//! `app::manage`); what it may still do is decided here.

use crate::connector::{LinkedAppointment, LinkedOrder};
use crate::ids::TechnicianId;
use crate::site::Site;
use crate::work_order::{OrderStatus, WorkOrder};
use crate::{FieldError, FieldErrors};
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

/// Name of the header carrying a manage link's token.
pub const TOKEN_HEADER: &str = "Manage-Token";
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
    /// Why it cannot be moved or cancelled here any more, when it cannot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locked: Option<String>,
}

impl ManagedBooking {
    /// The page's view of `order` of `site` at `now`.
    pub fn of(order: &WorkOrder, site: &Site, now: Timestamp) -> Self {
        let mut linked = LinkedOrder::of(order, None);
        linked.booked = order.appointment.as_ref().map(|a| LinkedAppointment {
            start: a.planned_start,
            end: a.planned_end,
            technician_name: a.technician.name.clone(),
            time_zone: order.time_zone.clone(),
        });
        let (changeable_until, locked) = match change_deadline(order, site) {
            Ok(deadline) if deadline > now => (Some(deadline), None),
            Ok(_) => (None, Some(too_late(site))),
            Err(why) => (None, Some(why)),
        };
        Self { order: linked, changeable_until, locked }
    }
}

/// The last moment the customer may move or cancel `order` online, or why they cannot at all.
pub fn change_deadline(order: &WorkOrder, site: &Site) -> Result<Timestamp, String> {
    let Some(appointment) = order.held() else {
        return Err(match order.status {
            OrderStatus::Cancelled => "This booking is cancelled.".to_owned(),
            OrderStatus::Rejected => "The business declined this booking.".to_owned(),
            _ => "This work order has no appointment yet.".to_owned(),
        });
    };
    if order.status != OrderStatus::New {
        return Err(format!("This job is {}: {}", order.status.label().to_lowercase(), call(site)));
    }
    let notice = SignedDuration::from_hours(i64::from(site.change_notice_hours));
    Ok(appointment.planned_start.checked_sub(notice).unwrap_or(appointment.planned_start))
}

/// Whether `order` may be moved or cancelled online at `now`; the sentence the customer sees
/// when not.
pub fn may_change(order: &WorkOrder, site: &Site, now: Timestamp) -> Result<(), String> {
    match change_deadline(order, site) {
        Ok(deadline) if now < deadline => Ok(()),
        Ok(_) => Err(too_late(site)),
        Err(why) => Err(why),
    }
}

fn too_late(site: &Site) -> String {
    format!("Online changes close {} hours before the appointment: {}", site.change_notice_hours, call(site))
}

fn call(site: &Site) -> String {
    match &site.contact_phone {
        Some(phone) => format!("call {} on {} to change it.", site.business_name, phone.as_str()),
        None => format!("contact {} to change it.", site.business_name),
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
        assert!(late.contains("24 hours") && late.contains("02 9000 1234"), "{late}");
        let view = ManagedBooking::of(&order, &site(), day_before);
        assert_eq!((view.changeable_until, view.locked.is_some()), (None, true));
    }

    #[test]
    fn a_started_or_cancelled_job_is_not_changed_online() {
        assert!(may_change(&fixtures::order("enroute"), &site(), Timestamp::UNIX_EPOCH).is_err());
        let cancelled = may_change(&fixtures::order("cancelled"), &site(), Timestamp::UNIX_EPOCH);
        assert_eq!(cancelled, Err("This booking is cancelled.".to_owned()));
        let view = ManagedBooking::of(&fixtures::order("cancelled"), &site(), Timestamp::UNIX_EPOCH);
        assert!(view.order.booked.is_some(), "the cancelled time stays on record");
    }
}
