//! Building the widget and the console with Trunk, and reporting what a visitor downloads.

use crate::process::{cmd, output, root, run, scratch};
use crate::tools::tool_path;
use anyhow::{Context, Result, bail};
use flate2::Compression;
use flate2::write::GzEncoder;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Where the hosted pages' build of the widget goes, under the embedded one's directory.
pub const HOSTED: &str = "hosted";

/// The budget for everything a page embedding the widget downloads (loader, JS glue, wasm with
/// its CSS), in brotli bytes: the size an embed that feels instant on a phone can afford.
/// `cargo xtask test` fails when the widget grows past it. (Sizes are deterministic for a given
/// toolchain and lock file, so this is a gate, not a flaky timing.)
pub const BUDGET: usize = 120_000;

/// The files of the widget's build that an embedding page downloads: the loader, the JS glue
/// and its snippets, and the wasm (which carries the CSS).
fn embed_files(dist: &Path) -> Vec<PathBuf> {
    let mut paths = Vec::new();
    all_files(dist, &mut paths);
    paths.retain(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("wasm" | "js")));
    paths.sort();
    paths
}

/// Builds the widget in release mode (size-optimised profile, wasm-opt -Os) into
/// `target/widget`, and its build with the hosted pages (`--features hosted`) into
/// `target/widget/hosted`, offline: Trunk uses the pinned tools on PATH and downloads nothing.
pub fn build() -> Result<PathBuf> {
    let dist = root().join("target").join("widget");
    crate::offline::fetch()?;
    let trunk = |extra: &[&str]| {
        run(release_wasm(cmd("trunk"))
            .args(["build", "--release", "--offline", "--cargo-profile", "wasm-release"])
            .args(extra)
            .env("PATH", tool_path()?))
    };
    trunk(&[])?;
    // Before the hosted build replaces cargo's wasm with its own.
    profile()?;
    // After the embedded build, which empties its whole directory.
    let hosted = dist.join(HOSTED);
    trunk(&["--features", "hosted", "--dist", hosted.to_str().unwrap_or("target/widget/hosted")])?;
    for dir in [&dist, &hosted] {
        minify_scripts(dir)?;
        let names = crate::content_names::apply(dir)?;
        println!("{}/embed.js loads {} and {}", dir.display(), names.glue, names.wasm);
        precompress(dir)?;
    }
    Ok(dist)
}

/// `command` (a Trunk build of the widget, profile `wasm-release`) set to build the standard library
/// along with the app, with `panic = immediate-abort`: a panic becomes the wasm trap it already
/// ends in, without first formatting a message nobody sees (wasm32-unknown-unknown has no
/// stderr). That keeps panic messages, their source locations and the formatting they pull in
/// out of the download: 13 KB brotli of the widget's wasm. `fmt-debug=none` leaves `{:?}`
/// printing nothing (the widget shows no `Debug` output) and `location-detail=none` drops the
/// file names `#[track_caller]` records: 1 KB more. All are unstable options, which
/// `RUSTC_BOOTSTRAP` lets this stable toolchain take; only the widget's two release builds see
/// them (the console, wasm tests, clippy and every native build do not), and both see the same
/// ones, so cargo's cache of the profile stays valid between them.
pub fn release_wasm(mut command: std::process::Command) -> std::process::Command {
    command
        .env("RUSTC_BOOTSTRAP", "1")
        .env("CARGO_UNSTABLE_BUILD_STD", "std,panic_abort")
        // Joined to `.cargo/config.toml`'s flags for the target (`--cfg erase_components`).
        .env(
            "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS",
            "-Zunstable-options -Cpanic=immediate-abort -Zfmt-debug=none -Zlocation-detail=none",
        )
        .env_remove("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER");
    command
}

/// Minifies the JS glue and the loader with esbuild (Trunk's own minifier cannot parse
/// wasm-bindgen's `export default`).
fn minify_scripts(dir: &Path) -> Result<()> {
    for path in embed_files(dir).iter().filter(|p| p.extension().is_some_and(|e| e == "js")) {
        // The loader is a classic script (it needs `document.currentScript`), the rest modules.
        let module = path.file_name().is_none_or(|n| n != "embed.js");
        run(cmd("esbuild")
            .arg(path)
            .args(["--minify", "--allow-overwrite", "--log-level=warning"])
            .args(module.then_some("--format=esm"))
            .arg(format!("--outfile={}", path.display()))
            .env("PATH", tool_path()?))?;
    }
    Ok(())
}

/// Writes `name.br` and `name.gz` beside every file a browser fetches, so servers that can
/// (the local one; an origin behind a CDN) send them as they are instead of compressing per request.
fn precompress(dir: &Path) -> Result<()> {
    let mut paths = Vec::new();
    all_files(dir, &mut paths);
    for path in paths {
        if matches!(path.extension().and_then(|e| e.to_str()), Some("js" | "wasm" | "html" | "css")) {
            let bytes = std::fs::read(&path)?;
            std::fs::write(with_suffix(&path, "br"), brotli(&bytes))?;
            std::fs::write(with_suffix(&path, "gz"), gzip(&bytes))?;
        }
    }
    Ok(())
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    name.into()
}

