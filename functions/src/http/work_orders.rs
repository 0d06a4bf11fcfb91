//! Routes of the work-orders function.

use super::AppState;
use super::extract::ApiJson;
use super::problem::ApiError;
use crate::store::Store;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use jobslot_domain::api::SubmitWorkOrder;
use jobslot_domain::work_order::WorkOrder;

pub use crate::app::IDEMPOTENCY_HEADER;

pub(super) fn routes<S: Store>() -> Router<AppState<S>> {
    Router::new()
        .route("/api/sites/{site}/work-orders", post(submit::<S>))
        .route("/api/sites/{site}/work-orders/{number}", get(work_order::<S>))
}

async fn submit<S: Store>(
    State(state): State<AppState<S>>,
    Path(site): Path<String>,
    headers: HeaderMap,
    ApiJson(request): ApiJson<SubmitWorkOrder>,
) -> Result<Response, ApiError> {
    let key = headers.get(IDEMPOTENCY_HEADER).and_then(|v| v.to_str().ok());
    let submitted = state.app.submit_work_order(&site, key, &request).await?;
    let location = format!("/api/sites/{site}/work-orders/{}", submitted.created.number);
    let mut response = (StatusCode::CREATED, Json(submitted.created)).into_response();
    if let Ok(location) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    if submitted.replayed {
        response.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    Ok(response)
}

async fn work_order<S: Store>(
    State(state): State<AppState<S>>,
    Path((site, number)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Json<WorkOrder>, ApiError> {
    require_staff(&state, &headers)?;
    Ok(Json(state.app.work_order(&site, &number).await?))
}

/// Staff routes need `Authorization: Bearer <staff token>`; with no token configured they are
/// closed to everyone.
fn require_staff<S>(state: &AppState<S>, headers: &HeaderMap) -> Result<(), ApiError> {
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    match (&state.staff_token, given) {
        (Some(expected), Some(given)) if constant_time_eq(expected.as_bytes(), given.as_bytes()) => Ok(()),
        _ => Err(ApiError::Unauthorized),
    }
}

/// Compares without stopping at the first difference, so timing does not reveal the token.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
