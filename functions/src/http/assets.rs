//! Routes of the assets function.

use super::AppState;
use super::extract::{ApiPath, ApiQuery};
use super::openapi::{self, NotFound, SitePath};
use super::problem::ApiError;
use crate::store::Store;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use jobslot_domain::api::{CoverageResponse, SiteConfigResponse};
use jobslot_domain::ids::SiteId;
use jobslot_domain::routes;
use serde::Deserialize;

pub(super) fn routes<S: Store>() -> Router<AppState<S>> {
    Router::new()
        .route(routes::SITE_CONFIG, get(site_config::<S>))
        .route(routes::SITE_COVERAGE, get(coverage::<S>))
        .route(openapi::OPENAPI_PATH, get(openapi::serve))
}

/// What the widget needs to draw a site's booking flow.
#[utoipa::path(
    get,
    path = routes::SITE_CONFIG,
    operation_id = "getSiteConfig",
    tag = "booking",
    params(SitePath),
    responses((status = 200, body = SiteConfigResponse, description = "OK."), (status = 404, response = NotFound))
)]
async fn site_config<S: Store>(
    State(state): State<AppState<S>>,
    ApiPath(site): ApiPath<SiteId>,
) -> Result<Json<SiteConfigResponse>, ApiError> {
    Ok(Json(state.app.site_config(&site).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct CoverageQuery {
    /// The postcode as the customer typed it.
    #[serde(default)]
    postcode: String,
}

/// Who serves a postcode; an empty list when nobody does.
#[utoipa::path(
    get,
    path = routes::SITE_COVERAGE,
    operation_id = "getCoverage",
    tag = "booking",
    params(SitePath, CoverageQuery),
    responses(
        (status = 200, body = CoverageResponse, description = "OK."),
        (status = 404, response = NotFound),
        (status = 422, response = openapi::Invalid),
    )
)]
async fn coverage<S: Store>(
    State(state): State<AppState<S>>,
    ApiPath(site): ApiPath<SiteId>,
    ApiQuery(query): ApiQuery<CoverageQuery>,
) -> Result<Json<CoverageResponse>, ApiError> {
    Ok(Json(state.app.coverage(&site, &query.postcode).await?))
}
