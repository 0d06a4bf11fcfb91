//! The submit/retry protocol: a booking is sent under an idempotency key, and an answer that
//! never arrived (network failure, 5xx) leaves its outcome unknown. The next attempt settles
//! that one first by resending it under its key, which can only return the booking it made,
//! never make another; only a definite refusal (4xx) frees the customer to send something new.

use crate::api::ApiFailure;
use jobslot_domain::api::WorkOrderCreated;
use leptos::prelude::*;
use std::future::Future;

/// A submission sent under an idempotency key whose answer has not arrived.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingSubmission {
    /// The key it was sent with.
    pub key: String,
    /// What was sent: the request's body, as JSON text.
    pub body: String,
}

/// A successful booking, and whether it was an earlier attempt's.
#[derive(Debug, Clone, PartialEq)]
pub struct Booked {
    /// What the API answered.
    pub created: WorkOrderCreated,
    /// True when the booking is an earlier attempt's (whose answer had been lost), not `body`'s.
    pub earlier: bool,
}

/// True when the API definitely refused the request (a 4xx): nothing was booked, so the next
/// attempt is a new request. Network failures and 5xx leave the outcome unknown.
pub fn is_final(failure: &ApiFailure) -> bool {
    matches!(failure, ApiFailure::Problem(p) if (400..500).contains(&p.status))
}

/// Books `body` through `send(key, body)`, first settling the attempt left in `pending`
/// (resent under its own key) when it asked for something else; keeps `pending` up to date.
pub async fn book<S, F>(
    pending: RwSignal<Option<PendingSubmission>>,
    body: String,
    new_key: impl FnOnce() -> String,
    send: S,
) -> Result<Booked, ApiFailure>
where
    S: Fn(String, String) -> F,
    F: Future<Output = Result<WorkOrderCreated, ApiFailure>>,
{
    if let Some(earlier) = pending.get_untracked().filter(|p| p.body != body) {
        match send(earlier.key, earlier.body).await {
            Ok(created) => {
                pending.set(None);
                return Ok(Booked { created, earlier: true });
            }
            Err(failure) if is_final(&failure) => pending.set(None),
            Err(failure) => return Err(failure),
        }
    }
    let key = pending.get_untracked().map_or_else(new_key, |p| p.key);
    pending.set(Some(PendingSubmission { key: key.clone(), body: body.clone() }));
    let result = send(key, body).await;
    if result.as_ref().map_or_else(is_final, |_| true) {
        pending.set(None);
    }
    result.map(|created| Booked { created, earlier: false })
}

/// A fresh idempotency key: 128 random bits as hex. (`crypto.randomUUID` would throw on
/// plain-http pages; `getRandomValues` works everywhere.)
pub fn new_idempotency_key() -> String {
    let mut bytes = [0u8; 16];
    let crypto = web_sys::window().and_then(|w| w.crypto().ok());
    if crypto.is_none_or(|c| c.get_random_values_with_u8_array(&mut bytes).is_err()) {
        bytes.iter_mut().for_each(|b| *b = (js_sys::Math::random() * 256.0) as u8);
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
