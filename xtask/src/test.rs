//! `cargo xtask test`: every check, in the order that fails fastest.

use crate::process::{Service, cargo, cmd, free_port, output, root, run, scratch};
use crate::tools::{self, CHROMEDRIVER, CHROMIUM};
use crate::widget;
use anyhow::{Context, Result, bail};
use std::time::{Duration, Instant};

/// Runs every check (or, with `--quick`, the developer's inner loop: formatting, clippy, and
/// the unit, property, API and embedded-store tests); stops at the first failure and prints
/// how long each step took.
pub fn run_all(args: &[String]) -> Result<()> {
    let (quick, e2e_only) = match args {
        [] => (false, None),
        [flag] if flag == "--quick" => (true, None),
        [flag, filters @ ..] if flag == "--e2e" => (false, Some(filters.to_vec())),
        [other, ..] => {
            bail!("unknown argument {other:?} (usage: cargo xtask test [--quick | --e2e [spec …]])")
        }
    };
    let mut timings = Vec::new();
    let mut step = |name: &'static str, work: &mut dyn FnMut() -> Result<()>| -> Result<()> {
        println!("\n==> {name}");
        let started = Instant::now();
        let result = work();
        timings.push((name, started.elapsed(), result.is_ok()));
        result
    };
    let outcome = (|| -> Result<()> {
        if let Some(filters) = &e2e_only {
            // The browser tests alone, against fresh release builds (a developer's loop).
            step("widget release build", &mut || widget::build().map(|_| ()))?;
            step("console release build", &mut || widget::build_console().map(|_| ()))?;
            return step("end-to-end tests (Playwright, Chromium)", &mut || end_to_end(filters));
        }
        if quick {
            step("install tools (lint, wasm target)", &mut || {
                tools::ensure_lint_components()?;
                tools::widget_tools()
            })?;
        } else {
            step("install tools", &mut install)?;
            step(
                "offline builds need only what is fetched (empty cargo home)",
                &mut crate::offline::check_from_empty_cache,
            )?;
        }
        step("rustfmt", &mut || run(cargo().args(["fmt", "--all", "--", "--check"])))?;
        step("clippy (native)", &mut || {
            run(cargo().args(["clippy", "--all-targets", "--", "-D", "warnings"]))
        })?;
        step("clippy (widget, wasm32)", &mut || clippy_wasm("jobslot-widget"))?;
        step("clippy (console, wasm32)", &mut || clippy_wasm("jobslot-console"))?;
        step("unit, property, API, Lambda and embedded-store tests", &mut || {
            run(cargo().args([
                "test",
                "--workspace",
                "--exclude",
                "jobslot-widget",
                "--exclude",
                "jobslot-console",
            ]))
        })?;
        if quick {
            return Ok(());
        }
        step("API document: OpenAPI 3.1, TypeScript client, tsc", &mut api_document)?;
        step("store conformance, faults, Cognito, SES, Lambda runtimes on moto", &mut dynamodb_conformance)?;
        step("e-mail through a real SMTP server (aiosmtpd)", &mut mail)?;
        step("fuzzing every parser (cargo fuzz, libFuzzer)", &mut fuzz)?;
        step("widget and console tests in headless Chromium", &mut wasm_tests)?;
        let mut dist = None;
        step("widget release build", &mut || {
            dist = Some(widget::build()?);
            Ok(())
        })?;
        step("widget size gate (brotli, twiggy top-list)", &mut || {
            dist.as_deref().map_or(Ok(()), widget::check_budget)
        })?;
        let mut console = None;
        step("console release build", &mut || {
            console = Some(widget::build_console()?);
            Ok(())
        })?;
        let mut zips = None;
        step("Lambda functions for arm64 (cargo lambda, zips)", &mut || {
            zips = Some(crate::lambda::build()?);
            Ok(())
        })?;
        step("end-to-end tests (Playwright, Chromium)", &mut || end_to_end(&[]))?;
        step("API contract (schemathesis against the OpenAPI document)", &mut api_contract)?;
        step("infrastructure template lint (cfn-lint, sam validate, checkov)", &mut lint_template)?;
        if let Some(dist) = dist {
            widget::report(&dist);
        }
        if let Some(console) = console {
            widget::report_as("Console", &console);
        }
        if let Some(zips) = zips {
            crate::lambda::report(&zips);
        }
        Ok(())
    })();
    println!("\nSteps:");
    for (name, took, ok) in &timings {
        println!("  {} {name:<55} {:>7.1} s", if *ok { "ok  " } else { "FAIL" }, took.as_secs_f64());
    }
    let total: Duration = timings.iter().map(|(_, t, _)| *t).sum();
    println!("  total {:>64.1} s", total.as_secs_f64());
    outcome
}

