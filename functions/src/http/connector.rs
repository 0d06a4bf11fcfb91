//! Routes of seed 003's connector: work orders created in advance, and the booking links
//! their customers book them through.

use super::AppState;
use super::auth::StaffUser;
use super::extract::{ApiJson, ApiPath, ApiQuery};
use super::headers::BookingTokenHeader;
use super::openapi::{
    ChangedBySomeoneElse, Forbidden, Invalid, LinkBookingConflict, NotFound, NothingToLink, SitePath,
};
use super::problem::ApiError;
use crate::store::Store;
use axum::extract::State;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use jobslot_domain::api::JobInput;
use jobslot_domain::connector::{LinkBookingInput, LinkQuery, LinkedOrder, UnscheduledOrderCreated};
use jobslot_domain::ids::SiteId;
use jobslot_domain::ids::WorkOrderNumber;
use jobslot_domain::routes;

pub(super) fn routes<S: Store>() -> Router<AppState<S>> {
    Router::new()
        .route(routes::SITE_WORK_ORDERS_UNSCHEDULED, post(create::<S>))
        .route(routes::SITE_WORK_ORDER_BOOKING, get(linked::<S>).post(book::<S>))
        .route(routes::SITE_WORK_ORDER_BOOKING_LINK, post(reissue::<S>))
        // The customer's name and address: no cache may keep them.
        .layer(super::no_store())
}

/// Creates a work order in advance: the customer, location, service and form answers, but
/// no slot yet. The answer has its number and the path of its hosted booking page, where
/// the customer picks a slot; the token in that path is shown only here.
#[utoipa::path(
    post,
    path = routes::SITE_WORK_ORDERS_UNSCHEDULED,
    operation_id = "createUnscheduledWorkOrder",
    tag = "work orders",
    params(SitePath),
    request_body = JobInput,
    security(("staff" = [])),
    responses(
        (status = 201, body = UnscheduledOrderCreated, description = "Created, waiting for its customer to book.",
            headers(("Location" = String, description = "The work order's URL."))),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 422, response = Invalid),
    )
)]
async fn create<S: Store>(
    State(state): State<AppState<S>>,
    ApiPath(site): ApiPath<SiteId>,
    StaffUser(user): StaffUser,
    ApiJson(input): ApiJson<JobInput>,
) -> Result<Response, ApiError> {
    let created = state.app.create_unscheduled_order(&site, &user, &input).await?;
    let location = format!("/api/sites/{site}/work-orders/{}", created.number);
    Ok(super::created(&location, created))
}

/// The work order a booking link is for, as the hosted booking page shows it. Needs the
/// link's token; a wrong one gets 404, as a wrong number does.
#[utoipa::path(
    get,
    path = routes::SITE_WORK_ORDER_BOOKING,
    operation_id = "getLinkedBooking",
    tag = "booking",
    params(
        SitePath,
        ("number" = WorkOrderNumber, Path, description = "The number in the link."),
        ("Booking-Token" = String, Header, description = "The link's `token`."),
        LinkQuery,
    ),
    responses(
        (status = 200, body = LinkedOrder, description = "OK."),
        (status = 404, response = NotFound),
        (status = 422, response = Invalid),
    )
)]
async fn linked<S: Store>(
    State(state): State<AppState<S>>,
    ApiPath((site, number)): ApiPath<(SiteId, WorkOrderNumber)>,
    BookingTokenHeader(token): BookingTokenHeader,
    ApiQuery(query): ApiQuery<LinkQuery>,
) -> Result<Json<LinkedOrder>, ApiError> {
    Ok(Json(state.app.linked_order(&site, &number, token.as_ref(), &query.callback_uri).await?))
}

/// Books the slot the customer picked for the work order of a booking link, atomically; the
/// answer's `return_to` sends them back to the link's `callback_uri`. Sent again for the
/// slot the order has (an answer lost on the way), it answers the same.
#[utoipa::path(
    post,
    path = routes::SITE_WORK_ORDER_BOOKING,
    operation_id = "bookLinkedWorkOrder",
    tag = "booking",
    params(
        SitePath,
        ("number" = WorkOrderNumber, Path, description = "The number in the link."),
        ("Booking-Token" = String, Header, description = "The link's `token`."),
    ),
    request_body = LinkBookingInput,
    responses(
        (status = 200, body = LinkedOrder, description = "Booked."),
        (status = 404, response = NotFound),
        (status = 409, response = LinkBookingConflict),
        (status = 422, response = Invalid),
    )
)]
async fn book<S: Store>(
    State(state): State<AppState<S>>,
    ApiPath((site, number)): ApiPath<(SiteId, WorkOrderNumber)>,
    BookingTokenHeader(token): BookingTokenHeader,
    ApiJson(input): ApiJson<LinkBookingInput>,
) -> Result<Json<LinkedOrder>, ApiError> {
    Ok(Json(state.app.book_linked_order(&site, &number, token.as_ref(), &input).await?))
}

/// Replaces the booking link of a work order that waits for its booking: the link given
/// before stops opening it at once. The answer has the new path, shown only now.
#[utoipa::path(
    post,
    path = routes::SITE_WORK_ORDER_BOOKING_LINK,
    operation_id = "reissueBookingLink",
    tag = "work orders",
    params(SitePath, ("number" = WorkOrderNumber, Path, description = "The work order's number.")),
    security(("staff" = [])),
    responses(
        (status = 200, body = UnscheduledOrderCreated, description = "The new link; the old one is dead."),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = NothingToLink),
        (status = 412, response = ChangedBySomeoneElse),
    )
)]
async fn reissue<S: Store>(
    State(state): State<AppState<S>>,
    ApiPath((site, number)): ApiPath<(SiteId, WorkOrderNumber)>,
    StaffUser(user): StaffUser,
) -> Result<Json<UnscheduledOrderCreated>, ApiError> {
    Ok(Json(state.app.reissue_booking_link(&site, &user, &number).await?))
}
