//! Conformance of webhooks: an endpoint hears of the events it subscribed to, each request
//! signed so that the Standard Webhooks library (not ours) verifies it, and each message id
//! is taken once, even when the receiver fails first and the dispatcher retries.

use crate::deliveries::PUBLIC_URL;
use crate::support::{FIRST_SLOT, demo_app, now};
use crate::work_orders::{book, dispatcher, member, patch};
use axum::http::{HeaderMap, StatusCode};
use jiff::SignedDuration;
use jobslot_domain::notification::{Audience, DeliveryStatus};
use jobslot_domain::staff::Role;
use jobslot_domain::webhook::{EndpointInput, Targets};
use jobslot_functions::app::App;
use jobslot_functions::app::deliveries::Outlets;
use jobslot_functions::demo;
use jobslot_functions::store::Store;
use jobslot_functions::webhook::HttpWebhooks;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// A request the receiver took: its id, body, and which trusted secrets verify it.
#[derive(Debug, Clone)]
pub struct Received {
    pub id: String,
    pub body: Value,
    pub verified_by: Vec<String>,
}

#[derive(Default)]
struct Inbox {
    trusted: Vec<String>,
    calls: HashMap<String, usize>,
    taken: Vec<Received>,
}

/// An HTTP receiver on 127.0.0.1 that answers 503 to the first `fail_first` requests of each
/// message id, 401 to a request no trusted secret verifies, and 204 to the rest, which it keeps.
pub struct Receiver {
    pub url: String,
    inbox: Arc<Mutex<Inbox>>,
}

