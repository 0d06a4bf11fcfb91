//! Running work orders, for staff: the list, one order with its history, and changes by
//! PATCH. Dispatchers and owners may change anything staff may; a technician may move their
//! own jobs through the status machine and add remarks and notes, nothing else.
//!
//! A change that moves an order's time (reassign, reschedule) is checked against the new
//! technician's hours, time off and bookings first, then written in one transaction with the
//! locks it moves, conditioned on the order being the version the caller read: of two
//! dispatchers editing at once, one wins and the other gets 412, and the locks match the
//! winner.

use super::setup::{Expect, Versioned};
use super::{App, AppError};
use crate::repository::{ChangeRefused, ListView, Member, StoredOrder};
use crate::store::Store;
use jiff::Timestamp;
use jiff::civil::Date;
use jobslot_domain::FieldError;
use jobslot_domain::availability::{Interval, SlotRules};
use jobslot_domain::dispatch::{
    HistoryEntry, WorkOrderDetail, WorkOrderListQuery, WorkOrderPage, WorkOrderPatch,
};
use jobslot_domain::ids::SiteId;
use jobslot_domain::ids::{TechnicianId, UserId, WorkOrderNumber};
use jobslot_domain::schedule::GridMinutes;
use jobslot_domain::setup::DAYS_AHEAD_MAX;
use jobslot_domain::site::{Service, Site, Technician};
use jobslot_domain::staff::Action;
use jobslot_domain::work_order::{Assignee, WorkOrder};

impl<S: Store> App<S> {
    /// A page of the site's work orders, sorted by appointment. Technicians see their own.
    pub async fn work_orders(
        &self,
        site: &SiteId,
        user: &UserId,
        query: &WorkOrderListQuery,
    ) -> Result<WorkOrderPage, AppError> {
        let (site, member) = self.authorize(site, user, Action::WorkOwnJobs).await?;
        let mut filter = query.parse(site.country).map_err(AppError::Validation)?;
        if !member.role.allows(Action::ViewWorkOrders) {
            let own = member.technician.clone().ok_or(AppError::Forbidden)?;
            if filter.technician.as_ref().is_some_and(|t| *t != own) {
                return Err(AppError::Forbidden);
            }
            filter.technician = Some(own);
        }
        let zone = site.time_zone.tz();
        let start_of = |field: &str, date: Date| {
            date.to_zoned(zone.clone())
                .map(|z| z.timestamp())
                .map_err(|_| AppError::from(FieldError::new(field, "That date is out of range.")))
        };
        let from = filter.from.map(|d| start_of("from", d)).transpose()?;
        let to = match filter.to {
            Some(last) => {
                let next =
                    last.tomorrow().map_err(|_| FieldError::new("to", "That date is out of range."))?;
                Some(start_of("to", next)?)
            }
            None => None,
        };
        let view = match (&filter.technician, &filter.postcode, filter.statuses.as_slice()) {
            (Some(tech), _, _) => ListView::Technician(tech.clone()),
            (None, Some(postcode), _) => ListView::Postcode(postcode.to_string()),
            (None, None, [status]) => ListView::Status(*status),
            _ => ListView::All,
        };
        let (items, next) = self
            .repo
            .list_orders(&site.id, &view, (from, to), filter.cursor.as_deref(), filter.limit, |entry| {
                filter.matches(&entry.summary, &entry.search)
            })
            .await?;
        Ok(WorkOrderPage { items, next })
    }

    /// One work order with its history: any for those who may see the site's orders, their
    /// own jobs for technicians (others' are "not found").
    pub async fn work_order_detail(
        &self,
        site: &SiteId,
        user: &UserId,
        number: &WorkOrderNumber,
    ) -> Result<Versioned<WorkOrderDetail>, AppError> {
        let (_, _, stored) = self.order_for(site, user, number).await?;
        Ok(detail(stored))
    }

