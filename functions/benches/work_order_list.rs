//! The staff work-order list on a site with 10,000 orders on the embedded store: the first
//! page, one technician's page, one week in one status, and the worst case, a free-text search
//! that matches one order and so reads the whole site's view.
//!
//! `cargo xtask bench` runs it.

// criterion_group! defines `pub fn benches` without a doc comment.
#![allow(missing_docs)]

use criterion::{Criterion, criterion_group, criterion_main};
use jiff::{SignedDuration, Timestamp};
use jobslot_domain::api::Job;
use jobslot_domain::availability::Interval;
use jobslot_domain::booking::Booking;
use jobslot_domain::contact::Email;
use jobslot_domain::dispatch::WorkOrderListQuery;
use jobslot_domain::ids::{UserId, WorkOrderNumber};
use jobslot_domain::site::{Service, Technician};
use jobslot_domain::staff::Role;
use jobslot_domain::text::Text;
use jobslot_domain::work_order::{Appointment, Assignee, OrderStatus, WorkOrder};
use jobslot_functions::app::App;
use jobslot_functions::repository::{Member, NewBooking};
use jobslot_functions::store::embedded::EmbeddedStore;
use std::hint::black_box;

const ORDERS: u64 = 10_000;
const STATUSES: [OrderStatus; 4] =
    [OrderStatus::New, OrderStatus::Enroute, OrderStatus::ClosedComplete, OrderStatus::Pending];

fn order(i: u64, service: &Service, technician: &Technician, start: Timestamp) -> WorkOrder {
    let job = Job {
        service: service.clone(),
        location: serde_json::from_value(serde_json::json!({
            "line1": format!("{i} George Street"), "city": "Sydney",
            "postcode": { "country": "AU", "code": technician.areas[0].to_string() }
        }))
        .expect("address"),
        contact: serde_json::from_value(serde_json::json!({
            "name": format!("Customer {i}"), "email": format!("customer{i}@example.com"), "phone": "0412345678"
        }))
        .expect("contact"),
        answers: Vec::new(),
        notes: Some(Text::parse("t", "Side gate", 200).expect("text")),
        tracking: Default::default(),
    };
    let appointment = Appointment {
        planned_start: start,
        planned_end: start + SignedDuration::from_hours(1),
        technician: Assignee { id: technician.id.clone(), name: technician.name.clone() },
    };
    let number = WorkOrderNumber::from_random(i * 7_919 + 13);
    let mut order = WorkOrder::new(
        &technician.site,
        number,
        &job,
        Some(appointment),
        technician.time_zone.clone(),
        start,
    );
    order.status = STATUSES[(i % 4) as usize];
    order
}

fn list(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let dir = tempfile::tempdir().expect("temp dir");
    let store = EmbeddedStore::open(&dir.path().join("bench.redb")).expect("store");
    let app = App::new(store);
    let user = UserId::parse("u", "dispatcher").expect("user");
    let technicians = jobslot_functions::demo::technicians().expect("demo");
    let service = jobslot_functions::demo::site().expect("demo").services.remove(0);
    let first: Timestamp = "2026-12-01T21:00:00Z".parse().expect("start");
    runtime.block_on(async {
        jobslot_functions::demo::seed_site(app.repository()).await.expect("seed");
        let member = Member {
            site: jobslot_functions::demo::site_id(),
            user: user.clone(),
            email: Email::parse("e", "desk@acme.example").expect("email"),
            role: Role::Dispatcher,
            technician: None,
        };
        app.repository().save_member(&member).await.expect("member");
        // Ten one-hour jobs a day per technician, over as many days as 10,000 orders take.
        for i in 0..ORDERS {
            let technician = &technicians[(i % 3) as usize];
            let slot = i / 3;
            let start = first + SignedDuration::from_hours(((slot / 10) * 24 + slot % 10) as i64);
            let work_order = order(i, &service, technician, start);
            let booking = Booking {
                site: work_order.site.clone(),
                technician: technician.id.clone(),
                work_order: work_order.number.clone(),
                time: Interval { start, end: start + SignedDuration::from_hours(1) },
            };
            let new = NewBooking {
                booking,
                work_order,
                idempotency: None,
                booked_by: "bench".into(),
                follows: None,
            };
            app.repository().create_booking(&new).await.expect("booked");
        }
    });
    let site = jobslot_functions::demo::DEMO_SITE;
    let cases = [
        ("first page of 50 of 10,000 work orders", WorkOrderListQuery::default()),
        (
            "one technician's first page",
            WorkOrderListQuery { technician: Some("tom-kelly".into()), ..Default::default() },
        ),
        (
            "one week in one status",
            WorkOrderListQuery {
                status: Some("enroute".into()),
                from: Some("2026-12-07".into()),
                to: Some("2026-12-13".into()),
                ..Default::default()
            },
        ),
        (
            "a search matching one order among 10,000 (reads the whole view)",
            WorkOrderListQuery { q: Some("customer9999@example.com".into()), ..Default::default() },
        ),
    ];
    for (name, query) in cases {
        let page = runtime.block_on(app.work_orders(site, &user, &query)).expect("list");
        println!("{name}: {} orders on the page", page.items.len());
        c.bench_function(name, |b| {
            b.to_async(&runtime)
                .iter(|| async { black_box(app.work_orders(site, &user, black_box(&query)).await) })
        });
    }
}

criterion_group!(benches, list);
criterion_main!(benches);