impl Receiver {
    pub async fn start(fail_first: usize) -> Self {
        let inbox = Arc::new(Mutex::new(Inbox::default()));
        let state = inbox.clone();
        let app = axum::Router::new().route(
            "/hooks",
            axum::routing::post(move |headers: HeaderMap, body: String| {
                let inbox = state.clone();
                async move { take(&inbox, fail_first, &headers, &body) }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}/hooks", listener.local_addr().expect("addr"));
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self { url, inbox }
    }

    pub fn trust(&self, secret: &str) {
        self.inbox.lock().expect("lock").trusted.push(secret.to_owned());
    }

    pub fn taken(&self) -> Vec<Received> {
        self.inbox.lock().expect("lock").taken.clone()
    }

    pub fn calls(&self, id: &str) -> usize {
        self.inbox.lock().expect("lock").calls.get(id).copied().unwrap_or(0)
    }

    pub fn calls_total(&self) -> usize {
        self.inbox.lock().expect("lock").calls.values().sum()
    }
}

fn take(inbox: &Mutex<Inbox>, fail_first: usize, headers: &HeaderMap, body: &str) -> StatusCode {
    let mut inbox = inbox.lock().expect("lock");
    let id = headers.get("webhook-id").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let calls = inbox.calls.entry(id.clone()).or_default();
    *calls += 1;
    if *calls <= fail_first {
        return StatusCode::SERVICE_UNAVAILABLE;
    }
    let verified_by: Vec<String> = inbox
        .trusted
        .iter()
        .filter(|secret| {
            standardwebhooks::Webhook::new(secret)
                .is_ok_and(|hook| hook.verify(body.as_bytes(), headers).is_ok())
        })
        .cloned()
        .collect();
    if verified_by.is_empty() {
        return StatusCode::UNAUTHORIZED;
    }
    let body = serde_json::from_str(body).unwrap_or(Value::Null);
    inbox.taken.push(Received { id, body, verified_by });
    StatusCode::NO_CONTENT
}

fn endpoint(url: &str, events: &[&str]) -> EndpointInput {
    EndpointInput {
        url: url.to_owned(),
        events: events.iter().map(|e| (*e).to_owned()).collect(),
        description: Some("CRM".into()),
        enabled: true,
    }
}

const ALL: [&str; 4] =
    ["booking.created", "booking.rescheduled", "booking.cancelled", "work_order.status_changed"];

async fn deliver<S: Store>(app: &App<S>, sender: &HttpWebhooks) -> jobslot_functions::app::deliveries::Round {
    let outlets = Outlets { mailer: None, webhooks: Some(sender), public_url: PUBLIC_URL };
    app.deliver_due(&outlets).await.expect("round")
}

pub async fn an_endpoint_hears_each_event_once_with_a_valid_signature_even_after_a_failure(
    store: impl Store,
) {
    let app = demo_app(store).await.with_webhook_targets(Targets::AlsoLoopback);
    let owner = member(&app, "owner-1", "owner-1@acme.example", Role::Owner).await;
    let receiver = Receiver::start(1).await;
    let created =
        app.create_webhook(&demo::site_id(), &owner, &endpoint(&receiver.url, &ALL)).await.expect("created");
    receiver.trust(&created.secret);
    // A paused endpoint and one that hears only cancellations, on the same receiver.
    let paused = EndpointInput { enabled: false, ..endpoint(&receiver.url, &ALL) };
    app.create_webhook(&demo::site_id(), &owner, &paused).await.expect("paused");
    let sender = HttpWebhooks::new().expect("client");

    let number = book(&app, "sam-nguyen", FIRST_SLOT, "Alice").await;
    let first = deliver(&app, &sender).await;
    assert_eq!((first.delivered, first.retrying), (0, 1), "the receiver failed the first attempt");
    let records = app.repository().deliveries(&demo::site_id()).await.expect("records");
    assert_eq!(records.len(), 1, "nothing for the paused endpoint, no e-mail with e-mail off");
    assert_eq!(records[0].audience, created.endpoint.id.as_str());
    assert_eq!(records[0].last_error.as_deref(), Some("The endpoint answered 503."));
    assert_eq!(deliver(&app, &sender).await.retrying, 0, "not due again yet");

    let later = app.at(now() + SignedDuration::from_mins(20));
    assert_eq!(deliver(&later, &sender).await.delivered, 1);
    let user = dispatcher(&later).await;
    patch(&later, &user, &number, json!({ "start": "2026-11-24T22:00:00Z" })).await.expect("moved");
    patch(&later, &user, &number, json!({ "status": "cancelled" })).await.expect("cancelled");
    let still_later = later.at(now() + SignedDuration::from_mins(40));
    deliver(&later, &sender).await;
    deliver(&still_later, &sender).await;
    assert_eq!(deliver(&still_later, &sender).await.delivered, 0, "nothing twice");

    let taken = receiver.taken();
    let mut kinds: Vec<&str> = taken.iter().map(|r| r.body["type"].as_str().unwrap_or_default()).collect();
    kinds.sort_unstable();
    assert_eq!(
        kinds,
        ["booking.cancelled", "booking.created", "booking.rescheduled", "work_order.status_changed"]
    );
    for received in &taken {
        assert_eq!(received.verified_by, std::slice::from_ref(&created.secret));
        assert_eq!(received.body["id"], received.id.as_str(), "the body names the webhook-id");
        assert_eq!(received.body["data"]["work_order"], number.as_str());
        assert_eq!(receiver.calls(&received.id), 2, "one failure, then taken once");
        assert!(!received.body.to_string().contains("mary@example.com"), "nothing personal");
    }
    let booked = taken.iter().find(|r| r.body["type"] == "booking.created").expect("booked");
    assert_eq!(booked.body["data"]["start"], FIRST_SLOT);
    let records = later.repository().deliveries(&demo::site_id()).await.expect("records");
    assert!(records.iter().all(|d| d.status == DeliveryStatus::Delivered));
    let history: Vec<bool> = records[0].history.iter().map(|a| a.error.is_none()).collect();
    assert_eq!(history, [false, true], "the owner sees the failed attempt and the delivery");
}

pub async fn a_rotated_secret_signs_alongside_the_old_one_for_a_day(store: impl Store) {
    let app = demo_app(store).await.with_webhook_targets(Targets::AlsoLoopback);
    let owner = member(&app, "owner-1", "owner-1@acme.example", Role::Owner).await;
    let receiver = Receiver::start(0).await;
    let created = app
        .create_webhook(&demo::site_id(), &owner, &endpoint(&receiver.url, &["booking.created"]))
        .await
        .expect("created");
    let id = created.endpoint.id.clone();
    let rotated = app.rotate_webhook_secret(&demo::site_id(), &owner, &id).await.expect("rotated");
    assert_ne!(rotated.secret, created.secret);
    assert_eq!(rotated.previous_secret_valid_until, Some(now() + SignedDuration::from_hours(24)));
    receiver.trust(&created.secret);
    receiver.trust(&rotated.secret);
    book(&app, "sam-nguyen", FIRST_SLOT, "Alice").await;
    deliver(&app, &HttpWebhooks::new().expect("client")).await;
    let taken = receiver.taken();
    assert_eq!(taken.len(), 1);
    assert_eq!(
        taken[0].verified_by,
        [created.secret.clone(), rotated.secret.clone()],
        "both verify during the overlap"
    );

    let stored = app
        .repository()
        .webhook(&demo::site_id(), &created.endpoint.id)
        .await
        .expect("read")
        .expect("stored");
    let tomorrow = now() + SignedDuration::from_hours(25);
    assert_eq!(stored.record.signing_secrets(tomorrow).collect::<Vec<_>>(), [rotated.secret.as_str()]);
    let listed = app.webhook_endpoints(&demo::site_id(), &owner).await.expect("list");
    assert!(!serde_json::to_string(&listed).expect("json").contains("whsec_"), "secrets are never listed");
}

pub async fn an_endpoint_hears_nothing_from_before_it_existed(store: impl Store) {
    let app = demo_app(store).await.with_webhook_targets(Targets::AlsoLoopback);
    let owner = member(&app, "owner-1", "owner-1@acme.example", Role::Owner).await;
    book(&app, "sam-nguyen", FIRST_SLOT, "Alice").await;
    let receiver = Receiver::start(0).await;
    let later = app.at(now() + SignedDuration::from_secs(1));
    later.create_webhook(&demo::site_id(), &owner, &endpoint(&receiver.url, &ALL)).await.expect("created");
    let round = deliver(&later, &HttpWebhooks::new().expect("client")).await;
    assert_eq!((round.delivered, round.settled), (0, 1));
    assert!(receiver.taken().is_empty());
}

/// An endpoint that takes connections and never answers.
async fn tarpit() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}/hooks", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    url
}

