//! Routes of the staff function: who am I, sites, settings, services, the order form,
//! technicians, members and the audit trail. Every route takes a staff access token; edits
//! carry `If-Match` (or `If-None-Match: *` to create) and answer with the new `ETag`.

use super::AppState;
use super::auth::StaffUser;
use super::extract::{ApiJson, ApiPath, ApiQuery};
use super::headers::Idempotency;
use super::members::{Invite, newcomer};
use super::openapi::{
    AlreadyExists, ChangedBySomeoneElse, Forbidden, IfMatchRequired, Invalid, NotFound, SitePath,
};
use super::problem::ApiError;
use crate::app::setup::{Expect, ListQuery, PreparedSite, Versioned};
use crate::store::Store;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use jobslot_domain::audit::AuditPage;
use jobslot_domain::board::{Board, BoardQuery};
use jobslot_domain::dispatch::WorkOrderRulesInput;
use jobslot_domain::ids::SiteId;
use jobslot_domain::ids::TechnicianId;
use jobslot_domain::routes;
use jobslot_domain::setup::{
    Me, NewSiteInput, OrderFormInput, ServicesInput, SettingsInput, SiteCreated, TechnicianInput,
};
use jobslot_domain::setup::{Page, TechnicianEntry};
use jobslot_domain::staff::Role;
use serde::Serialize;

pub(super) fn routes<S: Store>() -> Router<AppState<S>> {
    Router::new()
        .route(routes::ME, get(me::<S>))
        .route(routes::SITES, post(create_site::<S>))
        .route(routes::SITE_SETTINGS, get(settings::<S>).put(change_settings::<S>))
        .route(routes::SITE_SERVICES, get(services::<S>).put(change_services::<S>))
        .route(routes::SITE_ORDER_FORM, get(order_form::<S>).put(change_order_form::<S>))
        .route(
            "/api/sites/{site}/work-order-rules",
            get(work_order_rules::<S>).put(change_work_order_rules::<S>),
        )
        .route(routes::SITE_TECHNICIANS, get(technicians::<S>))
        .route(routes::SITE_TECHNICIAN, get(technician::<S>).put(put_technician::<S>))
        .route(routes::SITE_AUDIT, get(audit::<S>))
        .route(routes::SITE_BOARD, get(board::<S>))
        .merge(super::members::routes())
        // Staff data is per person and changes under them: never from a cache.
        .layer(super::no_store())
}

/// The version an edit is based on, from `If-Match` / `If-None-Match`.
pub(super) fn expect(headers: &HeaderMap) -> Expect {
    let header = |name| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
    if header(header::IF_NONE_MATCH) == Some("*") {
        return Expect::New;
    }
    match header(header::IF_MATCH) {
        Some(tag) => Expect::Version(tag.trim_start_matches("W/").trim_matches('"').to_owned()),
        None => Expect::Unstated,
    }
}

/// JSON with its version as a strong `ETag`.
pub(super) fn versioned<T: Serialize>(status: StatusCode, record: Versioned<T>) -> Response {
    let mut response = (status, Json(record.value)).into_response();
    if let Ok(tag) = HeaderValue::from_str(&format!("\"{}\"", record.version)) {
        response.headers_mut().insert(header::ETAG, tag);
    }
    response
}

/// Who the caller is, and their sites and roles.
#[utoipa::path(
    get,
    path = routes::ME,
    operation_id = "getMe",
    tag = "setup",
    security(("staff" = [])),
    responses((status = 200, body = Me, description = "OK."))
)]
async fn me<S: Store>(
    State(state): State<AppState<S>>,
    StaffUser(user): StaffUser,
) -> Result<Response, ApiError> {
    Ok(Json(state.app.me(&user).await?).into_response())
}

