//! The local issuer's endpoints: OpenID discovery, JWKS, the sign-in page
//! (`/oauth2/authorize`), the token endpoint and revocation. Mounted by `jobslot-local` only;
//! on AWS, Cognito plays this part.

use super::extract::ApiQuery;
use crate::app::identity::{
    AuthorizationRefused, AuthorizationRequest, Identity, RawAuthorization, SignIn, TokenRefused,
};
use crate::store::Store;
use axum::extract::{Form, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use jobslot_domain::text::escape_html;
use serde::Deserialize;

/// The issuer's routes over `identity`.
pub fn router<S: Store>(identity: Identity<S>) -> Router {
    Router::new()
        .route("/.well-known/openid-configuration", get(discovery::<S>))
        .route("/.well-known/jwks.json", get(jwks::<S>))
        .route("/oauth2/authorize", get(sign_in_page::<S>).post(sign_in::<S>))
        .route("/oauth2/token", post(token::<S>))
        .route("/oauth2/revoke", post(revoke::<S>))
        .merge(super::account_pages::routes())
        .with_state(identity)
}

async fn discovery<S: Store>(State(identity): State<Identity<S>>) -> Json<serde_json::Value> {
    Json(identity.issuer().discovery())
}

async fn jwks<S: Store>(State(identity): State<Identity<S>>) -> Json<jsonwebtoken::jwk::JwkSet> {
    Json(identity.issuer().jwks())
}

async fn sign_in_page<S: Store>(
    State(identity): State<Identity<S>>,
    ApiQuery(raw): ApiQuery<RawAuthorization>,
) -> Response {
    match identity.authorization(&raw) {
        Ok(request) => page(StatusCode::OK, &request, "", None),
        Err(refused) => refusal(refused),
    }
}

#[derive(Deserialize)]
struct SignInForm {
    #[serde(flatten)]
    request: RawAuthorization,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

async fn sign_in<S: Store>(
    State(identity): State<Identity<S>>,
    client: super::limits::Client,
    Form(form): Form<SignInForm>,
) -> Response {
    let request = match identity.authorization(&form.request) {
        Ok(request) => request,
        Err(refused) => return refusal(refused),
    };
    let account = match identity.sign_in(&client.key(), &form.email, &form.password).await {
        Ok(account) => account,
        Err(error) => {
            tracing::error!(error = %error, "sign-in failed");
            return page(
                StatusCode::SERVICE_UNAVAILABLE,
                &request,
                &form.email,
                Some("Signing in failed on our side. Try again."),
            );
        }
    };
    let account = match account {
        SignIn::Accepted(account) => account,
        SignIn::Refused => {
            return page(
                StatusCode::UNAUTHORIZED,
                &request,
                &form.email,
                Some("The e-mail address or password is wrong."),
            );
        }
        SignIn::TooManyAttempts(seconds) => {
            let message = format!("Too many attempts from here. Try again in {seconds} seconds.");
            let mut response = page(StatusCode::TOO_MANY_REQUESTS, &request, &form.email, Some(&message));
            if let Ok(value) = seconds.to_string().parse() {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            return response;
        }
    };
    match identity.issue_code(&request, &account.user).await {
        Ok(code) => back_to_client(&request.redirect_uri, ("code", &code), request.state.as_deref()),
        Err(error) => {
            tracing::error!(error = %error, "issuing an authorization code failed");
            page(
                StatusCode::SERVICE_UNAVAILABLE,
                &request,
                &form.email,
                Some("Signing in failed on our side. Try again."),
            )
        }
    }
}

#[derive(Deserialize)]
struct TokenForm {
    #[serde(default)]
    grant_type: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    redirect_uri: String,
    #[serde(default)]
    client_id: String,
    #[serde(default)]
    code_verifier: String,
    #[serde(default)]
    refresh_token: String,
    #[serde(default)]
    client_secret: String,
}

/// A client's id and secret from HTTP Basic authentication (RFC 6749 §2.3.1), else the form.
fn client_credentials(headers: &axum::http::HeaderMap, form: &TokenForm) -> (String, String) {
    let basic = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("basic"))
        .and_then(|(_, encoded)| {
            base64::Engine::decode(&base64::engine::general_purpose::STANDARD, encoded.trim()).ok()
        })
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|pair| pair.split_once(':').map(|(id, secret)| (id.to_owned(), secret.to_owned())));
    basic.unwrap_or_else(|| (form.client_id.clone(), form.client_secret.clone()))
}

async fn token<S: Store>(
    State(identity): State<Identity<S>>,
    headers: axum::http::HeaderMap,
    Form(form): Form<TokenForm>,
) -> Response {
    let outcome = match form.grant_type.as_str() {
        "authorization_code" => {
            identity.exchange_code(&form.code, &form.client_id, &form.redirect_uri, &form.code_verifier).await
        }
        "refresh_token" => identity.refresh(&form.refresh_token, &form.client_id).await,
        "client_credentials" => {
            let (id, secret) = client_credentials(&headers, &form);
            identity.client_credentials(&id, &secret).await
        }
        _ => Err(TokenRefused::UnsupportedGrantType),
    };
    let mut response = match outcome {
        Ok(tokens) => Json(tokens).into_response(),
        Err(refused) => {
            let status = match refused {
                TokenRefused::ServerError => StatusCode::SERVICE_UNAVAILABLE,
                TokenRefused::InvalidClient => StatusCode::UNAUTHORIZED,
                _ => StatusCode::BAD_REQUEST,
            };
            (status, Json(serde_json::json!({ "error": refused.to_string() }))).into_response()
        }
    };
    // RFC 6749 §5.1: token responses must not be cached.
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[derive(Deserialize)]
struct RevokeForm {
    #[serde(default)]
    token: String,
}

async fn revoke<S: Store>(State(identity): State<Identity<S>>, Form(form): Form<RevokeForm>) -> StatusCode {
    match identity.revoke(&form.token).await {
        Ok(()) => StatusCode::OK,
        Err(error) => {
            tracing::error!(error = %error, "revoking a token failed");
            StatusCode::SERVICE_UNAVAILABLE
        }
    }
}

fn refusal(refused: AuthorizationRefused) -> Response {
    match refused {
        AuthorizationRefused::UntrustedRedirect => {
            let body = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sign-in link not valid</title></head>\
                <body><main><h1>This sign-in link is not valid</h1><p>Open the console from its own address and sign in from there.</p></main></body></html>";
            secure((StatusCode::BAD_REQUEST, Html(body)).into_response())
        }
        AuthorizationRefused::Invalid { redirect_uri, error, state } => {
            back_to_client(&redirect_uri, ("error", error), state.as_deref())
        }
    }
}

/// The sign-in page: a plain form, no script, carrying the authorization request along.
fn page(status: StatusCode, request: &AuthorizationRequest, email: &str, error: Option<&str>) -> Response {
    let hidden = [
        ("response_type", "code"),
        ("client_id", request.client_id.as_str()),
        ("redirect_uri", request.redirect_uri.as_str()),
        ("code_challenge", request.code_challenge.as_str()),
        ("code_challenge_method", "S256"),
        ("state", request.state.as_deref().unwrap_or("")),
    ]
    .iter()
    .map(|(name, value)| format!("<input type=\"hidden\" name=\"{name}\" value=\"{}\">", escape_html(value)))
    .collect::<String>();
    let alert = error.map_or(String::new(), |e| {
        format!("<p id=\"sign-in-error\" class=\"error\" role=\"alert\">{}</p>", escape_html(e))
    });
    let described =
        if error.is_some() { " aria-describedby=\"sign-in-error\" aria-invalid=\"true\"" } else { "" };
    let body = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Sign in · Jobslot</title>\
<link rel=\"icon\" href=\"/widget/favicon.svg\" type=\"image/svg+xml\"><style>{STYLE}</style></head><body><main><h1>Sign in to Jobslot</h1>{alert}\
<form method=\"post\" action=\"/oauth2/authorize\">{hidden}\
<label for=\"email\">E-mail address</label>\
<input id=\"email\" name=\"email\" type=\"email\" autocomplete=\"username\" required value=\"{email}\"{described}>\
<label for=\"password\">Password</label>\
<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required{described}>\
<button type=\"submit\">Sign in</button></form>\
<p><a href=\"/account/forgot\">Forgot your password?</a></p></main></body></html>",
        email = escape_html(email),
    );
    secure((status, Html(body)).into_response())
}

pub(super) const STYLE: &str = "body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1d2330}\
main{max-width:24rem;margin:10vh auto;background:#fff;padding:2rem;border-radius:8px;box-shadow:0 1px 4px #0002}\
h1{font-size:1.4rem;margin-top:0}label{display:block;margin-top:1rem;font-weight:600}\
input{box-sizing:border-box;width:100%;padding:.6rem;font:inherit;border:1px solid #8a93a6;border-radius:4px}\
input:focus,button:focus{outline:3px solid #1a56db;outline-offset:1px}\
button{margin-top:1.5rem;width:100%;padding:.7rem;font:inherit;font-weight:600;color:#fff;background:#1a56db;border:0;border-radius:4px;cursor:pointer}\
.error{color:#a4161a;background:#fdecea;padding:.6rem;border-radius:4px}\
a{color:#1a56db}p.note{color:#4a5263}";

/// Headers of every page of the issuer: not cacheable, not frameable, no scripts.
pub(super) fn secure(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'",
        ),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    response
}

/// A 303 to the client's registered redirect URI with `param` and the client's state added.
fn back_to_client(redirect_uri: &str, param: (&str, &str), state: Option<&str>) -> Response {
    let Ok(mut target) = url::Url::parse(redirect_uri) else {
        return refusal(AuthorizationRefused::UntrustedRedirect);
    };
    {
        let mut query = target.query_pairs_mut();
        query.append_pair(param.0, param.1);
        if let Some(state) = state {
            query.append_pair("state", state);
        }
    }
    Redirect::to(target.as_str()).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_client_gets_its_state_back_encoded() {
        let response = back_to_client("http://127.0.0.1:8080/admin/", ("code", "abc"), Some("a b&c"));
        let location = response.headers().get(header::LOCATION).and_then(|v| v.to_str().ok());
        assert_eq!(location, Some("http://127.0.0.1:8080/admin/?code=abc&state=a+b%26c"));
    }

    #[test]
    fn reflected_values_cannot_break_out_of_html() {
        assert_eq!(escape_html(r#""><script>x</script>"#), "&quot;&gt;&lt;script&gt;x&lt;/script&gt;");
    }
}
