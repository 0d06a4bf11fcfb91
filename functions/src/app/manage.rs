//! The customer's manage link: `/manage/{site}/{number}?token=…`, in every e-mail about a
//! booking. The token is `{expiry}.{HMAC-SHA256}` over the site, the number and the expiry
//! with a key kept in the store, so it opens one booking, cannot be altered, and expires a
//! week after the appointment. No sign-in: whoever has the e-mail may view, move or cancel
//! the booking until the site's notice period closes online changes.

use super::{App, AppError};
use crate::repository::{ChangeRefused, StoredOrder};
use crate::store::{Store, StoreError};
use aws_lc_rs::hmac;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jiff::{SignedDuration, Timestamp};
use jobslot_domain::dispatch::{Change, HistoryEntry};
use jobslot_domain::ids::{SiteId, WorkOrderNumber};
use jobslot_domain::manage::{ManagedBooking, RescheduleInput, may_change};
use jobslot_domain::site::Site;
use jobslot_domain::work_order::{Appointment, Assignee, OrderStatus, WorkOrder};

/// How long after the appointment's end a manage link keeps working.
const VALID_AFTER: SignedDuration = SignedDuration::from_hours(7 * 24);

fn signed(site: &SiteId, number: &WorkOrderNumber, expires: i64) -> Vec<u8> {
    format!("manage|{site}|{number}|{expires}").into_bytes()
}

impl<S: Store> App<S> {
    async fn manage_key(&self) -> Result<hmac::Key, StoreError> {
        let secret = self.repo.secret_or_insert("MANAGE_LINKS", &crate::random::bytes::<32>()).await?;
        Ok(hmac::Key::new(hmac::HMAC_SHA256, &secret))
    }

    /// The manage link's path and query for `order` (none for an order with no time).
    pub async fn manage_path(&self, order: &WorkOrder) -> Result<Option<String>, StoreError> {
        let Some(appointment) = &order.appointment else { return Ok(None) };
        let expires = (appointment.planned_end + VALID_AFTER).as_second();
        let tag = hmac::sign(&self.manage_key().await?, &signed(&order.site, &order.number, expires));
        let token = format!("{expires}.{}", URL_SAFE_NO_PAD.encode(tag.as_ref()));
        Ok(Some(format!("/manage/{}/{}?token={token}", order.site, order.number)))
    }

    /// The site and order a manage link opens. A wrong or altered token, or none, is
    /// [`AppError::NotFound`] like a wrong number; a genuine one past its time is
    /// [`AppError::LinkExpired`].
    async fn managed(
        &self,
        site: &str,
        number: &str,
        token: Option<&str>,
    ) -> Result<(Site, StoredOrder), AppError> {
        let (site, number) = self.site_and_number(site, number).await?;
        let (expires, tag) = token.and_then(|t| t.trim().split_once('.')).ok_or(AppError::NotFound)?;
        let expires: i64 = expires.parse().map_err(|_| AppError::NotFound)?;
        let tag = URL_SAFE_NO_PAD.decode(tag).map_err(|_| AppError::NotFound)?;
        hmac::verify(&self.manage_key().await?, &signed(&site.id, &number, expires), &tag)
            .map_err(|_| AppError::NotFound)?;
        if self.clock.now().as_second() >= expires {
            return Err(AppError::LinkExpired);
        }
        let stored = self.repo.stored_order(&site.id, &number).await?.ok_or(AppError::NotFound)?;
        Ok((site, stored))
    }

    /// The booking a manage link opens, as its page shows it.
    pub async fn managed_booking(
        &self,
        site: &str,
        number: &str,
        token: Option<&str>,
    ) -> Result<ManagedBooking, AppError> {
        let (site, stored) = self.managed(site, number, token).await?;
        Ok(ManagedBooking::of(&stored.order, &site, self.clock.now()))
    }

    /// Moves the booking to a slot the customer picked among those offered: the locks of the
    /// new time are taken and the old ones freed in one write with the order, or nothing is.
    pub async fn reschedule_booking(
        &self,
        site: &str,
        number: &str,
        token: Option<&str>,
        input: &RescheduleInput,
    ) -> Result<ManagedBooking, AppError> {
        let (site, stored) = self.managed(site, number, token).await?;
        let order = &stored.order;
        let (technician, start) = input.parse().map_err(AppError::Validation)?;
        let now = self.clock.now();
        may_change(order, &site, now).map_err(|why| AppError::ChangeClosed(why.english(&site)))?;
        let (chosen, slot) =
            self.customer_slot(&site, order, &technician, start, Some(&order.number)).await?;
        let before = order.appointment.clone().ok_or(AppError::NotFound)?;
        if before.technician.id == chosen.id && before.planned_start == slot.start {
            return Ok(ManagedBooking::of(order, &site, now));
        }
        let mut after = order.clone();
        after.appointment = Some(Appointment {
            planned_start: slot.start,
            planned_end: slot.end,
            technician: Assignee { id: chosen.id.clone(), name: chosen.name.clone() },
        });
        after.time_zone = chosen.time_zone.clone();
        after.calendar_sequence += 1;
        after.updated_at = Some(now);
        let mut changes = vec![Change {
            field: "start".into(),
            from: Some(before.planned_start.to_string()),
            to: Some(slot.start.to_string()),
        }];
        if before.technician.id != chosen.id {
            changes.push(Change {
                field: "technician".into(),
                from: Some(before.technician.id.to_string()),
                to: Some(chosen.id.to_string()),
            });
        }
        self.customer_change(&site, &stored, &after, changes, now).await
    }

    /// Cancels the booking, freeing its time, while online changes are open.
    pub async fn cancel_booking(
        &self,
        site: &str,
        number: &str,
        token: Option<&str>,
    ) -> Result<ManagedBooking, AppError> {
        let (site, stored) = self.managed(site, number, token).await?;
        let order = &stored.order;
        let now = self.clock.now();
        may_change(order, &site, now).map_err(|why| AppError::ChangeClosed(why.english(&site)))?;
        let mut after = order.clone();
        after.status = OrderStatus::Cancelled;
        after.calendar_sequence += 1;
        after.updated_at = Some(now);
        let changes = vec![Change {
            field: "status".into(),
            from: Some(order.status.name().into()),
            to: Some(OrderStatus::Cancelled.name().into()),
        }];
        self.customer_change(&site, &stored, &after, changes, now).await
    }

    /// Writes the customer's change of `stored` if nobody changed it since it was read.
    async fn customer_change(
        &self,
        site: &Site,
        stored: &StoredOrder,
        after: &WorkOrder,
        changes: Vec<Change>,
        now: Timestamp,
    ) -> Result<ManagedBooking, AppError> {
        let entry = HistoryEntry { at: now, by: "customer".into(), changes };
        match self.repo.change_order(stored, after, &entry).await {
            Ok(_) => Ok(ManagedBooking::of(after, site, now)),
            Err(ChangeRefused::Changed) => Err(AppError::PreconditionFailed),
            Err(ChangeRefused::SlotTaken) => Err(AppError::SlotUnavailable),
            Err(ChangeRefused::Store(e)) => Err(e.into()),
        }
    }
}
