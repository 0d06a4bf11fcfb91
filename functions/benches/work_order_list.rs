//! The staff work-order list on a site with 10,000 orders on the embedded store: the first
//! page, one technician's page, one week in one status, and the worst case, a free-text search
//! that matches one order and so reads the whole site's view.
//!
//! `cargo xtask bench` runs it.

// criterion_group! defines `pub fn benches` without a doc comment.
#![allow(missing_docs)]

#[path = "support/mod.rs"]
mod support;

use criterion::{Criterion, criterion_group, criterion_main};
use jiff::{SignedDuration, Timestamp};
use jobslot_domain::contact::Email;
use jobslot_domain::dispatch::WorkOrderListQuery;
use jobslot_domain::ids::UserId;
use jobslot_domain::staff::Role;
use jobslot_domain::work_order::OrderStatus;
use jobslot_functions::app::App;
use jobslot_functions::repository::Member;
use jobslot_functions::store::embedded::EmbeddedStore;
use std::hint::black_box;

const ORDERS: u64 = 10_000;
const STATUSES: [OrderStatus; 4] =
    [OrderStatus::New, OrderStatus::Enroute, OrderStatus::ClosedComplete, OrderStatus::Pending];

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
            invited_at: None,
        };
        app.repository().save_member(&member).await.expect("member");
        // Ten one-hour jobs a day per technician, over as many days as 10,000 orders take.
        for i in 0..ORDERS {
            let technician = &technicians[(i % 3) as usize];
            let slot = i / 3;
            let start = first + SignedDuration::from_hours(((slot / 10) * 24 + slot % 10) as i64);
            let mut work_order = support::order(i, &service, technician, start);
            work_order.status = STATUSES[(i % 4) as usize];
            support::book(app.repository(), work_order).await;
        }
    });
    let site = &jobslot_functions::demo::site_id();
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