/// Opens a site for a business (platform operators only). Self-hosted, an owner without an
/// account is e-mailed an invitation to set their password; nobody else learns it.
#[utoipa::path(
    post,
    path = routes::SITES,
    operation_id = "createSite",
    tag = "setup",
    params(
        ("Idempotency-Key" = String, Header, description = "Required of every create. A retry is recognised by the site's id, business name and owner."),
    ),
    request_body = NewSiteInput,
    security(("staff" = [])),
    responses(
        (status = 201, body = SiteCreated, description = "Created.", headers(("ETag" = String, description = "The settings' first version."))),
        (status = 403, response = Forbidden),
        (status = 409, response = AlreadyExists),
        (status = 422, response = Invalid),
    )
)]
async fn create_site<S: Store>(
    State(state): State<AppState<S>>,
    StaffUser(user): StaffUser,
    // Required of every create; the site's id makes a retry safe (see `prepare_site`).
    Idempotency(_): Idempotency,
    ApiJson(input): ApiJson<NewSiteInput>,
) -> Result<Response, ApiError> {
    // Everything is checked before anyone's account is touched.
    let (created, owner, owner_invited) = match state.app.prepare_site(&user, &input).await? {
        PreparedSite::Done(done, owner) => (done, owner, false),
        PreparedSite::New(site, owner_email) => {
            let invite =
                Invite { email_field: "owner_email", business: &site.business_name, role: Role::Owner };
            let newcomer = newcomer(&state, &invite, &owner_email, input.owner_user.as_deref()).await?;
            let (owner, invited) = (newcomer.user.clone(), newcomer.invited);
            (state.app.create_site(&user, &site, owner_email, newcomer).await?, owner, invited)
        }
    };
    let body = SiteCreated { site: created.value, owner, owner_invited };
    Ok(versioned(StatusCode::CREATED, Versioned { value: body, version: created.version }))
}

/// The business and its booking rules.
#[utoipa::path(
    get,
    path = routes::SITE_SETTINGS,
    operation_id = "getSettings",
    tag = "setup",
    params(SitePath),
    security(("staff" = [])),
    responses(
        (status = 200, body = SettingsInput, description = "OK.", headers(("ETag" = String, description = "The version; send it back as `If-Match` to change it."))),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
async fn settings<S: Store>(
    State(state): State<AppState<S>>,
    ApiPath(site): ApiPath<SiteId>,
    StaffUser(user): StaffUser,
) -> Result<Response, ApiError> {
    Ok(versioned(StatusCode::OK, state.app.settings(&site, &user).await?))
}

/// Changes the business and its booking rules.
#[utoipa::path(
    put,
    path = routes::SITE_SETTINGS,
    operation_id = "replaceSettings",
    tag = "setup",
    params(
        SitePath,
        ("If-Match" = String, Header, description = "The `ETag` of the version this change is based on."),
    ),
    request_body = SettingsInput,
    security(("staff" = [])),
    responses(
        (status = 200, body = SettingsInput, description = "OK.", headers(("ETag" = String, description = "The new version."))),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 412, response = ChangedBySomeoneElse),
        (status = 422, response = Invalid),
        (status = 428, response = IfMatchRequired),
    )
)]
async fn change_settings<S: Store>(
    State(state): State<AppState<S>>,
    ApiPath(site): ApiPath<SiteId>,
    StaffUser(user): StaffUser,
    headers: HeaderMap,
    ApiJson(input): ApiJson<SettingsInput>,
) -> Result<Response, ApiError> {
    Ok(versioned(StatusCode::OK, state.app.change_settings(&site, &user, &expect(&headers), &input).await?))
}

/// The services customers can book.
#[utoipa::path(
    get,
    path = routes::SITE_SERVICES,
    operation_id = "listServices",
    tag = "setup",
    params(SitePath),
    security(("staff" = [])),
    responses(
        (status = 200, body = ServicesInput, description = "OK.", headers(("ETag" = String, description = "The version; send it back as `If-Match` to change it."))),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
async fn services<S: Store>(
    State(state): State<AppState<S>>,
    ApiPath(site): ApiPath<SiteId>,
    StaffUser(user): StaffUser,
) -> Result<Response, ApiError> {
    Ok(versioned(StatusCode::OK, state.app.services(&site, &user).await?))
}

/// Changes the services customers can book.
#[utoipa::path(
    put,
    path = routes::SITE_SERVICES,
    operation_id = "replaceServices",
    tag = "setup",
    params(
        SitePath,
        ("If-Match" = String, Header, description = "The `ETag` of the version this change is based on."),
    ),
    request_body = ServicesInput,
    security(("staff" = [])),
    responses(
        (status = 200, body = ServicesInput, description = "OK.", headers(("ETag" = String, description = "The new version."))),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 412, response = ChangedBySomeoneElse),
        (status = 422, response = Invalid),
        (status = 428, response = IfMatchRequired),
    )
)]
async fn change_services<S: Store>(
    State(state): State<AppState<S>>,
    ApiPath(site): ApiPath<SiteId>,
    StaffUser(user): StaffUser,
    headers: HeaderMap,
    ApiJson(input): ApiJson<ServicesInput>,
) -> Result<Response, ApiError> {
    Ok(versioned(StatusCode::OK, state.app.change_services(&site, &user, &expect(&headers), &input).await?))
}

