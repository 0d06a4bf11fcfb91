//! What the offline builds need, fetched in one step, and the check that the step is enough.
//!
//! Trunk builds the widget and the console with `--offline` (so it never downloads a tool), which
//! makes cargo offline too: every crate those builds resolve must already be in cargo's cache.
//! The release widget builds compile the standard library as well (`-Zbuild-std`, see
//! [`crate::widget::release_wasm`]), and std's crates come from std's own lock file in the
//! toolchain's `rust-src`, which `cargo fetch` in this workspace never reads. A warm cache hides
//! a missing fetch, and CI runs with the developer's warm cache, so [`check_from_empty_cache`]
//! proves [`fetch`] is enough with a cargo home that has never built anything.

use crate::process::{cargo, cmd, output, run, scratch};
use crate::widget::release_wasm;
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Downloads every crate the offline builds can resolve: the workspace's (all targets and
/// features, as `Cargo.lock` names them) and the standard library's.
pub fn fetch() -> Result<()> {
    fetch_with(&[])
}

/// [`fetch`] with `env` set on each cargo command (another cargo home, say).
fn fetch_with(env: &[(&str, &Path)]) -> Result<()> {
    let with_env = |mut command: Command| {
        command.envs(env.iter().copied());
        command
    };
    run(with_env(cargo()).args(["fetch", "--locked"]))?;
    let library = std_library()?;
    // std's manifest uses unstable cargo features; RUSTC_BOOTSTRAP lets stable cargo read it,
    // as it does for the build itself. `--locked`: std's lock file is the toolchain's, read-only.
    run(with_env(cargo())
        .args(["fetch", "--locked", "--manifest-path"])
        .arg(library.join("Cargo.toml"))
        .env("RUSTC_BOOTSTRAP", "1"))
}

/// The standard library's workspace in the toolchain's `rust-src` component.
fn std_library() -> Result<PathBuf> {
    let sysroot =
        output(cmd("rustc").args(["--print", "sysroot"])).context("rustc --print sysroot failed")?;
    let library = Path::new(sysroot.trim()).join("lib/rustlib/src/rust/library");
    anyhow::ensure!(
        library.join("Cargo.lock").is_file(),
        "{} has no Cargo.lock: is the rust-src component installed?",
        library.display()
    );
    Ok(library)
}

/// The cargo invocations Trunk makes, as resolve-only commands: each resolves and downloads
/// exactly what its build would (cargo reads every package's manifest to plan the units) and
/// compiles nothing.
fn offline_builds() -> Vec<(&'static str, Command)> {
    let plan = |mut command: Command, profile: &str, args: &[&str]| {
        command
            .args(["build", "--offline", "--unit-graph", "-Zunstable-options"])
            .args(["--target", "wasm32-unknown-unknown", "--profile", profile])
            .args(args)
            // `--unit-graph` is unstable; the release widget builds already set this.
            .env("RUSTC_BOOTSTRAP", "1");
        command
    };
    vec![
        ("widget", plan(release_wasm(cargo()), "wasm-release", &["-p", "jobslot-widget"])),
        (
            "hosted pages' widget",
            plan(release_wasm(cargo()), "wasm-release", &["-p", "jobslot-widget", "--features", "hosted"]),
        ),
        ("console", plan(cargo(), "console-release", &["-p", "jobslot-console"])),
    ]
}

/// Runs [`fetch`] into a new, empty cargo home, then plans every offline build against that
/// home alone: a crate only a warm cache has fails here as it would on a fresh machine.
pub fn check_from_empty_cache() -> Result<()> {
    let home = scratch().join("empty-cargo-home");
    let _ = std::fs::remove_dir_all(&home);
    std::fs::create_dir_all(&home)?;
    // A mirror or proxy the developer configured must still apply.
    let user_home = crate::tools::cargo_home();
    for name in ["config.toml", "config"] {
        if user_home.join(name).is_file() {
            std::fs::copy(user_home.join(name), home.join(name))?;
        }
    }
    // Its own target directory: a plan writes nothing, but must not touch the shared one's lock.
    let target = scratch().join("empty-cargo-home-target");
    let env = [("CARGO_HOME", home.as_path()), ("CARGO_TARGET_DIR", target.as_path())];
    fetch_with(&env)?;
    for (name, mut plan) in offline_builds() {
        run(plan.envs(env).stdout(std::process::Stdio::null())).with_context(|| {
            format!("the {name}'s offline build needs a crate `offline::fetch` does not fetch")
        })?;
    }
    let _ = std::fs::remove_dir_all(&home);
    let _ = std::fs::remove_dir_all(&target);
    println!(
        "Every offline build resolves with only what `offline::fetch` downloads into an empty cargo home."
    );
    Ok(())
}
