//! The work-orders function: book a slot (booking and work order at once) and read orders.

use super::{App, AppError};
use crate::repository::{BookingRefused, FollowedUp, IdempotencyRecord, NewBooking, StoredOrder};
use crate::store::{Store, StoreError};
use jiff::SignedDuration;
use jobslot_domain::FieldError;
use jobslot_domain::api::{Job, Submission, SubmitWorkOrder, WorkOrderCreated};
use jobslot_domain::booking::Booking;
use jobslot_domain::dispatch::{Change, HistoryEntry};
use jobslot_domain::ids::SiteId;
use jobslot_domain::ids::{IdempotencyKey, TechnicianId, WorkOrderNumber};
use jobslot_domain::site::{Site, Technician};
use jobslot_domain::work_order::{Appointment, Assignee, WorkOrder};
use sha2::{Digest, Sha256};

/// How long a retried request with the same idempotency key gets the first answer back.
const IDEMPOTENCY_WINDOW: SignedDuration = SignedDuration::from_hours(24);
/// Attempts at writing the booking: a random work-order number that collides, or a DynamoDB
/// transaction conflicting with a concurrent one, is retried; anything else is final.
pub(super) const WRITE_ATTEMPTS: u32 = 4;

/// Who books, for the history, and the work order the booking follows up, if any.
pub(super) struct Booker<'a> {
    /// `customer`, or a staff member's e-mail address.
    pub by: String,
    /// The work order this one follows up; it is linked to the new one in the same write.
    pub follows: Option<&'a StoredOrder>,
}

/// The outcome of a submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submitted {
    /// What was booked.
    pub created: WorkOrderCreated,
    /// True when this answers a retry of an earlier request with the same key.
    pub replayed: bool,
}

impl<S: Store> App<S> {
    /// Validates everything again and creates the booking and its work order atomically.
    ///
    /// A retry (same key, same body) gets the first answer whatever happens in between: the
    /// stored outcome is looked up before the body is validated again (the business may have
    /// changed its form since), and again whenever this attempt loses the slot, because the
    /// request that took it may be this one's own earlier attempt.
    pub async fn submit_work_order(
        &self,
        site: &SiteId,
        key: &IdempotencyKey,
        request: &SubmitWorkOrder,
    ) -> Result<Submitted, AppError> {
        let site = self.site(site).await?;
        let request_hash = request_hash(request)?;
        if let Some(done) = self.replay(&site, key, &request_hash).await? {
            return Ok(done);
        }
        let submission = request.parse(&site).map_err(AppError::Validation)?;
        let booker = Booker { by: "customer".into(), follows: None };
        match self.book(&site, key, &request_hash, &submission, &booker).await {
            Err(AppError::SlotUnavailable) => {
                self.replay(&site, key, &request_hash).await?.ok_or(AppError::SlotUnavailable)
            }
            outcome => outcome,
        }
    }

