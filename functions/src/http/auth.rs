//! Staff credentials on requests.

use super::AppState;
use super::problem::ApiError;
use crate::auth::{Subject, TokenRejected};
use crate::store::Store;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use jobslot_domain::ids::UserId;

/// The token of an `Authorization: Bearer <token>` header. The scheme is matched without
/// regard to case (RFC 9110 §11.1); anything else is no token.
pub fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// A caller whose access token verified: the user the issuer vouches for. What they may do
/// on a site is the application's question ([`crate::app::App::authorize`]).
#[derive(Debug, Clone)]
pub struct StaffUser(pub UserId);

impl<S: Store> FromRequestParts<AppState<S>> for StaffUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState<S>) -> Result<Self, ApiError> {
        let token = bearer_token(&parts.headers).ok_or(ApiError::Unauthorized)?;
        match state.verifier.verify(token).await {
            Ok(Subject::Known(sub)) => {
                UserId::parse("sub", &sub).map(StaffUser).map_err(|_| ApiError::Unauthorized)
            }
            Ok(Subject::Client(client)) => {
                let client = UserId::parse("sub", &client).map_err(|_| ApiError::Unauthorized)?;
                // A removed integration's client may still hold tokens; the store decides.
                match state.app.repository().machine_client(&client).await {
                    Ok(Some(_)) => Ok(StaffUser(client)),
                    Ok(None) => {
                        tracing::info!("access token of a client no integration lists refused");
                        Err(ApiError::Unauthorized)
                    }
                    Err(error) => Err(crate::app::AppError::from(error).into()),
                }
            }
            Err(TokenRejected::KeysUnavailable) => Err(ApiError::AuthUnavailable),
            Err(rejected) => {
                // The reason, never the token.
                tracing::info!(reason = %rejected, "access token refused");
                Err(ApiError::Unauthorized)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn with_authorization(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, HeaderValue::from_str(value).expect("header"));
        headers
    }

    #[test]
    fn the_bearer_scheme_is_case_insensitive() {
        for value in ["Bearer abc", "bearer abc", "BEARER abc", "  Bearer   abc  "] {
            assert_eq!(bearer_token(&with_authorization(value)), Some("abc"), "{value:?}");
        }
    }

    #[test]
    fn other_schemes_and_empty_tokens_are_no_token() {
        for value in ["Basic abc", "Bearer", "Bearer ", "Bearerabc", "abc"] {
            assert_eq!(bearer_token(&with_authorization(value)), None, "{value:?}");
        }
        assert_eq!(bearer_token(&HeaderMap::new()), None);
    }
}
