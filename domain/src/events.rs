//! What happened to a booking or a work order, for those who listen: the events a change
//! writes into the outbox in the same atomic write as the change itself, so an event is never
//! lost or invented. Delivery (webhooks, e-mail) reads them from there.
//!
//! Events name the work order and what changed, never the customer's personal details: a
//! receiver that needs those reads the work order with its own credentials.

use crate::ids::{ReasonCode, SiteId, TechnicianId, WorkOrderNumber};
use crate::work_order::{OrderStatus, WorkOrder};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// What happened to a work order; integrators subscribe to these by [`EventKind::name`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum EventKind {
    /// A booking (and its work order) was made, by a customer or as a follow-up.
    #[serde(rename = "booking.created")]
    BookingCreated,
    /// A booking moved to another time or technician.
    #[serde(rename = "booking.rescheduled")]
    BookingRescheduled,
    /// A booking no longer holds its time (cancelled, or rejected by the business).
    #[serde(rename = "booking.cancelled")]
    BookingCancelled,
    /// A work order's status changed.
    #[serde(rename = "work_order.status_changed")]
    StatusChanged,
    /// Staff replaced the customer's manage link (one went to a wrong address, say): the
    /// customer is sent the new one. For e-mail only; webhooks cannot subscribe to it.
    #[serde(rename = "booking.manage_link_replaced")]
    ManageLinkReplaced,
}

impl EventKind {
    /// Its name in webhook bodies and subscriptions (`booking.created`, …).
    pub fn name(self) -> &'static str {
        match self {
            EventKind::BookingCreated => "booking.created",
            EventKind::BookingRescheduled => "booking.rescheduled",
            EventKind::BookingCancelled => "booking.cancelled",
            EventKind::StatusChanged => "work_order.status_changed",
            EventKind::ManageLinkReplaced => "booking.manage_link_replaced",
        }
    }
}

/// Something that happened to a work order, kept in its site's outbox until delivered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Event {
    /// Unique id: the receiver's key for telling a retried delivery from a new event.
    pub id: String,
    #[allow(missing_docs)]
    #[serde(rename = "type")]
    pub kind: EventKind,
    #[allow(missing_docs)]
    pub at: Timestamp,
    /// To which work order, and how it stands after.
    #[serde(flatten)]
    pub data: EventData,
    /// The customer's calendar invitation's `SEQUENCE` after the change.
    #[serde(default)]
    pub sequence: u32,
}

/// What happened to which work order: what a listener needs, nothing personal (a receiver
/// reads the work order with its own credentials if it needs more).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventData {
    #[allow(missing_docs)]
    pub site: SiteId,
    #[allow(missing_docs)]
    pub work_order: WorkOrderNumber,
    /// Its status after the change.
    pub status: OrderStatus,
    /// Its status before, for a status change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_status: Option<OrderStatus>,
    /// The reason code of a close incomplete or a rejection.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason_code: Option<ReasonCode>,
    /// The booked start after the change; none while the order waits for a slot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<Timestamp>,
    /// The booked end after the change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<Timestamp>,
    /// The technician after the change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub technician: Option<TechnicianId>,
    /// The work order a new one follows up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_up_of: Option<WorkOrderNumber>,
}

fn event(kind: EventKind, order: &WorkOrder, at: Timestamp, id: String) -> Event {
    Event {
        id,
        kind,
        at,
        data: EventData {
            site: order.site.clone(),
            work_order: order.number.clone(),
            status: order.status,
            previous_status: None,
            reason_code: None,
            start: order.appointment.as_ref().map(|a| a.planned_start),
            end: order.appointment.as_ref().map(|a| a.planned_end),
            technician: order.technician().map(|t| t.id.clone()),
            follow_up_of: order.follow_up_of.clone(),
        },
        sequence: order.calendar_sequence,
    }
}

/// The event of a new booking.
pub fn booked(order: &WorkOrder, id: String) -> Event {
    event(EventKind::BookingCreated, order, order.created_at, id)
}

