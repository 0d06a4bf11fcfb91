//! The HTTP API as the widget calls it: typed requests, problem documents as errors.

#[cfg(feature = "hosted")]
use crate::hosted::Link;
use crate::read::{FromJs, Unreadable};
use jobslot_domain::FieldError;
use jobslot_domain::api::{
    Problem, ProblemKind, SiteConfigResponse, SlotsQuery, SlotsResponse, WorkOrderCreated,
};
#[cfg(feature = "hosted")]
use jobslot_domain::connector::{LinkedOrder, TOKEN_HEADER};
#[cfg(feature = "hosted")]
use jobslot_domain::manage::{ManagedBooking, TOKEN_HEADER as MANAGE_TOKEN};
use std::sync::Arc;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

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
        fetch(Call::get(self.url("config"))).await
    }

    /// Free slots for a postcode and service.
    pub async fn slots(&self, query: &SlotsQuery) -> Result<SlotsResponse, ApiFailure> {
        let mut params = vec![("postcode", query.postcode.as_str()), ("service", query.service.as_str())];
        if let Some(from) = &query.from {
            params.push(("from", from));
        }
        let days = query.days.map(|days| days.to_string());
        if let Some(days) = &days {
            params.push(("days", days));
        }
        fetch(Call::get(with_query(self.url("slots"), &params))).await
    }

    /// Books: creates the booking and its work order. `body` is a `SubmitWorkOrder` as JSON.
    pub async fn submit(&self, idempotency_key: &str, body: &str) -> Result<WorkOrderCreated, ApiFailure> {
        let call = Call::post_json(self.url("work-orders"), body).header("Idempotency-Key", idempotency_key);
        fetch(call).await
    }
}

#[cfg(feature = "hosted")]
impl Api {
    /// The work order of a booking link, returning to `callback_uri` if given.
    pub async fn linked_order(&self, link: &Link) -> Result<LinkedOrder, ApiFailure> {
        let path = format!("work-orders/{}/booking", js_sys::encode_uri_component(&link.number));
        let url = with_query(self.url(&path), &[("callback_uri", &link.callback_uri)]);
        fetch(Call::get(url).header(TOKEN_HEADER, &link.token)).await
    }

    /// Books a slot for the work order of a booking link; `body` is a `LinkBookingInput` as JSON.
    pub async fn book_linked(&self, link: &Link, body: &str) -> Result<LinkedOrder, ApiFailure> {
        let path = format!("work-orders/{}/booking", js_sys::encode_uri_component(&link.number));
        fetch(Call::post_json(self.url(&path), body).header(TOKEN_HEADER, &link.token)).await
    }
}

#[cfg(feature = "hosted")]
impl Api {
    fn booking_url(&self, link: &Link, action: &str) -> String {
        self.url(&format!("bookings/{}{action}", js_sys::encode_uri_component(&link.number)))
    }

    /// The customer's booking a manage link opens.
    pub async fn managed_booking(&self, link: &Link) -> Result<ManagedBooking, ApiFailure> {
        fetch(Call::get(self.booking_url(link, "")).header(MANAGE_TOKEN, &link.token)).await
    }

    /// Moves the booking of a manage link to another slot; `body` is a `RescheduleInput` as JSON.
    pub async fn reschedule(&self, link: &Link, body: &str) -> Result<ManagedBooking, ApiFailure> {
        let call =
            Call::post_json(self.booking_url(link, "/reschedule"), body).header(MANAGE_TOKEN, &link.token);
        fetch(call).await
    }

    /// Cancels the booking of a manage link.
    pub async fn cancel(&self, link: &Link) -> Result<ManagedBooking, ApiFailure> {
        let call = Call::post(self.booking_url(link, "/cancel")).header(MANAGE_TOKEN, &link.token);
        fetch(call).await
    }
}

/// One request: a GET, or a POST (of JSON text, when it has a body), with its headers.
struct Call<'a> {
    url: String,
    post: bool,
    body: Option<&'a str>,
    headers: Vec<(&'a str, &'a str)>,
}

impl<'a> Call<'a> {
    fn get(url: String) -> Self {
        Self { url, post: false, body: None, headers: Vec::new() }
    }

    fn post(url: String) -> Self {
        Self { post: true, ..Self::get(url) }
    }

    /// A POST of `body`, JSON text ([`crate::write`]).
    fn post_json(url: String, body: &'a str) -> Self {
        Self { body: Some(body), ..Self::post(url) }.header("Content-Type", "application/json")
    }

    fn header(mut self, name: &'a str, value: &'a str) -> Self {
        self.headers.push((name, value));
        self
    }
}

/// `url` with `params` as its query string, encoded by the browser.
fn with_query(url: String, params: &[(&str, &str)]) -> String {
    let Ok(query) = web_sys::UrlSearchParams::new() else { return url };
    for (name, value) in params {
        query.append(name, value);
    }
    format!("{url}?{}", String::from(query.to_string()))
}

/// Sends `call` with the browser's `fetch`; fails only when no answer came.
async fn send(call: Call<'_>) -> Result<web_sys::Response, ApiFailure> {
    let window = web_sys::window().ok_or_else(|| network("no window to fetch from".into()))?;
    let init = web_sys::RequestInit::new();
    let headers = web_sys::Headers::new().map_err(failed)?;
    for (name, value) in &call.headers {
        headers.set(name, value).map_err(failed)?;
    }
    init.set_headers(&headers);
    if call.post {
        init.set_method("POST");
    }
    if let Some(body) = call.body {
        init.set_body(&JsValue::from_str(body));
    }
    let answer = JsFuture::from(window.fetch_with_str_and_init(&call.url, &init)).await.map_err(failed)?;
    answer.dyn_into().map_err(failed)
}

/// What the browser said when a request could not be made (a `TypeError` from `fetch`).
fn failed(error: JsValue) -> ApiFailure {
    let said = error.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message()));
    network(said.unwrap_or_else(|| "the request failed".into()))
}

/// A network-level failure, also logged to the console for whoever debugs the embedding page.
fn network(message: String) -> ApiFailure {
    web_sys::console::warn_1(&format!("jobslot: {message}").into());
    ApiFailure::Network(message)
}

/// Sends `call` and reads its JSON answer with the browser's own `JSON.parse`
/// (`Response.json()`) into `T` ([`crate::read`]): far less wasm than a JSON parser and
/// serde's readers.
async fn fetch<T: FromJs>(call: Call<'_>) -> Result<T, ApiFailure> {
    let response = send(call).await?;
    let (ok, status) = (response.ok(), response.status());
    let parsed = match response.json() {
        Ok(promise) => JsFuture::from(promise).await.ok(),
        Err(_) => None,
    };
    if ok {
        let value = parsed.ok_or_else(|| network("an answer that is not JSON".into()))?;
        return T::from_js(value)
            .map_err(|Unreadable(key)| network(format!("an answer without a readable `{key}`")));
    }
    match parsed.map(Problem::from_js) {
        Some(Ok(problem)) => Err(ApiFailure::Problem(problem)),
        _ => Err(network(format!("HTTP {status} without a problem document"))),
    }
}