/// Clippy with warnings as errors on a crate that only builds for the browser, with its
/// default features and with all of them (the widget's hosted pages).
fn clippy_wasm(package: &str) -> Result<()> {
    for features in [None, Some("--all-features")] {
        run(cargo()
            .args(["clippy", "-p", package, "--target", "wasm32-unknown-unknown", "--all-targets"])
            .args(features)
            .args(["--", "-D", "warnings"]))?;
    }
    Ok(())
}

fn install() -> Result<()> {
    tools::ensure_lint_components()?;
    tools::widget_tools()?;
    tools::ensure_test_packages()?;
    tools::ensure_npm_packages(&root().join("e2e"))?;
    tools::ensure_python_tools()?;
    Ok(())
}

/// The conformance suite's DynamoDB half, the API behind a fault-injecting proxy, Cognito
/// tokens through the verifier and e-mail through SES, against a fresh moto server on a free
/// port.
fn dynamodb_conformance() -> Result<()> {
    let (_moto, port) = moto()?;
    run(cargo()
        .args([
            "test",
            "-p",
            "jobslot-functions",
            "--test",
            "store",
            "--test",
            "faults",
            "--test",
            "cognito",
            "--test",
            "ses",
            "--test",
            "template",
            "--",
            "--ignored",
        ])
        .env("JOBSLOT_DYNAMODB_ENDPOINT", format!("http://127.0.0.1:{port}")))?;
    // Each function's binary as a real process against a local Runtime API. Its start-to-ready
    // figure is `cargo xtask bench`'s.
    run(cargo()
        .args(["test", "-p", "jobslot-functions", "--test", "runtime_api", "--"])
        .args(["--ignored", "--skip", "start_to_ready"])
        .env("JOBSLOT_DYNAMODB_ENDPOINT", format!("http://127.0.0.1:{port}")))
}

/// A fresh moto server on a free port, stopped when dropped.
pub fn moto() -> Result<(Service, u16)> {
    let venv = tools::ensure_python_tools()?;
    let port = free_port()?;
    let mut moto = Service::start(
        "moto",
        cmd(venv.join("bin").join("python"))
            .arg(root().join("xtask/python/moto_server.py"))
            .arg(port.to_string()),
        &scratch().join("moto.log"),
    )?;
    moto.wait_for_port(port, Duration::from_secs(60))?;
    Ok((moto, port))
}

/// The e-mail tests against a fresh SMTP sink: what the dispatcher sends, read back from
/// the files the sink keeps.
fn mail() -> Result<()> {
    let port = free_port()?;
    let dir = scratch().join("mail-test");
    let _ = std::fs::remove_dir_all(&dir);
    let _sink = tools::mail_sink(port, &dir)?;
    run(cargo()
        .args(["test", "-p", "jobslot-functions", "--test", "mail", "--", "--ignored"])
        .env("JOBSLOT_TEST_SMTP_PORT", port.to_string())
        .env("JOBSLOT_TEST_MAIL_DIR", &dir))
}

/// How long each fuzz target runs per `cargo xtask test`; the corpus under `target/` carries
/// what earlier runs found interesting into the next one.
const FUZZ_SECONDS: u32 = 30;

/// The `fuzz/` targets under libFuzzer, each for [`FUZZ_SECONDS`], starting from its seeds
/// (`fuzz/seeds/<target>`) and the corpus earlier runs grew. A crash fails the step and leaves
/// its input in `target/xtask/fuzz/artifacts/`; it then becomes a named test beside the parser.
fn fuzz() -> Result<()> {
    let cargo_fuzz = tools::ensure_cargo_fuzz()?;
    let root = root();
    let target_dir = root.join("target/fuzz");
    run(cmd(&cargo_fuzz)
        .args(["build", "--sanitizer", "none", "--fuzz-dir"])
        .arg(root.join("fuzz"))
        .arg("--target-dir")
        .arg(&target_dir))?;
    let artifacts = scratch().join("fuzz/artifacts");
    std::fs::create_dir_all(&artifacts)?;
    for target in ["text", "json_bodies"] {
        let corpus = scratch().join("fuzz/corpus").join(target);
        std::fs::create_dir_all(&corpus)?;
        // libFuzzer writes new inputs to the first directory only; the seeds stay untouched.
        let mut run_target = cmd(target_dir.join("x86_64-unknown-linux-gnu/release").join(target));
        run_target.arg(&corpus);
        let seeds = root.join("fuzz/seeds").join(target);
        if seeds.is_dir() {
            run_target.arg(seeds);
        }
        run(run_target
            .arg(format!("-max_total_time={FUZZ_SECONDS}"))
            .arg(format!("-artifact_prefix={}/{target}-", artifacts.display()))
            .arg("-print_final_stats=1"))?;
    }
    Ok(())
}

