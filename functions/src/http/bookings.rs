//! Routes of the bookings function.

use super::AppState;
use super::extract::{ApiPath, ApiQuery};
use super::openapi::{Invalid, NotFound, SitePath};
use super::problem::ApiError;
use crate::store::Store;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use jobslot_domain::api::{SlotsQuery, SlotsResponse};
use jobslot_domain::ids::SiteId;
use jobslot_domain::routes;

pub(super) fn routes<S: Store>() -> Router<AppState<S>> {
    Router::new().route(routes::SITE_SLOTS, get(slots::<S>))
}

/// Free slots of the technicians serving a postcode, day by day in the site's zone.
#[utoipa::path(
    get,
    path = routes::SITE_SLOTS,
    operation_id = "listSlots",
    tag = "booking",
    params(SitePath, SlotsQuery),
    responses(
        (status = 200, body = SlotsResponse, description = "OK."),
        (status = 404, response = NotFound),
        (status = 422, response = Invalid),
    )
)]
async fn slots<S: Store>(
    State(state): State<AppState<S>>,
    ApiPath(site): ApiPath<SiteId>,
    ApiQuery(query): ApiQuery<SlotsQuery>,
) -> Result<Json<SlotsResponse>, ApiError> {
    Ok(Json(state.app.slots(&site, &query).await?))
}
