//! The HTTP API as the widget calls it: typed requests, problem documents as errors.

#[cfg(feature = "hosted")]
use crate::hosted::Link;
use crate::read::{FromJs, Unreadable};
use gloo_net::http::{Request, RequestBuilder, Response};
use jobslot_domain::FieldError;
use jobslot_domain::api::{
    Problem, ProblemKind, SiteConfigResponse, SlotsQuery, SlotsResponse, SubmitWorkOrder, WorkOrderCreated,
};
#[cfg(feature = "hosted")]
use jobslot_domain::connector::{LinkBookingInput, LinkedOrder, TOKEN_HEADER};
#[cfg(feature = "hosted")]
use jobslot_domain::manage::{ManagedBooking, RescheduleInput, TOKEN_HEADER as MANAGE_TOKEN};
use serde::Serialize;
use std::sync::Arc;

/// A failed call: the API's problem document, or no usable answer at all.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiFailure {
    /// The API answered with a problem document.
    Problem(Problem),
    /// The network failed or the answer was unreadable.
    Network(String),
}

impl ApiFailure {
    /// The problem's kind, if the API said.
    pub fn kind(&self) -> Option<ProblemKind> {
        match self {
            ApiFailure::Problem(p) => p.kind(),
            ApiFailure::Network(_) => None,
        }
    }

    /// Errors naming fields, if any.
    pub fn field_errors(&self) -> Vec<FieldError> {
        match self {
            ApiFailure::Problem(p) => p.errors.clone(),
            ApiFailure::Network(_) => Vec::new(),
        }
    }

    /// A sentence for the customer when no field is at fault, in `words`' language when it is
    /// the widget's own (the API's problems say theirs in English).
    pub fn message(&self, words: &crate::i18n::Words) -> String {
        match self {
            ApiFailure::Problem(p) => p.detail.clone().unwrap_or_else(|| p.title.clone()),
            ApiFailure::Network(_) => words.unreachable.into(),
        }
    }
}

/// The API of one site.
#[derive(Debug, Clone)]
pub struct Api {
    base: Arc<str>,
    site: Arc<str>,
}

impl Api {
    /// Calls the API at `base` (an origin, e.g. `https://book.example`) for `site`.
    pub fn new(base: String, site: String) -> Self {
        Self { base: base.trim_end_matches('/').into(), site: site.into() }
    }

    fn url(&self, path: &str) -> String {
        format!("{}/api/sites/{}/{path}", self.base, js_sys::encode_uri_component(&self.site))
    }

    /// The site's configuration.
    pub async fn config(&self) -> Result<SiteConfigResponse, ApiFailure> {
        decode(Request::get(&self.url("config")).send().await).await
    }

    /// Free slots for a postcode and service.
    pub async fn slots(&self, query: &SlotsQuery) -> Result<SlotsResponse, ApiFailure> {
        let mut params = vec![("postcode", query.postcode.clone()), ("service", query.service.clone())];
        if let Some(from) = &query.from {
            params.push(("from", from.clone()));
        }
        if let Some(days) = query.days {
            params.push(("days", days.to_string()));
        }
        let request = Request::get(&self.url("slots")).query(params.iter().map(|(k, v)| (*k, v.as_str())));
        decode(request.send().await).await
    }

    /// Books: creates the booking and its work order.
    pub async fn submit(
        &self,
        idempotency_key: &str,
        body: &SubmitWorkOrder,
    ) -> Result<WorkOrderCreated, ApiFailure> {
        let request = Request::post(&self.url("work-orders")).header("Idempotency-Key", idempotency_key);
        let request = json(request, body)?;
        decode(request.send().await).await
    }
}

#[cfg(feature = "hosted")]
impl Api {
    /// The work order of a booking link, returning to `callback_uri` if given.
    pub async fn linked_order(&self, link: &Link) -> Result<LinkedOrder, ApiFailure> {
        let path = format!("work-orders/{}/booking", js_sys::encode_uri_component(&link.number));
        let request = Request::get(&self.url(&path))
            .header(TOKEN_HEADER, &link.token)
            .query([("callback_uri", link.callback_uri.as_str())]);
        decode(request.send().await).await
    }

    /// Books a slot for the work order of a booking link.
    pub async fn book_linked(&self, link: &Link, body: &LinkBookingInput) -> Result<LinkedOrder, ApiFailure> {
        let path = format!("work-orders/{}/booking", js_sys::encode_uri_component(&link.number));
        let request = json(Request::post(&self.url(&path)).header(TOKEN_HEADER, &link.token), body)?;
        decode(request.send().await).await
    }
}

#[cfg(feature = "hosted")]
impl Api {
    fn booking_url(&self, link: &Link, action: &str) -> String {
        self.url(&format!("bookings/{}{action}", js_sys::encode_uri_component(&link.number)))
    }

    /// The customer's booking a manage link opens.
    pub async fn managed_booking(&self, link: &Link) -> Result<ManagedBooking, ApiFailure> {
        let request = Request::get(&self.booking_url(link, "")).header(MANAGE_TOKEN, &link.token);
        decode(request.send().await).await
    }

    /// Moves the booking of a manage link to another slot.
    pub async fn reschedule(
        &self,
        link: &Link,
        body: &RescheduleInput,
    ) -> Result<ManagedBooking, ApiFailure> {
        let request = Request::post(&self.booking_url(link, "/reschedule")).header(MANAGE_TOKEN, &link.token);
        let request = json(request, body)?;
        decode(request.send().await).await
    }

    /// Cancels the booking of a manage link.
    pub async fn cancel(&self, link: &Link) -> Result<ManagedBooking, ApiFailure> {
        let request = Request::post(&self.booking_url(link, "/cancel")).header(MANAGE_TOKEN, &link.token);
        decode(request.send().await).await
    }
}

/// A network-level failure, also logged to the console for whoever debugs the embedding page.
fn network(error: impl std::fmt::Display) -> ApiFailure {
    let message = error.to_string();
    web_sys::console::warn_1(&format!("jobslot: {message}").into());
    ApiFailure::Network(message)
}

/// Reads a JSON answer with the browser's own `JSON.parse` (`Response.json()`) and turns the
/// result into `T` ([`crate::read`]): far less wasm than a JSON parser and serde's readers.
async fn decode<T: FromJs>(sent: Result<Response, gloo_net::Error>) -> Result<T, ApiFailure> {
    let response: web_sys::Response = sent.map_err(network)?.into();
    let (ok, status) = (response.ok(), response.status());
    let parsed = match response.json() {
        Ok(promise) => wasm_bindgen_futures::JsFuture::from(promise).await.ok(),
        Err(_) => None,
    };
    if ok {
        let value = parsed.ok_or_else(|| network("an answer that is not JSON"))?;
        return T::from_js(value)
            .map_err(|Unreadable(key)| network(format!("an answer without a readable `{key}`")));
    }
    match parsed.map(Problem::from_js) {
        Some(Ok(problem)) => Err(ApiFailure::Problem(problem)),
        _ => Err(network(format!("HTTP {status} without a problem document"))),
    }
}

/// `body` as a JSON request body, written by the browser's `JSON.stringify`.
fn json<B: Serialize>(request: RequestBuilder, body: &B) -> Result<Request, ApiFailure> {
    // Writing to a string fails only for a map with keys that are not strings, which no body
    // has; the error is not formatted, which would bring serde_json's every message along.
    let text = serde_json::to_string(body).map_err(|_| network("a request body that is not JSON"))?;
    request.header("Content-Type", "application/json").body(text).map_err(network)
}