/// A second business with the demo's services and technicians, and an owner.
async fn other_site<S: Store>(app: &App<S>) -> (jobslot_domain::ids::SiteId, jobslot_domain::ids::UserId) {
    use jobslot_domain::ids::SiteId;
    use jobslot_functions::repository::{Member, Precondition};
    let id = SiteId::parse("site", "other-biz").expect("slug");
    let mut site = demo::site().expect("demo");
    site.id = id.clone();
    for mut technician in demo::technicians().expect("demo") {
        technician.site = id.clone();
        app.repository()
            .save_technician(&technician, site.country, Precondition::Any, None)
            .await
            .expect("technician");
    }
    app.repository().save_site(&site).await.expect("site");
    let owner = jobslot_domain::ids::UserId::parse("u", "other-owner").expect("user");
    let member = Member {
        site: id.clone(),
        user: owner.clone(),
        email: jobslot_domain::contact::Email::parse("e", "owner@other.example").expect("email"),
        role: Role::Owner,
        technician: None,
        invited_at: None,
    };
    app.repository().save_member(&member).await.expect("member");
    (id, owner)
}

pub async fn an_endpoint_that_never_answers_holds_up_no_e_mail_and_no_other_sites_requests(
    store: impl Store,
) {
    use crate::deliveries::RecordingMailer;
    let app = demo_app(store).await.with_webhook_targets(Targets::AlsoLoopback);
    let owner = member(&app, "owner-1", "owner-1@acme.example", Role::Owner).await;
    app.create_webhook(&demo::site_id(), &owner, &endpoint(&tarpit().await, &["booking.created"]))
        .await
        .expect("created");
    let (other, other_owner) = other_site(&app).await;
    let receiver = Receiver::start(0).await;
    let created = app
        .create_webhook(&other, &other_owner, &endpoint(&receiver.url, &["booking.created"]))
        .await
        .expect("created");
    receiver.trust(&created.secret);
    for (name, start) in
        [("Alice", FIRST_SLOT), ("Bob", "2026-11-24T22:00:00Z"), ("Carol", "2026-11-25T22:00:00Z")]
    {
        book(&app, "sam-nguyen", start, name).await;
    }
    let mut request = crate::support::submission(FIRST_SLOT);
    request.technician = "sam-nguyen".into();
    request.job.contact.email = "dana@other.example".into();
    app.submit_work_order(&other, &crate::support::key("other-key-1"), &request)
        .await
        .expect("booked on the other site");

    let mailer = RecordingMailer::default();
    let round = {
        let (app, mailer) = (app.clone(), mailer.clone());
        tokio::spawn(async move {
            let sender = HttpWebhooks::new().expect("client");
            let outlets = Outlets { mailer: Some(&mailer), webhooks: Some(&sender), public_url: PUBLIC_URL };
            app.deliver_due(&outlets).await.expect("round")
        })
    };
    // The other site's confirmation and its endpoint's request go out while the round is
    // still waiting on the endpoint that never answers (each wait is seconds long).
    let customers = || {
        let sent = mailer.sent();
        let to = |m: &jobslot_functions::mail::Mail| m.message.audience == Audience::Customer;
        (
            sent.iter().filter(|m| to(m)).count(),
            sent.iter().any(|m| m.message.to.email == "dana@other.example"),
        )
    };
    let arrived = || customers() == (4, true) && !receiver.taken().is_empty();
    let mut polls = 0;
    while !arrived() && !round.is_finished() {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        polls += 1;
        assert!(polls < 1_000, "nothing arrived");
    }
    assert!(
        arrived(),
        "every confirmation (the silent site's too) and the other site's request came: {:?}",
        customers()
    );
    assert!(!round.is_finished(), "…while the round still waited on the silent endpoint");

    let round = round.await.expect("round");
    // Two requests to the silent endpoint timed out; the third was not started, as the round's
    // budget was spent; all three wait for a later round, and only their events stay pending.
    assert_eq!(round.retrying, 2, "{round:?}");
    assert_eq!(round.settled, 1, "{round:?}");
    let silent = app.repository().deliveries(&demo::site_id()).await.expect("records");
    let hooks: Vec<_> =
        silent.iter().filter(|d| d.audience != "customer" && d.audience != "business").collect();
    assert_eq!(hooks.len(), 2, "the request not started has no record yet");
    assert!(
        hooks.iter().all(|d| d.last_error.as_deref() == Some("No answer within 5 seconds.")),
        "{hooks:?}"
    );
}

