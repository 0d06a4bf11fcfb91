//! `cargo xtask dev`: the product on 127.0.0.1 with demo data.

use crate::process::{cargo, root};
use crate::{tools, widget};
use anyhow::{Context, Result};

/// Installs what is missing, builds the widget, then runs the local server in the foreground
/// (Ctrl-C stops it; data persists in `.jobslot-data/`).
pub fn run(args: &[String]) -> Result<()> {
    let mut port = std::env::var("JOBSLOT_PORT").unwrap_or_else(|_| "8080".into());
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--port" => port = args.next().context("--port needs a number")?.clone(),
            other => anyhow::bail!("unknown argument {other:?} (usage: cargo xtask dev [--port N])"),
        }
    }
    port.parse::<u16>().context("the port must be a number")?;
    tools::widget_tools()?;
    let dist = widget::build()?;
    widget::report(&dist);
    let console = widget::build_console()?;
    let root = root();
    // A local mail catcher: the demo's confirmation e-mails land as files a newcomer can open.
    let mail_port = crate::process::free_port()?;
    let mail_dir = root.join(".jobslot-data").join("mail");
    let _sink = tools::mail_sink(mail_port, &mail_dir)?;
    println!("E-mail sent by the demo is kept as .eml files in {}", mail_dir.display());
    // And a webhook receiver, for trying the console's Webhooks page.
    let hook_port = crate::process::free_port()?;
    let hook_dir = root.join(".jobslot-data").join("webhooks");
    let _hooks = tools::webhook_sink(hook_port, &hook_dir)?;
    println!(
        "Webhooks: register http://127.0.0.1:{hook_port}/hooks in the console; requests are kept as .json files in {}",
        hook_dir.display()
    );
    crate::process::run(
        cargo()
            .args(["run", "--package", "jobslot-functions", "--bin", "jobslot-local", "--"])
            .args(["--demo", "--loopback-webhooks", "--port", &port, "--data-dir"])
            .arg(root.join(".jobslot-data"))
            .arg("--widget-dir")
            .arg(&dist)
            .arg("--console-dir")
            .arg(&console)
            .arg("--demo-page")
            .arg(root.join("index.html"))
            .env("JOBSLOT_SMTP_URL", format!("smtp://127.0.0.1:{mail_port}")),
    )
}
