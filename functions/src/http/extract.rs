//! Extractors whose rejections are problem documents.

use super::problem::ApiError;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use serde::de::DeserializeOwned;

/// A JSON object body; a bad or oversized body becomes a problem document.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        if !declares_json(req.headers()) {
            return Err(ApiError::UnsupportedMediaType);
        }
        let body = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::BodyTooLarge
            } else {
                ApiError::Malformed(rejection.body_text())
            }
        })?;
        // Every body is an object. serde would also read a struct from an array of its field
        // values, so `[]` would pass as an object with every field left out.
        if body.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
            return Err(ApiError::Malformed("The body must be a JSON object.".into()));
        }
        let Json(value) = Json::<T>::from_bytes(&body)?;
        Ok(Self(value))
    }
}

/// `application/json` or an `application/…+json` type, parameters aside (what axum's `Json`
/// accepts).
fn declares_json(headers: &HeaderMap) -> bool {
    let Some(value) = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let essence = value.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// Query parameters; bad ones become a problem document.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Query(value) = Query::<T>::from_request_parts(parts, state).await?;
        Ok(Self(value))
    }
}

/// Path parameters, each parsed into its domain type before the handler runs: a single one,
/// or a tuple in the path's order. A segment that is not one (a malformed site id,
/// work-order number, …) names nothing, so it is a 404 problem naming the parameter; one that
/// is not valid percent-encoded UTF-8 is a 400 problem, not axum's plain text.
pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: PathParams> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Path(params) = Path::<Vec<(String, String)>>::from_request_parts(parts, state).await?;
        T::from_params(&params).map(Self)
    }
}

/// A type a path parameter parses into.
pub trait PathParam: Sized {
    /// The parameter's name in the routes' paths, for the problem when a segment is not one.
    const NAME: &'static str;

    /// The value `raw` names, if it is one.
    fn from_segment(raw: &str) -> Option<Self>;
}

/// The values of a route's path parameters, in order.
pub trait PathParams: Sized {
    /// Parses `params` (name, raw value), in the path's order.
    fn from_params(params: &[(String, String)]) -> Result<Self, ApiError>;
}

fn param<P: PathParam>(params: &[(String, String)], at: usize) -> Result<P, ApiError> {
    let (_, raw) = params.get(at).ok_or(ApiError::MalformedPath)?;
    P::from_segment(raw).ok_or(ApiError::NoSuch(P::NAME))
}

impl<A: PathParam> PathParams for A {
    fn from_params(params: &[(String, String)]) -> Result<Self, ApiError> {
        param(params, 0)
    }
}

impl<A: PathParam, B: PathParam> PathParams for (A, B) {
    fn from_params(params: &[(String, String)]) -> Result<Self, ApiError> {
        Ok((param(params, 0)?, param(params, 1)?))
    }
}

impl<A: PathParam, B: PathParam, C: PathParam> PathParams for (A, B, C) {
    fn from_params(params: &[(String, String)]) -> Result<Self, ApiError> {
        Ok((param(params, 0)?, param(params, 1)?, param(params, 2)?))
    }
}

macro_rules! path_params {
    ($($type:ty => $name:literal),* $(,)?) => {
        $(
            impl PathParam for $type {
                const NAME: &'static str = $name;

                fn from_segment(raw: &str) -> Option<Self> {
                    <$type>::parse($name, raw).ok()
                }
            }
        )*
    };
}

path_params! {
    jobslot_domain::ids::SiteId => "site",
    jobslot_domain::ids::WorkOrderNumber => "number",
    jobslot_domain::ids::TechnicianId => "technician",
    jobslot_domain::ids::UserId => "user",
    jobslot_domain::webhook::EndpointId => "endpoint",
}

/// The event and audience of a delivery, checked by the application (their ids are made by
/// the outbox, not typed).
impl PathParam for String {
    const NAME: &'static str = "segment";

    fn from_segment(raw: &str) -> Option<Self> {
        Some(raw.to_owned())
    }
}