pub async fn an_endpoint_failing_for_a_day_is_paused_until_its_owner_turns_it_on_again(store: impl Store) {
    let app = demo_app(store).await.with_webhook_targets(Targets::AlsoLoopback);
    let owner = member(&app, "owner-1", "owner-1@acme.example", Role::Owner).await;
    let receiver = Receiver::start(usize::MAX).await;
    let created = app
        .create_webhook(&demo::site_id(), &owner, &endpoint(&receiver.url, &["booking.created"]))
        .await
        .expect("created");
    let sender = HttpWebhooks::new().expect("client");
    let listed = |app: App<_>| {
        let owner = owner.clone();
        async move {
            let page = app.webhook_endpoints(&demo::site_id(), &owner).await.expect("list");
            page.items.into_iter().next().expect("the endpoint")
        }
    };
    book(&app, "sam-nguyen", FIRST_SLOT, "Alice").await;
    deliver(&app, &sender).await;
    let failing = listed(app.clone()).await;
    assert_eq!((failing.failing_since, failing.enabled), (Some(now()), true));

    // A day and an hour on, another booking's request fails too: the endpoint is paused.
    let tomorrow = app.at(now() + SignedDuration::from_hours(25));
    book(&tomorrow, "sam-nguyen", "2026-11-26T22:00:00Z", "Bob").await;
    deliver(&tomorrow, &sender).await;
    let paused = listed(tomorrow.clone()).await;
    assert_eq!((paused.enabled, paused.paused_at), (false, Some(now() + SignedDuration::from_hours(25))));
    let calls_before = receiver.taken().len() + receiver.calls_total();
    book(&tomorrow, "sam-nguyen", "2026-11-29T22:00:00Z", "Carol").await;
    deliver(&tomorrow, &sender).await;
    assert_eq!(
        receiver.taken().len() + receiver.calls_total(),
        calls_before,
        "a paused endpoint is sent nothing"
    );
    let trail = tomorrow.audit_trail(&demo::site_id(), &owner, None).await.expect("audit");
    assert!(trail.entries.iter().any(|e| e.action == "webhook.paused" && e.email == "Jobslot"), "{trail:?}");

    // Turned on again by its owner, it starts afresh.
    let input = EndpointInput { enabled: true, ..endpoint(&receiver.url, &["booking.created"]) };
    let resumed = tomorrow
        .change_webhook(&demo::site_id(), &owner, &created.endpoint.id, &input)
        .await
        .expect("resumed");
    assert_eq!((resumed.enabled, resumed.paused_at, resumed.failing_since), (true, None, None));
}
