//! Routes of the work-orders function.

use super::AppState;
use super::auth::StaffUser;
use super::extract::{ApiJson, ApiPath};
use super::openapi::{Forbidden, Invalid, NotFound, SitePath, SlotUnavailable};
use super::problem::ApiError;
use crate::store::Store;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use jobslot_domain::api::{SubmitWorkOrder, WorkOrderCreated};
use jobslot_domain::ids::WorkOrderNumber;
use jobslot_domain::work_order::WorkOrder;
use tower_http::set_header::SetResponseHeaderLayer;

pub use crate::app::IDEMPOTENCY_HEADER;

pub(super) fn routes<S: Store>() -> Router<AppState<S>> {
    Router::new()
        .route("/api/sites/{site}/work-orders", post(submit::<S>))
        .route("/api/sites/{site}/work-orders/{number}", get(work_order::<S>))
        // Work orders carry customers' names, addresses and phone numbers: no cache may keep them.
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
}

/// Books a slot: the booking and its work order are written together, or not at all. Send
/// an `Idempotency-Key` so a retry after a lost answer returns the same work order.
#[utoipa::path(
    post,
    path = "/api/sites/{site}/work-orders",
    tag = "booking",
    params(
        SitePath,
        ("Idempotency-Key" = Option<String>, Header, description = "8 to 128 characters of letters, \
            digits, `-`, `_`, `.` or `:` (a UUID fits); the same key and body book once."),
    ),
    request_body = SubmitWorkOrder,
    responses(
        (status = 201, body = WorkOrderCreated, description = "Booked (or, for a repeated key, booked before).",
            headers(
                ("Location" = String, description = "The work order's URL."),
                ("Idempotent-Replayed" = String, description = "`true` when this answers an earlier request with the same key."),
            ),
            links(("WorkOrder" = (
                operation_id = "work_order",
                parameters(("site" = "$request.path.site"), ("number" = "$response.body#/number")),
            ))),
        ),
        (status = 404, response = NotFound),
        (status = 409, response = SlotUnavailable),
        (status = 422, response = Invalid),
    )
)]
async fn submit<S: Store>(
    State(state): State<AppState<S>>,
    ApiPath(site): ApiPath<String>,
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

/// One work order, for the site's staff.
#[utoipa::path(
    get,
    path = "/api/sites/{site}/work-orders/{number}",
    tag = "work orders",
    params(SitePath, ("number" = WorkOrderNumber, Path, description = "Case and surrounding space do not matter.")),
    security(("staff" = [])),
    responses(
        (status = 200, body = WorkOrder, description = "OK."),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
async fn work_order<S: Store>(
    State(state): State<AppState<S>>,
    ApiPath((site, number)): ApiPath<(String, String)>,
    StaffUser(user): StaffUser,
) -> Result<Json<WorkOrder>, ApiError> {
    Ok(Json(state.app.work_order(&site, &user, &number).await?))
}