/// Every file under `dir`, but for the hosted pages' build, which is handled on its own.
fn all_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() && path.file_name().is_some_and(|n| n == HOSTED) {
            continue;
        }
        if path.is_dir() {
            all_files(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// Where [`profile`] leaves the widget's twiggy top-list.
fn profile_path() -> PathBuf {
    scratch().join("widget-size").join("twiggy-top.txt")
}

/// The biggest items of the embedded widget's wasm, by twiggy, so the next size regression is
/// explained at once. Trunk's wasm has no names left; this optimises cargo's output the same
/// way (wasm-bindgen, then wasm-opt -Os) but keeps the names section for twiggy.
fn profile() -> Result<()> {
    let out = scratch().join("widget-size");
    std::fs::create_dir_all(&out)?;
    let cargo_wasm = root().join("target/wasm32-unknown-unknown/wasm-release/jobslot_widget.wasm");
    let path = tool_path()?;
    run(cmd("wasm-bindgen")
        .args(["--target", "web", "--out-name", "named", "--out-dir"])
        .arg(&out)
        .arg(&cargo_wasm)
        .env("PATH", &path))?;
    let named = out.join("named_bg.wasm");
    run(cmd("wasm-opt")
        .args(["-Os", "-g", "--enable-bulk-memory", "--enable-nontrapping-float-to-int"])
        .arg("--enable-sign-ext")
        .args(["--enable-mutable-globals", "--enable-reference-types", "-o"])
        .args([&named, &named])
        .env("PATH", &path))?;
    let top = output(cmd("twiggy").args(["top", "-n", "25"]).arg(&named).env("PATH", &path))
        .context("twiggy could not read the widget's wasm")?;
    std::fs::write(profile_path(), top)?;
    Ok(())
}

fn brotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        let _ = writer.write_all(bytes);
    }
    out
}

/// Prints what an embedding page downloads, raw, gzip -9 and brotli 11, with the twiggy
/// top-list of the wasm; fails when the brotli total passes [`BUDGET`].
pub fn check_budget(dist: &Path) -> Result<()> {
    let total = report_as("Widget", dist);
    println!("\nBiggest items of the widget's wasm (twiggy top, names kept, before stripping):");
    println!("{}", std::fs::read_to_string(profile_path()).unwrap_or_else(|_| "  (no profile)".into()));
    println!(
        "Widget, whole flow: {total} B brotli; the budget is {BUDGET} B ({} B to spare).",
        BUDGET.saturating_sub(total)
    );
    if total > BUDGET {
        bail!("the widget is {total} B brotli, over its {BUDGET} B budget: see the twiggy top-list above");
    }
    Ok(())
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    let _ = encoder.write_all(bytes);
    encoder.finish().unwrap_or_default()
}

/// Builds the staff console in release mode into `target/console`, offline, like the widget;
/// after [`build`], whose fetch brought everything it resolves.
pub fn build_console() -> Result<PathBuf> {
    run(cmd("trunk")
        .args(["--config", "console/Trunk.toml", "build", "--release", "--offline"])
        .args(["--cargo-profile", "console-release"])
        .env("PATH", tool_path()?)
        .env_remove("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER"))?;
    let dist = root().join("target").join("console");
    crate::content_names::externalise_boot_script(&dist, "jobslot-console", "/admin/")?;
    precompress(&dist)?;
    Ok(dist)
}

/// Prints the sizes of every file a page that embeds the widget downloads, then those of the
/// hosted pages' build.
pub fn report(dist: &Path) {
    report_as("Widget", dist);
    report_as("Hosted pages' widget", &dist.join(HOSTED));
}

/// Prints raw, gzip -9 and brotli 11 sizes of the wasm and JS under `dist`, titled `what`;
/// returns their brotli total.
pub fn report_as(what: &str, dist: &Path) -> usize {
    println!("\n{what} size (release, {}):", dist.display());
    println!("  {:<52} {:>9} {:>10} {:>10}", "file", "raw B", "gzip -9 B", "brotli B");
    let (mut raw_total, mut gz_total, mut br_total) = (0, 0, 0);
    for path in embed_files(dist) {
        let bytes = std::fs::read(&path).unwrap_or_default();
        let (gz, br) = (gzip(&bytes).len(), brotli(&bytes).len());
        raw_total += bytes.len();
        gz_total += gz;
        br_total += br;
        let name = path.strip_prefix(dist).unwrap_or(&path).display().to_string();
        println!("  {name:<52} {:>9} {gz:>10} {br:>10}", bytes.len());
    }
    println!("  {:<52} {raw_total:>9} {gz_total:>10} {br_total:>10}", "total");
    br_total
}
