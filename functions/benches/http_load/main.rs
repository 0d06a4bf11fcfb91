//! The HTTP load run: slot searches and bookings against a running Jobslot, at a fixed rate
//! and then at rising rates until it saturates.
//!
//! `cargo xtask bench` starts the release local server on fresh demo data and runs this with
//! `JOBSLOT_LOAD_BASE` set; without it the run is skipped. See the README's Performance section.

// A bench target is a crate of its own; its items need no public documentation.
#![allow(missing_docs)]

mod run;
mod seed;
mod session;

use anyhow::{Context, Result, bail};
use jobslot_domain::api::{AddressInput, ContactInput, JobInput, SlotOffer, SubmitWorkOrder};
use run::{Outcome, open_loop};
use serde::Serialize;
use std::sync::Arc;
use std::time::Duration;

const SITE: &str = "acme-car-servicing";
/// A rising rate stops when p99 passes this or errors pass 1%: the server is saturated.
const SATURATED_P99_MS: f64 = 100.0;

struct Options {
    base: String,
    email: String,
    password: String,
    rate: u32,
    seconds: u64,
    technicians: usize,
    report: Option<String>,
}

/// The run's settings from `JOBSLOT_LOAD_*` (cargo passes benches arguments of its own).
fn options() -> Result<Option<Options>> {
    let var = |name: &str| std::env::var(format!("JOBSLOT_LOAD_{name}")).ok().filter(|v| !v.is_empty());
    let Some(base) = var("BASE") else { return Ok(None) };
    Ok(Some(Options {
        base: base.trim_end_matches('/').to_owned(),
        email: var("EMAIL").unwrap_or_else(|| jobslot_functions::demo::DEMO_OWNER_EMAIL.into()),
        password: var("PASSWORD").unwrap_or_else(|| jobslot_functions::demo::DEMO_OWNER_PASSWORD.into()),
        rate: var("RATE").map_or(Ok(200), |v| v.parse()).context("JOBSLOT_LOAD_RATE")?,
        seconds: var("SECONDS").map_or(Ok(30), |v| v.parse()).context("JOBSLOT_LOAD_SECONDS")?,
        technicians: var("TECHNICIANS").map_or(Ok(100), |v| v.parse()).context("JOBSLOT_LOAD_TECHNICIANS")?,
        report: var("REPORT"),
    }))
}

/// Everything measured, as written to `--report`.
#[derive(Debug, Serialize)]
struct Report {
    slots_at_rate: Outcome,
    booking_at_rate: Outcome,
    slots_saturation: Vec<Outcome>,
    booking_saturation: Vec<Outcome>,
}

