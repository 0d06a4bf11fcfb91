//! One local process: the API on the embedded store (or DynamoDB), the widget and the demo site.

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let command = jobslot_functions::local::Command::from_args(std::env::args().skip(1))?;
    jobslot_functions::local::run(command).await
}
