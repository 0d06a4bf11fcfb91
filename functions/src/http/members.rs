//! Routes of the people and machines working on a site: members and their invitations,
//! integrations (machine clients), and a signed-in person's own password. Nobody is ever shown
//! another person's password: people are invited by e-mail, integrations' secrets are shown
//! once to the owner who makes or rotates them.

use super::AppState;
use super::auth::StaffUser;
use super::extract::{ApiJson, ApiPath, ApiQuery};
use super::openapi::{Forbidden, Invalid, NotFound, SitePath};
use super::problem::ApiError;
use crate::app::AppError;
use crate::app::integrations::ClientIssuer;
use crate::app::setup::{ListQuery, Newcomer};
use crate::store::Store;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use jobslot_domain::FieldError;
use jobslot_domain::contact::Email;
use jobslot_domain::ids::SiteId;
use jobslot_domain::ids::UserId;
use jobslot_domain::routes;
use jobslot_domain::setup::{IntegrationCreated, IntegrationInput, MemberInput};
use jobslot_domain::setup::{MemberEntry, Page};
use jobslot_domain::staff::Role;
use serde::Deserialize;

pub(super) fn routes<S: Store>() -> Router<AppState<S>> {
    Router::new()
        .route(routes::ME_PASSWORD, put(change_password::<S>))
        .route(routes::SITE_MEMBERS, get(members::<S>).put(put_member::<S>))
        .route(routes::SITE_MEMBER, delete(remove_member::<S>))
        .route(routes::SITE_MEMBER_INVITATION, post(resend_invitation::<S>))
        .route(routes::SITE_INTEGRATIONS, post(create_integration::<S>))
        .route(routes::SITE_INTEGRATION, delete(remove_integration::<S>))
        .route(routes::SITE_INTEGRATION_ROTATE_SECRET, post(rotate_integration::<S>))
}

/// What an invitation says, besides whom it is for.
pub(super) struct Invite<'a> {
    /// The request's field with the address, which an error names.
    pub email_field: &'a str,
    /// The business inviting.
    pub business: &'a str,
    /// The role offered.
    pub role: Role,
}

/// The person a membership is for. With the identity provider's user id (Cognito), that user;
/// self-hosted, the local account of the address, invited to set a password if it has none.
pub(super) async fn newcomer<S: Store>(
    state: &AppState<S>,
    invite: &Invite<'_>,
    email: &Email,
    user: Option<&str>,
) -> Result<Newcomer, ApiError> {
    if let Some(raw) = user.map(str::trim).filter(|u| !u.is_empty()) {
        return Ok(Newcomer::by_id(UserId::parse("user", raw).map_err(AppError::from)?));
    }
    match &state.accounts {
        Some(identity) => Ok(identity.invitee(email, invite.business, invite.role).await?.into()),
        None => Err(AppError::from(FieldError::new(
            invite.email_field,
            "Give the person's user id at the identity provider (`user`).",
        ))
        .into()),
    }
}

/// The site's members, by user id, a page at a time; invited ones show when they were invited.
#[utoipa::path(
    get,
    path = routes::SITE_MEMBERS,
    operation_id = "listMembers",
    tag = "setup",
    params(SitePath, ListQuery),
    security(("staff" = [])),
    responses(
        (status = 200, body = Page<MemberEntry>, description = "OK."),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
async fn members<S: Store>(
    State(state): State<AppState<S>>,
    ApiPath(site): ApiPath<SiteId>,
    StaffUser(user): StaffUser,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> Result<Response, ApiError> {
    Ok(Json(state.app.member_list(&site, &user, query.cursor.as_deref()).await?).into_response())
}

/// Gives someone a role on the site, or changes theirs. Self-hosted, a person without a
/// password is e-mailed an invitation to set one (the link works once, for 72 hours) and is
/// listed as invited until they do; someone with an account is told by e-mail. The site always
/// keeps an owner.
#[utoipa::path(
    put,
    path = routes::SITE_MEMBERS,
    operation_id = "putMember",
    tag = "setup",
    params(SitePath),
    request_body = MemberInput,
    security(("staff" = [])),
    responses(
        (status = 200, body = MemberEntry, description = "OK."),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 422, response = Invalid),
    )
)]
async fn put_member<S: Store>(
    State(state): State<AppState<S>>,
    ApiPath(site): ApiPath<SiteId>,
    StaffUser(user): StaffUser,
    ApiJson(input): ApiJson<MemberInput>,
) -> Result<Response, ApiError> {
    // The caller may manage members and the request is sound before anyone's account is
    // touched.
    state.app.authorize(&site, &user, jobslot_domain::staff::Action::ManageMembers).await?;
    let request = input.parse().map_err(AppError::Validation)?;
    let business = state.app.check_member(&site, &user, &request).await?;
    let invite = Invite { email_field: "email", business: &business, role: request.role };
    let who = newcomer(&state, &invite, &request.email, input.user.as_deref()).await?;
    Ok(Json(state.app.put_member(&site, &user, who, &request).await?).into_response())
}

