//! Demo data: Acme Car Servicing in Sydney, seeded on a fresh store.

use crate::app::identity::Identity;
use crate::repository::{Member, Precondition, Repository};
use crate::store::Store;
use jobslot_domain::contact::Email;
use jobslot_domain::ids::SiteId;
use jobslot_domain::site::{Site, Technician};
use jobslot_domain::staff::Role;
use serde_json::json;

/// The demo site's id, as used in the demo page's embed snippet.
pub const DEMO_SITE: &str = "acme-car-servicing";

/// The demo site's configuration.
pub fn site() -> Result<Site, serde_json::Error> {
    serde_json::from_value(json!({
        "id": DEMO_SITE,
        "business_name": "Acme Car Servicing",
        "country": "AU",
        "time_zone": "Australia/Sydney",
        "currency": "AUD",
        "services": [
            { "id": "logbook-service", "name": "Logbook service", "duration": 120,
              "price": { "minor": 28900, "currency": "AUD" }, "order_type": "maintenance" },
            { "id": "basic-service", "name": "Basic service", "duration": 60,
              "price": { "minor": 14900, "currency": "AUD" }, "order_type": "maintenance" },
            { "id": "brake-repair", "name": "Brake inspection and repair", "duration": 90,
              "price": { "minor": 19900, "currency": "AUD" }, "order_type": "repair" }
        ],
        "order_form": order_form(),
        "terms": "We come to you. Please make sure the car is accessible at the booked time. \
                  Cancel or reschedule free of charge up to 24 hours before the appointment; \
                  later cancellations may incur a call-out fee of $60.",
        "rules": { "step": 30, "min_notice_minutes": 120, "days_ahead": 30 },
        "order_rules": { "repair": { "can_schedule_followup": true },
                         "maintenance": { "can_schedule_followup": true } },
        "allowed_origins": ["https://www.acme-cars.example"],
        "contact_email": "bookings@acme.example",
        "contact_phone": "02 9000 1234",
        "notification_email": "office@acme.example"
    }))
}

fn order_form() -> serde_json::Value {
    json!({ "fields": [
        { "id": "car_make", "label": "Car make", "kind": "text", "max_length": 40, "required": true },
        { "id": "car_model", "label": "Model", "kind": "text", "max_length": 40, "required": true },
        { "id": "car_year", "label": "Year of manufacture", "kind": "number", "min": 1950, "max": 2027, "required": true },
        { "id": "fuel", "label": "Fuel type", "kind": "select", "options": ["Petrol", "Diesel", "Hybrid", "Electric", "LPG"], "required": true },
        { "id": "odometer_km", "label": "Odometer (km)", "kind": "number", "min": 0, "max": 2000000 },
        { "id": "rego", "label": "Registration plate", "kind": "text", "max_length": 10, "help": "So the technician finds the right car." },
        { "id": "loan_car", "label": "I need a loan car", "kind": "checkbox" }
    ]})
}

/// The demo technicians and the Sydney postcodes they serve.
pub fn technicians() -> Result<Vec<Technician>, serde_json::Error> {
    let weekdays = json!(["08:00-12:00", "13:00-17:00"]);
    let hours = |saturday: bool| {
        json!({
            "monday": weekdays, "tuesday": weekdays, "wednesday": weekdays,
            "thursday": weekdays, "friday": weekdays,
            "saturday": if saturday { json!(["08:00-12:00"]) } else { json!([]) }
        })
    };
    serde_json::from_value(json!([
        { "site": DEMO_SITE, "id": "sam-nguyen", "name": "Sam Nguyen", "time_zone": "Australia/Sydney",
          "areas": ["2000", "2007", "2008", "2009", "2010", "2011", "2016", "2017"], "hours": hours(true) },
        { "site": DEMO_SITE, "id": "priya-shah", "name": "Priya Shah", "time_zone": "Australia/Sydney",
          "areas": ["2000", "2021", "2022", "2025", "2027", "2028", "2031"], "hours": hours(false) },
        { "site": DEMO_SITE, "id": "tom-kelly", "name": "Tom Kelly", "time_zone": "Australia/Sydney",
          "areas": ["2060", "2061", "2062", "2065", "2088"], "hours": hours(true) }
    ]))
}

/// The demo owner's sign-in at the local issuer. Demo data, printed by `cargo xtask dev`.
pub const DEMO_OWNER_EMAIL: &str = "owner@acme.example";
/// The demo owner's password.
pub const DEMO_OWNER_PASSWORD: &str = "acme-demo-owner";

/// Seeds the demo site and its owner unless the site exists; returns whether it seeded.
pub async fn seed_if_missing<S: Store>(repo: &Repository<S>, identity: &Identity<S>) -> anyhow::Result<bool> {
    let site = site()?;
    if repo.site(&site.id).await?.is_some() {
        // Demo data from before the coverage index was bucketed would serve nobody.
        repo.reindex_legacy_technicians(&site.id, site.country).await?;
        return Ok(false);
    }
    seed_site(repo).await?;
    let owner = match repo.account(&Email::parse("email", DEMO_OWNER_EMAIL)?).await? {
        Some(account) => account,
        None => identity
            .create_account(DEMO_OWNER_EMAIL, DEMO_OWNER_PASSWORD)
            .await
            .map_err(|e| anyhow::anyhow!("creating the demo owner: {e:?}"))?,
    };
    repo.save_member(&Member {
        site: site.id,
        user: owner.user,
        email: owner.email,
        role: Role::Owner,
        technician: None,
        invited_at: None,
    })
    .await?;
    Ok(true)
}

/// Seeds the demo site's configuration and technicians (no staff).
pub async fn seed_site<S: Store>(repo: &Repository<S>) -> anyhow::Result<()> {
    let site = site()?;
    for technician in technicians()? {
        repo.save_technician(&technician, site.country, Precondition::Any, None).await?;
    }
    repo.save_site(&site).await?;
    Ok(())
}

/// The demo site's id, parsed.
pub fn site_id() -> SiteId {
    SiteId::parse("site", DEMO_SITE).unwrap_or_else(|_| unreachable!("the demo site id is a slug"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_data_parses() {
        assert!(site().is_ok(), "{:?}", site().err());
        let technicians = technicians();
        assert_eq!(technicians.map(|t| t.len()).ok(), Some(3));
    }
}
