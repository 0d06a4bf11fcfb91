//! Routes of the site's outgoing messages: where each stands, and sending one again.

use super::AppState;
use super::auth::StaffUser;
use super::extract::ApiPath;
use super::openapi::{ChangedBySomeoneElse, Forbidden, NotFound, SitePath};
use super::problem::ApiError;
use crate::store::Store;
use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use jobslot_domain::ids::SiteId;
use jobslot_domain::notification::{Delivery, DeliveryPage};
use jobslot_domain::routes;

pub(super) fn routes<S: Store>() -> Router<AppState<S>> {
    Router::new()
        .route(routes::SITE_DELIVERIES, get(list::<S>))
        .route(routes::SITE_DELIVERY_RESEND, post(resend::<S>))
        // Customers' addresses appear in the mail servers' answers: no cache may keep them.
        .layer(super::no_store())
}

/// The site's e-mail, newest event first: delivered, waiting for a retry (with the mail
/// server's last answer), or given up. Owners and dispatchers.
#[utoipa::path(
    get,
    path = routes::SITE_DELIVERIES,
    operation_id = "listDeliveries",
    tag = "work orders",
    params(SitePath),
    security(("staff" = [])),
    responses(
        (status = 200, body = DeliveryPage, description = "OK."),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
async fn list<S: Store>(
    State(state): State<AppState<S>>,
    ApiPath(site): ApiPath<SiteId>,
    StaffUser(user): StaffUser,
) -> Result<Json<DeliveryPage>, ApiError> {
    Ok(Json(state.app.deliveries(&site, &user).await?))
}

/// Sends a delivered or given-up message again (one still on its way is left as it is).
#[utoipa::path(
    post,
    path = routes::SITE_DELIVERY_RESEND,
    operation_id = "resendDelivery",
    tag = "work orders",
    params(
        SitePath,
        ("event" = String, Path, description = "The event's id."),
        ("audience" = String, Path, description = "`customer`, `business`, or a webhook endpoint's id (`wh_…`)."),
    ),
    security(("staff" = [])),
    responses(
        (status = 200, body = Delivery, description = "Queued again."),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 412, response = ChangedBySomeoneElse),
    )
)]
async fn resend<S: Store>(
    State(state): State<AppState<S>>,
    ApiPath((site, event, audience)): ApiPath<(SiteId, String, String)>,
    StaffUser(user): StaffUser,
) -> Result<Json<Delivery>, ApiError> {
    Ok(Json(state.app.resend(&site, &user, &event, &audience).await?))
}
