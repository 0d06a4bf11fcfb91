//! The dispatcher: delivers the messages of the events waiting in the outbox (e-mails and
//! webhook requests), at least once each, retried with backoff for a day.
//!
//! A message is claimed (its record written `sending` with a lease) before it is sent, so two
//! dispatchers never send it at the same time. A dispatcher that dies after sending and
//! before marking leaves the claim to expire; the message is then sent again with the same
//! `Message-ID` or `webhook-id`, which mail clients and receivers recognise as the one message
//! they already have.
//!
//! E-mail and webhooks go out side by side, so no endpoint can hold up a confirmation. Webhook
//! requests run in one lane per site (a site's requests one after another, the sites' lanes
//! at the same time), each request ends after [`crate::webhook::TIMEOUT`], and no request
//! starts once the round has spent [`WEBHOOK_BUDGET`]: an endpoint that never answers delays
//! its own site's requests, never another site's, and never a round by more than the budget.

use super::{App, AppError};
use crate::mail::{Mail, MailError, Mailer};
use crate::repository::{AuditWrite, PendingEvent, StoredDelivery, StoredWebhook, WebhookRecord};
use crate::store::{Store, StoreError};
use crate::webhook::{WebhookRequest, WebhookSender, signature};
use jiff::SignedDuration;
use jobslot_domain::audit::AuditEntry;
use jobslot_domain::events::Event;
use jobslot_domain::ids::SiteId;
use jobslot_domain::ids::UserId;
use jobslot_domain::notification::{
    Attempt, Delivery, DeliveryPage, DeliveryStatus, Message, messages, sends_mail,
};
use jobslot_domain::staff::Action;
use jobslot_domain::webhook::{Health, WebhookBody};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Events read per shard per round.
const BATCH: usize = 50;
/// How long a claim keeps other dispatchers off a message being sent.
const LEASE: SignedDuration = SignedDuration::from_mins(2);
/// How long a message is retried before it is given up.
const RETRY_FOR: SignedDuration = SignedDuration::from_hours(24);
/// The first retry's wait; each later one waits twice as long, up to [`RETRY_MAX`].
const RETRY_FIRST: SignedDuration = SignedDuration::from_secs(15);
const RETRY_MAX: SignedDuration = SignedDuration::from_hours(1);
/// How long a round keeps starting webhook requests; those not started wait for the next.
pub const WEBHOOK_BUDGET: Duration = Duration::from_secs(10);
/// Sites whose webhook requests are sent at the same time.
const WEBHOOK_LANES: usize = 32;

/// Where messages go. An outlet that is off sends and records nothing.
#[derive(Clone, Copy)]
pub struct Outlets<'a> {
    /// E-mail; off where no mail server is configured.
    pub mailer: Option<&'a dyn Mailer>,
    #[allow(missing_docs)]
    pub webhooks: Option<&'a dyn WebhookSender>,
    /// Where the customers' manage links point (this host's address).
    pub public_url: &'a str,
}

impl<'a> Outlets<'a> {
    /// E-mail only.
    pub fn mail(mailer: &'a dyn Mailer, public_url: &'a str) -> Self {
        Self { mailer: Some(mailer), webhooks: None, public_url }
    }
}

/// What one round of delivery did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Round {
    /// Messages accepted by the mail server or the endpoint.
    pub delivered: usize,
    /// Messages that failed this time and wait for a retry.
    pub retrying: usize,
    /// Messages given up.
    pub failed: usize,
    /// Events all of whose messages are now settled.
    pub settled: usize,
}

impl std::ops::AddAssign for Round {
    fn add_assign(&mut self, other: Round) {
        self.delivered += other.delivered;
        self.retrying += other.retrying;
        self.failed += other.failed;
        self.settled += other.settled;
    }
}

/// An event waiting in the outbox, with what it is about; `None` when the event or its site
/// is gone (expired, or deleted): nothing is left to send.
type Due = (PendingEvent, Option<(Event, jobslot_domain::site::Site)>);

/// The wait before attempt `attempts + 1`: doubling from [`RETRY_FIRST`], at most [`RETRY_MAX`],
/// with up to a fifth of it added at random so retries of many messages spread out.
pub(super) fn backoff(attempts: u32) -> SignedDuration {
    let doubled = RETRY_FIRST.as_secs().saturating_mul(1 << attempts.min(12));
    let wait = doubled.min(RETRY_MAX.as_secs());
    let jitter = i64::try_from(crate::random::u64() % (wait as u64 / 5 + 1)).unwrap_or(0);
    SignedDuration::from_secs(wait + jitter)
}

