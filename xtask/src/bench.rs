//! `cargo xtask bench`: the criterion benchmarks, an HTTP load run against the release local
//! server on fresh demo data, and the server's peak memory.
//!
//! Everything is built by one `cargo bench` resolution (the server binary included), so the
//! run that measures does not rebuild with other features.

use crate::process::{Service, cargo, cmd, free_port, root, run, scratch};
use anyhow::{Context, Result};
use std::time::Duration;

const PACKAGES: [&str; 5] = ["-p", "jobslot-domain", "-p", "jobslot-functions", "--benches"];

/// Runs every benchmark and prints the figures the README's Performance section quotes.
pub fn run_all(args: &[String]) -> Result<()> {
    let quick = args.iter().any(|a| a == "--quick");
    run(cargo().arg("bench").args(PACKAGES).arg("--no-run"))?;
    crate::tools::widget_tools()?;
    crate::widget::build()?;
    crate::tools::ensure_npm_packages(&root().join("e2e"))?;

    let data = scratch().join("bench-data");
    let _ = std::fs::remove_dir_all(&data);
    let port = free_port()?;
    let mut server = Service::start(
        "jobslot-local (release)",
        cmd(root().join("target").join("release").join("jobslot-local"))
            .args(["--demo", "--no-rate-limits", "--port", &port.to_string(), "--data-dir"])
            .arg(&data)
            .env("RUST_LOG", "warn"),
        &scratch().join("bench-server.log"),
    )?;
    server.wait_for_port(port, Duration::from_secs(30))?;
    let report = root().join("target").join("bench").join("load.json");
    std::fs::create_dir_all(report.parent().context("report directory")?)?;
    run(cargo()
        .arg("bench")
        .args(PACKAGES)
        .env("JOBSLOT_LOAD_BASE", format!("http://127.0.0.1:{port}"))
        .env("JOBSLOT_LOAD_SECONDS", if quick { "5" } else { "30" })
        .env("JOBSLOT_LOAD_REPORT", &report))?;
    let timing = root().join("target").join("bench").join("widget-timing.json");
    widget_timing(port, &timing)?;
    match peak_memory_kib(server.pid()) {
        Some(kib) => println!("\nServer peak memory (VmHWM): {:.1} MiB", kib as f64 / 1024.0),
        None => println!("\nServer peak memory: not readable on this system"),
    }
    drop(server);
    start_to_ready()?;
    println!("Load report: {}", report.display());
    println!("Widget timing report: {}", timing.display());
    println!("Criterion reports: {}", root().join("target").join("criterion").display());
    Ok(())
}

/// The widget in headless Chromium against the release server, median of 10 page loads:
/// script start to the postcode field ready, and postcode submitted to slots shown.
fn widget_timing(port: u16, report: &std::path::Path) -> Result<()> {
    run(cmd("npx")
        .args(["playwright", "test", "tests/timing.spec.ts"])
        .current_dir(root().join("e2e"))
        .env("JOBSLOT_URL", format!("http://127.0.0.1:{port}"))
        .env("JOBSLOT_E2E_OUT", scratch().join("timing-results"))
        .env("JOBSLOT_TIMING_REPORT", report)
        .env("CHROMIUM", crate::tools::CHROMIUM))?;
    let figures = std::fs::read_to_string(report).context("the timing run wrote no report")?;
    let number = |key: &str| {
        figures
            .lines()
            .find_map(|l| l.trim().strip_prefix(&format!("\"{key}\": ")))
            .map(|v| v.trim_end_matches(',').to_owned())
            .unwrap_or_default()
    };
    println!(
        "\nWidget (Chromium, release server, median of 10): script start → postcode field ready {} ms; \
         postcode submitted → slots shown {} ms",
        number("median_interactive_ms"),
        number("median_slots_ms")
    );
    Ok(())
}

/// The process's peak resident memory, from `/proc` (Linux).
fn peak_memory_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Each Lambda function's process start until its first `next` against a local Runtime API
/// and moto, median of 20, one function at a time so the figures are not measured against
/// each other.
fn start_to_ready() -> Result<()> {
    let (_moto, port) = crate::test::moto()?;
    run(cargo()
        .args(["test", "-p", "jobslot-functions", "--test", "runtime_api", "--"])
        .args([
            "--ignored",
            "--exact",
            "start_to_ready_of_each_function",
            "--nocapture",
            "--test-threads",
            "1",
        ])
        .env("JOBSLOT_DYNAMODB_ENDPOINT", format!("http://127.0.0.1:{port}")))
}
