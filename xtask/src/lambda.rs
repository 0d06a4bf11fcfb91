//! The Lambda functions as AWS runs them: an arm64 (Graviton) `bootstrap` per function for the
//! `provided.al2023` runtime, zipped, built by cargo-lambda from the test virtualenv (zig is its
//! cross linker), with the `lambda` profile (release, stripped).

use crate::process::{cargo, root, run};
use crate::tools;
use anyhow::Result;
use std::path::{Path, PathBuf};

/// Every function the template deploys, by binary name.
pub const FUNCTIONS: [&str; 5] = ["assets", "bookings", "work-orders", "staff", "dispatcher"];

/// Builds every function's zip into `target/lambda-zips/<function>/bootstrap.zip`; the directory.
pub fn build() -> Result<PathBuf> {
    let venv = tools::ensure_python_tools()?;
    tools::ensure_rust_target("aarch64-unknown-linux-gnu")?;
    // Not `target/lambda`: that is where cargo puts the `lambda` profile's host build scripts.
    let out = root().join("target").join("lambda-zips");
    let mut path = vec![venv.join("bin")];
    path.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()));
    let mut command = cargo();
    command
        .args(["lambda", "build", "--profile", "lambda", "--arm64", "--output-format", "zip"])
        .args(["--package", "jobslot-functions", "--lambda-dir"])
        .arg(&out)
        .env("PATH", std::env::join_paths(path)?);
    for function in FUNCTIONS {
        command.args(["--bin", function]);
    }
    run(&mut command)?;
    Ok(out)
}

/// Prints each function's zip size, and its binary's.
pub fn report(out: &Path) {
    let binaries = root().join("target").join("aarch64-unknown-linux-gnu").join("lambda");
    println!("\nLambda zips (arm64, provided.al2023, {}):", out.display());
    println!("  {:<14} {:>12} {:>12}", "function", "zip B", "bootstrap B");
    for function in FUNCTIONS {
        let zip = std::fs::metadata(out.join(function).join("bootstrap.zip")).map_or(0, |m| m.len());
        let bootstrap = std::fs::metadata(binaries.join(function)).map_or(0, |m| m.len());
        println!("  {function:<14} {zip:>12} {bootstrap:>12}");
    }
}