/// The id of one message of one event: the same for every attempt, another for each time
/// staff ask for it again (a mail client would hide a resend with the first one's id).
fn message_id(event: &Event, message: &Message, resends: u32) -> String {
    let again = if resends == 0 { String::new() } else { format!(".r{resends}") };
    format!("<{}.{}{again}@{}.jobslot>", event.id, message.audience.name(), event.data.site)
}

/// One message on its way.
enum Outgoing<'a> {
    Mail(&'a dyn Mailer, &'a Mail),
    /// An endpoint and the event's body; it is signed when sent, as receivers check the time.
    Webhook(&'a dyn WebhookSender, &'a WebhookRecord, &'a str),
}

/// What [`App::deliver_one`] did with a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sent {
    /// Nothing: settled before, not due, or another dispatcher has it.
    Nothing { settled: bool },
    /// Taken by the mail server or the endpoint.
    Delivered,
    /// Refused or unanswered; `settled` when given up.
    Failed { settled: bool },
}

impl Sent {
    fn settled(self) -> bool {
        match self {
            Sent::Nothing { settled } | Sent::Failed { settled } => settled,
            Sent::Delivered => true,
        }
    }
}

/// How an attempt went.
enum Outcome {
    Delivered,
    Retry(String),
    GiveUp(String),
}

impl Outgoing<'_> {
    async fn send(&self, event: &Event, now: jiff::Timestamp) -> Outcome {
        match self {
            Outgoing::Mail(mailer, mail) => match mailer.send(mail).await {
                Ok(()) => Outcome::Delivered,
                Err(MailError::Permanent(why)) => Outcome::GiveUp(why),
                Err(MailError::Transient(why)) => Outcome::Retry(why),
            },
            Outgoing::Webhook(sender, hook, body) => {
                // The moment of sending by the wall clock, whatever the application's clock
                // says: receivers check it against theirs to refuse replays.
                let timestamp = jiff::Timestamp::now().as_second();
                let request = WebhookRequest {
                    url: hook.endpoint.url.as_str().to_owned(),
                    id: event.id.clone(),
                    timestamp,
                    signature: signature(hook.signing_secrets(now), &event.id, timestamp, body),
                    body: (*body).to_owned(),
                };
                match sender.post(&request).await {
                    Ok(()) => Outcome::Delivered,
                    Err(why) => Outcome::Retry(why),
                }
            }
        }
    }
}

impl<S: Store> App<S> {
    /// Delivers what is due: every message of every waiting event whose time has come.
    pub async fn deliver_due(&self, outlets: &Outlets<'_>) -> Result<Round, StoreError> {
        let mut round = Round::default();
        if let Some(mailer) = outlets.mailer {
            self.deliver_account_mail(mailer, &mut round).await?;
        }
        let mut due: Vec<Due> = Vec::new();
        for pending in self.repo.waiting_events(BATCH).await? {
            let about = match self.repo.event(&pending).await? {
                Some(event) => self.repo.site(&event.data.site).await?.map(|site| (event, site)),
                None => None,
            };
            due.push((pending, about));
        }
        let (mail, hooks) = tokio::join!(self.mail_round(outlets, &due), self.webhook_round(outlets, &due));
        let ((mail_settled, mail_round), (hooks_settled, hooks_round)) = (mail?, hooks?);
        round += mail_round;
        round += hooks_round;
        for (index, (pending, _)) in due.iter().enumerate() {
            if mail_settled[index] && hooks_settled[index] {
                self.repo.settle_event(pending).await?;
                round.settled += 1;
            }
        }
        Ok(round)
    }

    /// Sends the due e-mails of `due`; per event, whether all of its e-mails are settled.
    async fn mail_round(&self, outlets: &Outlets<'_>, due: &[Due]) -> Result<(Vec<bool>, Round), StoreError> {
        let mut round = Round::default();
        let mut settled = vec![true; due.len()];
        let Some(mailer) = outlets.mailer else { return Ok((settled, round)) };
        for (index, (_, about)) in due.iter().enumerate() {
            let Some((event, site)) = about else { continue };
            // Only events that e-mail anyone need the order and the customer's link.
            if !sends_mail(event) {
                continue;
            }
            let Some(order) = self.repo.work_order(&event.data.site, &event.data.work_order).await? else {
                continue;
            };
            let manage = self.manage_path(&order).await?.map(|path| format!("{}{path}", outlets.public_url));
            let written = match messages(event, &order, site, manage.as_deref()) {
                Ok(written) => written,
                Err(unknown) => {
                    // Wrong times are worse than a late e-mail: the event waits until the zone
                    // is fixed (or the build knows it), and says so every round.
                    tracing::error!(zone = %unknown.zone, event = %event.id, "an order's time zone is unknown; its e-mails wait");
                    settled[index] = false;
                    continue;
                }
            };
            for message in written {
                let audience = message.audience.name();
                let record = self.repo.delivery(&event.data.site, &event.id, audience).await?;
                let resends = record.as_ref().map_or(0, |r| r.delivery.resends);
                let mail = Mail { message_id: message_id(event, &message, resends), message };
                let outgoing = Outgoing::Mail(mailer, &mail);
                settled[index] &=
                    self.deliver_one(event, audience, record, &outgoing, &mut round).await?.settled();
            }
        }
        Ok((settled, round))
    }