#[tokio::main]
async fn main() -> Result<()> {
    let Some(options) = options()? else {
        println!("http_load: skipped (set JOBSLOT_LOAD_BASE to a running server; cargo xtask bench does)");
        return Ok(());
    };
    let token = session::sign_in(&options.base, &options.email, &options.password).await?;
    seed::technicians(&options.base, SITE, &token, options.technicians).await?;
    // A request unanswered after this counts as an error instead of stalling the run.
    let client = reqwest::Client::builder().timeout(Duration::from_secs(30)).build()?;
    let duration = Duration::from_secs(options.seconds);

    let search_url =
        Arc::new(format!("{}/api/sites/{SITE}/slots?postcode=2000&service=basic-service", options.base));
    let search = |client: reqwest::Client, url: Arc<String>| {
        move |_: u64| {
            let (client, url) = (client.clone(), Arc::clone(&url));
            async move { answered_ok(client.get(url.as_str()).send().await).await }
        }
    };
    println!("slot searches: {} a second for {} s", options.rate, options.seconds);
    let slots_at_rate =
        open_loop(options.rate, duration, search(client.clone(), Arc::clone(&search_url))).await;

    let slots = Arc::new(seed::bookable_slots(&options.base, SITE).await?);
    println!(
        "bookings: {} a second for {} s ({} free slots to book)",
        options.rate,
        options.seconds,
        slots.len()
    );
    let wanted = u64::from(options.rate) * options.seconds;
    if (slots.len() as u64) < wanted {
        bail!("only {} free slots for {wanted} bookings: add technicians with --technicians", slots.len());
    }
    let book = |client: reqwest::Client, slots: Arc<Vec<SlotOffer>>, base: String, offset: u64| {
        move |i: u64| {
            let (client, slots, base) = (client.clone(), Arc::clone(&slots), base.clone());
            async move {
                let Some(slot) = slots.get((offset + i) as usize) else { return false };
                let sent = client
                    .post(format!("{base}/api/sites/{SITE}/work-orders"))
                    .header("idempotency-key", format!("load-{}-{}", slot.technician, slot.start.as_second()))
                    .json(&booking(slot))
                    .send()
                    .await;
                answered_ok(sent).await
            }
        }
    };
    let booking_at_rate =
        open_loop(options.rate, duration, book(client.clone(), Arc::clone(&slots), options.base.clone(), 0))
            .await;

    let mut slots_saturation = Vec::new();
    for rate in [400, 800, 1_600, 3_200, 6_400] {
        let outcome =
            open_loop(rate, Duration::from_secs(5), search(client.clone(), Arc::clone(&search_url))).await;
        let saturated = outcome.p99_ms > SATURATED_P99_MS || outcome.error_rate() > 0.01;
        slots_saturation.push(outcome);
        if saturated {
            break;
        }
    }
    let mut booking_saturation = Vec::new();
    let mut used = wanted;
    for rate in [400u32, 800, 1_600, 3_200] {
        let seconds = 3;
        if used + u64::from(rate) * seconds > slots.len() as u64 {
            break;
        }
        let outcome = open_loop(
            rate,
            Duration::from_secs(seconds),
            book(client.clone(), Arc::clone(&slots), options.base.clone(), used),
        )
        .await;
        used += u64::from(rate) * seconds;
        let saturated = outcome.p99_ms > SATURATED_P99_MS || outcome.error_rate() > 0.01;
        booking_saturation.push(outcome);
        if saturated {
            break;
        }
    }

    let report = Report { slots_at_rate, booking_at_rate, slots_saturation, booking_saturation };
    print_table(&report);
    if let Some(path) = &options.report {
        std::fs::write(path, serde_json::to_vec_pretty(&report)?)
            .with_context(|| format!("writing {path}"))?;
    }
    Ok(())
}

/// True for a 2xx answer read to its end: the latency covers the whole body, and a read body
/// lets the connection serve the next request.
async fn answered_ok(sent: reqwest::Result<reqwest::Response>) -> bool {
    match sent {
        Ok(response) => {
            let success = response.status().is_success();
            response.bytes().await.is_ok() && success
        }
        Err(_) => false,
    }
}

fn booking(slot: &SlotOffer) -> SubmitWorkOrder {
    let answers =
        serde_json::json!({"car_make": "Toyota", "car_model": "Corolla", "car_year": 2019, "fuel": "Petrol"});
    let job = JobInput {
        service: seed::SERVICE.into(),
        postcode: seed::POSTCODE.into(),
        address: AddressInput {
            line1: "1 Load Street".into(),
            line2: String::new(),
            city: "Canberra".into(),
        },
        answers: serde_json::from_value(answers).unwrap_or_default(),
        contact: ContactInput {
            name: "Load Tester".into(),
            email: "load@example.com".into(),
            phone: "0412 345 678".into(),
        },
        notes: String::new(),
        tracking: Default::default(),
    };
    SubmitWorkOrder {
        job,
        technician: slot.technician.to_string(),
        start: slot.start.to_string(),
        terms_accepted: true,
    }
}

fn print_table(report: &Report) {
    println!(
        "\n| run | rate (req/s) | sent | 2xx | errors | throughput (req/s) | p50 (ms) | p99 (ms) | max (ms) |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    let row = |name: &str, o: &Outcome| {
        println!(
            "| {name} | {} | {} | {} | {} | {:.0} | {:.2} | {:.2} | {:.2} |",
            o.rate, o.sent, o.ok, o.errors, o.throughput, o.p50_ms, o.p99_ms, o.max_ms
        );
    };
    row("slots, fixed rate", &report.slots_at_rate);
    row("booking, fixed rate", &report.booking_at_rate);
    for o in &report.slots_saturation {
        row("slots, rising", o);
    }
    for o in &report.booking_saturation {
        row("booking, rising", o);
    }
}