fn wasm_tests() -> Result<()> {
    run(cargo()
        .args(["test", "-p", "jobslot-widget", "-p", "jobslot-console", "--target", "wasm32-unknown-unknown"])
        .env("PATH", tools::tool_path()?)
        .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", "wasm-bindgen-test-runner")
        .env("CHROMEDRIVER", CHROMEDRIVER)
        .env("WASM_BINDGEN_TEST_TIMEOUT", "120"))
}

/// Playwright against the local server on a free port with a fresh data dir.
fn end_to_end(filters: &[String]) -> Result<()> {
    run(cargo().args(["build", "-p", "jobslot-functions", "--bin", "jobslot-local"]))?;
    let port = free_port()?;
    let data = scratch().join("e2e-data");
    let _ = std::fs::remove_dir_all(&data);
    let root = root();
    // The documented way a self-hoster makes the first operator, exercised for real.
    let operator = "operator@jobslot.example";
    let printed = output(
        cmd(root.join("target/debug/jobslot-local"))
            .args(["add-operator", operator, "--data-dir"])
            .arg(&data),
    )
    .context("jobslot-local add-operator failed")?;
    let operator_password = printed
        .rsplit("password: ")
        .next()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .context("add-operator printed no password")?
        .to_owned();
    let (mail_port, mail_dir) = (free_port()?, scratch().join("e2e-mail"));
    let _ = std::fs::remove_dir_all(&mail_dir);
    let _sink = tools::mail_sink(mail_port, &mail_dir)?;
    let (hook_port, hook_dir) = (free_port()?, scratch().join("e2e-webhooks"));
    let _ = std::fs::remove_dir_all(&hook_dir);
    let _hooks = tools::webhook_sink(hook_port, &hook_dir)?;
    let mut server = Service::start(
        "jobslot-local",
        cmd(root.join("target/debug/jobslot-local"))
            // The suite signs in more often in a minute than a person would; the per-client
            // limits are tested in `functions/tests/api/{abuse,sign_in}.rs`.
            .args([
                "--demo",
                "--no-rate-limits",
                "--loopback-webhooks",
                "--port",
                &port.to_string(),
                "--data-dir",
            ])
            .arg(&data)
            .arg("--widget-dir")
            .arg(root.join("target/widget"))
            .arg("--console-dir")
            .arg(root.join("target/console"))
            .arg("--demo-page")
            .arg(root.join("index.html"))
            .env("RUST_LOG", "info")
            .env("JOBSLOT_SMTP_URL", format!("smtp://127.0.0.1:{mail_port}")),
        &scratch().join("e2e-server.log"),
    )?;
    server.wait_for_port(port, Duration::from_secs(60))?;
    run(cmd("npx")
        .args(["playwright", "test"])
        .args(filters)
        .current_dir(root.join("e2e"))
        .env("JOBSLOT_URL", format!("http://127.0.0.1:{port}"))
        .env("JOBSLOT_E2E_OUT", scratch().join("e2e-results"))
        .env("JOBSLOT_E2E_OPERATOR", operator)
        .env("JOBSLOT_E2E_OPERATOR_PASSWORD", &operator_password)
        .env("JOBSLOT_E2E_MAIL_DIR", &mail_dir)
        .env("JOBSLOT_E2E_WEBHOOK_URL", format!("http://127.0.0.1:{hook_port}/hooks"))
        .env("JOBSLOT_E2E_WEBHOOK_DIR", &hook_dir)
        .env("CHROMIUM", CHROMIUM))?;
    drop(server);
    no_personal_data_in(&scratch().join("e2e-server.log"))
}

/// What the browser tests type as the customer (`e2e/tests/booking-widget.ts`), and the
/// shapes of the secrets they are given: none may reach the server's log.
const NEVER_LOGGED: [&str; 8] = [
    "Mary Citizen",
    "mary@example.com",
    "0412 345 678",
    "0412345678",
    "1 George Street",
    "?token=",
    "whsec_",
    "Bearer ",
];

/// Fails if the server's log of the whole browser run holds any of [`NEVER_LOGGED`].
fn no_personal_data_in(log: &std::path::Path) -> Result<()> {
    let text = std::fs::read_to_string(log).with_context(|| format!("reading {}", log.display()))?;
    let found: Vec<&str> = NEVER_LOGGED.iter().copied().filter(|needle| text.contains(needle)).collect();
    anyhow::ensure!(found.is_empty(), "{} holds personal data or secrets: {found:?}", log.display());
    println!(
        "The server's log of the browser run ({} lines) holds no personal data or secrets.",
        text.lines().count()
    );
    Ok(())
}

