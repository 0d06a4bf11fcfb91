//! Routes of a site's webhook endpoints: list, register, change, rotate the secret, remove.
//! Where each delivery stands is in the deliveries routes (audience = the endpoint's id).

use super::AppState;
use super::auth::StaffUser;
use super::extract::{ApiJson, ApiPath};
use super::openapi::{ChangedBySomeoneElse, Forbidden, Invalid, NotFound, SitePath};
use super::problem::ApiError;
use crate::store::Store;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use jobslot_domain::ids::SiteId;
use jobslot_domain::routes;
use jobslot_domain::webhook::EndpointId;
use jobslot_domain::webhook::{Endpoint, EndpointInput, EndpointPage, EndpointWithSecret};

pub(super) fn routes<S: Store>() -> Router<AppState<S>> {
    Router::new()
        .route(routes::SITE_WEBHOOKS, get(list::<S>).post(create::<S>))
        .route(routes::SITE_WEBHOOK, put(change::<S>).delete(remove::<S>))
        .route(routes::SITE_WEBHOOK_ROTATE_SECRET, post(rotate::<S>))
        // Signing secrets and endpoint addresses (which may carry tokens): never from a cache.
        .layer(super::no_store())
}

/// The site's webhook endpoints, oldest first; their secrets are not listed. Owners and
/// integrators.
#[utoipa::path(
    get,
    path = routes::SITE_WEBHOOKS,
    operation_id = "listWebhooks",
    tag = "webhooks",
    params(SitePath),
    security(("staff" = [])),
    responses(
        (status = 200, body = EndpointPage, description = "OK."),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
async fn list<S: Store>(
    State(state): State<AppState<S>>,
    ApiPath(site): ApiPath<SiteId>,
    StaffUser(user): StaffUser,
) -> Result<Json<EndpointPage>, ApiError> {
    Ok(Json(state.app.webhook_endpoints(&site, &user).await?))
}

/// Registers an endpoint: events from now on are posted to it as JSON (`WebhookBody`), signed
/// by the Standard Webhooks scheme with the secret in the answer, which is shown only here.
/// Failed deliveries are retried with growing waits for a day.
#[utoipa::path(
    post,
    path = routes::SITE_WEBHOOKS,
    operation_id = "createWebhook",
    tag = "webhooks",
    params(SitePath),
    request_body = EndpointInput,
    security(("staff" = [])),
    responses(
        (status = 201, body = EndpointWithSecret, description = "Registered.",
            headers(("Location" = String, description = "The endpoint's URL."))),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 422, response = Invalid),
    )
)]
async fn create<S: Store>(
    State(state): State<AppState<S>>,
    ApiPath(site): ApiPath<SiteId>,
    StaffUser(user): StaffUser,
    ApiJson(input): ApiJson<EndpointInput>,
) -> Result<Response, ApiError> {
    let created = state.app.create_webhook(&site, &user, &input).await?;
    let location = format!("/api/sites/{site}/webhooks/{}", created.endpoint.id);
    Ok(super::created(&location, created))
}

/// Changes an endpoint's address, events, description or `enabled`; its secret stays.
#[utoipa::path(
    put,
    path = routes::SITE_WEBHOOK,
    operation_id = "updateWebhook",
    tag = "webhooks",
    params(SitePath, ("id" = String, Path, description = "The endpoint's id (`wh_…`).")),
    request_body = EndpointInput,
    security(("staff" = [])),
    responses(
        (status = 200, body = Endpoint, description = "Changed."),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 412, response = ChangedBySomeoneElse),
        (status = 422, response = Invalid),
    )
)]
async fn change<S: Store>(
    State(state): State<AppState<S>>,
    ApiPath((site, id)): ApiPath<(SiteId, EndpointId)>,
    StaffUser(user): StaffUser,
    ApiJson(input): ApiJson<EndpointInput>,
) -> Result<Json<Endpoint>, ApiError> {
    Ok(Json(state.app.change_webhook(&site, &user, &id, &input).await?))
}

/// Removes an endpoint; nothing more is posted to it.
#[utoipa::path(
    delete,
    path = routes::SITE_WEBHOOK,
    operation_id = "deleteWebhook",
    tag = "webhooks",
    params(SitePath, ("id" = String, Path, description = "The endpoint's id (`wh_…`).")),
    security(("staff" = [])),
    responses(
        (status = 204, description = "Removed."),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
async fn remove<S: Store>(
    State(state): State<AppState<S>>,
    ApiPath((site, id)): ApiPath<(SiteId, EndpointId)>,
    StaffUser(user): StaffUser,
) -> Result<StatusCode, ApiError> {
    state.app.delete_webhook(&site, &user, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Gives an endpoint a new signing secret, shown only here. Requests are signed with the old
/// one too (a second `v1,` signature) until `previous_secret_valid_until`, a day from now.
#[utoipa::path(
    post,
    path = routes::SITE_WEBHOOK_ROTATE_SECRET,
    operation_id = "rotateWebhookSecret",
    tag = "webhooks",
    params(SitePath, ("id" = String, Path, description = "The endpoint's id (`wh_…`).")),
    security(("staff" = [])),
    responses(
        (status = 200, body = EndpointWithSecret, description = "The new secret."),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 412, response = ChangedBySomeoneElse),
    )
)]
async fn rotate<S: Store>(
    State(state): State<AppState<S>>,
    ApiPath((site, id)): ApiPath<(SiteId, EndpointId)>,
    StaffUser(user): StaffUser,
) -> Result<Json<EndpointWithSecret>, ApiError> {
    Ok(Json(state.app.rotate_webhook_secret(&site, &user, &id).await?))
}
