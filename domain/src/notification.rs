//! The e-mails an event sends: the customer's confirmation, update or cancellation with its
//! calendar invitation, and the business's notice of a new booking. Pure: the delivery side
//! sends what this renders.
//!
//! Times are shown in the job's zone with the zone named, as the customer may read the
//! e-mail anywhere. Everything the customer or staff typed is escaped in the HTML part.

use crate::calendar::{Invitation, Method, Party};
use crate::events::{Event, EventKind};
use crate::ids::WorkOrderNumber;
use crate::site::Site;
use crate::work_order::WorkOrder;
use crate::zone::{UnknownZone, Zone};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// Who a message is for; with the event id, it names one delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Audience {
    /// The customer who booked.
    Customer,
    /// The business's notification address.
    Business,
    /// A member of a business's staff, about their own account (`crate::account_mail`).
    Staff,
}

impl Audience {
    /// Its name in delivery records and message ids.
    pub fn name(self) -> &'static str {
        match self {
            Audience::Customer => "customer",
            Audience::Business => "business",
            Audience::Staff => "staff",
        }
    }
}

/// Where one message of an event stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    /// Not sent yet, or to be tried again at `next_attempt_at`.
    Pending,
    /// A dispatcher is sending it; another may take over after `next_attempt_at`.
    Sending,
    /// Accepted by the mail server.
    Delivered,
    /// Given up: retried for a day without success, or refused by the mail server.
    Failed,
}

/// The delivery record of one message of an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Delivery {
    #[allow(missing_docs)]
    pub event_id: String,
    #[allow(missing_docs)]
    pub event: EventKind,
    #[allow(missing_docs)]
    pub event_at: Timestamp,
    #[allow(missing_docs)]
    pub work_order: WorkOrderNumber,
    /// Who the message is for: `customer`, `business`, or a webhook endpoint's id (`wh_…`).
    pub audience: String,
    /// Where it stands.
    pub status: DeliveryStatus,
    /// Attempts made.
    pub attempts: u32,
    /// Times staff asked for it to be sent again.
    #[serde(default)]
    pub resends: u32,
    /// When it may be tried (again): the retry time, or a sender's lease.
    pub next_attempt_at: Timestamp,
    /// Why the last attempt failed, in the mail server's words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
    /// When it was delivered or given up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settled_at: Option<Timestamp>,
    /// The latest attempts, oldest first (at most [`HISTORY`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<Attempt>,
}

/// Attempts a delivery record keeps.
pub const HISTORY: usize = 10;

/// One try at delivering a message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Attempt {
    /// When it ended.
    pub at: Timestamp,
    /// Why it failed; none when it was delivered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl Delivery {
    /// Records an attempt's outcome, forgetting the oldest beyond [`HISTORY`].
    pub fn record(&mut self, attempt: Attempt) {
        self.history.push(attempt);
        let excess = self.history.len().saturating_sub(HISTORY);
        self.history.drain(..excess);
    }
}

/// `GET /api/sites/{site}/deliveries`: the site's messages, newest event first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeliveryPage {
    /// Up to 200 of them.
    pub items: Vec<Delivery>,
}

/// One e-mail to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// Who it is for.
    pub audience: Audience,
    /// The recipient.
    pub to: Party,
    /// Where replies go (the business's contact address), if it has one.
    pub reply_to: Option<String>,
    /// The sender's display name (the business).
    pub sender_name: String,
    /// Subject line.
    pub subject: String,
    /// The plain-text part.
    pub text: String,
    /// The HTML part.
    pub html: String,
    /// The calendar invitation, if the message carries one.
    pub invitation: Option<Invitation>,
}

/// True when `event` e-mails anyone: a booking, a move or a cancellation of a booked time.
pub fn sends_mail(event: &Event) -> bool {
    event.data.start.is_some() && event.data.end.is_some() && event.kind != EventKind::StatusChanged
}

