//! Follow-up bookings: a job closed incomplete, whose order type's rules allow it, gets a new
//! work order for the same location and service, linked both ways, in one atomic write with
//! the new booking's locks.

use super::work_orders::{Booker, Submitted, request_hash};
use super::{App, AppError};
use crate::repository::StoredOrder;
use crate::store::Store;
use jobslot_domain::api::{SlotsQuery, SlotsResponse, Submission};
use jobslot_domain::ids::SiteId;
use jobslot_domain::ids::WorkOrderNumber;

use jobslot_domain::follow_up::{FollowUpInput, FollowUpSlotsQuery};
use jobslot_domain::ids::{IdempotencyKey, UserId};
use jobslot_domain::site::Site;
use jobslot_domain::staff::Action;
use jobslot_domain::work_order::{OrderStatus, WorkOrder};

impl<S: Store> App<S> {
    /// Free slots for a follow-up of a work order: its location and service, the same
    /// technician's first on each day, then everyone else's who serves the area.
    pub async fn follow_up_slots(
        &self,
        site: &SiteId,
        user: &UserId,
        number: &WorkOrderNumber,
        query: &FollowUpSlotsQuery,
    ) -> Result<SlotsResponse, AppError> {
        let (site, _, stored) = self.order_for(site, user, number).await?;
        follow_up_allowed(&site, &stored.order)?;
        let order = &stored.order;
        let search = SlotsQuery {
            postcode: order.location.postcode.to_string(),
            service: order.service.id.to_string(),
            from: query.from.clone(),
            days: query.days,
        };
        let mut slots = self.slots(&site.id, &search).await?;
        let own = |id: &jobslot_domain::ids::TechnicianId| !order.is_job_of(Some(id));
        for day in &mut slots.days {
            day.slots.sort_by_key(|s| (own(&s.technician), s.start));
        }
        slots.technicians.sort_by_key(|t| own(&t.id));
        Ok(slots)
    }

    /// Books a follow-up of a work order against a free slot. A retry with the same key gets
    /// the first answer.
    pub async fn book_follow_up(
        &self,
        site: &SiteId,
        user: &UserId,
        number: &WorkOrderNumber,
        key: &IdempotencyKey,
        input: &FollowUpInput,
    ) -> Result<Submitted, AppError> {
        let (site, member, stored) = self.order_for(site, user, number).await?;
        // Dispatchers and owners book follow-ups of any job, technicians of their own; an
        // integrator, who may read every order, books none.
        let own_job = stored.order.is_job_of(member.technician.as_ref());
        if !(member.role.allows(Action::DispatchWorkOrders) || own_job) {
            return Err(AppError::Forbidden);
        }
        let hash = request_hash(&(number, input))?;
        if let Some(done) = self.replay(&site, key, &hash).await? {
            return Ok(done);
        }
        follow_up_allowed(&site, &stored.order)?;
        let (technician, start) = input.parse().map_err(AppError::Validation)?;
        let submission = follow_up_of(&site, &stored, technician, start)?;
        let booker = Booker { by: member.email.as_str().to_owned(), follows: Some(&stored) };
        match self.book(&site, key, &hash, &submission, &booker).await {
            Err(AppError::SlotUnavailable) => {
                self.replay(&site, key, &hash).await?.ok_or(AppError::SlotUnavailable)
            }
            outcome => outcome,
        }
    }
}

/// Refuses a follow-up the order's state or rules do not allow.
fn follow_up_allowed(site: &Site, order: &WorkOrder) -> Result<(), AppError> {
    if order.status != OrderStatus::ClosedIncomplete {
        return Err(AppError::FollowUpNotAllowed(format!(
            "Only a job closed incomplete can be followed up; this one is {}.",
            order.status.label().to_lowercase()
        )));
    }
    if !site.rules_for(order.order_type).can_schedule_followup {
        return Err(AppError::FollowUpNotAllowed(format!(
            "Follow-ups are off for {} work orders (rule CanScheduleFollowup in the site's work-order rules).",
            order.order_type.label().to_lowercase()
        )));
    }
    Ok(())
}

/// The booking a follow-up makes: the first order's service, customer, location, answers and
/// notes, at the slot chosen.
fn follow_up_of(
    site: &Site,
    stored: &StoredOrder,
    technician: jobslot_domain::ids::TechnicianId,
    start: jiff::Timestamp,
) -> Result<Submission, AppError> {
    let order = &stored.order;
    let service = site.parse_service("service", order.service.id.as_str())?;
    let slot = service
        .slot_from(start)
        .ok_or_else(|| jobslot_domain::FieldError::new("start", "That time is out of range."))?;
    Ok(Submission { job: order.job(service), technician, slot })
}
