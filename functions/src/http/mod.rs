//! HTTP: one axum router per function, and the layers every host puts around them.
//!
//! The same routers run under `lambda_http` on AWS and under a tokio listener locally.

mod account_pages;
mod assets;
pub mod auth;
mod bookings;
mod connector;
mod deliveries;
pub mod extract;
mod headers;
pub mod identity;
pub mod limits;
mod manage;
mod members;
pub mod openapi;
mod origins;
pub mod problem;
mod staff;
mod webhooks;
mod work_orders;

use crate::app::App;
use crate::app::identity::Identity;
use crate::app::integrations::ClientIssuer;
use crate::auth::TokenVerifier;
use crate::store::Store;
use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath};
use axum::http::{HeaderName, HeaderValue, Method, Request, StatusCode, header};
use limits::RateLimits;
use problem::ApiError;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;
use tower_http::LatencyUnit;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};

pub use origins::{CachedOrigins, ORIGINS_TTL, SiteOrigins};
pub use work_orders::IDEMPOTENCY_HEADER;

/// Largest request body accepted; a full submission is a few kilobytes.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState<S> {
    /// The application services.
    pub app: App<S>,
    /// Checks staff access tokens (Cognito's on AWS, the local issuer's locally).
    pub verifier: TokenVerifier,
    /// The local issuer's accounts, where people can be given one (self-hosted); `None` on
    /// AWS, where Cognito holds the accounts and staff routes take user ids.
    pub accounts: Option<Identity<S>>,
    /// Who makes integrations' clients: the local issuer, or Cognito in the staff function
    /// on AWS; `None` where no route makes any.
    pub clients: Option<Arc<dyn ClientIssuer>>,
}

/// Settings of the layers around the routers.
#[derive(Clone)]
pub struct HttpConfig {
    /// Origins whose pages may call any route from a browser (the console's, on AWS).
    pub allowed_origins: Vec<HeaderValue>,
    /// Each site's own embedding origins (its settings), allowed on that site's routes.
    pub site_origins: Option<Arc<dyn SiteOrigins>>,
    /// Per-client limits, where the host knows clients' addresses (the local server).
    pub rate_limits: Option<RateLimits>,
    /// Longest a request may take before it is answered 503; inside the Lambda timeout.
    pub request_timeout: Duration,
    /// Requests handled at once; more wait for a turn, within the request timeout.
    pub max_in_flight: usize,
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            allowed_origins: Vec::new(),
            site_origins: None,
            rate_limits: None,
            // The functions' timeout is 10 s: answer before Lambda cuts the request off.
            request_timeout: Duration::from_secs(8),
            max_in_flight: 256,
        }
    }
}

impl std::fmt::Debug for HttpConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpConfig")
            .field("allowed_origins", &self.allowed_origins)
            .field("site_origins", &self.site_origins.is_some())
            .field("rate_limits", &self.rate_limits)
            .field("request_timeout", &self.request_timeout)
            .field("max_in_flight", &self.max_in_flight)
            .finish()
    }
}

/// The site a path is about: `acme` in `/api/sites/acme/slots`.
/// Keeps every answer of a router out of caches: they carry customers' details, secrets or a
/// person's own view.
pub(super) fn no_store() -> tower_http::set_header::SetResponseHeaderLayer<HeaderValue> {
    tower_http::set_header::SetResponseHeaderLayer::overriding(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-store"),
    )
}