/// The messages `event` sends about `order` of `site`; none for events nobody is e-mailed
/// about. `manage` is the customer's link to see, move or cancel the booking.
pub fn messages(
    event: &Event,
    order: &WorkOrder,
    site: &Site,
    manage: Option<&str>,
) -> Result<Vec<Message>, UnknownZone> {
    let (Some(start), Some(end)) = (event.data.start, event.data.end) else { return Ok(Vec::new()) };
    if !sends_mail(event) {
        return Ok(Vec::new());
    }
    let facts = Facts::of(event, order, site, start, end)?;
    // The calendar method, or none when the calendar entry stays as it is.
    let (subject, opening, method) = match event.kind {
        EventKind::BookingCreated => (
            format!("Booked: {} on {}", order.service.name, facts.day),
            format!("Your booking with {} is confirmed.", site.business_name),
            Some(Method::Request),
        ),
        EventKind::BookingRescheduled => (
            format!("New time: {} on {}", order.service.name, facts.day),
            format!("Your booking with {} has a new time.", site.business_name),
            Some(Method::Request),
        ),
        EventKind::BookingCancelled => (
            format!("Cancelled: {} on {}", order.service.name, facts.day),
            format!("Your booking with {} is cancelled.", site.business_name),
            Some(Method::Cancel),
        ),
        EventKind::ManageLinkReplaced => (
            format!("Your booking link: {} on {}", order.service.name, facts.day),
            format!(
                "{} sent you a new link to your booking; links sent before no longer open it.",
                site.business_name
            ),
            None,
        ),
        EventKind::StatusChanged => return Ok(Vec::new()),
    };
    let customer = Party {
        name: order.contact.name.as_str().to_owned(),
        email: order.contact.email.as_str().to_owned(),
    };
    let organizer = Party {
        name: site.business_name.clone(),
        email: site
            .contact_email
            .as_ref()
            .map_or_else(|| format!("bookings@{}.jobslot", site.id), |e| e.as_str().to_owned()),
    };
    let invitation = method.map(|method| Invitation {
        uid: format!("{}@{}.jobslot", order.number, site.id),
        sequence: event.sequence,
        method,
        stamp: event.at,
        start,
        end,
        summary: format!("{} – {}", order.service.name, site.business_name),
        location: facts.address.clone(),
        description: format!("Work order {} with {}.", order.number, facts.technician),
        organizer,
        attendee: customer.clone(),
    });
    let contact = contact_line(site);
    let rows = [
        ("What", order.service.name.clone()),
        ("When", facts.when.clone()),
        ("Technician", facts.technician.clone()),
        ("Where", facts.address.clone()),
        ("Work order", order.number.to_string()),
    ];
    let mut closing = Vec::new();
    if let (Some(link), Some(Method::Request) | None) = (manage, method) {
        closing.push(format!("See, move or cancel your booking: {link}"));
    }
    closing.push(contact);
    if !site.terms.trim().is_empty() && method == Some(Method::Request) {
        closing.push(format!("Terms: {}", site.terms.trim()));
    }
    let greeting = format!("Hello {},", order.contact.name.as_str());
    let mut messages = vec![Message {
        audience: Audience::Customer,
        to: customer,
        reply_to: site.contact_email.as_ref().map(|e| e.as_str().to_owned()),
        sender_name: site.business_name.clone(),
        subject,
        text: text_body(&greeting, &opening, &rows, &closing),
        html: html_body(&greeting, &opening, &rows, &closing),
        invitation,
    }];
    if let (EventKind::BookingCreated, Some(office)) = (event.kind, &site.notification_email) {
        messages.push(business_notice(order, site, &facts, office.as_str()));
    }
    Ok(messages)
}

/// What every message says about the booking, in the job's zone.
struct Facts {
    day: String,
    when: String,
    technician: String,
    address: String,
}

impl Facts {
    fn of(
        event: &Event,
        order: &WorkOrder,
        site: &Site,
        start: Timestamp,
        end: Timestamp,
    ) -> Result<Self, UnknownZone> {
        // Orders stored before they carried a zone are in their site's.
        let zone =
            if order.time_zone.is_empty() { site.time_zone.clone() } else { Zone::parse(&order.time_zone)? };
        let (from, to) = (start.to_zoned(zone.tz().clone()), end.to_zoned(zone.tz().clone()));
        let technician = match (order.technician(), &event.data.technician) {
            (Some(now), Some(then)) if now.id == *then => now.name.clone(),
            (_, Some(then)) => then.to_string(),
            (Some(now), None) => now.name.clone(),
            (None, None) => String::new(),
        };
        let location = &order.location;
        let mut address = vec![location.line1.as_str()];
        address.extend(location.line2.as_ref().map(|l| l.as_str()));
        address.push(location.city.as_str());
        Ok(Self {
            day: from.strftime("%a %-d %b").to_string(),
            when: format!(
                "{}, {} – {} ({zone} time)",
                from.strftime("%A %-d %B %Y"),
                from.strftime("%-I:%M %P"),
                to.strftime("%-I:%M %P"),
            ),
            technician,
            address: format!("{} {}", address.join(", "), location.postcode),
        })
    }
}

