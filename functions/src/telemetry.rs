//! Logs: `RUST_LOG` filters; JSON on Lambda (CloudWatch), text locally.

use tracing_subscriber::EnvFilter;

/// Installs the global subscriber once; later calls do nothing.
pub fn init(json: bool) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_target(false);
    let _ = if json { builder.json().without_time().try_init() } else { builder.try_init() };
    // A panic's message can quote what a request carried (an `expect` on customer input); the
    // log gets where it happened, never what it said.
    std::panic::set_hook(Box::new(|info| {
        let location = info.location().map(|l| format!("{}:{}", l.file(), l.line()));
        tracing::error!(location = location.as_deref().unwrap_or("unknown"), "panicked");
    }));
}
