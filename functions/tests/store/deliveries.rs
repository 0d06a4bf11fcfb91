//! Conformance of delivery: every message of an event reaches the mailer at least once, is
//! claimed before it is sent so racing dispatchers send it once, and is retried when the mail
//! server fails, with the same message id.

use crate::support::{FIRST_SLOT, demo_app, now};
use crate::work_orders::{book, dispatcher, patch};
use jiff::SignedDuration;
use jobslot_domain::calendar::Method;
use jobslot_domain::notification::Audience;
use jobslot_domain::notification::{Delivery, DeliveryStatus};
use jobslot_functions::app::App;
use jobslot_functions::app::deliveries::Outlets;
use jobslot_functions::demo;
use jobslot_functions::mail::{Mail, MailError, Mailer};
use jobslot_functions::store::Store;
use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// Where the manage links in the e-mails point.
pub const PUBLIC_URL: &str = "https://book.jobslot.test";

/// A mailer that keeps what it is given and fails, as a mail server that is down would, the
/// first `down_for` times it is called.
#[derive(Clone, Default)]
pub struct RecordingMailer {
    pub sent: Arc<Mutex<Vec<Mail>>>,
    calls: Arc<AtomicUsize>,
    down_for: usize,
    refuse: bool,
    delay: Option<std::time::Duration>,
    /// Told each time a send begins (the message's claim is written by then).
    sending: Option<Arc<tokio::sync::Notify>>,
}

impl RecordingMailer {
    pub fn sent(&self) -> Vec<Mail> {
        self.sent.lock().expect("lock").clone()
    }
}

#[async_trait::async_trait]
impl Mailer for RecordingMailer {
    async fn send(&self, mail: &Mail) -> Result<(), MailError> {
        if let Some(sending) = &self.sending {
            sending.notify_one();
        }
        if let Some(delay) = self.delay {
            tokio::time::sleep(delay).await;
        }
        if self.calls.fetch_add(1, Ordering::SeqCst) < self.down_for {
            return Err(MailError::Transient("421 try again later".into()));
        }
        if self.refuse {
            return Err(MailError::Permanent("550 no such user".into()));
        }
        self.sent.lock().expect("lock").push(mail.clone());
        Ok(())
    }
}

async fn records<S: Store>(app: &App<S>) -> Vec<Delivery> {
    app.repository().deliveries(&demo::site_id()).await.expect("deliveries")
}

async fn waiting<S: Store>(app: &App<S>) -> usize {
    let mut n = 0;
    for shard in 0..jobslot_functions::store::keys::PENDING_SHARDS {
        n += app.repository().pending_events(shard, 100).await.expect("pending").len();
    }
    n
}

pub async fn a_booking_e_mails_the_customer_an_invitation_and_the_office_once(store: impl Store) {
    let app = demo_app(store).await;
    let number = book(&app, "sam-nguyen", FIRST_SLOT, "Alice").await;
    let mailer = RecordingMailer::default();
    let round = app.deliver_due(&Outlets::mail(&mailer, PUBLIC_URL)).await.expect("round");
    assert_eq!((round.delivered, round.settled), (2, 1));
    let sent = mailer.sent();
    let customer = sent.iter().find(|m| m.message.audience == Audience::Customer).expect("customer");
    assert_eq!(customer.message.to.email, "mary@example.com");
    assert!(customer.message.subject.starts_with("Booked: Basic service on "));
    assert!(customer.message.text.contains(number.as_str()));
    let invitation = customer.message.invitation.as_ref().expect("invitation");
    assert_eq!((invitation.method, invitation.sequence), (Method::Request, 0));
    let office = sent.iter().find(|m| m.message.audience == Audience::Business).expect("office");
    assert_eq!(office.message.to.email, "office@acme.example");
    assert_ne!(customer.message_id, office.message_id);

    assert_eq!(
        app.deliver_due(&Outlets::mail(&mailer, PUBLIC_URL)).await.expect("round").delivered,
        0,
        "nothing twice"
    );
    assert_eq!(mailer.sent().len(), 2);
    assert_eq!(waiting(&app).await, 0, "the event left the index");
    let statuses: Vec<_> = records(&app).await.iter().map(|d| (d.status, d.attempts)).collect();
    assert_eq!(statuses, [(DeliveryStatus::Delivered, 1); 2]);
}

