//! The assets Lambda function.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    jobslot_functions::lambda::run(jobslot_functions::http::assets_router).await
}
