//! The dispatcher: delivers the messages of the events waiting in the outbox, at least once
//! each, retried with backoff for a day.
//!
//! A message is claimed (its record written `sending` with a lease) before it is sent, so two
//! dispatchers never send it at the same time. A dispatcher that dies after sending and
//! before marking leaves the claim to expire; the message is then sent again with the same
//! `Message-ID`, which mail clients show as the one message they already have.

use super::{App, AppError};
use crate::mail::{Mail, MailError, Mailer};
use crate::repository::{PendingEvent, StoredDelivery};
use crate::store::{Store, StoreError, keys};
use jiff::SignedDuration;
use jobslot_domain::events::Event;
use jobslot_domain::ids::UserId;
use jobslot_domain::notification::{Delivery, DeliveryPage, DeliveryStatus, Message, messages, sends_mail};
use jobslot_domain::staff::Action;

/// Events read per shard per round.
const BATCH: usize = 50;
/// How long a claim keeps other dispatchers off a message being sent.
const LEASE: SignedDuration = SignedDuration::from_mins(2);
/// How long a message is retried before it is given up.
const RETRY_FOR: SignedDuration = SignedDuration::from_hours(24);
/// The first retry's wait; each later one waits twice as long, up to [`RETRY_MAX`].
const RETRY_FIRST: SignedDuration = SignedDuration::from_secs(15);
const RETRY_MAX: SignedDuration = SignedDuration::from_hours(1);

/// What one round of delivery did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Round {
    /// Messages accepted by the mail server.
    pub delivered: usize,
    /// Messages that failed this time and wait for a retry.
    pub retrying: usize,
    /// Messages given up.
    pub failed: usize,
    /// Events all of whose messages are now settled.
    pub settled: usize,
}

/// The wait before attempt `attempts + 1`: doubling from [`RETRY_FIRST`], at most [`RETRY_MAX`],
/// with up to a fifth of it added at random so retries of many messages spread out.
fn backoff(attempts: u32) -> SignedDuration {
    let doubled = RETRY_FIRST.as_secs().saturating_mul(1 << attempts.min(12));
    let wait = doubled.min(RETRY_MAX.as_secs());
    let jitter = i64::try_from(crate::random::u64() % (wait as u64 / 5 + 1)).unwrap_or(0);
    SignedDuration::from_secs(wait + jitter)
}

/// The id of one message of one event: the same for every attempt, another for each time
/// staff ask for it again (a mail client would hide a resend with the first one's id).
fn message_id(event: &Event, message: &Message, resends: u32) -> String {
    let again = if resends == 0 { String::new() } else { format!(".r{resends}") };
    format!("<{}.{}{again}@{}.jobslot>", event.id, message.audience.name(), event.site)
}

impl<S: Store> App<S> {
    /// Delivers what is due: every message of every waiting event whose time has come.
    /// `public_url` is where the customers' manage links point (this host's address).
    pub async fn deliver_due(&self, mailer: &dyn Mailer, public_url: &str) -> Result<Round, StoreError> {
        let mut round = Round::default();
        for shard in 0..keys::PENDING_SHARDS {
            for pending in self.repo.pending_events(shard, BATCH).await? {
                if self.deliver_event(mailer, public_url, &pending, &mut round).await? {
                    self.repo.settle_event(&pending).await?;
                    round.settled += 1;
                }
            }
        }
        Ok(round)
    }

    /// Delivers the due messages of one event; true when all of them are settled.
    async fn deliver_event(
        &self,
        mailer: &dyn Mailer,
        public_url: &str,
        pending: &PendingEvent,
        round: &mut Round,
    ) -> Result<bool, StoreError> {
        // An event, order or site gone (expired, or deleted) has nothing left to send.
        let Some(event) = self.repo.event(pending).await? else { return Ok(true) };
        let (Some(order), Some(site)) =
            (self.repo.work_order(&event.site, &event.work_order).await?, self.repo.site(&event.site).await?)
        else {
            return Ok(true);
        };
        // Only events that e-mail anyone need the customer's link (and its key's read).
        if !sends_mail(&event) {
            return Ok(true);
        }
        let manage = self.manage_path(&order).await?.map(|path| format!("{public_url}{path}"));
        let mut settled = true;
        for message in messages(&event, &order, &site, manage.as_deref()) {
            let audience = message.audience.name();
            let record = self.repo.delivery(&event.site, &event.id, audience).await?;
            let resends = record.as_ref().map_or(0, |r| r.delivery.resends);
            let mail = Mail { message_id: message_id(&event, &message, resends), message };
            settled &= self.deliver_one(mailer, &event, audience, record, &mail, round).await?;
        }
        Ok(settled)
    }

