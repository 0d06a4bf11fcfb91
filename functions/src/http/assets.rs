//! Routes of the assets function.

use super::AppState;
use super::extract::{ApiPath, ApiQuery};
use super::problem::ApiError;
use crate::store::Store;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use jobslot_domain::api::{CoverageResponse, SiteConfigResponse};
use serde::Deserialize;

pub(super) fn routes<S: Store>() -> Router<AppState<S>> {
    Router::new()
        .route("/api/sites/{site}/config", get(site_config::<S>))
        .route("/api/sites/{site}/coverage", get(coverage::<S>))
}

async fn site_config<S: Store>(
    State(state): State<AppState<S>>,
    ApiPath(site): ApiPath<String>,
) -> Result<Json<SiteConfigResponse>, ApiError> {
    Ok(Json(state.app.site_config(&site).await?))
}

#[derive(Deserialize)]
struct CoverageQuery {
    #[serde(default)]
    postcode: String,
}

async fn coverage<S: Store>(
    State(state): State<AppState<S>>,
    ApiPath(site): ApiPath<String>,
    ApiQuery(query): ApiQuery<CoverageQuery>,
) -> Result<Json<CoverageResponse>, ApiError> {
    Ok(Json(state.app.coverage(&site, &query.postcode).await?))
}
