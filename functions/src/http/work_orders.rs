//! Routes of the work-orders function.

use super::AppState;
use super::auth::StaffUser;
use super::extract::{ApiJson, ApiPath, ApiQuery};
use super::openapi::{
    ChangedBySomeoneElse, FollowUpNotAllowed, Forbidden, IfMatchRequired, Invalid, NotFound, SitePath,
    SlotUnavailable,
};
use super::problem::ApiError;
use super::staff::{expect, versioned};
use crate::store::Store;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use jobslot_domain::api::{SlotsResponse, SubmitWorkOrder, WorkOrderCreated};
use jobslot_domain::dispatch::{WorkOrderDetail, WorkOrderListQuery, WorkOrderPage, WorkOrderPatch};
use jobslot_domain::follow_up::{FollowUpInput, FollowUpSlotsQuery};
use jobslot_domain::ids::SiteId;
use jobslot_domain::ids::WorkOrderNumber;
use jobslot_domain::routes;

pub use super::headers::IDEMPOTENCY_HEADER;
use super::headers::Idempotency;

pub(super) fn routes<S: Store>() -> Router<AppState<S>> {
    Router::new()
        .route(routes::SITE_WORK_ORDERS, post(submit::<S>).get(list::<S>))
        .route(routes::SITE_WORK_ORDER, get(work_order::<S>).patch(change::<S>))
        .route(routes::SITE_WORK_ORDER_FOLLOW_UP, post(follow_up::<S>))
        .route(routes::SITE_WORK_ORDER_FOLLOW_UP_SLOTS, get(follow_up_slots::<S>))
        // Work orders carry customers' names, addresses and phone numbers: no cache may keep them.
        .layer(super::no_store())
}

/// Books a slot: the booking and its work order are written together, or not at all. Send
/// an `Idempotency-Key` so a retry after a lost answer returns the same work order.
#[utoipa::path(
    post,
    path = routes::SITE_WORK_ORDERS,
    operation_id = "submitWorkOrder",
    tag = "booking",
    params(
        SitePath,
        ("Idempotency-Key" = String, Header, description = "8 to 128 characters of letters, \
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
                operation_id = "getWorkOrder",
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
    ApiPath(site): ApiPath<SiteId>,
    Idempotency(key): Idempotency,
    ApiJson(request): ApiJson<SubmitWorkOrder>,
) -> Result<Response, ApiError> {
    let submitted = state.app.submit_work_order(&site, &key, &request).await?;
    created(&site, submitted)
}

/// 201 with the new work order's URL, and `Idempotent-Replayed` on a replay.
fn created(site: &SiteId, submitted: crate::app::Submitted) -> Result<Response, ApiError> {
    let location = format!("/api/sites/{site}/work-orders/{}", submitted.created.number);
    let mut response = super::created(&location, submitted.created);
    if submitted.replayed {
        response.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    Ok(response)
}

/// The site's work orders sorted by appointment, filtered, a page at a time. Technicians
/// see their own jobs only.
#[utoipa::path(
    get,
    path = routes::SITE_WORK_ORDERS,
    operation_id = "listWorkOrders",
    tag = "work orders",
    params(SitePath, WorkOrderListQuery),
    security(("staff" = [])),
    responses(
        (status = 200, body = WorkOrderPage, description = "OK."),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 422, response = Invalid),
    )
)]
async fn list<S: Store>(
    State(state): State<AppState<S>>,
    ApiPath(site): ApiPath<SiteId>,
    StaffUser(user): StaffUser,
    ApiQuery(query): ApiQuery<WorkOrderListQuery>,
) -> Result<Json<WorkOrderPage>, ApiError> {
    Ok(Json(state.app.work_orders(&site, &user, &query).await?))
}

