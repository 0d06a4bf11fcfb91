//! Errors as RFC 9457 `application/problem+json`, one stable `type` per kind.

use crate::app::AppError;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jobslot_domain::FieldError;
use jobslot_domain::api::{Problem, ProblemKind};

/// What a 503 asks clients to wait before trying again.
const RETRY_AFTER_SECONDS: &str = "5";

/// Media type of problem documents.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// Everything a request can fail with, from HTTP parsing to the application.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The application refused or failed.
    #[error(transparent)]
    App(#[from] AppError),
    /// The body or query could not be read as the expected JSON or parameters.
    #[error("malformed request: {0}")]
    Malformed(String),
    /// The body is larger than allowed.
    #[error("body too large")]
    BodyTooLarge,
    /// The body is not declared as JSON.
    #[error("unsupported media type")]
    UnsupportedMediaType,
    /// Staff credentials missing or wrong.
    #[error("unauthorized")]
    Unauthorized,
    /// No route matches.
    #[error("no such route")]
    RouteNotFound,
    /// The token issuer's keys cannot be fetched, so no token can be checked now.
    #[error("token issuer unavailable")]
    AuthUnavailable,
    /// A path parameter is not valid text.
    #[error("malformed path")]
    MalformedPath,
    /// A path parameter is not what its name says (a site id, a work-order number, …), so it
    /// names nothing: the parameter's name.
    #[error("no such {0}")]
    NoSuch(&'static str),
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        match rejection.status() {
            StatusCode::PAYLOAD_TOO_LARGE => ApiError::BodyTooLarge,
            StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::UnsupportedMediaType,
            _ => ApiError::Malformed(rejection.body_text()),
        }
    }
}

impl From<PathRejection> for ApiError {
    fn from(_: PathRejection) -> Self {
        // The rejection's text quotes the raw segment; say what is wrong without echoing it.
        ApiError::MalformedPath
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        ApiError::Malformed(rejection.body_text())
    }
}

fn problem(
    kind: ProblemKind,
    status: StatusCode,
    title: &str,
    detail: Option<String>,
    errors: Vec<FieldError>,
) -> Response {
    let body = Problem {
        type_uri: kind.type_uri().to_owned(),
        title: title.to_owned(),
        status: status.as_u16(),
        detail,
        errors,
    };
    let json = serde_json::to_vec(&body).unwrap_or_default();
    (status, [(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON))], json).into_response()
}

/// A 503 asking the client to come back after [`RETRY_AFTER_SECONDS`].
fn unavailable(title: &str, detail: &str) -> Response {
    let mut response = problem(
        ProblemKind::Unavailable,
        StatusCode::SERVICE_UNAVAILABLE,
        title,
        Some(detail.into()),
        vec![],
    );
    response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static(RETRY_AFTER_SECONDS));
    response
}

/// A problem document without field errors.
pub(super) fn problem_response(
    kind: ProblemKind,
    status: StatusCode,
    title: &str,
    detail: Option<String>,
) -> Response {
    problem(kind, status, title, detail, vec![])
}

