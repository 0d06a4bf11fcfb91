//! The Lambda host: builds one function's router on DynamoDB and hands it to `lambda_http`.

use crate::app::App;
use crate::config;
use crate::http::{with_layers, AppState, HttpConfig};
use crate::store::dynamodb::DynamoStore;
use axum::Router;

/// Runs one function: configuration and the SDK client are built once, at init.
pub async fn run(router: fn(AppState<DynamoStore>) -> Router) -> Result<(), lambda_http::Error> {
    crate::telemetry::init(true);
    let table = config::var(config::TABLE_VAR).ok_or("JOBSLOT_TABLE is not set")?;
    let endpoint = config::var(config::ENDPOINT_VAR);
    let store = DynamoStore::new(DynamoStore::client(endpoint.as_deref()).await, table);
    if let Err(error) = store.warm_up().await {
        tracing::warn!(error = %error, "DynamoDB warm-up failed; the first request will retry");
    }
    let state = AppState { app: App::new(store), staff_token: config::var(config::STAFF_TOKEN_VAR).map(Into::into) };
    let http = HttpConfig { allowed_origins: config::allowed_origins()? };
    lambda_http::run(with_layers(router(state), &http)).await
}