/// One work order with the history of its changes, for the site's staff.
#[utoipa::path(
    get,
    path = routes::SITE_WORK_ORDER,
    operation_id = "getWorkOrder",
    tag = "work orders",
    params(SitePath, ("number" = WorkOrderNumber, Path, description = "Case and surrounding space do not matter.")),
    security(("staff" = [])),
    responses(
        (status = 200, body = WorkOrderDetail, description = "OK.", headers(("ETag" = String, description = "The version; send it back as `If-Match` to change it."))),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
async fn work_order<S: Store>(
    State(state): State<AppState<S>>,
    ApiPath((site, number)): ApiPath<(SiteId, WorkOrderNumber)>,
    StaffUser(user): StaffUser,
) -> Result<Response, ApiError> {
    Ok(versioned(StatusCode::OK, state.app.work_order_detail(&site, &user, &number).await?))
}

/// Changes a work order: only the properties the body names (`_fields` removes some; staff
/// notes marked `"Delete": true` are removed). A new status goes through the status machine;
/// a new technician or start moves the booked time in the same write, or nothing happens.
#[utoipa::path(
    patch,
    path = routes::SITE_WORK_ORDER,
    operation_id = "patchWorkOrder",
    tag = "work orders",
    params(
        SitePath,
        ("number" = WorkOrderNumber, Path, description = "Case and surrounding space do not matter."),
        ("If-Match" = String, Header, description = "The `ETag` of the version this change is based on."),
    ),
    request_body = WorkOrderPatch,
    security(("staff" = [])),
    responses(
        (status = 200, body = WorkOrderDetail, description = "OK.", headers(("ETag" = String, description = "The new version."))),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = SlotUnavailable),
        (status = 412, response = ChangedBySomeoneElse),
        (status = 422, response = Invalid),
        (status = 428, response = IfMatchRequired),
    )
)]
async fn change<S: Store>(
    State(state): State<AppState<S>>,
    ApiPath((site, number)): ApiPath<(SiteId, WorkOrderNumber)>,
    StaffUser(user): StaffUser,
    headers: HeaderMap,
    ApiJson(patch): ApiJson<WorkOrderPatch>,
) -> Result<Response, ApiError> {
    let changed = state.app.change_work_order(&site, &user, &number, &expect(&headers), &patch).await?;
    Ok(versioned(StatusCode::OK, changed))
}

/// Free slots for a follow-up of a work order closed incomplete: its location and service,
/// its technician's first each day, then everyone else's who serves the area.
#[utoipa::path(
    get,
    path = routes::SITE_WORK_ORDER_FOLLOW_UP_SLOTS,
    operation_id = "listFollowUpSlots",
    tag = "work orders",
    params(SitePath, ("number" = WorkOrderNumber, Path, description = "The work order to follow up."), FollowUpSlotsQuery),
    security(("staff" = [])),
    responses(
        (status = 200, body = SlotsResponse, description = "OK."),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = FollowUpNotAllowed),
        (status = 422, response = Invalid),
    )
)]
async fn follow_up_slots<S: Store>(
    State(state): State<AppState<S>>,
    ApiPath((site, number)): ApiPath<(SiteId, WorkOrderNumber)>,
    StaffUser(user): StaffUser,
    ApiQuery(query): ApiQuery<FollowUpSlotsQuery>,
) -> Result<Json<SlotsResponse>, ApiError> {
    Ok(Json(state.app.follow_up_slots(&site, &user, &number, &query).await?))
}

/// Books a follow-up: a new work order for the same customer, location and service at a free
/// slot, linked to the first (`follow_up_of` / `follow_ups`) in the same write. Only for a
/// job closed incomplete whose order type's rules allow follow-ups. Send an `Idempotency-Key`.
#[utoipa::path(
    post,
    path = routes::SITE_WORK_ORDER_FOLLOW_UP,
    operation_id = "bookFollowUp",
    tag = "work orders",
    params(
        SitePath,
        ("number" = WorkOrderNumber, Path, description = "The work order to follow up."),
        ("Idempotency-Key" = String, Header, description = "The same key and body book once."),
    ),
    request_body = FollowUpInput,
    security(("staff" = [])),
    responses(
        (status = 201, body = WorkOrderCreated, description = "Booked (or, for a repeated key, booked before).",
            headers(("Location" = String, description = "The new work order's URL."))),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = FollowUpNotAllowed),
        (status = 412, response = ChangedBySomeoneElse),
        (status = 422, response = Invalid),
    )
)]
async fn follow_up<S: Store>(
    State(state): State<AppState<S>>,
    ApiPath((site, number)): ApiPath<(SiteId, WorkOrderNumber)>,
    StaffUser(user): StaffUser,
    Idempotency(key): Idempotency,
    ApiJson(input): ApiJson<FollowUpInput>,
) -> Result<Response, ApiError> {
    let submitted = state.app.book_follow_up(&site, &user, &number, &key, &input).await?;
    created(&site, submitted)
}