/// The OpenAPI document as an integrator's tools read it: `openapi-spec-validator` must accept
/// it as OpenAPI 3.1, `openapi-typescript` generates a client's types from it, and `tsc` checks
/// the browser tests against them, among them an integrator's script that calls the API through
/// that client (`e2e/tests/integrator-client.spec.ts`, run with the end-to-end tests).
fn api_document() -> Result<()> {
    let venv = tools::ensure_python_tools()?;
    run(cargo().args(["build", "-p", "jobslot-functions", "--bin", "jobslot-local"]))?;
    let root = root();
    // Where `e2e/tsconfig.json` looks for the generated client (`jobslot-api`).
    let dir = scratch().join("api-client");
    std::fs::create_dir_all(&dir)?;
    let document = dir.join("openapi.json");
    let printed = std::process::Command::new(root.join("target/debug/jobslot-local"))
        .arg("openapi")
        .output()
        .context("running jobslot-local openapi")?;
    anyhow::ensure!(printed.status.success(), "jobslot-local openapi failed ({})", printed.status);
    std::fs::write(&document, &printed.stdout)?;
    run(cmd(venv.join("bin").join("openapi-spec-validator"))
        .args(["--subschema-errors", "all"])
        .arg(&document))?;
    let e2e = root.join("e2e");
    // Generators differ on `default`: by OpenAPI, a property with a default may be left out of
    // a request, which openapi-typescript only follows with this flag (it otherwise makes every
    // such property required, its issue #2012).
    run(cmd("npx")
        .args(["openapi-typescript", "--default-non-nullable", "false", "--output"])
        .arg(dir.join("schema.d.ts"))
        .arg(&document)
        .current_dir(&e2e))?;
    run(cmd("npx").args(["tsc", "--project", "tsconfig.json"]).current_dir(&e2e))
}

/// Schemathesis against the local server's own OpenAPI document: every operation, every
/// check, stateful sequences, signed in as the demo site's owner. Settings and their reasons are
/// in `xtask/python/schemathesis.toml`; a fixed seed makes a failure reproducible.
fn api_contract() -> Result<()> {
    let venv = tools::ensure_python_tools()?;
    run(cargo().args(["build", "-p", "jobslot-functions", "--bin", "jobslot-local"]))?;
    let root = root();
    let port = free_port()?;
    let base = format!("http://127.0.0.1:{port}");
    let data = scratch().join("contract-data");
    let _ = std::fs::remove_dir_all(&data);
    let mut server = Service::start(
        "jobslot-local",
        cmd(root.join("target/debug/jobslot-local"))
            .args(["--demo", "--no-rate-limits", "--port", &port.to_string(), "--data-dir"])
            .arg(&data)
            .env("RUST_LOG", "warn"),
        &scratch().join("contract-server.log"),
    )?;
    server.wait_for_port(port, Duration::from_secs(60))?;
    // Schemathesis keeps state in its working directory; keep it out of the source tree.
    let work = scratch().join("schemathesis");
    std::fs::create_dir_all(&work)?;
    let python = root.join("xtask/python");
    run(cmd(venv.join("bin").join("schemathesis"))
        .arg("--config-file")
        .arg(python.join("schemathesis.toml"))
        .args(["run", &format!("{base}/api/openapi.json")])
        .args(["--seed", "1", "--generation-database", "none", "--workers", "1", "--no-color"])
        .current_dir(&work)
        .env("SCHEMATHESIS_HOOKS", python.join("schemathesis_hooks.py"))
        .env("JOBSLOT_URL", &base)
        // The demo owner `jobslot-local --demo` creates (`jobslot_functions::demo`).
        .env("JOBSLOT_EMAIL", "owner@acme.example")
        .env("JOBSLOT_PASSWORD", "acme-demo-owner"))
}

/// The template through three linters, all offline: cfn-lint, SAM's own validation (with its
/// lint rules) and checkov's security checks. Every checkov finding is fixed in the template or
/// skipped there with its reason, so any new one fails this step.
fn lint_template() -> Result<()> {
    let venv = tools::ensure_python_tools()?;
    let bin = venv.join("bin");
    let template = root().join("infra/template.yaml");
    run(cmd(bin.join("cfn-lint")).arg(&template))?;
    run(cmd(bin.join("sam"))
        .args(["validate", "--lint", "--region", "ap-southeast-2", "--template"])
        .arg(&template)
        .env("SAM_CLI_TELEMETRY", "0"))?;
    run(cmd(bin.join("checkov"))
        .args(["--skip-download", "--quiet", "--compact", "--framework", "cloudformation", "--file"])
        .arg(&template))
}
