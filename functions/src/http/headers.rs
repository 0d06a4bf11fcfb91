//! Request headers the API reads, parsed into their types before a handler runs. Their names
//! live here (and, for the links' tokens, in the domain, which the widget shares).

use super::problem::ApiError;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use jobslot_domain::connector::BookingToken;
use jobslot_domain::ids::IdempotencyKey;
use jobslot_domain::manage::ManageToken;

/// The header naming a create's idempotency key.
pub const IDEMPOTENCY_HEADER: &str = "Idempotency-Key";

fn header<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    parts.headers.get(name).and_then(|v| v.to_str().ok())
}

/// A create's `Idempotency-Key`: required, 8–128 safe characters; anything else is a 422
/// naming the header, before the body is read.
pub struct Idempotency(pub IdempotencyKey);

impl<S: Send + Sync> FromRequestParts<S> for Idempotency {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let raw = header(parts, IDEMPOTENCY_HEADER).unwrap_or_default();
        let key = IdempotencyKey::parse(IDEMPOTENCY_HEADER, raw).map_err(crate::app::AppError::from)?;
        Ok(Self(key))
    }
}

/// A booking link's token (`Booking-Token`), if the request has one of a token's shape. A
/// missing or malformed one opens nothing, exactly as a wrong one: the application answers
/// 404 for all of them alike.
pub struct BookingTokenHeader(pub Option<BookingToken>);

impl<S: Send + Sync> FromRequestParts<S> for BookingTokenHeader {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let name = jobslot_domain::connector::TOKEN_HEADER;
        Ok(Self(header(parts, name).and_then(BookingToken::parse)))
    }
}

/// A manage link's token (`Manage-Token`), if the request has one of a token's shape; the
/// same rule as [`BookingTokenHeader`].
pub struct ManageTokenHeader(pub Option<ManageToken>);

impl<S: Send + Sync> FromRequestParts<S> for ManageTokenHeader {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let name = jobslot_domain::manage::TOKEN_HEADER;
        Ok(Self(header(parts, name).and_then(ManageToken::parse)))
    }
}
