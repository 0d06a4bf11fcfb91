//! The Lambda host: builds one function's router on DynamoDB and hands it to `lambda_http`.

use crate::app::App;
use crate::auth::TokenVerifier;
use crate::config;
use crate::http::{AppState, CachedOrigins, HttpConfig, ORIGINS_TTL, SiteOrigins, with_layers};
use crate::store::dynamodb::{ClientLimits, DynamoStore};
use axum::Router;
use axum::http::Uri;
use lambda_http::request::RequestContext;
use lambda_http::{Request, RequestExt};
use tower::ServiceExt;
use tower::util::MapRequest;

/// Runs one function: configuration and the SDK client are built once, at init.
pub async fn run(router: fn(AppState<DynamoStore>) -> Router) -> Result<(), lambda_http::Error> {
    crate::telemetry::init(true);
    let table = config::var(config::TABLE_VAR).ok_or("JOBSLOT_TABLE is not set")?;
    let endpoint = config::var(config::ENDPOINT_VAR);
    let store =
        DynamoStore::new(DynamoStore::client(endpoint.as_deref(), ClientLimits::default()).await, table);
    if let Err(error) = store.warm_up().await {
        tracing::warn!(error = %error, "DynamoDB warm-up failed; the first request will retry");
    }
    // The HTTP API's JWT authorizer has checked the token already; checking again here means a
    // misconfigured route or a direct invocation cannot skip it.
    let verifier = TokenVerifier::new(config::issuer()?)?;
    let state = AppState { app: App::new(store), verifier, accounts: None };
    let site_origins: std::sync::Arc<dyn SiteOrigins> =
        std::sync::Arc::new(CachedOrigins::new(state.app.clone(), ORIGINS_TTL));
    let http = HttpConfig {
        allowed_origins: config::allowed_origins()?,
        site_origins: Some(site_origins),
        ..HttpConfig::default()
    };
    lambda_http::run(handler(with_layers(router(state), &http))).await
}

/// A function's router as Lambda calls it: API Gateway events, stage prefix removed.
pub fn handler(router: Router) -> MapRequest<Router, fn(Request) -> Request> {
    router.map_request(without_stage as fn(Request) -> Request)
}

/// API Gateway puts a named stage in front of the path (`/prod/api/…`); the routers know
/// only `/api/…`. The `$default` stage adds nothing.
fn without_stage(mut request: Request) -> Request {
    let stage = match request.request_context_ref() {
        Some(RequestContext::ApiGatewayV2(context)) => context.stage.clone(),
        _ => None,
    };
    let Some(stage) = stage.filter(|s| s != "$default") else {
        return request;
    };
    let prefix = format!("/{stage}");
    let path_and_query = request.uri().path_and_query().map_or("/", |p| p.as_str());
    let stripped = path_and_query.strip_prefix(&prefix).filter(|rest| rest.starts_with('/'));
    if let Some(uri) = stripped.and_then(|rest| rest.parse::<Uri>().ok()) {
        *request.uri_mut() = uri;
    }
    request
}