/// Removes someone from the site, or withdraws their invitation (an integration is removed
/// with its client). Their next request is refused, whatever token they still hold, and a
/// person left with no site cannot refresh their sign-in. The last owner cannot be removed.
#[utoipa::path(
    delete,
    path = routes::SITE_MEMBER,
    operation_id = "removeMember",
    tag = "setup",
    params(SitePath, ("user" = UserId, Path, description = "The member's user id.")),
    security(("staff" = [])),
    responses(
        (status = 204, description = "Removed."),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 422, response = Invalid),
    )
)]
async fn remove_member<S: Store>(
    State(state): State<AppState<S>>,
    ApiPath((site, who)): ApiPath<(SiteId, UserId)>,
    StaffUser(user): StaffUser,
) -> Result<Response, ApiError> {
    state.app.remove_member(&site, &user, state.clients.as_deref(), &who).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// E-mails an invited member a new invitation link (self-hosted).
#[utoipa::path(
    post,
    path = routes::SITE_MEMBER_INVITATION,
    operation_id = "resendInvitation",
    tag = "setup",
    params(SitePath, ("user" = UserId, Path, description = "The invited member's user id.")),
    security(("staff" = [])),
    responses(
        (status = 202, body = MemberEntry, description = "A new invitation is on its way."),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 422, response = Invalid),
    )
)]
async fn resend_invitation<S: Store>(
    State(state): State<AppState<S>>,
    ApiPath((site, who)): ApiPath<(SiteId, UserId)>,
    StaffUser(user): StaffUser,
) -> Result<Response, ApiError> {
    let Some(identity) = &state.accounts else {
        return Err(AppError::from(FieldError::new(
            "user",
            "Invitations are sent by the identity provider.",
        ))
        .into());
    };
    let member = state.app.resend_invitation(&site, &user, &who, identity).await?;
    Ok((StatusCode::ACCEPTED, Json(member)).into_response())
}

/// Makes a machine client for an integrator's system, its own and no other's (the local
/// issuer's self-hosted, a Cognito app client on AWS), a member of the site with the
/// integrator role. Its secret is in the answer, and never again.
#[utoipa::path(
    post,
    path = routes::SITE_INTEGRATIONS,
    operation_id = "createIntegration",
    tag = "setup",
    params(SitePath),
    request_body = IntegrationInput,
    security(("staff" = [])),
    responses(
        (status = 201, body = IntegrationCreated, description = "Created; the secret is not shown again."),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
        (status = 422, response = Invalid),
    )
)]
async fn create_integration<S: Store>(
    State(state): State<AppState<S>>,
    ApiPath(site): ApiPath<SiteId>,
    StaffUser(user): StaffUser,
    ApiJson(input): ApiJson<IntegrationInput>,
) -> Result<Response, ApiError> {
    let issuer = client_issuer(&state)?;
    let created = state.app.create_integration(&site, &user, issuer, &input).await?;
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

/// Removes an integration: its client, membership and secret, at once. Its next token
/// request fails, and so does every request with a token it still holds.
#[utoipa::path(
    delete,
    path = routes::SITE_INTEGRATION,
    operation_id = "removeIntegration",
    tag = "setup",
    params(SitePath, ("client" = UserId, Path, description = "The integration's client id.")),
    security(("staff" = [])),
    responses(
        (status = 204, description = "Removed."),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
async fn remove_integration<S: Store>(
    State(state): State<AppState<S>>,
    ApiPath((site, client)): ApiPath<(SiteId, UserId)>,
    StaffUser(user): StaffUser,
) -> Result<Response, ApiError> {
    state.app.remove_integration(&site, &user, client_issuer(&state)?, &client).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Gives an integration a new secret, shown once; the old one stops working at once.
#[utoipa::path(
    post,
    path = routes::SITE_INTEGRATION_ROTATE_SECRET,
    operation_id = "rotateIntegrationSecret",
    tag = "setup",
    params(SitePath, ("client" = UserId, Path, description = "The integration's client id.")),
    security(("staff" = [])),
    responses(
        (status = 200, body = IntegrationCreated, description = "The new secret; it is not shown again."),
        (status = 403, response = Forbidden),
        (status = 404, response = NotFound),
    )
)]
async fn rotate_integration<S: Store>(
    State(state): State<AppState<S>>,
    ApiPath((site, client)): ApiPath<(SiteId, UserId)>,
    StaffUser(user): StaffUser,
) -> Result<Response, ApiError> {
    let issuer = client_issuer(&state)?;
    Ok(Json(state.app.rotate_integration(&site, &user, issuer, &client).await?).into_response())
}

/// Who makes this deployment's clients; a function that has none serves no such route.
fn client_issuer<S: Store>(state: &AppState<S>) -> Result<&dyn ClientIssuer, ApiError> {
    state.clients.as_deref().ok_or_else(|| AppError::NotFound.into())
}

/// `PUT /api/me/password`: the current password and the new one.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub(super) struct PasswordChange {
    /// The password now.
    current_password: String,
    /// At least 12 characters, not one of the commonly used ones.
    new_password: String,
}

/// Changes the caller's own password (self-hosted accounts). Every sign-in of the account
/// ends, this one's refresh token included, and the person is told by e-mail.
#[utoipa::path(
    put,
    path = routes::ME_PASSWORD,
    operation_id = "changeMyPassword",
    tag = "setup",
    request_body = PasswordChange,
    security(("staff" = [])),
    responses(
        (status = 204, description = "Changed; sign in again with the new password."),
        (status = 404, response = NotFound),
        (status = 422, response = Invalid),
    )
)]
async fn change_password<S: Store>(
    State(state): State<AppState<S>>,
    StaffUser(user): StaffUser,
    ApiJson(input): ApiJson<PasswordChange>,
) -> Result<Response, ApiError> {
    // With Cognito, people change their password there.
    let Some(identity) = &state.accounts else { return Err(AppError::NotFound.into()) };
    identity.change_password(&user, &input.current_password, &input.new_password).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
