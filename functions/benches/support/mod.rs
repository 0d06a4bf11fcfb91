//! What the benchmarks share: work orders made up in bulk, and booking them.

use jiff::{SignedDuration, Timestamp};
use jobslot_domain::api::Job;
use jobslot_domain::availability::Interval;
use jobslot_domain::booking::Booking;
use jobslot_domain::ids::WorkOrderNumber;
use jobslot_domain::site::{Service, Technician};
use jobslot_domain::text::Text;
use jobslot_domain::work_order::{Appointment, Assignee, WorkOrder};
use jobslot_functions::repository::{NewBooking, Repository};
use jobslot_functions::store::Store;

/// The `i`th made-up order: a one-hour job for `technician` at `start`, status new.
pub fn order(i: u64, service: &Service, technician: &Technician, start: Timestamp) -> WorkOrder {
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
    WorkOrder::new(
        &technician.site,
        number,
        &job,
        Some(appointment),
        technician.time_zone.name().to_owned(),
        start,
    )
}

/// Books `work_order` through the repository, as a customer's booking is written.
pub async fn book<S: Store>(repo: &Repository<S>, work_order: WorkOrder) {
    let appointment = work_order.appointment.clone().expect("booked orders have a time");
    let booking = Booking {
        site: work_order.site.clone(),
        technician: appointment.technician.id.clone(),
        work_order: work_order.number.clone(),
        time: Interval { start: appointment.planned_start, end: appointment.planned_end },
    };
    let new = NewBooking { booking, work_order, idempotency: None, booked_by: "bench".into(), follows: None };
    repo.create_booking(&new).await.expect("booked");
}
