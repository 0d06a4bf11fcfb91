//! The staff Lambda function: setting up a business.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    jobslot_functions::lambda::run_staff().await
}