fn contact_line(site: &Site) -> String {
    let ways: Vec<&str> =
        [site.contact_email.as_ref().map(|e| e.as_str()), site.contact_phone.as_ref().map(|p| p.as_str())]
            .into_iter()
            .flatten()
            .collect();
    if ways.is_empty() {
        format!("To change or cancel, contact {}.", site.business_name)
    } else {
        format!("To change or cancel, contact {}: {}.", site.business_name, ways.join(", "))
    }
}

fn business_notice(order: &WorkOrder, site: &Site, facts: &Facts, office: &str) -> Message {
    let contact = &order.contact;
    let mut rows = vec![
        ("Work order", order.number.to_string()),
        ("Customer", contact.name.as_str().to_owned()),
        ("E-mail", contact.email.as_str().to_owned()),
        ("Phone", contact.phone.as_str().to_owned()),
        ("What", order.service.name.clone()),
        ("When", facts.when.clone()),
        ("Technician", facts.technician.clone()),
        ("Where", facts.address.clone()),
    ];
    let answers: Vec<(String, String)> =
        order.asset.iter().map(|a| (a.label.clone(), a.value.to_string())).collect();
    let notes = order.notes.as_ref().map(|n| n.as_str().to_owned());
    let mut owned: Vec<(&str, String)> = answers.iter().map(|(l, v)| (l.as_str(), v.clone())).collect();
    if let Some(notes) = &notes {
        owned.push(("Notes", notes.clone()));
    }
    rows.extend(owned);
    let opening = format!("New booking {} through the booking page.", order.number);
    let closing = ["Find it in the console's work orders by its number.".to_owned()];
    Message {
        audience: Audience::Business,
        to: Party { name: site.business_name.clone(), email: office.to_owned() },
        reply_to: Some(contact.email.as_str().to_owned()),
        sender_name: "Jobslot".into(),
        subject: format!("New booking {}: {}, {}", order.number, order.service.name, facts.day),
        text: text_body("", &opening, &rows, &closing),
        html: html_body("", &opening, &rows, &closing),
        invitation: None,
    }
}

pub(crate) fn text_body(
    greeting: &str,
    opening: &str,
    rows: &[(&str, String)],
    closing: &[String],
) -> String {
    let mut out = String::new();
    if !greeting.is_empty() {
        out.push_str(greeting);
        out.push_str("\n\n");
    }
    out.push_str(opening);
    out.push_str("\n\n");
    for (label, value) in rows {
        out.push_str(&format!("{label}: {value}\n"));
    }
    for line in closing {
        out.push('\n');
        out.push_str(line);
        out.push('\n');
    }
    out
}

pub(crate) fn html_body(
    greeting: &str,
    opening: &str,
    rows: &[(&str, String)],
    closing: &[String],
) -> String {
    let mut out = String::from("<!doctype html><html><body style=\"font-family:sans-serif\">");
    if !greeting.is_empty() {
        out.push_str(&format!("<p>{}</p>", escape(greeting)));
    }
    out.push_str(&format!("<p>{}</p><table>", escape(opening)));
    for (label, value) in rows {
        out.push_str(&format!(
            "<tr><th align=\"left\">{}</th><td>{}</td></tr>",
            escape(label),
            escape(value)
        ));
    }
    out.push_str("</table>");
    for line in closing {
        out.push_str(&format!("<p>{}</p>", linked(line)));
    }
    out.push_str("</body></html>");
    out
}

/// A closing line as HTML, its trailing `https://…` or `http://…` address a link.
fn linked(line: &str) -> String {
    match line.rfind("http") {
        Some(at) if line[at..].starts_with("https://") || line[at..].starts_with("http://") => {
            let (text, url) = line.split_at(at);
            format!("{}<a href=\"{}\">{}</a>", escape(text), escape(url), escape(url))
        }
        _ => escape(line),
    }
}

