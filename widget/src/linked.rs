//! The hosted booking page of a work order created in advance (seed 003's connector). The
//! order already has its service, address and customer, so the customer only picks a slot,
//! accepts the terms and books; then the page sends them back to the integrator's
//! `callback_uri`, which the API has checked against the site's allowed origins.

use crate::api::ApiFailure;
use crate::flow::{Flow, Step, use_flow};
use crate::format;
use crate::steps::ReviewForm;
use jobslot_domain::api::ProblemKind;
use jobslot_domain::connector::{LinkBookingInput, LinkedOrder};
use jobslot_domain::work_order::OrderStatus;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Which hosted page the widget runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    /// `/book/{site}/work-orders/{number}`: an integrator's order, to book.
    Book,
    /// `/manage/{site}/{number}`: the customer's booking, to see, move or cancel.
    Manage,
}

/// What the page's address says: which order, the token that opens it, where to return.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// Which page.
    pub kind: LinkKind,
    /// The work order's number.
    pub number: String,
    /// The link's token.
    pub token: String,
    /// The link's `callback_uri` (empty when none).
    pub callback_uri: String,
}

impl Link {
    /// The site and link of a page at `path` (`/book/{site}/work-orders/{number}` or
    /// `/manage/{site}/{number}`) with the query `search` (`?token=…&callback_uri=…`); none
    /// for any other address.
    pub fn from_location(path: &str, search: &str) -> Option<(String, Link)> {
        let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
        let (kind, site, number) = match parts.as_slice() {
            ["book", site, "work-orders", number] => (LinkKind::Book, site, number),
            ["manage", site, number] => (LinkKind::Manage, site, number),
            _ => return None,
        };
        let query = web_sys::UrlSearchParams::new_with_str(search).ok()?;
        let link = Link {
            kind,
            number: decode(number),
            token: query.get("token").unwrap_or_default(),
            callback_uri: query.get("callback_uri").unwrap_or_default(),
        };
        Some((decode(site), link))
    }
}

impl Link {
    /// The site and link of the page the widget runs on, if it is a booking link's page.
    pub fn current() -> Option<(String, Link)> {
        let location = web_sys::window()?.location();
        Link::from_location(&location.pathname().ok()?, &location.search().ok()?)
    }
}

fn decode(segment: &str) -> String {
    js_sys::decode_uri_component(segment).ok().and_then(|s| s.as_string()).unwrap_or_default()
}

/// What a hosted page's link opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opened {
    /// An integrator's order, to book.
    Order(LinkedOrder),
    /// The customer's booking, to manage.
    Booking(jobslot_domain::manage::ManagedBooking),
}

/// True when the order of the link can take no booking: booked already, or called off.
pub fn settled(order: &LinkedOrder) -> bool {
    order.booked.is_some() || order.status != OrderStatus::New
}

/// Sends the browser back to the integrator, if the link asked to return.
fn return_now(order: &LinkedOrder) {
    if let (Some(url), Some(window)) = (&order.return_to, web_sys::window()) {
        let _ = window.location().assign(url);
    }
}

fn book(flow: Flow) {
    let (Some(link), Some(slot)) = (flow.link.clone(), flow.chosen.get_untracked()) else {
        return flow.go(Step::Slots);
    };
    if flow.busy.get_untracked() {
        return;
    }
    if !flow.terms.get_untracked() {
        let error = jobslot_domain::FieldError::new("terms_accepted", "Accept the terms to book.");
        return flow.show_errors(vec![error]);
    }
    let body = LinkBookingInput {
        technician: slot.technician.to_string(),
        start: slot.start.to_string(),
        terms_accepted: true,
        callback_uri: link.callback_uri.clone(),
    };
    flow.busy.set(true);
    flow.notice.set(None);
    spawn_local(async move {
        let outcome = flow.api.book_linked(&link, &body).await;
        flow.busy.set(false);
        match outcome {
            Ok(order) => {
                return_now(&order);
                flow.linked_order.set(Some(order));
                flow.go(Step::Done);
            }
            Err(failure) if failure.kind() == Some(ProblemKind::SlotUnavailable) => {
                crate::steps::back_to_fresh_slots(&flow, &failure).await
            }
            Err(failure) => flow.show_failure(&failure),
        }
    });
}

/// The order, the chosen time, the terms and the book button.
#[component]
pub fn LinkedReviewStep() -> impl IntoView {
    let flow = use_flow();
    let order = flow.linked_order.get_untracked();
    let (when, technician) = flow.chosen_slot_text();
    let shown = |f: fn(&LinkedOrder) -> String| order.as_ref().map(f).unwrap_or_default();
    let (number, service, place, customer) = (
        shown(|o| o.number.to_string()),
        shown(|o| o.service_name.clone()),
        shown(|o| o.address.clone()),
        shown(|o| o.customer.clone()),
    );
    view! {
        <ReviewForm back_to=Step::Slots book=book>
            <dl class="summary">
                <dt>"Work order"</dt><dd>{number}</dd>
                <dt>"Service"</dt><dd>{service}</dd>
                <dt>"When"</dt><dd>{when}</dd>
                <dt>"Technician"</dt><dd>{technician}</dd>
                <dt>"Where"</dt><dd>{place}</dd>
                <dt>"For"</dt><dd>{customer}</dd>
            </dl>
        </ReviewForm>
    }
}

/// The order as booked (or why it takes no booking), and the way back to the integrator.
#[component]
pub fn LinkedDoneStep() -> impl IntoView {
    let flow = use_flow();
    let order = flow.linked_order.get_untracked()?;
    let business = flow.config.business_name.clone();
    let heading = match (&order.booked, order.status) {
        (Some(_), _) => "You're booked!".to_owned(),
        (None, status) => format!("This work order is {}.", status.label().to_lowercase()),
    };
    let when = order.booked.as_ref().map(|b| {
        let time = format::date_time(b.start, &b.time_zone);
        format!("{} with {}, {time}.", order.service_name, b.technician_name)
    });
    Some(view! {
        <div class="step done" role="status">
            <h3>{heading}</h3>
            <p>"Work order "<strong class="work-order-number">{order.number.to_string()}</strong></p>
            {when.map(|w| view! { <p>{w}</p> })}
            {order.booked.is_none().then(|| view! { <p class="hint">{format!("Contact {business} to book it.")}</p> })}
            {order.return_to.clone().map(|url| view! { <p><a class="primary" href=url>"Continue"</a></p> })}
        </div>
    })
}

/// Shows why the link's order could not be loaded.
pub fn load_failure(failure: &ApiFailure) -> String {
    match failure {
        ApiFailure::Problem(p) if p.status == 404 => {
            "This booking link is not valid. Ask whoever sent it for a new one.".to_owned()
        }
        ApiFailure::Problem(p) if !p.errors.is_empty() => {
            p.errors.iter().map(|e| e.message.as_str()).collect::<Vec<_>>().join(" ")
        }
        other => other.message(),
    }
}
