//! The customer's manage link: `/manage/{site}/{number}?token=…`, in every e-mail about a
//! booking. The token is `{expiry}.{HMAC-SHA256}` over the site, the number and the expiry
//! with a key kept in the store, so it opens one booking, cannot be altered, and expires a
//! week after the appointment. No sign-in: whoever has the e-mail may view, move or cancel
//! the booking until the site's notice period closes online changes.
//!
//! Staff can replace an order's link (an e-mail went to a wrong address): the order counts
//! its replacements (`manage_link`), a token of a replaced link carries its count
//! (`{expiry}.{count}.{tag}`, signed with it), and only a token of the current count opens
//! the booking. Links sent before any replacement have no count and stand for 0.

use super::{App, AppError};
use crate::repository::{ChangeRefused, StoredOrder};
use crate::store::{Store, StoreError};
use aws_lc_rs::hmac;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jiff::{SignedDuration, Timestamp};
use jobslot_domain::dispatch::{Change, HistoryEntry};
use jobslot_domain::ids::{SiteId, UserId, WorkOrderNumber};
use jobslot_domain::manage::{ManageToken, ManagedBooking, RescheduleInput, may_change};
use jobslot_domain::site::Site;
use jobslot_domain::staff::Action;
use jobslot_domain::work_order::{Appointment, Assignee, OrderStatus, WorkOrder};

/// How long after the appointment's end a manage link keeps working.
const VALID_AFTER: SignedDuration = SignedDuration::from_hours(7 * 24);

fn signed(site: &SiteId, number: &WorkOrderNumber, expires: i64, count: u32) -> Vec<u8> {
    // Count 0 signs as links did before they could be replaced, so those keep working.
    if count == 0 {
        format!("manage|{site}|{number}|{expires}").into_bytes()
    } else {
        format!("manage|{site}|{number}|{expires}|{count}").into_bytes()
    }
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
        let count = order.manage_link;
        let tag = hmac::sign(&self.manage_key().await?, &signed(&order.site, &order.number, expires, count));
        let token = ManageToken { expires, count, tag: URL_SAFE_NO_PAD.encode(tag.as_ref()) }.to_text();
        Ok(Some(format!("/manage/{}/{}?token={token}", order.site, order.number)))
    }

    /// The site and order a manage link opens. A wrong or altered token, or none, is
    /// [`AppError::NotFound`] like a wrong number; a genuine one past its time is
    /// [`AppError::LinkExpired`].
    async fn managed(
        &self,
        site: &SiteId,
        number: &WorkOrderNumber,
        token: Option<&ManageToken>,
    ) -> Result<(Site, StoredOrder), AppError> {
        let (site, number) = self.site_and_number(site, number).await?;
        let ManageToken { expires, count, tag } = token.ok_or(AppError::NotFound)?;
        let (expires, count) = (*expires, *count);
        let tag = URL_SAFE_NO_PAD.decode(tag).map_err(|_| AppError::NotFound)?;
        hmac::verify(&self.manage_key().await?, &signed(&site.id, &number, expires, count), &tag)
            .map_err(|_| AppError::NotFound)?;
        let stored = self.repo.stored_order(&site.id, &number).await?.ok_or(AppError::NotFound)?;
        // A replaced link is as dead as a made-up one: it may be in a stranger's mailbox.
        if stored.order.manage_link != count {
            return Err(AppError::NotFound);
        }
        if self.clock.now().as_second() >= expires {
            return Err(AppError::LinkExpired);
        }
        Ok((site, stored))
    }

    /// Replaces the customer's manage link of a booked order: every link sent before stops
    /// opening the booking at once, and the customer is e-mailed the new one (at the address
    /// the order has now) through the outbox, in the same write.
    pub async fn replace_manage_link(
        &self,
        site: &SiteId,
        user: &UserId,
        number: &WorkOrderNumber,
    ) -> Result<(), AppError> {
        let (site, member) = self.authorize(site, user, Action::DispatchWorkOrders).await?;
        let stored = self.repo.stored_order(&site.id, number).await?.ok_or(AppError::NotFound)?;
        if stored.order.held().is_none() {
            return Err(AppError::NotBookable(format!(
                "Work order {number} has no booked time, so its customer has no link to replace."
            )));
        }
        let now = self.clock.now();
        let mut after = stored.order.clone();
        after.manage_link += 1;
        after.updated_at = Some(now);
        let change = Change { field: "manage_link".into(), from: None, to: Some("replaced".into()) };
        let entry = HistoryEntry { at: now, by: member.email.as_str().to_owned(), changes: vec![change] };
        match self.repo.change_order(&stored, &after, &entry).await {
            Ok(_) => Ok(()),
            Err(ChangeRefused::Changed) => Err(AppError::PreconditionFailed),
            Err(ChangeRefused::SlotTaken) => Err(AppError::SlotUnavailable),
            Err(ChangeRefused::Store(e)) => Err(e.into()),
        }
    }

    /// The booking a manage link opens, as its page shows it.
    pub async fn managed_booking(
        &self,
        site: &SiteId,
        number: &WorkOrderNumber,
        token: Option<&ManageToken>,
    ) -> Result<ManagedBooking, AppError> {
        let (site, stored) = self.managed(site, number, token).await?;
        Ok(ManagedBooking::of(&stored.order, &site, self.clock.now()))
    }

    /// Moves the booking to a slot the customer picked among those offered: the locks of the
    /// new time are taken and the old ones freed in one write with the order, or nothing is.
    pub async fn reschedule_booking(
        &self,
        site: &SiteId,
        number: &WorkOrderNumber,
        token: Option<&ManageToken>,
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
        after.time_zone = chosen.time_zone.name().to_owned();
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
        site: &SiteId,
        number: &WorkOrderNumber,
        token: Option<&ManageToken>,
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
