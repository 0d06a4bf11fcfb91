//! Application services: what each API call does, over any [`Store`].
//!
//! Routers parse HTTP, call one method here and turn the result into a response; the rules
//! themselves live in `jobslot_domain`.

mod account_mail;
pub mod accounts;
mod assets;
mod board;
mod bookings;
mod connector;
pub mod deliveries;
mod dispatch;
mod failed_sign_ins;
mod follow_up;
pub mod identity;
pub mod integrations;
mod manage;
pub mod setup;
mod webhooks;
mod work_orders;

pub use work_orders::Submitted;

use crate::repository::Member;
use crate::repository::Repository;
use crate::store::{Store, StoreError};
use jiff::Timestamp;
use jobslot_domain::FieldError;
use jobslot_domain::ids::{SiteId, UserId, WorkOrderNumber};
use jobslot_domain::postcode::Postcode;
use jobslot_domain::site::{Site, Technician};
use jobslot_domain::staff::Action;
use jobslot_domain::webhook::Targets;

/// Where the current time comes from: the system clock, or a fixed instant in tests.
#[derive(Clone)]
pub enum Clock {
    /// The system clock.
    System,
    /// Always this instant.
    Fixed(Timestamp),
}

impl Clock {
    /// The current instant.
    pub fn now(&self) -> Timestamp {
        match self {
            Clock::System => Timestamp::now(),
            Clock::Fixed(t) => *t,
        }
    }
}

/// Why a request could not be served, in terms the HTTP layer maps to problem types.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The site does not exist.
    #[error("unknown site")]
    UnknownSite,
    /// The resource does not exist.
    #[error("not found")]
    NotFound,
    /// Fields are invalid.
    #[error("invalid input")]
    Validation(Vec<FieldError>),
    /// Nobody serves the postcode.
    #[error("postcode not served")]
    PostcodeNotServed(String),
    /// The slot is not offered (or was just taken).
    #[error("slot unavailable")]
    SlotUnavailable,
    /// The caller's role on the site does not allow the action.
    #[error("forbidden")]
    Forbidden,
    /// The record exists already (a create of something existing).
    #[error("already exists")]
    AlreadyExists,
    /// The record changed since the version the edit names.
    #[error("changed by someone else")]
    PreconditionFailed,
    /// An edit named no version.
    #[error("If-Match required")]
    PreconditionRequired,
    /// The work order cannot be followed up (the sentence says why).
    #[error("follow-up not allowed")]
    FollowUpNotAllowed(String),
    /// The work order cannot be booked through its link (the sentence says why).
    #[error("work order not bookable")]
    NotBookable(String),
    /// The customer can no longer move or cancel the booking online (the sentence says why).
    #[error("online changes closed")]
    ChangeClosed(String),
    /// A genuine link past its time.
    #[error("link expired")]
    LinkExpired,
    /// The idempotency key was used for a different request.
    #[error("idempotency key reused with a different request")]
    IdempotencyKeyReused,
    /// The store cannot serve now; the same request may succeed in a few seconds.
    #[error("store unavailable")]
    Unavailable(#[source] StoreError),
    /// Something failed on our side.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        match error {
            // A conflict that outlasted every retry is contention, which passes.
            StoreError::Unavailable(_) | StoreError::Conflict => AppError::Unavailable(error),
            other => AppError::Internal(other.into()),
        }
    }
}

impl From<FieldError> for AppError {
    fn from(error: FieldError) -> Self {
        AppError::Validation(vec![error])
    }
}

/// The application: every use case, over one store.
#[derive(Clone)]
pub struct App<S> {
    repo: Repository<S>,
    clock: Clock,
    webhook_targets: Targets,
}

impl<S: Store> App<S> {
    /// The application over `store`, with the system clock.
    pub fn new(store: S) -> Self {
        Self::with_clock(store, Clock::System)
    }

    /// The application with a chosen clock.
    pub fn with_clock(store: S, clock: Clock) -> Self {
        Self { repo: Repository::new(store), clock, webhook_targets: Targets::Public }
    }

    /// The same application, accepting webhook endpoints `targets` allows (loopback ones
    /// on a developer's machine).
    pub fn with_webhook_targets(self, targets: Targets) -> Self {
        Self { webhook_targets: targets, ..self }
    }

    /// The same application, on the same store, with its clock stopped at `now` (what a
    /// retry due later sees).
    pub fn at(&self, now: Timestamp) -> Self {
        Self { repo: self.repo.clone(), clock: Clock::Fixed(now), webhook_targets: self.webhook_targets }
    }

    /// The typed store (for seeding and administration).
    pub fn repository(&self) -> &Repository<S> {
        &self.repo
    }

    /// A site by id, or [`AppError::UnknownSite`].
    async fn site(&self, id: &SiteId) -> Result<Site, AppError> {
        self.repo.site(id).await?.ok_or(AppError::UnknownSite)
    }

    /// The site and the work-order number a public link names; a number of the wrong shape
    /// is as unknown as a missing order.
    async fn site_and_number(
        &self,
        site: &SiteId,
        number: &WorkOrderNumber,
    ) -> Result<(Site, WorkOrderNumber), AppError> {
        let site = self.site(site).await?;
        Ok((site, number.clone()))
    }

    /// The site, and the caller's membership of it, when their role allows `action`. A user
    /// who is not a member gets [`AppError::UnknownSite`], exactly as for a site that does not
    /// exist, so one tenant's staff cannot even learn which other sites exist.
    pub async fn authorize(
        &self,
        site: &SiteId,
        user: &UserId,
        action: Action,
    ) -> Result<(Site, Member), AppError> {
        let site = self.site(site).await?;
        let member = self.repo.member(&site.id, user).await?.ok_or(AppError::UnknownSite)?;
        if member.role.allows(action) { Ok((site, member)) } else { Err(AppError::Forbidden) }
    }

    /// The technicians serving a postcode, or [`AppError::PostcodeNotServed`].
    async fn serving(&self, site: &Site, postcode: &Postcode) -> Result<Vec<Technician>, AppError> {
        let technicians = self.repo.technicians_serving(&site.id, postcode).await?;
        if technicians.is_empty() {
            return Err(AppError::PostcodeNotServed(postcode.to_string()));
        }
        Ok(technicians)
    }
}