/// The events of a change from `before` to `after`, in the order they happened; `id` makes
/// each event's id.
pub fn changed(
    before: &WorkOrder,
    after: &WorkOrder,
    at: Timestamp,
    mut id: impl FnMut() -> String,
) -> Vec<Event> {
    let mut events = Vec::new();
    if before.status != after.status {
        let mut status = event(EventKind::StatusChanged, after, at, id());
        status.data.previous_status = Some(before.status);
        status.data.reason_code =
            after.reason.as_ref().filter(|_| after.status.reason_list().is_some()).map(|r| r.code.clone());
        events.push(status);
    }
    match (before.held(), after.held()) {
        (Some(_), None) => events.push(event(EventKind::BookingCancelled, after, at, id())),
        // An order created in advance gets its slot.
        (None, Some(_)) => events.push(event(EventKind::BookingCreated, after, at, id())),
        (Some(_), Some(_)) if after.moved_from(before) => {
            events.push(event(EventKind::BookingRescheduled, after, at, id()))
        }
        _ => {}
    }
    if after.manage_link != before.manage_link && after.held().is_some() {
        events.push(event(EventKind::ManageLinkReplaced, after, at, id()));
    }
    events
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order() -> WorkOrder {
        crate::work_order::fixtures::order("new")
    }

    fn kinds(events: &[Event]) -> Vec<EventKind> {
        events.iter().map(|e| e.kind).collect()
    }

    #[test]
    fn a_change_emits_what_a_listener_needs_and_nothing_personal() {
        let at: Timestamp = "2026-12-02T00:00:00Z".parse().expect("at");
        let mut n = 0;
        let mut id = || {
            n += 1;
            format!("ev-{n}")
        };
        let before = order();
        let mut moved = before.clone();
        if let Some(appointment) = &mut moved.appointment {
            appointment.planned_start = "2026-12-08T22:00:00Z".parse().expect("t");
        }
        assert_eq!(kinds(&changed(&before, &moved, at, &mut id)), [EventKind::BookingRescheduled]);
        let mut waiting = before.clone();
        waiting.appointment = None;
        assert_eq!(kinds(&changed(&waiting, &before, at, &mut id)), [EventKind::BookingCreated]);
        let mut called_off = waiting.clone();
        called_off.status = OrderStatus::Cancelled;
        assert_eq!(kinds(&changed(&waiting, &called_off, at, &mut id)), [EventKind::StatusChanged]);
        let mut cancelled = before.clone();
        cancelled.status = OrderStatus::Cancelled;
        let events = changed(&before, &cancelled, at, &mut id);
        assert_eq!(kinds(&events), [EventKind::StatusChanged, EventKind::BookingCancelled]);
        assert_eq!(events[0].data.previous_status, Some(OrderStatus::New));
        let mut noted = before.clone();
        noted.priority = 1;
        assert!(changed(&before, &noted, at, &mut id).is_empty());
        let mut new_link = before.clone();
        new_link.manage_link += 1;
        assert_eq!(kinds(&changed(&before, &new_link, at, &mut id)), [EventKind::ManageLinkReplaced]);
        let mut unbooked_new_link = waiting.clone();
        unbooked_new_link.manage_link += 1;
        assert!(changed(&waiting, &unbooked_new_link, at, &mut id).is_empty(), "no booking, no link");
        let json = serde_json::to_string(&booked(&before, id())).expect("json");
        assert!(json.contains("\"type\":\"booking.created\"") && !json.contains("mary"), "{json}");
    }

    #[test]
    fn an_event_is_stored_flat_as_before_its_data_had_a_name() {
        let event = booked(&order(), "ev-1".into());
        let stored = serde_json::to_value(&event).expect("json");
        assert_eq!(stored["work_order"], event.data.work_order.as_str());
        assert!(stored.get("data").is_none());
        assert_eq!(serde_json::from_value::<Event>(stored).expect("reads back"), event);
    }
}
