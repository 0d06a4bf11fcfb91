//! The Lambda host: builds one function's router on DynamoDB and hands it to `lambda_http`.

use crate::app::App;
use crate::app::integrations::ClientIssuer;
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

/// Longest the DynamoDB warm-up may hold up init: a slow network must not stall a cold start.
const WARM_UP: std::time::Duration = std::time::Duration::from_millis(1500);

/// The table, its SDK client built once and its connection warmed during init by one cheap,
/// bounded call (`DescribeTable`): the first request then finds TLS set up.
async fn store() -> Result<DynamoStore, lambda_http::Error> {
    let table = config::var(config::TABLE_VAR).ok_or("JOBSLOT_TABLE is not set")?;
    let endpoint = config::var(config::ENDPOINT_VAR);
    let store =
        DynamoStore::new(DynamoStore::client(endpoint.as_deref(), ClientLimits::default()).await, table);
    match tokio::time::timeout(WARM_UP, store.warm_up()).await {
        Ok(Ok(())) => {}
        Ok(Err(error)) => {
            tracing::warn!(error = %error, "DynamoDB warm-up failed; the first request will retry")
        }
        Err(_) => tracing::warn!("DynamoDB warm-up timed out; the first request will retry"),
    }
    Ok(store)
}

/// Runs one function: configuration and the SDK client are built once, at init.
pub async fn run(router: fn(AppState<DynamoStore>) -> Router) -> Result<(), lambda_http::Error> {
    run_with(router, async { Ok(None) }).await
}

/// Runs the staff function, which also makes and deletes integrations' Cognito app clients
/// (the other functions' binaries do not link Cognito's SDK).
pub async fn run_staff() -> Result<(), lambda_http::Error> {
    let clients = async {
        let clients = config::cognito_clients().await?;
        Ok(clients.map(|c| std::sync::Arc::new(c) as std::sync::Arc<dyn ClientIssuer>))
    };
    run_with(crate::http::staff_router, clients).await
}

async fn run_with(
    router: fn(AppState<DynamoStore>) -> Router,
    clients: impl std::future::Future<Output = anyhow::Result<Option<std::sync::Arc<dyn ClientIssuer>>>>,
) -> Result<(), lambda_http::Error> {
    crate::telemetry::init(true);
    let init = async {
        let store = store().await?;
        // Every staff route verifies its token here, with the same code everywhere: the
        // gateway cannot know the integrations' clients, which are made at run time.
        let verifier = TokenVerifier::new(config::issuer()?)?;
        let clients = clients.await?;
        let state = AppState { app: App::new(store), verifier, accounts: None, clients };
        let site_origins: std::sync::Arc<dyn SiteOrigins> =
            std::sync::Arc::new(CachedOrigins::new(state.app.clone(), ORIGINS_TTL));
        let http = HttpConfig {
            allowed_origins: config::allowed_origins()?,
            site_origins: Some(site_origins),
            ..HttpConfig::default()
        };
        Ok::<_, lambda_http::Error>(handler(with_layers(router(state), &http)))
    };
    match init.await {
        Ok(service) => lambda_http::run(service).await,
        Err(error) => Err(init_failed(error).await),
    }
}

/// The Runtime API's variable naming where it listens.
const RUNTIME_API_VAR: &str = "AWS_LAMBDA_RUNTIME_API";

/// Reports a failed init to the Runtime API (Lambda shows it as the function's init error,
/// with our message) and hands the error back, so the process also exits with it on stderr.
async fn init_failed(error: lambda_http::Error) -> lambda_http::Error {
    tracing::error!(error = %error, "init failed");
    if let Some(api) = config::var(RUNTIME_API_VAR) {
        let body = serde_json::json!({
            "errorMessage": error.to_string(),
            "errorType": "Runtime.ConfigError",
            "stackTrace": [],
        });
        let report = reqwest::Client::new()
            .post(format!("http://{api}/2018-06-01/runtime/init/error"))
            .header("Lambda-Runtime-Function-Error-Type", "Runtime.ConfigError")
            .timeout(std::time::Duration::from_secs(2))
            .json(&body)
            .send()
            .await;
        if let Err(failed) = report {
            tracing::warn!(error = %failed, "could not report the init error to the Runtime API");
        }
    }
    error
}

/// Runs the dispatcher: invoked by the table's stream when events wait for delivery, and on
/// a schedule for retries that come due; each invocation delivers what is due. E-mail goes
/// through SES unless `JOBSLOT_SMTP_URL` names an SMTP server; webhooks over HTTPS.
pub async fn run_dispatcher() -> Result<(), lambda_http::Error> {
    use crate::mail::{MAIL_FROM_VAR, Mailer, SES_ENDPOINT_VAR, SesMailer, SmtpMailer};
    crate::telemetry::init(true);
    let init = async {
        let app = App::new(store().await?);
        let public_url = config::var(config::PUBLIC_URL_VAR).ok_or("JOBSLOT_PUBLIC_URL is not set")?;
        let mailer: std::sync::Arc<dyn Mailer> = match SmtpMailer::from_env()? {
            Some(smtp) => std::sync::Arc::new(smtp),
            None => {
                let from = config::var(MAIL_FROM_VAR).ok_or("JOBSLOT_MAIL_FROM is not set")?;
                std::sync::Arc::new(SesMailer::new(&from, config::var(SES_ENDPOINT_VAR).as_deref()).await?)
            }
        };
        let webhooks = std::sync::Arc::new(crate::webhook::HttpWebhooks::new()?);
        Ok::<_, lambda_http::Error>((app, public_url, mailer, webhooks))
    };
    let (app, public_url, mailer, webhooks) = match init.await {
        Ok(parts) => parts,
        Err(error) => return Err(init_failed(error).await),
    };
    let handler = lambda_http::service_fn(move |_: lambda_http::LambdaEvent<serde_json::Value>| {
        let (app, mailer, webhooks, public_url) =
            (app.clone(), mailer.clone(), webhooks.clone(), public_url.clone());
        async move {
            let outlets = crate::app::deliveries::Outlets {
                mailer: Some(mailer.as_ref()),
                webhooks: Some(webhooks.as_ref()),
                public_url: &public_url,
            };
            let round = app.deliver_due(&outlets).await?;
            tracing::info!(
                delivered = round.delivered,
                retrying = round.retrying,
                failed = round.failed,
                "delivery round"
            );
            Ok::<_, lambda_http::Error>(
                serde_json::json!({ "delivered": round.delivered, "retrying": round.retrying }),
            )
        }
    });
    lambda_http::lambda_runtime::run(handler).await
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