    /// Applies a PATCH to a work order if it is still the version `expect` names.
    pub async fn change_work_order(
        &self,
        site: &SiteId,
        user: &UserId,
        number: &WorkOrderNumber,
        expect: &Expect,
        patch: &WorkOrderPatch,
    ) -> Result<Versioned<WorkOrderDetail>, AppError> {
        let (site, member, stored) = self.order_for(site, user, number).await?;
        let patch = patch.parse().map_err(AppError::Validation)?;
        let own_job = stored.order.is_job_of(member.technician.as_ref());
        let may = member.role.allows(Action::DispatchWorkOrders) || (own_job && patch.is_field_work());
        if !may {
            return Err(AppError::Forbidden);
        }
        match expect {
            Expect::Version(version) if *version == stored.version => {}
            Expect::Version(_) | Expect::New => return Err(AppError::PreconditionFailed),
            Expect::Unstated => return Err(AppError::PreconditionRequired),
        }
        let assignee = match &patch.technician {
            Some(id) if stored.order.technician().is_none_or(|t| t.id != *id) => {
                Some(self.assignable(&site, &stored.order, id).await?)
            }
            _ => None,
        };
        let now = self.clock.now();
        let applied = patch
            .apply(
                &stored.order,
                &site,
                assignee.as_ref().map(|t| Assignee { id: t.id.clone(), name: t.name.clone() }),
                member.email.as_str(),
                now,
                || hex::encode(crate::random::bytes::<4>()),
            )
            .map_err(AppError::Validation)?;
        if applied.changes.is_empty() {
            return Ok(detail(stored));
        }
        let after = applied.order;
        if let Some(appointment) = after.held().filter(|_| after.moved_from(&stored.order)) {
            let technician = match assignee {
                Some(tech) => tech,
                None => self.technician_of(&site, &appointment.technician.id).await?,
            };
            self.check_free(&site, &technician, &after, appointment.time(), now).await?;
        }
        let entry = HistoryEntry { at: now, by: member.email.as_str().to_owned(), changes: applied.changes };
        let version = match self.repo.change_order(&stored, &after, &entry).await {
            Ok(version) => version,
            Err(ChangeRefused::Changed) => return Err(AppError::PreconditionFailed),
            Err(ChangeRefused::SlotTaken) => return Err(AppError::SlotUnavailable),
            Err(ChangeRefused::Store(e)) => return Err(e.into()),
        };
        let mut history = stored.history;
        history.push(entry);
        Ok(Versioned { value: WorkOrderDetail { order: after, history }, version })
    }

    pub(super) async fn order_for(
        &self,
        site: &SiteId,
        user: &UserId,
        number: &WorkOrderNumber,
    ) -> Result<(Site, Member, StoredOrder), AppError> {
        let (site, member) = self.authorize(site, user, Action::WorkOwnJobs).await?;
        let stored = self.repo.stored_order(&site.id, number).await?.ok_or(AppError::NotFound)?;
        let own_job = stored.order.is_job_of(member.technician.as_ref());
        if member.role.allows(Action::ViewWorkOrders) || own_job {
            Ok((site, member, stored))
        } else {
            Err(AppError::NotFound)
        }
    }

    async fn technician_of(&self, site: &Site, id: &TechnicianId) -> Result<Technician, AppError> {
        let (technician, _) = self
            .repo
            .technician(&site.id, id)
            .await?
            .ok_or_else(|| FieldError::new("technician", "The site has no such technician."))?;
        Ok(technician)
    }

    /// The technician an order may be reassigned to: active, doing its service, serving its
    /// postcode.
    async fn assignable(
        &self,
        site: &Site,
        order: &WorkOrder,
        id: &TechnicianId,
    ) -> Result<Technician, AppError> {
        let technician = self.technician_of(site, id).await?;
        if !technician.does(&order.service.id) {
            let message = format!("{} does not do {}.", technician.name, order.service.name);
            return Err(FieldError::new("technician", message).into());
        }
        if !technician.serves(&order.location.postcode) {
            let message = format!("{} does not serve {}.", technician.name, order.location.postcode);
            return Err(FieldError::new("technician", message).into());
        }
        Ok(technician)
    }

    /// Whether the order's new time is free for its technician: inside their hours, not on
    /// time off, not overlapping another booking. Staff are not bound by the customers'
    /// notice and horizon; the store's locks still decide a race.
    async fn check_free(
        &self,
        site: &Site,
        technician: &Technician,
        order: &WorkOrder,
        time: Interval,
        now: Timestamp,
    ) -> Result<(), AppError> {
        let length = time.end.duration_since(time.start).as_mins();
        let duration = u16::try_from(length)
            .ok()
            .and_then(|minutes| GridMinutes::parse("start", minutes).ok())
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("a booked length of {length} minutes")))?;
        let staff_site = Site {
            rules: SlotRules { min_notice_minutes: 0, days_ahead: DAYS_AHEAD_MAX, ..site.rules },
            ..site.clone()
        };
        let service = Service {
            id: order.service.id.clone(),
            name: order.service.name.clone(),
            duration,
            price: order.service.price,
            order_type: order.order_type,
            active: true,
        };
        let offered =
            self.technician_slots(&staff_site, technician, &service, time, now, Some(&order.number)).await?;
        if offered.contains(&time) { Ok(()) } else { Err(AppError::SlotUnavailable) }
    }
}

fn detail(stored: StoredOrder) -> Versioned<WorkOrderDetail> {
    Versioned {
        value: WorkOrderDetail { order: stored.order, history: stored.history },
        version: stored.version,
    }
}
