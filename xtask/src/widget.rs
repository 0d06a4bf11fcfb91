//! Building the widget and the console with Trunk, and reporting what a visitor downloads.

use crate::process::{cmd, root, run};
use crate::tools::tool_path;
use anyhow::Result;
use flate2::Compression;
use flate2::write::GzEncoder;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Where the hosted pages' build of the widget goes, under the embedded one's directory.
pub const HOSTED: &str = "hosted";

/// Builds the widget in release mode (size-optimised profile, wasm-opt -Oz) into
/// `target/widget`, and its build with the hosted pages (`--features hosted`) into
/// `target/widget/hosted`, offline: Trunk uses the pinned tools on PATH and downloads nothing.
pub fn build() -> Result<PathBuf> {
    let dist = root().join("target").join("widget");
    let trunk = |extra: &[&str]| {
        run(cmd("trunk")
            .args(["build", "--release", "--offline", "--cargo-profile", "wasm-release"])
            .args(extra)
            .env("PATH", tool_path()?)
            .env_remove("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER"))
    };
    trunk(&[])?;
    // After the embedded build, which empties its whole directory.
    let hosted = dist.join(HOSTED);
    trunk(&["--features", "hosted", "--dist", hosted.to_str().unwrap_or("target/widget/hosted")])?;
    Ok(dist)
}

fn gzip_len(bytes: &[u8]) -> usize {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    let _ = encoder.write_all(bytes);
    encoder.finish().map(|v| v.len()).unwrap_or(0)
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        // The hosted pages' build is reported on its own.
        if path.is_dir() && path.file_name().is_some_and(|n| n == HOSTED) {
            continue;
        }
        if path.is_dir() {
            files(&path, out);
        } else if matches!(path.extension().and_then(|e| e.to_str()), Some("wasm" | "js")) {
            out.push(path);
        }
    }
}

/// Builds the staff console in release mode into `target/console`, offline, like the widget.
pub fn build_console() -> Result<PathBuf> {
    run(cmd("trunk")
        .args([
            "--config",
            "console/Trunk.toml",
            "build",
            "--release",
            "--offline",
            "--cargo-profile",
            "wasm-release",
        ])
        .env("PATH", tool_path()?)
        .env_remove("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER"))?;
    Ok(root().join("target").join("console"))
}

/// Prints raw and gzip -9 sizes of every file a page that embeds the widget downloads, then
/// those of the hosted pages' build.
pub fn report(dist: &Path) {
    report_as("Widget", dist);
    report_as("Hosted pages' widget", &dist.join(HOSTED));
}

/// Prints raw and gzip -9 sizes of the wasm and JS under `dist`, titled `what`.
pub fn report_as(what: &str, dist: &Path) {
    let mut paths = Vec::new();
    files(dist, &mut paths);
    paths.sort();
    println!("\n{what} size (release, {}):", dist.display());
    println!("  {:<58} {:>10} {:>10}", "file", "raw B", "gzip -9 B");
    let (mut raw_total, mut gz_total) = (0, 0);
    for path in paths {
        let bytes = std::fs::read(&path).unwrap_or_default();
        let gz = gzip_len(&bytes);
        raw_total += bytes.len();
        gz_total += gz;
        let name = path.strip_prefix(dist).unwrap_or(&path).display().to_string();
        println!("  {name:<58} {:>10} {:>10}", bytes.len(), gz);
    }
    println!("  {:<58} {raw_total:>10} {gz_total:>10}", "total");
}
