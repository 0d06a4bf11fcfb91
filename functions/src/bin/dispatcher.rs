//! The dispatcher Lambda function: delivers the outbox's e-mail.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    jobslot_functions::lambda::run_dispatcher().await
}
