//! Installing what builds and tests need, at pinned versions, only when missing.
//!
//! Everything comes from the registries this machine can reach (crates.io, npm, PyPI, Debian)
//! or from rustup; nothing is downloaded at run time by the tools themselves.

use crate::process::{cargo, cmd, output, root, run, scratch};
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};

/// Trunk 0.22 needs a newer rustc than this toolchain; 0.21.14 is the last that installs.
const TRUNK_VERSION: &str = "0.21.14";
/// The wasm size profiler whose top-list the widget's size report prints.
const TWIGGY_VERSION: &str = "0.8.0";
/// libFuzzer's driver for the `fuzz/` targets. Without a sanitizer it builds on stable.
const CARGO_FUZZ_VERSION: &str = "0.13.2";
/// Debian's Chromium and ChromeDriver, installed together so their versions match.
pub const CHROMIUM: &str = "/usr/bin/chromium";
/// ChromeDriver for wasm-bindgen-test-runner.
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// The wasm-bindgen version Cargo.lock pins; the CLI must match it exactly.
pub fn wasm_bindgen_version() -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).context("reading Cargo.lock")?;
    let lines: Vec<&str> = lock.lines().collect();
    let version = lines
        .windows(2)
        .find(|pair| pair[0] == "name = \"wasm-bindgen\"")
        .and_then(|pair| pair[1].strip_prefix("version = \""));
    if let Some(version) = version {
        return Ok(version.trim_end_matches('"').to_owned());
    }
    bail!("Cargo.lock has no wasm-bindgen package")
}

/// Cargo's home: its configuration, registry cache and installed binaries.
pub fn cargo_home() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")))
        .unwrap_or_else(|| ".cargo".into())
}

/// Cargo's install directory, where `cargo install` puts binaries.
fn cargo_bin() -> PathBuf {
    cargo_home().join("bin")
}

/// The wasm target, Trunk, wasm-bindgen CLI and wasm-opt: what building the widget needs.
pub fn widget_tools() -> Result<()> {
    ensure_npm()?;
    ensure_wasm_target()?;
    ensure_rust_src()?;
    ensure_trunk()?;
    ensure_wasm_bindgen()?;
    ensure_twiggy()?;
    ensure_npm_packages(&root().join("widget"))
}

fn ensure_twiggy() -> Result<()> {
    let wanted = format!("twiggy-opt {TWIGGY_VERSION}");
    if output(cmd(cargo_bin().join("twiggy")).arg("--version")).as_deref() != Some(wanted.as_str()) {
        println!("Installing twiggy {TWIGGY_VERSION} (a minute, once)…");
        run(cargo().args(["install", "--locked", &format!("twiggy@{TWIGGY_VERSION}")]))?;
    }
    Ok(())
}

fn ensure_wasm_target() -> Result<()> {
    ensure_rust_target("wasm32-unknown-unknown")
}