/// The business's order form.
#[utoipa::path(
    get,
    path = routes::SITE_ORDER_FORM,
    operation_id = "getOrderForm",
    tag = "setup",
    params(SitePath),
    security(("staff" = [])),
    responses(
        (status = 200, body = OrderFormInput, description = "OK.", headers(("ETag" = String, description = "The version; send it back as `If-Match` to change it."))),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
async fn order_form<S: Store>(
    State(state): State<AppState<S>>,
    ApiPath(site): ApiPath<SiteId>,
    StaffUser(user): StaffUser,
) -> Result<Response, ApiError> {
    Ok(versioned(StatusCode::OK, state.app.order_form(&site, &user).await?))
}

/// Changes the business's order form.
#[utoipa::path(
    put,
    path = routes::SITE_ORDER_FORM,
    operation_id = "replaceOrderForm",
    tag = "setup",
    params(
        SitePath,
        ("If-Match" = String, Header, description = "The `ETag` of the version this change is based on."),
    ),
    request_body = OrderFormInput,
    security(("staff" = [])),
    responses(
        (status = 200, body = OrderFormInput, description = "OK.", headers(("ETag" = String, description = "The new version."))),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 412, response = ChangedBySomeoneElse),
        (status = 422, response = Invalid),
        (status = 428, response = IfMatchRequired),
    )
)]
async fn change_order_form<S: Store>(
    State(state): State<AppState<S>>,
    ApiPath(site): ApiPath<SiteId>,
    StaffUser(user): StaffUser,
    headers: HeaderMap,
    ApiJson(input): ApiJson<OrderFormInput>,
) -> Result<Response, ApiError> {
    Ok(versioned(StatusCode::OK, state.app.change_order_form(&site, &user, &expect(&headers), &input).await?))
}

/// The site's reason codes (for closing incomplete and rejecting) and its rules per order type.
#[utoipa::path(
    get,
    path = routes::SITE_WORK_ORDER_RULES,
    operation_id = "getWorkOrderRules",
    tag = "setup",
    params(SitePath),
    security(("staff" = [])),
    responses(
        (status = 200, body = WorkOrderRulesInput, description = "OK.", headers(("ETag" = String, description = "The version; send it back as `If-Match` to change it."))),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
async fn work_order_rules<S: Store>(
    State(state): State<AppState<S>>,
    ApiPath(site): ApiPath<SiteId>,
    StaffUser(user): StaffUser,
) -> Result<Response, ApiError> {
    Ok(versioned(StatusCode::OK, state.app.work_order_rules(&site, &user).await?))
}

/// Changes the site's reason codes and rules per order type.
#[utoipa::path(
    put,
    path = routes::SITE_WORK_ORDER_RULES,
    operation_id = "replaceWorkOrderRules",
    tag = "setup",
    params(
        SitePath,
        ("If-Match" = String, Header, description = "The `ETag` of the version this change is based on."),
    ),
    request_body = WorkOrderRulesInput,
    security(("staff" = [])),
    responses(
        (status = 200, body = WorkOrderRulesInput, description = "OK.", headers(("ETag" = String, description = "The new version."))),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 412, response = ChangedBySomeoneElse),
        (status = 422, response = Invalid),
        (status = 428, response = IfMatchRequired),
    )
)]
async fn change_work_order_rules<S: Store>(
    State(state): State<AppState<S>>,
    ApiPath(site): ApiPath<SiteId>,
    StaffUser(user): StaffUser,
    headers: HeaderMap,
    ApiJson(input): ApiJson<WorkOrderRulesInput>,
) -> Result<Response, ApiError> {
    let changed = state.app.change_work_order_rules(&site, &user, &expect(&headers), &input).await?;
    Ok(versioned(StatusCode::OK, changed))
}

