//! The hosted pages the widget also runs on: `/book/{site}/work-orders/{number}` (an order
//! created in advance, to book) and `/manage/{site}/{number}` (the customer's booking, to see,
//! move or cancel). Their components live in the `hosted` build only (`--features hosted`,
//! served under `/widget/hosted/`), so the widget sites embed carries none of them.

use crate::api::ApiFailure;
use crate::flow::Step;
use jobslot_domain::connector::LinkedOrder;
use jobslot_domain::work_order::OrderStatus;
use leptos::prelude::AnyView;
#[cfg(feature = "hosted")]
use leptos::prelude::*;

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

/// Shows why the link's order could not be loaded, in `lang`.
#[cfg(feature = "hosted")]
pub fn load_failure(lang: crate::i18n::Lang, failure: &ApiFailure) -> String {
    match failure {
        ApiFailure::Problem(p) if p.status == 404 => lang.hosted().invalid_link.to_owned(),
        ApiFailure::Problem(p) if !p.errors.is_empty() => {
            p.errors.iter().map(|e| e.message.say(lang.language)).collect::<Vec<_>>().join(" ")
        }
        other => other.message(lang.words),
    }
}

/// The embedded widget opens no links.
#[cfg(not(feature = "hosted"))]
pub fn load_failure(lang: crate::i18n::Lang, failure: &ApiFailure) -> String {
    failure.message(lang.words)
}

/// What the page's link opened, as the API says.
#[cfg(feature = "hosted")]
pub async fn open(api: &crate::api::Api, link: &Link) -> Result<Opened, ApiFailure> {
    match link.kind {
        LinkKind::Book => api.linked_order(link).await.map(Opened::Order),
        LinkKind::Manage => api.managed_booking(link).await.map(Opened::Booking),
    }
}

/// The embedded widget has no hosted pages.
#[cfg(not(feature = "hosted"))]
pub async fn open(_: &crate::api::Api, _: &Link) -> Result<Opened, ApiFailure> {
    Err(ApiFailure::Network(
        "this build of the widget has no hosted pages; load /widget/hosted/embed.js".into(),
    ))
}

/// The hosted page's own view of `step`, where it has one.
#[cfg(feature = "hosted")]
pub fn step_view(step: Step, kind: LinkKind) -> Option<AnyView> {
    use crate::linked::{LinkedDoneStep, LinkedReviewStep};
    use crate::manage::{ManageMoveStep, ManageStep};
    Some(match (step, kind) {
        (Step::Review, LinkKind::Book) => view! { <LinkedReviewStep /> }.into_any(),
        (Step::Review, LinkKind::Manage) => view! { <ManageMoveStep /> }.into_any(),
        (Step::Done, LinkKind::Book) => view! { <LinkedDoneStep /> }.into_any(),
        (Step::Done, LinkKind::Manage) => view! { <ManageStep /> }.into_any(),
        _ => return None,
    })
}

/// The embedded widget has no hosted pages.
#[cfg(not(feature = "hosted"))]
pub fn step_view(_: Step, _: LinkKind) -> Option<AnyView> {
    None
}