/// A rustup target (its standard library), added if missing.
pub fn ensure_rust_target(target: &str) -> Result<()> {
    let installed = output(cmd("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if !installed.lines().any(|t| t == target) {
        run(cmd("rustup").args(["target", "add", target]))?;
    }
    Ok(())
}

/// The standard library's source, which the release wasm builds compile themselves
/// ([`crate::widget::release_wasm`]).
fn ensure_rust_src() -> Result<()> {
    let installed = output(cmd("rustup").args(["component", "list", "--installed"])).unwrap_or_default();
    if !installed.lines().any(|c| c == "rust-src") {
        run(cmd("rustup").args(["component", "add", "rust-src"]))?;
    }
    Ok(())
}

/// rustfmt and clippy, which a minimal toolchain may lack.
pub fn ensure_lint_components() -> Result<()> {
    let has = |tool: &str| output(cargo().args([tool, "--version"])).is_some();
    if !has("fmt") || !has("clippy") {
        run(cmd("rustup").args(["component", "add", "rustfmt", "clippy"]))?;
    }
    Ok(())
}

fn ensure_trunk() -> Result<()> {
    let wanted = format!("trunk {TRUNK_VERSION}");
    if output(cmd(cargo_bin().join("trunk")).arg("--version")).as_deref() != Some(wanted.as_str()) {
        println!("Installing Trunk {TRUNK_VERSION} (several minutes, once)…");
        run(cargo().args(["install", "--locked", &format!("trunk@{TRUNK_VERSION}")]))?;
    }
    Ok(())
}

fn ensure_wasm_bindgen() -> Result<()> {
    let version = wasm_bindgen_version()?;
    for config in ["Trunk.toml", "console/Trunk.toml"] {
        let trunk_toml = std::fs::read_to_string(root().join(config))?;
        if !trunk_toml.contains(&format!("wasm_bindgen = \"{version}\"")) {
            bail!("{config} must pin wasm_bindgen = \"{version}\", the version in Cargo.lock");
        }
    }
    let wanted = format!("wasm-bindgen {version}");
    if output(cmd(cargo_bin().join("wasm-bindgen")).arg("--version")).as_deref() != Some(wanted.as_str()) {
        // Not --locked: the CLI's own lock file names a webpki-roots release the registry lacks.
        println!("Installing wasm-bindgen-cli {version} (a couple of minutes, once)…");
        run(cargo().args(["install", "wasm-bindgen-cli", "--version", &version]))?;
    }
    Ok(())
}

/// cargo-fuzz, which `cargo xtask test` uses to build the libFuzzer targets.
pub fn ensure_cargo_fuzz() -> Result<PathBuf> {
    let binary = cargo_bin().join("cargo-fuzz");
    let wanted = format!("cargo-fuzz {CARGO_FUZZ_VERSION}");
    if output(cmd(&binary).arg("--version")).as_deref() != Some(wanted.as_str()) {
        run(cargo().args(["install", "--locked", &format!("cargo-fuzz@{CARGO_FUZZ_VERSION}")]))?;
    }
    Ok(binary)
}

/// `npm ci` in `dir` unless its `node_modules` matches its lock file already.
pub fn ensure_npm_packages(dir: &Path) -> Result<()> {
    let installed = dir.join("node_modules").join(".package-lock.json");
    let lock = dir.join("package-lock.json");
    let fresh = match (installed.metadata(), lock.metadata()) {
        (Ok(i), Ok(l)) => i.modified()? >= l.modified()?,
        _ => false,
    };
    if !fresh {
        run(cmd("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(dir)
            // Playwright drives Debian's Chromium; it must never fetch its own.
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"))?;
    }
    Ok(())
}

/// PATH with the widget's npm tools (wasm-opt) and cargo's binaries first.
pub fn tool_path() -> Result<std::ffi::OsString> {
    let mut paths = vec![root().join("widget").join("node_modules").join(".bin"), cargo_bin()];
    paths.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()));
    Ok(std::env::join_paths(paths)?)
}

/// Node.js and npm, which the widget's wasm-opt and the browser tests come from.
pub fn ensure_npm() -> Result<()> {
    if output(cmd("npm").arg("--version")).is_none() {
        bail!("npm was not found: install Node.js 20 or newer with npm (e.g. apt-get install nodejs npm)");
    }
    Ok(())
}

/// Debian packages the tests need: Chromium and ChromeDriver (installed together so their
/// versions match), and Python's venv module for the test tools.
pub fn ensure_test_packages() -> Result<()> {
    let mut missing = Vec::new();
    if !Path::new(CHROMIUM).exists() || !Path::new(CHROMEDRIVER).exists() {
        missing.extend(["chromium", "chromium-driver"]);
    }
    if output(cmd("python3").args(["-c", "import ensurepip, venv"])).is_none() {
        missing.push("python3-venv");
    }
    if missing.is_empty() {
        return Ok(());
    }
    let root_user = output(cmd("id").arg("-u")).as_deref() == Some("0");
    let apt = |args: &[&str]| {
        let mut command = if root_user { cmd("apt-get") } else { cmd("sudo") };
        if !root_user {
            command.arg("apt-get");
        }
        command.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        run(&mut command)
    };
    apt(&["update"])?;
    apt(&[&["install", "-y", "--no-install-recommends"][..], &missing].concat())
}

/// A virtualenv with moto (the DynamoDB-compatible server) and cfn-lint, at pinned versions.
pub fn ensure_python_tools() -> Result<PathBuf> {
    let venv = scratch().join("venv");
    let requirements = root().join("xtask").join("python").join("requirements.txt");
    let wanted = std::fs::read_to_string(&requirements)?;
    let marker = venv.join("installed-requirements.txt");
    if std::fs::read_to_string(&marker).ok().as_deref() == Some(wanted.as_str()) {
        return Ok(venv);
    }
    run(cmd("python3").args(["-m", "venv", "--clear"]).arg(&venv))?;
    let pip = venv.join("bin").join("pip");
    run(cmd(&pip).args(["install", "--quiet", "--disable-pip-version-check", "-r"]).arg(&requirements))?;
    std::fs::write(&marker, wanted)?;
    Ok(venv)
}

/// A real SMTP server on `port` that keeps every message it gets as a file in `dir`
/// (aiosmtpd, from the virtualenv): the tests read what was sent, and `cargo xtask dev`
/// shows a newcomer the e-mail of their demo booking.
pub fn mail_sink(port: u16, dir: &std::path::Path) -> Result<crate::process::Service> {
    let venv = ensure_python_tools()?;
    std::fs::create_dir_all(dir)?;
    let mut sink = crate::process::Service::start(
        "mail sink",
        cmd(venv.join("bin").join("python"))
            .arg(root().join("xtask/python/mail_sink.py"))
            .arg(port.to_string())
            .arg(dir),
        &scratch().join(format!("mail-sink-{port}.log")),
    )?;
    sink.wait_for_port(port, std::time::Duration::from_secs(30))?;
    Ok(sink)
}

/// An HTTP server on `port` that keeps every webhook request it gets (headers and body) as a
/// JSON file in `dir`: the browser tests verify their signatures, and `cargo xtask dev` gives
/// a newcomer an endpoint to register.
pub fn webhook_sink(port: u16, dir: &std::path::Path) -> Result<crate::process::Service> {
    std::fs::create_dir_all(dir)?;
    let mut sink = crate::process::Service::start(
        "webhook sink",
        cmd("python3").arg(root().join("xtask/python/webhook_sink.py")).arg(port.to_string()).arg(dir),
        &scratch().join(format!("webhook-sink-{port}.log")),
    )?;
    sink.wait_for_port(port, std::time::Duration::from_secs(30))?;
    Ok(sink)
}
