//! Routes of the work-orders function.

use super::AppState;
use super::auth::StaffUser;
use super::extract::{ApiJson, ApiPath};
use super::problem::ApiError;
use crate::store::Store;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use jobslot_domain::api::SubmitWorkOrder;
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

async fn work_order<S: Store>(
    State(state): State<AppState<S>>,
    ApiPath((site, number)): ApiPath<(String, String)>,
    StaffUser(user): StaffUser,
) -> Result<Json<WorkOrder>, ApiError> {
    Ok(Json(state.app.work_order(&site, &user, &number).await?))
}
