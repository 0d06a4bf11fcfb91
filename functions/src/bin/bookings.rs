//! The bookings Lambda function.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    jobslot_functions::lambda::run(jobslot_functions::http::bookings_router).await
}