/// Text as HTML, its line breaks kept.
fn escape(text: &str) -> String {
    crate::text::escape_html(text).replace('\n', "<br>")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::work_order::fixtures;

    fn site() -> Site {
        serde_json::from_value(serde_json::json!({
            "id": "acme", "business_name": "Acme <Cars>", "country": "AU", "time_zone": "Australia/Sydney",
            "currency": "AUD", "terms": "Cancel 24 hours ahead.", "order_form": { "fields": [] },
            "services": [], "rules": { "step": 30, "min_notice_minutes": 120, "days_ahead": 30 },
            "contact_email": "hello@acme.example", "contact_phone": "02 9000 1234",
            "notification_email": "office@acme.example"
        }))
        .expect("site")
    }

    fn event(kind: EventKind, order: &WorkOrder) -> Event {
        let mut event = crate::events::booked(order, "ev_1".into());
        event.kind = kind;
        event
    }

    #[test]
    fn a_booking_confirms_to_the_customer_with_an_invitation_and_tells_the_office() {
        let mut order = fixtures::order("new");
        order.contact.name = crate::text::Text::parse("n", "Mary <b>Jones</b>", 80).expect("name");
        let link = "https://book.example/manage/acme/WO-0000000A?token=1.abc";
        let sent = messages(&event(EventKind::BookingCreated, &order), &order, &site(), Some(link))
            .expect("known zone");
        assert_eq!(
            sent.iter().map(|m| m.audience).collect::<Vec<_>>(),
            [Audience::Customer, Audience::Business]
        );
        let customer = &sent[0];
        assert_eq!(customer.to.email, "mary@example.com");
        assert_eq!(customer.reply_to.as_deref(), Some("hello@acme.example"));
        assert_eq!(customer.subject, "Booked: Basic on Tue 8 Dec");
        assert!(
            customer
                .text
                .contains("When: Tuesday 8 December 2026, 9:00 am – 10:00 am (Australia/Sydney time)")
        );
        assert!(customer.text.contains("Where: 1 George St, Unit 4, Sydney 2000"));
        assert!(
            customer.text.contains("02 9000 1234") && customer.text.contains("Terms: Cancel 24 hours ahead.")
        );
        assert!(
            customer.html.contains("Mary &lt;b&gt;Jones&lt;/b&gt;") && !customer.html.contains("<b>Jones")
        );
        assert!(customer.html.contains("Acme &lt;Cars&gt;"));
        assert!(customer.text.contains(&format!("See, move or cancel your booking: {link}")));
        assert!(customer.html.contains(&format!("<a href=\"{link}\">")));
        let invitation = customer.invitation.as_ref().expect("an invitation");
        assert_eq!((invitation.method, invitation.sequence), (Method::Request, 0));
        assert_eq!(invitation.uid, "WO-0000000A@acme.jobslot");
        let office = &sent[1];
        assert_eq!(office.to.email, "office@acme.example");
        assert!(office.text.contains("Phone: 0412 345 678") && office.invitation.is_none());
    }

    #[test]
    fn a_move_updates_and_a_cancellation_cancels_the_same_calendar_entry() {
        let mut order = fixtures::order("new");
        order.calendar_sequence = 3;
        let moved = messages(&event(EventKind::BookingRescheduled, &order), &order, &site(), None)
            .expect("known zone");
        assert_eq!(moved.len(), 1, "the office hears of new bookings only");
        let invitation = moved[0].invitation.as_ref().expect("invitation");
        assert_eq!((invitation.method, invitation.sequence), (Method::Request, 3));
        let cancelled = messages(
            &event(EventKind::BookingCancelled, &order),
            &order,
            &site(),
            Some("https://x.example/m"),
        )
        .expect("known zone");
        assert_eq!(cancelled[0].invitation.as_ref().map(|i| i.method), Some(Method::Cancel));
        assert!(cancelled[0].subject.starts_with("Cancelled: "));
        assert!(!cancelled[0].text.contains("https://x.example/m"), "nothing left to change");
        let status = messages(&event(EventKind::StatusChanged, &order), &order, &site(), None);
        assert!(status.expect("known zone").is_empty());
    }

    #[test]
    fn a_replaced_manage_link_goes_to_the_customer_alone_and_leaves_the_calendar_entry() {
        let order = fixtures::order("new");
        let link = "https://x.example/manage/acme/WO-0000000A?token=new";
        let sent = messages(&event(EventKind::ManageLinkReplaced, &order), &order, &site(), Some(link))
            .expect("known zone");
        assert_eq!(sent.len(), 1, "the office made the change; it is not told of it");
        assert_eq!(sent[0].audience, Audience::Customer);
        assert!(sent[0].text.contains(link) && sent[0].text.contains("no longer open"), "{}", sent[0].text);
        assert!(sent[0].invitation.is_none(), "the time did not change");
    }

    #[test]
    fn an_order_in_a_zone_this_build_does_not_know_gets_no_message_with_wrong_times() {
        let mut order = fixtures::order("new");
        order.time_zone = "Mars/Olympus_Mons".into();
        let written = messages(&event(EventKind::BookingCreated, &order), &order, &site(), None);
        assert_eq!(written, Err(UnknownZone { zone: "Mars/Olympus_Mons".into() }), "never UTC instead");
    }
}
