//! Seed 003's connector: work orders created in advance, and customers booking them through
//! their links.

use super::identity::{digest, secret};
use super::work_orders::WRITE_ATTEMPTS;
use super::{App, AppError};
use crate::repository::{ChangeRefused, CreateRefused, StoredOrder};
use crate::store::{Store, StoreError};
use jiff::Timestamp;
use jobslot_domain::api::JobInput;
use jobslot_domain::availability::Interval;
use jobslot_domain::connector::{
    BookingToken, Callback, LinkBookingInput, LinkedOrder, UnscheduledOrderCreated, booking_path,
};
use jobslot_domain::dispatch::{Change, HistoryEntry};
use jobslot_domain::ids::SiteId;
use jobslot_domain::ids::{TechnicianId, UserId, WorkOrderNumber};
use jobslot_domain::site::{Site, Technician};
use jobslot_domain::staff::Action;
use jobslot_domain::work_order::{Appointment, Assignee, OrderStatus, WorkOrder};
use subtle::ConstantTimeEq;

impl<S: Store> App<S> {
    /// Creates a work order with everything but a slot, and the link its customer books it
    /// through.
    pub async fn create_unscheduled_order(
        &self,
        site: &SiteId,
        user: &UserId,
        input: &JobInput,
    ) -> Result<UnscheduledOrderCreated, AppError> {
        let (site, member) = self.authorize(site, user, Action::CreateWorkOrders).await?;
        let job = input.parse(&site).map_err(AppError::Validation)?;
        let now = self.clock.now();
        for _ in 0..WRITE_ATTEMPTS {
            let number = WorkOrderNumber::from_random(crate::random::u64());
            let order =
                WorkOrder::new(&site.id, number.clone(), &job, None, site.time_zone.name().to_owned(), now);
            let token = secret();
            match self.repo.create_unscheduled(&order, member.email.as_str(), &digest(&token)).await {
                Ok(()) => {
                    let booking_path = booking_path(&site.id, &number, &token);
                    return Ok(UnscheduledOrderCreated { number, status: order.status, booking_path });
                }
                Err(CreateRefused::NumberTaken) => continue,
                Err(CreateRefused::Store(e)) => return Err(e.into()),
            }
        }
        Err(AppError::Unavailable(StoreError::Conflict))
    }

    /// Replaces the booking link of an order that waits for its booking (the first went
    /// astray, or was shared too widely): the old link stops opening it at once. An order
    /// booked or called off takes no new link.
    pub async fn reissue_booking_link(
        &self,
        site: &SiteId,
        user: &UserId,
        number: &WorkOrderNumber,
    ) -> Result<UnscheduledOrderCreated, AppError> {
        let (site, member) = self.authorize(site, user, Action::CreateWorkOrders).await?;
        let stored = self.repo.stored_order(&site.id, number).await?.ok_or(AppError::NotFound)?;
        let order = &stored.order;
        if order.held().is_some() || order.status != OrderStatus::New {
            return Err(AppError::NotBookable(format!(
                "Work order {number} is {}; its link has nothing left to book.",
                if order.held().is_some() { "booked" } else { order.status.label() }.to_lowercase()
            )));
        }
        let token = secret();
        let change = Change { field: "booking_link".into(), from: None, to: Some("replaced".into()) };
        let entry = HistoryEntry {
            at: self.clock.now(),
            by: member.email.as_str().to_owned(),
            changes: vec![change],
        };
        match self.repo.replace_booking_link(&stored, &digest(&token), &entry).await {
            Ok(()) => Ok(UnscheduledOrderCreated {
                booking_path: booking_path(&site.id, number, &token),
                number: number.clone(),
                status: order.status,
            }),
            Err(ChangeRefused::Changed) => Err(AppError::PreconditionFailed),
            Err(ChangeRefused::SlotTaken) => Err(AppError::SlotUnavailable),
            Err(ChangeRefused::Store(e)) => Err(e.into()),
        }
    }

    /// The order a booking link is for, as its page shows it, returning to `callback_uri`
    /// if the link names one the site allows.
    pub async fn linked_order(
        &self,
        site: &SiteId,
        number: &WorkOrderNumber,
        token: Option<&BookingToken>,
        callback_uri: &str,
    ) -> Result<LinkedOrder, AppError> {
        let (site, stored) = self.linked(site, number, token).await?;
        let callback = Callback::parse_optional(callback_uri, &site.allowed_origins)?;
        Ok(LinkedOrder::of(&stored.order, callback.as_ref()))
    }