    /// Claims, sends and marks one message if it is due; true when it is settled.
    async fn deliver_one(
        &self,
        mailer: &dyn Mailer,
        event: &Event,
        audience: &str,
        record: Option<StoredDelivery>,
        mail: &Mail,
        round: &mut Round,
    ) -> Result<bool, StoreError> {
        let now = self.clock.now();
        let current = record.as_ref().map(|r| &r.delivery);
        match current.map(|d| d.status) {
            Some(DeliveryStatus::Delivered | DeliveryStatus::Failed) => return Ok(true),
            Some(DeliveryStatus::Pending | DeliveryStatus::Sending)
                if current.is_some_and(|d| d.next_attempt_at > now) =>
            {
                return Ok(false);
            }
            _ => {}
        }
        let attempts = current.map_or(0, |d| d.attempts) + 1;
        let claim = Delivery {
            event_id: event.id.clone(),
            event: event.kind,
            event_at: event.at,
            work_order: event.work_order.clone(),
            resends: current.map_or(0, |d| d.resends),
            audience: audience.to_owned(),
            status: DeliveryStatus::Sending,
            attempts,
            next_attempt_at: now + LEASE,
            last_error: current.and_then(|d| d.last_error.clone()),
            settled_at: None,
        };
        let (won, claimed) = self.repo.save_delivery(&event.site, record.as_ref(), &claim).await?;
        if !won {
            // Another dispatcher has it.
            return Ok(false);
        }
        let outcome = mailer.send(mail).await;
        let now = self.clock.now();
        let (status, last_error, next) = match outcome {
            Ok(()) => (DeliveryStatus::Delivered, None, now),
            Err(MailError::Permanent(why)) => (DeliveryStatus::Failed, Some(why), now),
            Err(MailError::Transient(why)) if now + backoff(attempts) > event.at + RETRY_FOR => {
                (DeliveryStatus::Failed, Some(why), now)
            }
            Err(MailError::Transient(why)) => (DeliveryStatus::Pending, Some(why), now + backoff(attempts)),
        };
        match status {
            DeliveryStatus::Delivered => round.delivered += 1,
            DeliveryStatus::Failed => round.failed += 1,
            _ => round.retrying += 1,
        }
        let settled = matches!(status, DeliveryStatus::Delivered | DeliveryStatus::Failed);
        let done = Delivery {
            status,
            last_error,
            next_attempt_at: next,
            settled_at: settled.then_some(now),
            ..claim
        };
        // Our own claim is what is stored unless the lease ran out and another took over;
        // then its record stands.
        let (_, _) = self.repo.save_delivery(&event.site, Some(&claimed), &done).await?;
        Ok(settled)
    }
}

/// Most delivery records one listing shows.
const LISTED: usize = 200;

impl<S: Store> App<S> {
    /// The site's messages and where each stands, newest event first.
    pub async fn deliveries(&self, site: &str, user: &UserId) -> Result<DeliveryPage, AppError> {
        let (site, _) = self.authorize(site, user, Action::DispatchWorkOrders).await?;
        let mut items = self.repo.deliveries(&site.id).await?;
        items.reverse();
        items.truncate(LISTED);
        Ok(DeliveryPage { items })
    }

    /// Sends a delivered or given-up message again, under a new message id; one still on its
    /// way is left as it is.
    pub async fn resend(
        &self,
        site: &str,
        user: &UserId,
        event_id: &str,
        audience: &str,
    ) -> Result<Delivery, AppError> {
        let (site, _) = self.authorize(site, user, Action::DispatchWorkOrders).await?;
        let stored = self.repo.delivery(&site.id, event_id, audience).await?.ok_or(AppError::NotFound)?;
        let current = &stored.delivery;
        if matches!(current.status, DeliveryStatus::Pending | DeliveryStatus::Sending) {
            return Ok(current.clone());
        }
        let again = Delivery {
            status: DeliveryStatus::Pending,
            resends: current.resends + 1,
            next_attempt_at: self.clock.now(),
            settled_at: None,
            ..current.clone()
        };
        if self.repo.requeue(&site.id, &stored, &again).await? {
            Ok(again)
        } else {
            Err(AppError::PreconditionFailed)
        }
    }
}

/// Runs [`App::deliver_due`] every `every` until the process ends, logging counts only (the
/// messages and their errors can hold customers' addresses).
pub async fn run_dispatcher<S: Store>(
    app: App<S>,
    mailer: Box<dyn Mailer>,
    public_url: String,
    every: std::time::Duration,
) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        match app.deliver_due(mailer.as_ref(), &public_url).await {
            Ok(round) if round == Round::default() => {}
            Ok(round) => tracing::info!(
                delivered = round.delivered,
                retrying = round.retrying,
                failed = round.failed,
                settled = round.settled,
                "delivery round"
            ),
            Err(error) => tracing::warn!(error = %error, "delivery round failed; trying again"),
        }
    }
}