    /// Checks the slot is offered, then writes the booking; the store's conditions decide races.
    pub(super) async fn book(
        &self,
        site: &Site,
        key: &IdempotencyKey,
        request_hash: &str,
        submission: &Submission,
        booker: &Booker<'_>,
    ) -> Result<Submitted, AppError> {
        let technician = self.chosen_technician(site, &submission.job, &submission.technician).await?;
        let now = self.clock.now();
        let offered = self
            .technician_slots(site, &technician, &submission.job.service, submission.slot, now, None)
            .await?;
        if !offered.contains(&submission.slot) {
            return Err(AppError::SlotUnavailable);
        }

        for attempt in 1..=WRITE_ATTEMPTS {
            let number = WorkOrderNumber::from_random(crate::random::u64());
            let appointment = Appointment {
                planned_start: submission.slot.start,
                planned_end: submission.slot.end,
                technician: Assignee { id: technician.id.clone(), name: technician.name.clone() },
            };
            let zone = technician.time_zone.name().to_owned();
            let mut work_order =
                WorkOrder::new(&site.id, number.clone(), &submission.job, Some(appointment), zone, now);
            let follows = booker.follows.map(|first| {
                work_order.follow_up_of = Some(first.order.number.clone());
                work_order.priority = first.order.priority;
                let mut after = first.order.clone();
                after.follow_ups.push(number.clone());
                after.updated_at = Some(now);
                let change = Change { field: "follow_ups".into(), from: None, to: Some(number.to_string()) };
                let entry = HistoryEntry { at: now, by: booker.by.clone(), changes: vec![change] };
                FollowedUp { before: first.clone(), after, entry }
            });
            let created = WorkOrderCreated {
                number: number.clone(),
                status: work_order.status,
                service_name: submission.job.service.name.clone(),
                technician_name: technician.name.clone(),
                start: submission.slot.start,
                end: submission.slot.end,
                time_zone: site.time_zone.name().to_owned(),
            };
            let record =
                IdempotencyRecord { request_hash: request_hash.to_owned(), response: created.clone() };
            let expires_at = (now + IDEMPOTENCY_WINDOW).as_second();
            let new = NewBooking {
                booked_by: booker.by.clone(),
                follows,
                booking: Booking {
                    site: site.id.clone(),
                    technician: technician.id.clone(),
                    work_order: number,
                    time: submission.slot,
                },
                work_order,
                idempotency: Some((key.clone(), record, expires_at)),
            };
            match self.repo.create_booking(&new).await {
                Ok(()) => return Ok(Submitted { created, replayed: false }),
                Err(BookingRefused::NumberTaken) => continue,
                Err(BookingRefused::Store(StoreError::Conflict)) => {
                    tokio::time::sleep(backoff(attempt)).await;
                    continue;
                }
                Err(BookingRefused::SlotTaken) => return Err(AppError::SlotUnavailable),
                Err(BookingRefused::FollowedChanged) => return Err(AppError::PreconditionFailed),
                Err(BookingRefused::IdempotencyKeyTaken) => {
                    // A concurrent request with the same key won; answer as it did.
                    return self
                        .replay(site, key, request_hash)
                        .await?
                        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("idempotency record vanished")));
                }
                Err(BookingRefused::Store(e)) => return Err(e.into()),
            }
        }
        // Every attempt conflicted or drew a taken number: busy, not broken.
        Err(AppError::Unavailable(StoreError::Conflict))
    }

    /// The earlier answer to this key, if the request is the same; an error if it differs.
    pub(super) async fn replay(
        &self,
        site: &Site,
        key: &IdempotencyKey,
        request_hash: &str,
    ) -> Result<Option<Submitted>, AppError> {
        match self.repo.idempotency_record(&site.id, key, self.clock.now()).await? {
            None => Ok(None),
            Some(record) if record.request_hash == request_hash => {
                Ok(Some(Submitted { created: record.response, replayed: true }))
            }
            Some(_) => Err(AppError::IdempotencyKeyReused),
        }
    }

    /// The technician asked for, if they do the service and serve the job's postcode.
    pub(super) async fn chosen_technician(
        &self,
        site: &Site,
        job: &Job,
        id: &TechnicianId,
    ) -> Result<Technician, AppError> {
        let serving = self.serving(site, &job.location.postcode).await?;
        let mut doing = serving.into_iter().filter(|t| t.does(&job.service.id));
        doing.find(|t| t.id == *id).ok_or_else(|| {
            FieldError::new("technician", "This technician does not serve your postcode.").into()
        })
    }
}

/// Full-jitter exponential backoff: a random wait up to 25 ms × 2^(attempt−1), so contenders
/// that conflicted once do not collide again in lockstep.
fn backoff(attempt: u32) -> std::time::Duration {
    let ceiling_ms = 25u64 << attempt.saturating_sub(1).min(6);
    std::time::Duration::from_millis(crate::random::u64() % (ceiling_ms + 1))
}

/// SHA-256 of a request as JSON, to tell a retry from a different request with the same key.
pub(super) fn request_hash(request: &impl serde::Serialize) -> Result<String, AppError> {
    let bytes = serde_json::to_vec(request).map_err(|e| AppError::Internal(e.into()))?;
    Ok(hex::encode(Sha256::digest(bytes)))
}