/// The dispatch board: every technician's jobs (those holding time) and time off over a day
/// or a week, in the site's zone.
#[utoipa::path(
    get,
    path = routes::SITE_BOARD,
    operation_id = "getBoard",
    tag = "work orders",
    params(SitePath, BoardQuery),
    security(("staff" = [])),
    responses(
        (status = 200, body = Board, description = "OK."),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 422, response = Invalid),
    )
)]
async fn board<S: Store>(
    State(state): State<AppState<S>>,
    ApiPath(site): ApiPath<SiteId>,
    StaffUser(user): StaffUser,
    ApiQuery(query): ApiQuery<BoardQuery>,
) -> Result<Response, ApiError> {
    Ok(Json(state.app.board(&site, &user, &query).await?).into_response())
}

/// The site's technicians, by id, a page at a time.
#[utoipa::path(
    get,
    path = routes::SITE_TECHNICIANS,
    operation_id = "listTechnicians",
    tag = "setup",
    params(SitePath, ListQuery),
    security(("staff" = [])),
    responses(
        (status = 200, body = Page<TechnicianEntry>, description = "OK."),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
async fn technicians<S: Store>(
    State(state): State<AppState<S>>,
    ApiPath(site): ApiPath<SiteId>,
    StaffUser(user): StaffUser,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> Result<Response, ApiError> {
    Ok(Json(state.app.technician_list(&site, &user, query.cursor.as_deref()).await?).into_response())
}

/// One technician.
#[utoipa::path(
    get,
    path = routes::SITE_TECHNICIAN,
    operation_id = "getTechnician",
    tag = "setup",
    params(SitePath, ("id" = TechnicianId, Path)),
    security(("staff" = [])),
    responses(
        (status = 200, body = TechnicianEntry, description = "OK.", headers(("ETag" = String, description = "The version; send it back as `If-Match` to change it."))),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
async fn technician<S: Store>(
    State(state): State<AppState<S>>,
    ApiPath((site, id)): ApiPath<(SiteId, TechnicianId)>,
    StaffUser(user): StaffUser,
) -> Result<Response, ApiError> {
    Ok(versioned(StatusCode::OK, state.app.technician(&site, &user, &id).await?))
}

/// Creates a technician (`If-None-Match: *`) or changes one (`If-Match`).
#[utoipa::path(
    put,
    path = routes::SITE_TECHNICIAN,
    operation_id = "putTechnician",
    tag = "setup",
    params(
        SitePath,
        ("id" = TechnicianId, Path),
        ("If-Match" = Option<String>, Header, description = "To change: the `ETag` of the version this change is based on."),
        ("If-None-Match" = Option<String>, Header, description = "To create: `*`."),
    ),
    request_body = TechnicianInput,
    security(("staff" = [])),
    responses(
        (status = 200, body = TechnicianEntry, description = "Changed.", headers(("ETag" = String, description = "The new version."))),
        (status = 201, body = TechnicianEntry, description = "Created.", headers(("ETag" = String, description = "The first version."))),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 409, response = AlreadyExists),
        (status = 412, response = ChangedBySomeoneElse),
        (status = 422, response = Invalid),
        (status = 428, response = IfMatchRequired),
    )
)]
async fn put_technician<S: Store>(
    State(state): State<AppState<S>>,
    ApiPath((site, id)): ApiPath<(SiteId, TechnicianId)>,
    StaffUser(user): StaffUser,
    headers: HeaderMap,
    ApiJson(input): ApiJson<TechnicianInput>,
) -> Result<Response, ApiError> {
    let expect = expect(&headers);
    let status = if expect == Expect::New { StatusCode::CREATED } else { StatusCode::OK };
    Ok(versioned(status, state.app.put_technician(&site, &user, &id, &expect, &input).await?))
}

/// Who changed what on the site, newest first, a page at a time.
#[utoipa::path(
    get,
    path = routes::SITE_AUDIT,
    operation_id = "listAuditEntries",
    tag = "setup",
    params(SitePath, ListQuery),
    security(("staff" = [])),
    responses(
        (status = 200, body = AuditPage, description = "OK."),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
async fn audit<S: Store>(
    State(state): State<AppState<S>>,
    ApiPath(site): ApiPath<SiteId>,
    StaffUser(user): StaffUser,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> Result<Response, ApiError> {
    Ok(Json(state.app.audit_trail(&site, &user, query.cursor.as_deref()).await?).into_response())
}