pub async fn a_mail_server_that_is_down_delays_the_e_mail_and_loses_nothing(store: impl Store) {
    let app = demo_app(store).await;
    book(&app, "sam-nguyen", FIRST_SLOT, "Alice").await;
    let mailer = RecordingMailer { down_for: 2, ..Default::default() };
    let first = app.deliver_due(&Outlets::mail(&mailer, PUBLIC_URL)).await.expect("round");
    assert_eq!((first.delivered, first.retrying, first.settled), (0, 2, 0));
    assert_eq!(
        app.deliver_due(&Outlets::mail(&mailer, PUBLIC_URL)).await.expect("round").retrying,
        0,
        "not due again yet"
    );
    assert_eq!(waiting(&app).await, 1, "still waiting");
    let pending = records(&app).await;
    assert!(pending.iter().all(|d| d.status == DeliveryStatus::Pending && d.last_error.is_some()));

    let later = app.at(now() + SignedDuration::from_hours(1));
    let second = later.deliver_due(&Outlets::mail(&mailer, PUBLIC_URL)).await.expect("round");
    assert_eq!((second.delivered, second.settled), (2, 1));
    let sent = mailer.sent();
    assert_eq!(sent.len(), 2, "each message once");
    let statuses: Vec<_> = records(&later).await.iter().map(|d| (d.status, d.attempts)).collect();
    assert_eq!(statuses, [(DeliveryStatus::Delivered, 2); 2]);
}

pub async fn a_refused_message_is_given_up_at_once_and_a_failing_one_after_a_day(store: impl Store) {
    let app = demo_app(store).await;
    book(&app, "sam-nguyen", FIRST_SLOT, "Alice").await;
    let refusing = RecordingMailer { refuse: true, ..Default::default() };
    let round = app.deliver_due(&Outlets::mail(&refusing, PUBLIC_URL)).await.expect("round");
    assert_eq!((round.failed, round.settled), (2, 1));
    assert!(records(&app).await.iter().all(|d| d.status == DeliveryStatus::Failed));

    book(&app, "sam-nguyen", "2026-11-24T22:00:00Z", "Bob").await;
    let down = RecordingMailer { down_for: usize::MAX, ..Default::default() };
    app.deliver_due(&Outlets::mail(&down, PUBLIC_URL)).await.expect("round");
    let next_day = app.at(now() + SignedDuration::from_hours(25));
    let round = next_day.deliver_due(&Outlets::mail(&down, PUBLIC_URL)).await.expect("round");
    assert_eq!((round.failed, round.settled), (2, 1), "given up after a day of retries");
    assert_eq!(waiting(&next_day).await, 0);
}

/// Two dispatchers (two Lambda instances fed the same stream batch, or a restart racing a
/// slow send) work on one event at the same moment: the claim lets one send each message.
pub async fn two_dispatchers_at_once_send_each_message_once(store: impl Store) {
    let app = demo_app(store).await;
    book(&app, "sam-nguyen", FIRST_SLOT, "Alice").await;
    let mailer = RecordingMailer { delay: Some(std::time::Duration::from_millis(50)), ..Default::default() };
    let barrier = Arc::new(tokio::sync::Barrier::new(2));
    let runs: Vec<_> = (0..2)
        .map(|_| {
            let (app, mailer, barrier) = (app.clone(), mailer.clone(), Arc::clone(&barrier));
            tokio::spawn(async move {
                barrier.wait().await;
                app.deliver_due(&Outlets::mail(&mailer, PUBLIC_URL)).await.expect("round")
            })
        })
        .collect();
    let rounds: Vec<_> =
        futures::future::join_all(runs).await.into_iter().map(|r| r.expect("task")).collect();
    assert_eq!(rounds.iter().map(|r| r.delivered).sum::<usize>(), 2);
    let mut ids: Vec<_> = mailer.sent().into_iter().map(|m| m.message_id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 2, "each message sent once");
}