/// The answer to a handler that panicked; the panic's message stays out of it.
pub(super) fn panicked(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("a request handler panicked");
    problem(
        ProblemKind::Internal,
        StatusCode::INTERNAL_SERVER_ERROR,
        "Something went wrong on our side",
        None,
        vec![],
    )
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        use ProblemKind as K;
        match self {
            ApiError::App(AppError::Validation(errors)) => {
                let detail = errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ");
                problem(
                    K::Validation,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "Some fields are invalid",
                    Some(detail),
                    errors,
                )
            }
            ApiError::App(AppError::UnknownSite) => {
                problem(K::UnknownSite, StatusCode::NOT_FOUND, "No such site", None, vec![])
            }
            ApiError::App(AppError::NotFound) | ApiError::RouteNotFound => {
                problem(K::NotFound, StatusCode::NOT_FOUND, "Not found", None, vec![])
            }
            ApiError::App(AppError::PostcodeNotServed(postcode)) => problem(
                K::PostcodeNotServed,
                StatusCode::UNPROCESSABLE_ENTITY,
                "Nobody serves this postcode",
                Some(format!("No technician serves {postcode} yet.")),
                vec![FieldError::new("postcode", format!("Sorry, we don't serve {postcode} yet."))],
            ),
            ApiError::App(AppError::SlotUnavailable) => problem(
                K::SlotUnavailable,
                StatusCode::CONFLICT,
                "This time is no longer available",
                Some("The slot is not offered any more; choose another time.".into()),
                vec![FieldError::new("start", "This time was just taken. Please choose another.")],
            ),
            ApiError::App(AppError::FollowUpNotAllowed(why)) => problem(
                K::FollowUpNotAllowed,
                StatusCode::CONFLICT,
                "This work order cannot be followed up",
                Some(why),
                vec![],
            ),
            ApiError::App(AppError::NotBookable(why)) => problem(
                K::NotBookable,
                StatusCode::CONFLICT,
                "This work order cannot be booked",
                Some(why),
                vec![],
            ),
            ApiError::App(AppError::ChangeClosed(why)) => problem(
                K::ChangeClosed,
                StatusCode::CONFLICT,
                "This booking can no longer be changed online",
                Some(why),
                vec![],
            ),
            ApiError::App(AppError::LinkExpired) => problem(
                K::LinkExpired,
                StatusCode::GONE,
                "This link has expired",
                Some("Links in booking e-mails work until a week after the appointment.".into()),
                vec![],
            ),
            ApiError::App(AppError::IdempotencyKeyReused) => problem(
                K::IdempotencyKeyReused,
                StatusCode::UNPROCESSABLE_ENTITY,
                "Idempotency key reused",
                Some("This Idempotency-Key was used for a different request.".into()),
                vec![FieldError::new("Idempotency-Key", "Use a new key for a new request.")],
            ),
            ApiError::App(AppError::Internal(error)) => {
                tracing::error!(error = format!("{error:#}"), "request failed");
                problem(
                    K::Internal,
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Something went wrong on our side",
                    None,
                    vec![],
                )
            }
            ApiError::Malformed(detail) => problem(
                K::MalformedBody,
                StatusCode::BAD_REQUEST,
                "Malformed request",
                Some(bounded(detail)),
                vec![],
            ),
            // A malformed site id is as unknown as a well-formed one of no site.
            ApiError::NoSuch("site") => {
                problem(K::UnknownSite, StatusCode::NOT_FOUND, "No such site", None, vec![])
            }
            ApiError::NoSuch(name) => problem(
                K::NotFound,
                StatusCode::NOT_FOUND,
                "Not found",
                Some(format!("The path's {name} is not one: nothing has it.")),
                vec![],
            ),
            ApiError::MalformedPath => problem(
                K::MalformedBody,
                StatusCode::BAD_REQUEST,
                "Malformed request",
                Some("The path is not valid UTF-8 text.".into()),
                vec![],
            ),
            ApiError::BodyTooLarge => problem(
                K::BodyTooLarge,
                StatusCode::PAYLOAD_TOO_LARGE,
                "Request body too large",
                None,
                vec![],
            ),
            ApiError::UnsupportedMediaType => problem(
                K::MalformedBody,
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Send the body as application/json",
                None,
                vec![],
            ),
            ApiError::App(AppError::PreconditionFailed) => problem(
                K::PreconditionFailed,
                StatusCode::PRECONDITION_FAILED,
                "Changed by someone else",
                Some(
                    "This was changed by someone else since you opened it. Reload to see their change."
                        .into(),
                ),
                vec![],
            ),
            ApiError::App(AppError::PreconditionRequired) => problem(
                K::PreconditionRequired,
                StatusCode::PRECONDITION_REQUIRED,
                "Say which version you are changing",
                Some("Send the ETag you read as If-Match (or If-None-Match: * to create).".into()),
                vec![FieldError::new("If-Match", "Required for changes.")],
            ),
            ApiError::App(AppError::AlreadyExists) => {
                problem(K::AlreadyExists, StatusCode::CONFLICT, "This exists already", None, vec![])
            }
            ApiError::App(AppError::Forbidden) => problem(
                K::Forbidden,
                StatusCode::FORBIDDEN,
                "Your role on this site does not allow this",
                None,
                vec![],
            ),
            ApiError::App(AppError::Unavailable(error)) => {
                tracing::warn!(error = format!("{:#}", anyhow::Error::new(error)), "store unavailable");
                unavailable(
                    "Temporarily unavailable",
                    "We could not complete this just now. Try again in a few seconds.",
                )
            }
            ApiError::AuthUnavailable => {
                unavailable("Sign-in cannot be checked right now", "Try again in a few seconds.")
            }
            ApiError::Unauthorized => {
                let mut response = problem(
                    K::Unauthorized,
                    StatusCode::UNAUTHORIZED,
                    "A valid staff access token is required",
                    None,
                    vec![],
                );
                response.headers_mut().insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer error=\"invalid_token\""),
                );
                response
            }
        }
    }
}

