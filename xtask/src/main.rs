//! `cargo xtask`: the two commands a newcomer needs, and the steps behind them.
//!
//! - `cargo xtask dev [--port N]`: install what is missing, build the widget, serve the demo.
//! - `cargo xtask test`: install what the checks need and run every one of them.
//! - `cargo xtask widget`: build the widget in release mode and report its size.
//! - `cargo xtask lambda`: build the Lambda functions' arm64 zips and report their sizes.
//! - `cargo xtask bench`: benchmarks and an HTTP load run, with the figures to report.

mod bench;
mod content_names;
mod dev;
mod lambda;
mod offline;
mod process;
mod test;
mod tools;
mod widget;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <command>

commands:
  dev [--port N]   install tools, build the widget, serve demo site + API on 127.0.0.1 (default port 8080)
  test [--quick]   install test tools and run every check (fmt, clippy, unit, property, store
                   conformance on both backends, wasm tests in Chromium, Playwright, template lint);
                   --quick: fmt, clippy, unit, property, API and embedded-store tests only
  widget           build the widget (release) and print its size
  lambda           build every Lambda function for arm64 (cargo lambda, zips in target/lambda-zips)
  bench [--quick]  criterion benchmarks, then slots and booking load at 200 req/s and rising
                   against the release server (30 s runs; 5 s with --quick)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("dev") => dev::run(&args[1..]),
        Some("test") => test::run_all(&args[1..]),
        Some("bench") => bench::run_all(&args[1..]),
        Some("lambda") => lambda::build().map(|zips| lambda::report(&zips)),
        Some("widget") => {
            tools::widget_tools().and_then(|()| widget::build()).map(|dist| widget::report(&dist))
        }
        Some("-h" | "--help" | "help") | None => {
            println!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(anyhow::anyhow!("unknown command {other:?}\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("\nxtask failed: {error:#}");
            ExitCode::FAILURE
        }
    }
}
