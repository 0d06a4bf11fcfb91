//! The local issuer's account pages: "forgot your password?" (`/account/forgot`) and the page
//! an invitation's or a reset's link opens to set a password (`/account/password`). Plain
//! forms, no script, the issuer's own headers; a token arrives in the link's query and goes
//! back in the form, never into a log.

use super::identity::{STYLE, secure};
use crate::app::accounts::{FORGOT_PAGE, PASSWORD_PAGE, SetPasswordRefused};
use crate::app::identity::Identity;
use crate::store::Store;
use axum::Router;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use jobslot_domain::text::escape_html;
use serde::Deserialize;

pub(super) fn routes<S: Store>() -> Router<Identity<S>> {
    Router::new()
        .route(FORGOT_PAGE, get(forgot_page).post(forgot::<S>))
        .route(PASSWORD_PAGE, get(password_page::<S>).post(set_password::<S>))
}

/// A page of the issuer: `title` as its heading, `body` as its HTML.
fn page(status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title} · Jobslot</title>\
<link rel=\"icon\" href=\"/widget/favicon.svg\" type=\"image/svg+xml\"><style>{STYLE}</style></head>\
<body><main><h1>{title}</h1>{body}</main></body></html>",
        title = escape_html(title),
    );
    secure((status, Html(html)).into_response())
}

/// An alert naming what went wrong, which the form's fields point at.
fn alert(error: Option<&str>) -> String {
    error.map_or(String::new(), |e| {
        format!("<p id=\"form-error\" class=\"error\" role=\"alert\">{}</p>", escape_html(e))
    })
}

/// The attributes that tie a field to the alert when there is one.
fn described(error: Option<&str>) -> &'static str {
    if error.is_some() { " aria-describedby=\"form-error\" aria-invalid=\"true\"" } else { "" }
}

fn forgot_form(status: StatusCode, email: &str, error: Option<&str>) -> Response {
    let body = format!(
        "{alert}<p class=\"note\">We will e-mail a link to set a new password. It works once, for an hour.</p>\
<form method=\"post\" action=\"{FORGOT_PAGE}\"><label for=\"email\">E-mail address</label>\
<input id=\"email\" name=\"email\" type=\"email\" autocomplete=\"username\" required value=\"{email}\"{described}>\
<button type=\"submit\">Send the link</button></form>",
        alert = alert(error),
        email = escape_html(email),
        described = described(error),
    );
    page(status, "Reset your password", &body)
}

async fn forgot_page() -> Response {
    forgot_form(StatusCode::OK, "", None)
}

#[derive(Deserialize)]
struct ForgotForm {
    #[serde(default)]
    email: String,
}

async fn forgot<S: Store>(State(identity): State<Identity<S>>, Form(form): Form<ForgotForm>) -> Response {
    match identity.forgot_password(&form.email) {
        Ok(()) => page(
            StatusCode::OK,
            "Check your e-mail",
            "<p role=\"status\">If an account has this address, a link to set a new password is on its way. \
It works once, for an hour.</p><p><a href=\"/admin/\">Back to the console</a></p>",
        ),
        Err(_) => {
            forgot_form(StatusCode::UNPROCESSABLE_ENTITY, &form.email, Some("Enter an e-mail address."))
        }
    }
}

#[derive(Deserialize)]
struct TokenQuery {
    #[serde(default)]
    token: String,
}

/// The page for a link that is unknown, used or expired.
fn link_not_valid() -> Response {
    page(
        StatusCode::GONE,
        "This link does not work any more",
        "<p>It was used already, or it expired. Ask for a new one: \
<a href=\"/account/forgot\">reset your password</a>, or ask whoever invited you to send the invitation again.</p>",
    )
}

fn password_form(status: StatusCode, token: &str, email: &str, error: Option<&str>) -> Response {
    let body = format!(
        "{alert}<p class=\"note\">For {email}. At least 12 characters; a few words you will remember work well.</p>\
<form method=\"post\" action=\"{PASSWORD_PAGE}\"><input type=\"hidden\" name=\"token\" value=\"{token}\">\
<input type=\"hidden\" name=\"email\" value=\"{email}\" autocomplete=\"username\">\
<label for=\"new_password\">New password</label>\
<input id=\"new_password\" name=\"new_password\" type=\"password\" autocomplete=\"new-password\" minlength=\"12\" required{described}>\
<label for=\"confirm_password\">New password again</label>\
<input id=\"confirm_password\" name=\"confirm_password\" type=\"password\" autocomplete=\"new-password\" minlength=\"12\" required{described}>\
<button type=\"submit\">Set the password</button></form>",
        alert = alert(error),
        email = escape_html(email),
        token = escape_html(token),
        described = described(error),
    );
    page(status, "Choose your password", &body)
}

async fn password_page<S: Store>(
    State(identity): State<Identity<S>>,
    Query(query): Query<TokenQuery>,
) -> Response {
    match identity.password_link_for(&query.token).await {
        Ok(Some(email)) => password_form(StatusCode::OK, &query.token, email.as_str(), None),
        Ok(None) => link_not_valid(),
        Err(error) => {
            tracing::error!(error = %error, "reading a password link failed");
            page(
                StatusCode::SERVICE_UNAVAILABLE,
                "Something failed on our side",
                "<p>Try the link again in a moment.</p>",
            )
        }
    }
}

#[derive(Deserialize)]
struct PasswordForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm_password: String,
}

async fn set_password<S: Store>(
    State(identity): State<Identity<S>>,
    Form(form): Form<PasswordForm>,
) -> Response {
    let again = |status, message: &str| password_form(status, &form.token, &form.email, Some(message));
    if form.new_password != form.confirm_password {
        return again(StatusCode::UNPROCESSABLE_ENTITY, "The two passwords differ; type the same one twice.");
    }
    match identity.set_password(&form.token, &form.new_password).await {
        Ok(()) => page(
            StatusCode::OK,
            "Your password is set",
            "<p role=\"status\">Sign in with it from now on.</p><p><a href=\"/admin/\">Open the console</a></p>",
        ),
        Err(SetPasswordRefused::Invalid(error)) => {
            again(StatusCode::UNPROCESSABLE_ENTITY, &error.message.to_string())
        }
        Err(SetPasswordRefused::LinkNotValid) => link_not_valid(),
        Err(SetPasswordRefused::Conflict) => {
            again(StatusCode::CONFLICT, "Your account changed meanwhile; try again.")
        }
        Err(SetPasswordRefused::Failed(error)) => {
            tracing::error!(error = %error, "setting a password failed");
            again(StatusCode::SERVICE_UNAVAILABLE, "Setting the password failed on our side. Try again.")
        }
    }
}
