//! Routes of the customer's manage link: their booking, seen, moved or cancelled with the
//! link's token, without signing in.

use super::AppState;
use super::auth::StaffUser;
use super::extract::{ApiJson, ApiPath};
use super::headers::ManageTokenHeader;
use super::openapi::{
    ChangedBySomeoneElse, Forbidden, Invalid, LinkExpired, ManageConflict, NotFound, NothingToLink, SitePath,
};
use super::problem::ApiError;
use crate::store::Store;
use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use jobslot_domain::ids::SiteId;
use jobslot_domain::ids::WorkOrderNumber;
use jobslot_domain::manage::{ManagedBooking, RescheduleInput};
use jobslot_domain::routes;

pub(super) fn routes<S: Store>() -> Router<AppState<S>> {
    Router::new()
        .route(routes::SITE_BOOKING, get(booking::<S>))
        .route(routes::SITE_BOOKING_RESCHEDULE, post(reschedule::<S>))
        .route(routes::SITE_BOOKING_CANCEL, post(cancel::<S>))
        .route(routes::SITE_BOOKING_MANAGE_LINK, post(replace_link::<S>))
        // The customer's name and address: no cache may keep them.
        .layer(super::no_store())
}

/// The booking a manage link opens: its time, place and whether it can still be changed
/// online. A wrong or altered token gets 404, as a wrong number does.
#[utoipa::path(
    get,
    path = routes::SITE_BOOKING,
    operation_id = "getBooking",
    tag = "booking",
    params(
        SitePath,
        ("number" = WorkOrderNumber, Path, description = "The number in the link."),
        ("Manage-Token" = String, Header, description = "The link's `token`."),
    ),
    responses(
        (status = 200, body = ManagedBooking, description = "OK."),
        (status = 404, response = NotFound),
        (status = 410, response = LinkExpired),
    )
)]
async fn booking<S: Store>(
    State(state): State<AppState<S>>,
    ApiPath((site, number)): ApiPath<(SiteId, WorkOrderNumber)>,
    ManageTokenHeader(token): ManageTokenHeader,
) -> Result<Json<ManagedBooking>, ApiError> {
    Ok(Json(state.app.managed_booking(&site, &number, token.as_ref()).await?))
}

/// Moves the booking to another offered slot: the new time's locks are taken and the old
/// ones freed in one write, or nothing changes. Only while online changes are open.
#[utoipa::path(
    post,
    path = routes::SITE_BOOKING_RESCHEDULE,
    operation_id = "rescheduleBooking",
    tag = "booking",
    params(
        SitePath,
        ("number" = WorkOrderNumber, Path, description = "The number in the link."),
        ("Manage-Token" = String, Header, description = "The link's `token`."),
    ),
    request_body = RescheduleInput,
    responses(
        (status = 200, body = ManagedBooking, description = "Moved."),
        (status = 404, response = NotFound),
        (status = 409, response = ManageConflict),
        (status = 410, response = LinkExpired),
        (status = 412, response = ChangedBySomeoneElse),
        (status = 422, response = Invalid),
    )
)]
async fn reschedule<S: Store>(
    State(state): State<AppState<S>>,
    ApiPath((site, number)): ApiPath<(SiteId, WorkOrderNumber)>,
    ManageTokenHeader(token): ManageTokenHeader,
    ApiJson(input): ApiJson<RescheduleInput>,
) -> Result<Json<ManagedBooking>, ApiError> {
    Ok(Json(state.app.reschedule_booking(&site, &number, token.as_ref(), &input).await?))
}

/// Cancels the booking and frees its time. Only while online changes are open.
#[utoipa::path(
    post,
    path = routes::SITE_BOOKING_CANCEL,
    operation_id = "cancelBooking",
    tag = "booking",
    params(
        SitePath,
        ("number" = WorkOrderNumber, Path, description = "The number in the link."),
        ("Manage-Token" = String, Header, description = "The link's `token`."),
    ),
    responses(
        (status = 200, body = ManagedBooking, description = "Cancelled."),
        (status = 404, response = NotFound),
        (status = 409, response = ManageConflict),
        (status = 410, response = LinkExpired),
        (status = 412, response = ChangedBySomeoneElse),
    )
)]
async fn cancel<S: Store>(
    State(state): State<AppState<S>>,
    ApiPath((site, number)): ApiPath<(SiteId, WorkOrderNumber)>,
    ManageTokenHeader(token): ManageTokenHeader,
) -> Result<Json<ManagedBooking>, ApiError> {
    Ok(Json(state.app.cancel_booking(&site, &number, token.as_ref()).await?))
}

/// Replaces the customer's manage link (one went to a wrong address, say): every link sent
/// before stops opening the booking at once, and the customer is e-mailed the new one at the
/// address the work order has now.
#[utoipa::path(
    post,
    path = routes::SITE_BOOKING_MANAGE_LINK,
    operation_id = "replaceManageLink",
    tag = "work orders",
    params(SitePath, ("number" = WorkOrderNumber, Path, description = "The work order's number.")),
    security(("staff" = [])),
    responses(
        (status = 202, description = "Replaced; the e-mail with the new link is on its way."),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = NothingToLink),
        (status = 412, response = ChangedBySomeoneElse),
    )
)]
async fn replace_link<S: Store>(
    State(state): State<AppState<S>>,
    ApiPath((site, number)): ApiPath<(SiteId, WorkOrderNumber)>,
    StaffUser(user): StaffUser,
) -> Result<axum::http::StatusCode, ApiError> {
    state.app.replace_manage_link(&site, &user, &number).await?;
    Ok(axum::http::StatusCode::ACCEPTED)
}