    /// Posts the due webhook requests of `due`, one lane per site, within [`WEBHOOK_BUDGET`];
    /// per event, whether all of its requests are settled.
    async fn webhook_round(
        &self,
        outlets: &Outlets<'_>,
        due: &[Due],
    ) -> Result<(Vec<bool>, Round), StoreError> {
        let mut settled = vec![true; due.len()];
        let Some(sender) = outlets.webhooks else { return Ok((settled, Round::default())) };
        let started = Instant::now();
        // Each site's endpoints are read once a round, however many of its events wait.
        let mut lanes: BTreeMap<&SiteId, Vec<usize>> = BTreeMap::new();
        for (index, (_, about)) in due.iter().enumerate() {
            if let Some((event, _)) = about {
                lanes.entry(&event.data.site).or_default().push(index);
            }
        }
        let open = tokio::sync::Semaphore::new(WEBHOOK_LANES);
        let lanes: Vec<_> = lanes
            .into_iter()
            .map(|(site, events)| self.webhook_lane(sender, site, events, due, started, &open))
            .collect();
        let lanes = futures_util::future::join_all(lanes).await;
        let mut round = Round::default();
        for lane in lanes {
            let (unsettled, lane_round) = lane?;
            round += lane_round;
            for index in unsettled {
                settled[index] = false;
            }
        }
        Ok((settled, round))
    }

    /// One site's lane: its due requests one after another until the round's budget is spent;
    /// the events left with a request unsettled.
    async fn webhook_lane(
        &self,
        sender: &dyn WebhookSender,
        site: &SiteId,
        events: Vec<usize>,
        due: &[Due],
        started: Instant,
        open: &tokio::sync::Semaphore,
    ) -> Result<(Vec<usize>, Round), StoreError> {
        // Closed only if dropped, which it is not while lanes run.
        let Ok(_lane) = open.acquire().await else { return Ok((events, Round::default())) };
        let mut round = Round::default();
        let mut unsettled = Vec::new();
        let hooks = self.repo.webhooks(site).await?;
        let mut health: Vec<Option<Health>> = vec![None; hooks.len()];
        for index in events {
            let Some((event, _)) = &due[index].1 else { continue };
            let hearing: Vec<_> =
                hooks.iter().enumerate().filter(|(_, h)| h.record.endpoint.hears(event)).collect();
            if hearing.is_empty() {
                continue;
            }
            let body =
                serde_json::to_string(&WebhookBody::of(event)).map_err(|e| StoreError::Backend(e.into()))?;
            for (at, hook) in hearing {
                if started.elapsed() >= WEBHOOK_BUDGET {
                    unsettled.push(index);
                    continue;
                }
                let audience = hook.record.endpoint.id.as_str();
                let record = self.repo.delivery(&event.data.site, &event.id, audience).await?;
                let outgoing = Outgoing::Webhook(sender, &hook.record, &body);
                let sent = self.deliver_one(event, audience, record, &outgoing, &mut round).await?;
                if !sent.settled() {
                    unsettled.push(index);
                }
                health[at] = match (sent, health[at]) {
                    (Sent::Delivered, _) | (_, Some(Health::Answered)) => Some(Health::Answered),
                    (Sent::Failed { .. }, _) => Some(Health::Failed),
                    (Sent::Nothing { .. }, known) => known,
                };
            }
        }
        for (hook, health) in hooks.iter().zip(health) {
            if let Some(health) = health {
                self.note_health(site, hook, health).await?;
            }
        }
        Ok((unsettled, round))
    }

