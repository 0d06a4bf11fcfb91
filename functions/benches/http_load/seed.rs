//! The load test's own technicians on the demo site, added through the staff API, and the
//! free slots they offer, each booked once by the booking run.

use anyhow::{Context, Result, bail};
use jobslot_domain::api::{SlotOffer, SlotsResponse};
use jobslot_domain::setup::{HoursInput, TechnicianInput};
use std::collections::BTreeMap;

/// The postcode only the load test's technicians serve (the demo's serve Sydney's centre).
pub const POSTCODE: &str = "2600";
/// The service booked: one hour.
pub const SERVICE: &str = "basic-service";

/// Adds `count` technicians serving [`POSTCODE`] twelve hours a day, every day, unless a
/// previous run added them.
pub async fn technicians(base: &str, site: &str, token: &str, count: usize) -> Result<()> {
    let client = reqwest::Client::new();
    let day = || vec!["07:00-19:00".to_owned()];
    for i in 0..count {
        let input = TechnicianInput {
            name: format!("Load technician {i}"),
            areas: vec![POSTCODE.into()],
            services: Vec::new(),
            hours: HoursInput {
                monday: day(),
                tuesday: day(),
                wednesday: day(),
                thursday: day(),
                friday: day(),
                saturday: day(),
                sunday: day(),
            },
            time_off: Vec::new(),
            time_zone: String::new(),
            active: true,
        };
        let answer = client
            .put(format!("{base}/api/sites/{site}/technicians/load-{i:03}"))
            .bearer_auth(token)
            .header("if-none-match", "*")
            .json(&input)
            .send()
            .await?;
        // 412: a previous run on the same data directory added them already.
        if !(answer.status().is_success() || answer.status().as_u16() == 412) {
            bail!("adding a technician answered {}: {}", answer.status(), answer.text().await?);
        }
    }
    Ok(())
}

/// Free one-hour slots of the load technicians that do not overlap one another, in time order.
pub async fn bookable_slots(base: &str, site: &str) -> Result<Vec<SlotOffer>> {
    let client = reqwest::Client::new();
    let today = jiff::Zoned::now().date();
    let mut by_technician: BTreeMap<String, Vec<SlotOffer>> = BTreeMap::new();
    for week in 0..5 {
        let from = today.checked_add(jiff::Span::new().days(week * 14)).context("date")?;
        let answer = client
            .get(format!("{base}/api/sites/{site}/slots"))
            .query(&[
                ("postcode", POSTCODE),
                ("service", SERVICE),
                ("days", "14"),
                ("from", &from.to_string()),
            ])
            .send()
            .await?;
        if !answer.status().is_success() {
            break; // Past the site's booking horizon.
        }
        let found: SlotsResponse = answer.json().await?;
        for slot in found.days.into_iter().flat_map(|d| d.slots) {
            by_technician.entry(slot.technician.to_string()).or_default().push(slot);
        }
    }
    let mut chosen = Vec::new();
    for slots in by_technician.into_values() {
        let mut free_from = None;
        for slot in slots {
            if free_from.is_none_or(|end| slot.start >= end) {
                free_from = Some(slot.end);
                chosen.push(slot);
            }
        }
    }
    chosen.sort_by_key(|s| s.start);
    Ok(chosen)
}
