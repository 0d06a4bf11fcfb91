//! The work-orders Lambda function.

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    jobslot_functions::lambda::run(jobslot_functions::http::work_orders_router).await
}