    /// Writes what a round's requests say about an endpoint, when that changes it (see
    /// [`jobslot_domain::webhook::Endpoint::after`]), in the site's audit trail as Jobslot's
    /// doing. An owner who changed the endpoint meanwhile wins; the next round sees it again.
    async fn note_health(
        &self,
        site: &SiteId,
        hook: &StoredWebhook,
        health: Health,
    ) -> Result<(), StoreError> {
        let now = self.clock.now();
        let Some(endpoint) = hook.record.endpoint.after(health, now) else { return Ok(()) };
        let action = match (endpoint.paused_at, endpoint.failing_since) {
            (Some(_), _) if hook.record.endpoint.paused_at.is_none() => "webhook.paused",
            (_, Some(_)) => "webhook.failing",
            _ => "webhook.recovered",
        };
        let audit = AuditEntry {
            at: now,
            user: jobslot_domain::ids::UserId::parse("user", "jobslot")
                .map_err(|e| StoreError::Backend(anyhow::anyhow!("{e:?}")))?,
            email: "Jobslot".into(),
            action: action.into(),
            target: endpoint.id.to_string(),
        };
        let record = WebhookRecord { endpoint, ..hook.record.clone() };
        let _ = self.repo.save_webhook(site, Some(hook), &record, audit.write(site)?).await?;
        Ok(())
    }

    /// Claims, sends and marks one message if it is due.
    async fn deliver_one(
        &self,
        event: &Event,
        audience: &str,
        record: Option<StoredDelivery>,
        outgoing: &Outgoing<'_>,
        round: &mut Round,
    ) -> Result<Sent, StoreError> {
        let now = self.clock.now();
        let current = record.as_ref().map(|r| &r.delivery);
        match current.map(|d| d.status) {
            Some(DeliveryStatus::Delivered | DeliveryStatus::Failed) => {
                return Ok(Sent::Nothing { settled: true });
            }
            Some(DeliveryStatus::Pending | DeliveryStatus::Sending)
                if current.is_some_and(|d| d.next_attempt_at > now) =>
            {
                return Ok(Sent::Nothing { settled: false });
            }
            _ => {}
        }
        let attempts = current.map_or(0, |d| d.attempts) + 1;
        let claim = Delivery {
            event_id: event.id.clone(),
            event: event.kind,
            event_at: event.at,
            work_order: event.data.work_order.clone(),
            resends: current.map_or(0, |d| d.resends),
            audience: audience.to_owned(),
            status: DeliveryStatus::Sending,
            attempts,
            next_attempt_at: now + LEASE,
            last_error: current.and_then(|d| d.last_error.clone()),
            settled_at: None,
            history: current.map(|d| d.history.clone()).unwrap_or_default(),
        };
        let (won, claimed) = self.repo.save_delivery(&event.data.site, record.as_ref(), &claim).await?;
        if !won {
            // Another dispatcher has it.
            return Ok(Sent::Nothing { settled: false });
        }
        let outcome = outgoing.send(event, now).await;
        let now = self.clock.now();
        let (status, last_error, next) = match outcome {
            Outcome::Delivered => (DeliveryStatus::Delivered, None, now),
            Outcome::GiveUp(why) => (DeliveryStatus::Failed, Some(why), now),
            Outcome::Retry(why) if now + backoff(attempts) > event.at + RETRY_FOR => {
                (DeliveryStatus::Failed, Some(why), now)
            }
            Outcome::Retry(why) => (DeliveryStatus::Pending, Some(why), now + backoff(attempts)),
        };
        match status {
            DeliveryStatus::Delivered => round.delivered += 1,
            DeliveryStatus::Failed => round.failed += 1,
            _ => round.retrying += 1,
        }
        let settled = matches!(status, DeliveryStatus::Delivered | DeliveryStatus::Failed);
        let mut done = Delivery {
            status,
            last_error: last_error.clone(),
            next_attempt_at: next,
            settled_at: settled.then_some(now),
            ..claim
        };
        done.record(Attempt { at: now, error: last_error });
        // Our own claim is what is stored unless the lease ran out and another took over;
        // then its record stands.
        let (_, _) = self.repo.save_delivery(&event.data.site, Some(&claimed), &done).await?;
        Ok(if status == DeliveryStatus::Delivered { Sent::Delivered } else { Sent::Failed { settled } })
    }
}

/// Most delivery records one listing shows.
const LISTED: usize = 200;

impl<S: Store> App<S> {
    /// The site's messages and where each stands, newest event first.
    pub async fn deliveries(&self, site: &SiteId, user: &UserId) -> Result<DeliveryPage, AppError> {
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
        site: &SiteId,
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
    mailer: Option<Arc<dyn Mailer>>,
    webhooks: Arc<dyn WebhookSender>,
    public_url: String,
    every: std::time::Duration,
) {
    let outlets =
        Outlets { mailer: mailer.as_deref(), webhooks: Some(webhooks.as_ref()), public_url: &public_url };
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        match app.deliver_due(&outlets).await {
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