/// Longest `detail` copied from a parser's message: serde quotes the offending value, which
/// the client controls and which can be as long as the body.
const DETAIL_MAX_CHARS: usize = 200;

fn bounded(detail: String) -> String {
    match detail.char_indices().nth(DETAIL_MAX_CHARS) {
        Some((cut, _)) => format!("{}…", &detail[..cut]),
        None => detail,
    }
}

/// Turns an error response that is not a problem document (axum's empty 405, a static file's
/// 404 or 416, a rejection's plain text) into one with the same status and headers, so
/// clients can rely on `application/problem+json` for every 4xx and 5xx.
pub async fn problem_for_bare_errors(response: Response) -> Response {
    let status = response.status();
    // Bodies that already say something in a structured way (problem documents, OAuth's
    // JSON errors, the sign-in page) are left alone.
    let plain =
        response.headers().get(header::CONTENT_TYPE).is_none_or(|v| v.as_bytes().starts_with(b"text/plain"));
    if !(status.is_client_error() || status.is_server_error()) || !plain {
        return response;
    }
    let (mut parts, _) = response.into_parts();
    let (kind, title) = match status {
        StatusCode::NOT_FOUND => (Some(ProblemKind::NotFound), "Not found"),
        StatusCode::METHOD_NOT_ALLOWED => (Some(ProblemKind::MethodNotAllowed), "Method not allowed"),
        StatusCode::BAD_REQUEST => (Some(ProblemKind::MalformedBody), "Malformed request"),
        StatusCode::PAYLOAD_TOO_LARGE => (Some(ProblemKind::BodyTooLarge), "Request body too large"),
        StatusCode::INTERNAL_SERVER_ERROR => {
            (Some(ProblemKind::Internal), "Something went wrong on our side")
        }
        // The request timeout's answer: the server was too busy or a dependency too slow.
        StatusCode::SERVICE_UNAVAILABLE => {
            parts.headers.entry(header::RETRY_AFTER).or_insert(HeaderValue::from_static(RETRY_AFTER_SECONDS));
            (Some(ProblemKind::Unavailable), "Temporarily unavailable")
        }
        other => (None, other.canonical_reason().unwrap_or("Error")),
    };
    let body = Problem {
        // RFC 9457: "about:blank" when the status code says all there is to say.
        type_uri: kind.map_or("about:blank", ProblemKind::type_uri).to_owned(),
        title: title.to_owned(),
        status: status.as_u16(),
        detail: None,
        errors: vec![],
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
    Response::from_parts(parts, axum::body::Body::from(serde_json::to_vec(&body).unwrap_or_default()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_are_bounded_in_characters() {
        assert_eq!(bounded("short".into()), "short");
        let long = bounded("é".repeat(1_000));
        assert_eq!(long.chars().count(), DETAIL_MAX_CHARS + 1);
        assert!(long.ends_with('…'));
    }
}