/// `201 Created` with `body` and the new resource's `Location`.
pub(super) fn created(location: &str, body: impl serde::Serialize) -> axum::response::Response {
    use axum::response::IntoResponse;
    let mut response = (StatusCode::CREATED, axum::Json(body)).into_response();
    if let Ok(location) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

fn site_in_path(path: &str) -> Option<&str> {
    let mut parts = path.strip_prefix("/api/sites/")?.split('/');
    parts.next().filter(|s| !s.is_empty())
}

/// The assets function: site configuration, coverage and the OpenAPI document.
pub fn assets_router<S: Store>(state: AppState<S>) -> Router {
    assets::routes().with_state(state)
}

/// The bookings function: free slots.
pub fn bookings_router<S: Store>(state: AppState<S>) -> Router {
    bookings::routes().with_state(state)
}

/// The work-orders function: submit, read and change work orders, create them in advance
/// and book them through their links, and the customers' manage links.
pub fn work_orders_router<S: Store>(state: AppState<S>) -> Router {
    work_orders::routes().merge(connector::routes()).merge(manage::routes()).with_state(state)
}

/// The staff function: setting up a business, and its outgoing e-mail.
pub fn staff_router<S: Store>(state: AppState<S>) -> Router {
    staff::routes().merge(deliveries::routes()).merge(webhooks::routes()).with_state(state)
}

/// Every function in one router, as the local server mounts them.
pub fn api_router<S: Store>(state: AppState<S>) -> Router {
    assets_router(state.clone())
        .merge(bookings_router(state.clone()))
        .merge(work_orders_router(state.clone()))
        .merge(staff_router(state))
}

/// Puts the common layers around a function's router: problem documents for unknown routes
/// and panics, rate limits, a concurrency limit and a timeout, a body limit, CORS for
/// embedding sites, compression and request logs without personal data.
pub fn with_layers(router: Router, config: &HttpConfig) -> Router {
    let fixed = config.allowed_origins.clone();
    let sites = config.site_origins.clone();
    let allowed =
        AllowOrigin::async_predicate(move |origin: HeaderValue, parts: &axum::http::request::Parts| {
            let site = site_in_path(parts.uri.path()).map(str::to_owned);
            async move {
                if fixed.contains(&origin) {
                    return true;
                }
                match (site, sites, origin.to_str().ok()) {
                    (Some(site), Some(sites), Some(origin)) => {
                        // Unreadable (store down): refused, as before any answer was known.
                        sites.origins(&site).await.is_some_and(|allowed| allowed.iter().any(|o| o == origin))
                    }
                    _ => false,
                }
            }
        });
    let cors = CorsLayer::new()
        .allow_origin(allowed)
        .allow_methods([Method::GET, Method::POST, Method::PUT, Method::PATCH, Method::DELETE])
        .allow_headers([
            header::CONTENT_TYPE,
            header::AUTHORIZATION,
            HeaderName::from_static("idempotency-key"),
            HeaderName::from_static("booking-token"),
            HeaderName::from_static("manage-token"),
            header::IF_MATCH,
            header::IF_NONE_MATCH,
        ])
        .expose_headers([header::LOCATION, header::ETAG, header::RETRY_AFTER])
        .max_age(Duration::from_secs(3600));
    let trace = TraceLayer::new_for_http()
        .make_span_with(|request: &Request<_>| {
            // The route template, never the URI: paths and queries carry postcodes and numbers.
            let route = request.extensions().get::<MatchedPath>().map_or("unmatched", MatchedPath::as_str);
            tracing::info_span!("request", method = %request.method(), route)
        })
        .on_response(DefaultOnResponse::new().level(tracing::Level::INFO).latency_unit(LatencyUnit::Micros));
    let router = router
        .fallback(|| async { ApiError::RouteNotFound })
        .layer(CatchPanicLayer::custom(problem::panicked))
        // Inside the timeout, so waiting for a turn counts against it; inside the rate limits,
        // so a client over its quota is refused without waiting.
        .layer(axum::middleware::from_fn_with_state(
            Arc::new(Semaphore::new(config.max_in_flight)),
            limits::take_turn,
        ))
        .layer(TimeoutLayer::with_status_code(StatusCode::SERVICE_UNAVAILABLE, config.request_timeout));
    let router = match &config.rate_limits {
        Some(limits) => router.layer(axum::middleware::from_fn_with_state(limits.clone(), limits::enforce)),
        None => router,
    };
    router
        .layer(axum::middleware::map_response(problem::problem_for_bare_errors))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(CompressionLayer::new())
        .layer(cors)
        .layer(trace)
}