    /// Books the slot the customer picked for the order of a booking link: the order gets
    /// its appointment in one write with the slot's locks, its list entries and history,
    /// and the `booking.created` event. Asked again for the slot it has (an answer lost on
    /// the way), it answers the same.
    pub async fn book_linked_order(
        &self,
        site: &SiteId,
        number: &WorkOrderNumber,
        token: Option<&BookingToken>,
        input: &LinkBookingInput,
    ) -> Result<LinkedOrder, AppError> {
        let (site, mut stored) = self.linked(site, number, token).await?;
        let (technician, start, callback) =
            input.parse(&site.allowed_origins).map_err(AppError::Validation)?;
        for _ in 0..WRITE_ATTEMPTS {
            let order = &stored.order;
            if let Some(held) = order.held() {
                if held.technician.id == technician && held.planned_start == start {
                    return Ok(LinkedOrder::of(order, callback.as_ref()));
                }
                return Err(AppError::NotBookable("This work order is booked already.".into()));
            }
            if order.status != OrderStatus::New {
                let why = format!("This work order is {}.", order.status.label().to_lowercase());
                return Err(AppError::NotBookable(why));
            }
            let (chosen, slot) = self.customer_slot(&site, order, &technician, start, None).await?;
            let now = self.clock.now();
            let mut after = order.clone();
            after.appointment = Some(Appointment {
                planned_start: slot.start,
                planned_end: slot.end,
                technician: Assignee { id: chosen.id.clone(), name: chosen.name.clone() },
            });
            after.time_zone = chosen.time_zone.name().to_owned();
            after.updated_at = Some(now);
            let changes = vec![
                Change { field: "start".into(), from: None, to: Some(slot.start.to_string()) },
                Change { field: "technician".into(), from: None, to: Some(chosen.id.to_string()) },
            ];
            let entry = HistoryEntry { at: now, by: "customer".into(), changes };
            match self.repo.change_order(&stored, &after, &entry).await {
                Ok(_) => return Ok(LinkedOrder::of(&after, callback.as_ref())),
                // Changed meanwhile (by staff, or this customer in another tab): decide again.
                Err(ChangeRefused::Changed) => {
                    stored =
                        self.repo.stored_order(&site.id, &order.number).await?.ok_or(AppError::NotFound)?;
                }
                Err(ChangeRefused::SlotTaken) => return Err(AppError::SlotUnavailable),
                Err(ChangeRefused::Store(e)) => return Err(e.into()),
            }
        }
        Err(AppError::Unavailable(StoreError::Conflict))
    }

    /// The technician and slot a customer picked for `order`, if it is offered to customers
    /// now (`ignoring` the order's own booking, when it moves).
    pub(super) async fn customer_slot(
        &self,
        site: &Site,
        order: &WorkOrder,
        technician: &TechnicianId,
        start: Timestamp,
        ignoring: Option<&WorkOrderNumber>,
    ) -> Result<(Technician, Interval), AppError> {
        let job = job_of(site, order)?;
        let slot = job.service.slot_from(start).ok_or(AppError::SlotUnavailable)?;
        let chosen = self.chosen_technician(site, &job, technician).await?;
        let offered =
            self.technician_slots(site, &chosen, &job.service, slot, self.clock.now(), ignoring).await?;
        if offered.contains(&slot) { Ok((chosen, slot)) } else { Err(AppError::SlotUnavailable) }
    }

    /// The site and the order of a booking link. A wrong number, a wrong token, or no token
    /// all get [`AppError::NotFound`]: a link tells nothing about any other order.
    async fn linked(
        &self,
        site: &SiteId,
        number: &WorkOrderNumber,
        token: Option<&BookingToken>,
    ) -> Result<(Site, StoredOrder), AppError> {
        let (site, number) = self.site_and_number(site, number).await?;
        let token = token.ok_or(AppError::NotFound)?;
        let (hash, stored) = tokio::try_join!(
            self.repo.booking_link(&site.id, &number),
            self.repo.stored_order(&site.id, &number)
        )?;
        let given = digest(token.as_str());
        let matches = hash.is_some_and(|hash| bool::from(given.as_bytes().ct_eq(hash.as_bytes())));
        match stored {
            Some(stored) if matches => Ok((site, stored)),
            _ => Err(AppError::NotFound),
        }
    }
}

/// The job of an order created in advance, with its service as the site offers it now.
fn job_of(site: &Site, order: &WorkOrder) -> Result<jobslot_domain::api::Job, AppError> {
    let service =
        site.services.iter().find(|s| s.id == order.service.id && s.active).cloned().ok_or_else(|| {
            AppError::NotBookable(format!("{} is no longer offered online.", order.service.name))
        })?;
    Ok(order.job(service))
}
