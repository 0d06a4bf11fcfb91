//! Conformance of the customer's manage link: it opens its own booking only, moves it to an
//! offered slot (locks moved in the same write), cancels it (locks freed), and stops when
//! online changes close or the link expires.

use crate::deliveries::{PUBLIC_URL, RecordingMailer};
use crate::support::{demo_app, now};
use crate::work_orders::book;
use jiff::{SignedDuration, Timestamp};
use jobslot_domain::availability::Interval;
use jobslot_domain::calendar::Method;
use jobslot_domain::ids::{TechnicianId, WorkOrderNumber};
use jobslot_domain::manage::RescheduleInput;
use jobslot_domain::notification::Audience;
use jobslot_domain::work_order::OrderStatus;
use jobslot_functions::app::deliveries::Outlets;
use jobslot_functions::app::{App, AppError};
use jobslot_functions::demo;
use jobslot_functions::store::Store;

/// Alice's booking: two days ahead, well before online changes close.
const ALICES: &str = "2026-11-25T22:00:00Z";
const LATER: &str = "2026-11-26T02:00:00Z";
const BOBS: &str = "2026-11-26T22:00:00Z";

fn hour(start: &str) -> Interval {
    let start: Timestamp = start.parse().expect("start");
    Interval { start, end: start + SignedDuration::from_hours(1) }
}

/// The token of the manage link in the last message to the customer about `number`.
async fn link_token<S: Store>(app: &App<S>, mailer: &RecordingMailer, number: &WorkOrderNumber) -> String {
    app.deliver_due(&Outlets::mail(mailer, PUBLIC_URL)).await.expect("round");
    let sent = mailer.sent();
    let about = |m: &&jobslot_functions::mail::Mail| {
        m.message.audience == Audience::Customer && m.message.text.contains(number.as_str())
    };
    let last = sent.iter().rev().find(about).expect("a customer e-mail");
    let line = last.message.text.lines().find(|l| l.contains("/manage/")).expect("a manage link");
    let url = line.rsplit(' ').next().expect("url");
    assert!(url.starts_with(&format!("{PUBLIC_URL}/manage/{}/", demo::DEMO_SITE)), "{url}");
    url.split("token=").nth(1).expect("token").to_owned()
}

async fn sams<S: Store>(app: &App<S>, time: Interval) -> usize {
    let sam = TechnicianId::parse("t", "sam-nguyen").expect("id");
    app.repository().bookings(&demo::site_id(), &sam, time).await.expect("bookings").len()
}

fn to(start: &str) -> RescheduleInput {
    RescheduleInput { technician: "sam-nguyen".into(), start: start.into() }
}

pub async fn the_manage_link_moves_and_then_cancels_its_own_booking_only(store: impl Store) {
    let app = demo_app(store).await;
    let number = book(&app, "sam-nguyen", ALICES, "Alice").await;
    let other = book(&app, "sam-nguyen", BOBS, "Bob").await;
    let mailer = RecordingMailer::default();
    let token = link_token(&app, &mailer, &number).await;
    let site = &demo::site_id();

    let shown = app
        .managed_booking(site, &number, crate::support::manage_token(&token).as_ref())
        .await
        .expect("shown");
    assert!(shown.changeable_until.is_some() && shown.locked.is_none());
    let mut tampered = token.clone();
    let last = tampered.pop().expect("a character");
    tampered.push(if last == 'A' { 'B' } else { 'A' });
    for (n, t) in [(&number, tampered.as_str()), (&other, token.as_str()), (&number, "")] {
        let refused = app.managed_booking(site, n, crate::support::manage_token(t).as_ref()).await;
        assert!(matches!(refused, Err(AppError::NotFound)), "{n} {t}");
        assert!(matches!(
            app.cancel_booking(site, n, crate::support::manage_token(t).as_ref()).await,
            Err(AppError::NotFound)
        ));
    }
    let forged = format!("{}{}", i64::MAX, &token[token.find('.').expect("dot")..]);
    assert!(matches!(
        app.managed_booking(site, &number, crate::support::manage_token(&forged).as_ref()).await,
        Err(AppError::NotFound)
    ));

    let moved = app
        .reschedule_booking(site, &number, crate::support::manage_token(&token).as_ref(), &to(LATER))
        .await
        .expect("moved");
    assert_eq!(moved.order.booked.map(|b| b.start), Some(hour(LATER).start));
    assert_eq!(sams(&app, hour(ALICES)).await, 0, "the old time is free");
    assert_eq!(sams(&app, hour(LATER)).await, 1, "the new one is held");
    let taken =
        app.reschedule_booking(site, &number, crate::support::manage_token(&token).as_ref(), &to(BOBS)).await;
    assert!(matches!(taken, Err(AppError::SlotUnavailable)), "Bob has that one");

    let token = link_token(&app, &mailer, &number).await;
    let cancelled = app
        .cancel_booking(site, &number, crate::support::manage_token(&token).as_ref())
        .await
        .expect("cancelled");
    assert_eq!(cancelled.order.status, OrderStatus::Cancelled);
    assert_eq!(sams(&app, hour(LATER)).await, 0, "the time is free again");
    let again = app
        .reschedule_booking(site, &number, crate::support::manage_token(&token).as_ref(), &to(ALICES))
        .await;
    assert!(matches!(again, Err(AppError::ChangeClosed(_))), "a cancelled booking stays cancelled");
    assert!(
        app.managed_booking(site, &number, crate::support::manage_token(&token).as_ref())
            .await
            .expect("still shown")
            .locked
            .is_some()
    );

    app.deliver_due(&Outlets::mail(&mailer, PUBLIC_URL)).await.expect("round");
    let invitations: Vec<_> = mailer
        .sent()
        .into_iter()
        .filter(|m| m.message.audience == Audience::Customer && m.message.text.contains(number.as_str()))
        .filter_map(|m| m.message.invitation)
        .map(|i| (i.sequence, i.method))
        .collect();
    assert_eq!(invitations, [(0, Method::Request), (1, Method::Request), (2, Method::Cancel)]);
}

pub async fn online_changes_close_before_the_appointment_and_the_link_expires_after_it(store: impl Store) {
    let app = demo_app(store).await;
    let number = book(&app, "sam-nguyen", ALICES, "Alice").await;
    let token = link_token(&app, &RecordingMailer::default(), &number).await;
    let start = hour(ALICES).start;
    let late = app.at(start - SignedDuration::from_hours(23));
    let refused =
        late.cancel_booking(&demo::site_id(), &number, crate::support::manage_token(&token).as_ref()).await;
    match refused {
        Err(AppError::ChangeClosed(why)) => {
            assert!(why.contains("24 hours") && why.contains("02 9000 1234"), "{why}")
        }
        other => panic!("expected the change to be closed, got {other:?}"),
    }
    let view = late
        .managed_booking(&demo::site_id(), &number, crate::support::manage_token(&token).as_ref())
        .await
        .expect("shown");
    assert!(view.changeable_until.is_none() && view.locked.is_some());
    let expired = app.at(start + SignedDuration::from_hours(24 * 8));
    let gone = expired
        .managed_booking(&demo::site_id(), &number, crate::support::manage_token(&token).as_ref())
        .await;
    assert!(matches!(gone, Err(AppError::LinkExpired)));
    assert!(now() < start, "the booking was made before");
}
