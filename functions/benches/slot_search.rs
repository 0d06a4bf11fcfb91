//! A slot search on a busy site, on the embedded store: 30 technicians besides the demo's
//! serve the postcode, each with six jobs a day for four weeks, and the search asks for 14 days.
//! It reads the site, the postcode's coverage bucket and one batch of records and schedule
//! sheets, so the figure shows what the engine and the sheets cost when every day is busy.
//!
//! `cargo xtask bench` runs it.

// criterion_group! defines `pub fn benches` without a doc comment.
#![allow(missing_docs)]

#[path = "support/mod.rs"]
mod support;

use criterion::{Criterion, criterion_group, criterion_main};
use jiff::{SignedDuration, Timestamp};
use jobslot_domain::api::SlotsQuery;
use jobslot_domain::area::ServiceArea;
use jobslot_domain::ids::TechnicianId;
use jobslot_domain::postcode::Country;
use jobslot_functions::app::{App, Clock};
use jobslot_functions::repository::Precondition;
use jobslot_functions::store::embedded::EmbeddedStore;
use std::hint::black_box;

const EXTRA_TECHNICIANS: u64 = 30;
const JOBS_A_DAY: u64 = 6;
const DAYS: u64 = 28;

fn slot_search(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let dir = tempfile::tempdir().expect("temp dir");
    let store = EmbeddedStore::open(&dir.path().join("bench.redb")).expect("store");
    let now: Timestamp = "2026-11-23T20:00:00Z".parse().expect("now");
    let app = App::with_clock(store, Clock::Fixed(now));
    let sam = jobslot_functions::demo::technicians().expect("demo").remove(0);
    let service = jobslot_functions::demo::site().expect("demo").services.remove(0);
    // 08:00 in Sydney on the first day searched.
    let first_day: Timestamp = "2026-11-23T21:00:00Z".parse().expect("start");
    runtime.block_on(async {
        jobslot_functions::demo::seed_site(app.repository()).await.expect("seed");
        for t in 0..EXTRA_TECHNICIANS {
            let technician = jobslot_domain::site::Technician {
                id: TechnicianId::parse("id", &format!("busy-{t:02}")).expect("id"),
                name: format!("Busy {t}"),
                areas: vec![ServiceArea::parse("areas", Country::Au, "2000").expect("area")],
                ..sam.clone()
            };
            app.repository()
                .save_technician(&technician, Country::Au, Precondition::Any, None)
                .await
                .expect("save");
            // Every other hour of the working day, so free slots remain between the jobs.
            for i in 0..JOBS_A_DAY * DAYS {
                let hours = (i / JOBS_A_DAY) * 24 + (i % JOBS_A_DAY) * 2;
                let start = first_day + SignedDuration::from_hours(i64::try_from(hours).expect("small"));
                let order = support::order(t * 1_000 + i, &service, &technician, start);
                support::book(app.repository(), order).await;
            }
        }
    });
    let query =
        SlotsQuery { postcode: "2000".into(), service: service.id.to_string(), from: None, days: Some(14) };
    let site = &jobslot_functions::demo::site_id();
    let found = runtime.block_on(app.slots(site, &query)).expect("slots");
    let offered: usize = found.days.iter().map(|d| d.slots.len()).sum();
    println!(
        "{} technicians serve 2000 with {} bookings; 14 days offer {offered} slots",
        found.technicians.len(),
        EXTRA_TECHNICIANS * JOBS_A_DAY * DAYS
    );
    c.bench_function("slot search, 32 technicians with six jobs a day, 14 days", |b| {
        b.to_async(&runtime)
            .iter(|| async { black_box(app.slots(site, black_box(&query)).await.expect("slots")) })
    });
}

criterion_group!(benches, slot_search);
criterion_main!(benches);