/// A dispatcher that died between sending and marking left its claim: nobody sends until
/// the lease runs out, then the message goes again under the same message id.
pub async fn a_claim_left_by_a_dead_dispatcher_expires_and_the_resend_keeps_its_message_id(
    store: impl Store,
) {
    let app = demo_app(store).await;
    book(&app, "sam-nguyen", FIRST_SLOT, "Alice").await;
    let sending = Arc::new(tokio::sync::Notify::new());
    let crashed = RecordingMailer {
        delay: Some(std::time::Duration::from_secs(30)),
        sending: Some(sending.clone()),
        ..Default::default()
    };
    let dying = tokio::spawn({
        let app = app.clone();
        async move { app.deliver_due(&Outlets::mail(&crashed, PUBLIC_URL)).await }
    });
    // It dies while sending: its claim is written, the mail server never answered.
    sending.notified().await;
    dying.abort();
    let _ = dying.await;
    assert!(records(&app).await.iter().any(|d| d.status == DeliveryStatus::Sending), "a claim was left");

    let claim = records(&app).await.into_iter().find(|d| d.status == DeliveryStatus::Sending).expect("claim");
    assert_eq!(claim.audience, "customer", "it died sending the first message");

    let mailer = RecordingMailer::default();
    app.deliver_due(&Outlets::mail(&mailer, PUBLIC_URL)).await.expect("round");
    let audiences: Vec<_> = mailer.sent().iter().map(|m| m.message.audience).collect();
    assert_eq!(audiences, [Audience::Business], "the claimed message waits for its lease to run out");
    let later = app.at(now() + SignedDuration::from_mins(5));
    later.deliver_due(&Outlets::mail(&mailer, PUBLIC_URL)).await.expect("round");
    let sent = mailer.sent();
    assert_eq!(sent.len(), 2);
    let expected = format!("<{}.customer@acme-car-servicing.jobslot>", claim.event_id);
    assert_eq!(sent[1].message_id, expected, "the same id as the attempt that died");
    assert_eq!(waiting(&later).await, 0);
}

pub async fn a_move_and_a_cancellation_update_and_cancel_the_same_invitation(store: impl Store) {
    let app = demo_app(store).await;
    let user = dispatcher(&app).await;
    let number = book(&app, "sam-nguyen", FIRST_SLOT, "Alice").await;
    patch(&app, &user, &number, json!({ "start": "2026-11-24T22:00:00Z" })).await.expect("moved");
    patch(&app, &user, &number, json!({ "status": "cancelled" })).await.expect("cancelled");
    let mailer = RecordingMailer::default();
    app.deliver_due(&Outlets::mail(&mailer, PUBLIC_URL)).await.expect("round");
    let mut to_customer: Vec<_> = mailer
        .sent()
        .into_iter()
        .filter(|m| m.message.audience == Audience::Customer)
        .filter_map(|m| m.message.invitation)
        .map(|i| (i.uid, i.sequence, i.method))
        .collect();
    to_customer.sort_by_key(|(_, sequence, _)| *sequence);
    let uid = format!("{number}@acme-car-servicing.jobslot");
    assert_eq!(
        to_customer,
        [(uid.clone(), 0, Method::Request), (uid.clone(), 1, Method::Request), (uid, 2, Method::Cancel)]
    );
}

/// Staff see each message's state and send a given-up one again once the server is back:
/// its event returns to the index, and it goes out under a new message id.
pub async fn staff_see_a_given_up_message_and_send_it_again(store: impl Store) {
    let app = demo_app(store).await;
    let user = dispatcher(&app).await;
    let number = book(&app, "sam-nguyen", FIRST_SLOT, "Alice").await;
    let refusing = RecordingMailer { refuse: true, ..Default::default() };
    app.deliver_due(&Outlets::mail(&refusing, PUBLIC_URL)).await.expect("round");
    let listed = app.deliveries(&demo::site_id(), &user).await.expect("listed").items;
    assert_eq!(listed.len(), 2);
    assert!(listed.iter().all(|d| d.status == DeliveryStatus::Failed && d.work_order == number));
    assert_eq!(listed[0].last_error.as_deref(), Some("550 no such user"));

    let customer = listed.iter().find(|d| d.audience == "customer").expect("customer");
    let again = app.resend(&demo::site_id(), &user, &customer.event_id, "customer").await.expect("queued");
    assert_eq!((again.status, again.resends), (DeliveryStatus::Pending, 1));
    assert_eq!(waiting(&app).await, 1, "the event waits again");
    let mailer = RecordingMailer::default();
    let round = app.deliver_due(&Outlets::mail(&mailer, PUBLIC_URL)).await.expect("round");
    assert_eq!((round.delivered, round.settled), (1, 1), "the office's message stays given up");
    let sent = mailer.sent();
    assert!(sent[0].message_id.contains(".customer.r1@"), "{}", sent[0].message_id);

    let technician = jobslot_domain::ids::UserId::parse("u", "tech-1").expect("user");
    let member = jobslot_functions::repository::Member {
        site: demo::site_id(),
        user: technician.clone(),
        email: jobslot_domain::contact::Email::parse("e", "sam@acme.example").expect("email"),
        role: jobslot_domain::staff::Role::Technician,
        technician: Some(jobslot_domain::ids::TechnicianId::parse("t", "sam-nguyen").expect("id")),
        invited_at: None,
    };
    app.repository().save_member(&member).await.expect("member");
    let refused = app.deliveries(&demo::site_id(), &technician).await;
    assert!(matches!(refused, Err(jobslot_functions::app::AppError::Forbidden)));
}
