//! The local host's static files: the demo page and the widget's files.

use crate::helpers::problem;
use crate::support::{demo_app, embedded_store, local_auth};
use jobslot_functions::http::{AppState, HttpConfig};
use jobslot_functions::local::{Options, router};
use reqwest::StatusCode;

async fn spawn_local() -> (String, tempfile::TempDir, tempfile::TempDir) {
    let (store, data) = embedded_store();
    let files = tempfile::tempdir().expect("temp dir");
    std::fs::write(files.path().join("embed.js"), "console.log('jobslot')").expect("write");
    std::fs::write(files.path().join("demo.html"), "<h1>Demo</h1>").expect("write");
    let mut options = Options::from_args(Vec::new()).expect("options");
    options.widget_dir = files.path().to_owned();
    options.demo_page = files.path().join("demo.html");
    for page in ["page.html", "book.html"] {
        std::fs::write(files.path().join(page), "<jobslot-booking></jobslot-booking>").expect("write");
    }
    let console = files.path().join("console");
    std::fs::create_dir_all(&console).expect("mkdir");
    std::fs::write(console.join("index.html"), "<body></body>").expect("write");
    options.console_dir = console;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let app = demo_app(store).await;
    let (_, identity, verifier) = local_auth(&app, &format!("http://{addr}"));
    let router = router(
        AppState { app, verifier, accounts: None, clients: None },
        identity,
        &HttpConfig::default(),
        &options,
    );
    tokio::spawn(async move { axum::serve(listener, router).await.expect("serve") });
    (format!("http://{addr}"), data, files)
}

#[tokio::test]
async fn widget_files_and_the_demo_page_are_served() {
    let (base, _data, files) = spawn_local().await;
    let script = reqwest::Client::new()
        .get(format!("{base}/widget/embed.js"))
        .header("origin", "https://any-shop.example")
        .send()
        .await
        .expect("get");
    assert_eq!(script.status(), StatusCode::OK);
    let header = |name: &str| script.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    assert_eq!(header("cache-control").as_deref(), Some("no-cache"));
    assert_eq!(header("access-control-allow-origin").as_deref(), Some("*"), "any page may load the widget");
    assert_eq!(script.text().await.expect("body"), "console.log('jobslot')");

    // The build's brotli copy goes to browsers that take brotli, as it is.
    std::fs::write(files.path().join("embed.js.br"), b"brotli bytes").expect("write");
    let compressed = reqwest::Client::new()
        .get(format!("{base}/widget/embed.js"))
        .header("accept-encoding", "br")
        .send()
        .await
        .expect("get");
    assert_eq!(compressed.headers().get("content-encoding").and_then(|v| v.to_str().ok()), Some("br"));
    assert_eq!(compressed.bytes().await.expect("body").as_ref(), b"brotli bytes");
    assert_eq!(reqwest::get(format!("{base}/")).await.expect("get").status(), StatusCode::OK);
}

#[tokio::test]
async fn the_icon_browsers_ask_every_host_for_is_the_widgets() {
    let (base, _data, files) = spawn_local().await;
    let icon = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../widget/favicon.ico")).expect("icon");
    std::fs::write(files.path().join("favicon.ico"), &icon).expect("write");
    let response = reqwest::get(format!("{base}/favicon.ico")).await.expect("get");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "image/x-icon");
    assert_eq!(response.bytes().await.expect("body").as_ref(), icon.as_slice());
}

#[tokio::test]
async fn files_named_after_their_content_are_cached_for_a_year_and_the_loader_never() {
    let (base, _data, files) = spawn_local().await;
    let snippets = files.path().join("snippets/jobslot-widget-0123456789abcdef/src");
    std::fs::create_dir_all(&snippets).expect("mkdir");
    std::fs::write(snippets.join("element.js"), "export {}").expect("write");
    std::fs::write(files.path().join("jobslot-widget-fedcba9876543210_bg.wasm"), b"\0asm").expect("write");
    let cache = |path: &'static str| {
        let base = base.clone();
        async move {
            let response = reqwest::get(format!("{base}{path}")).await.expect("get");
            let value =
                response.headers().get("cache-control").and_then(|v| v.to_str().ok()).map(str::to_owned);
            (response.status(), value.unwrap_or_default())
        }
    };
    let year = "public, max-age=31536000, immutable".to_owned();
    assert_eq!(
        cache("/widget/jobslot-widget-fedcba9876543210_bg.wasm").await,
        (StatusCode::OK, year.clone())
    );
    let snippet = cache("/widget/snippets/jobslot-widget-0123456789abcdef/src/element.js").await;
    assert_eq!(snippet, (StatusCode::OK, year));
    assert_eq!(cache("/widget/embed.js").await, (StatusCode::OK, "no-cache".to_owned()));
    let missing = cache("/widget/jobslot-widget-0000000000000000.js").await;
    assert_eq!(missing, (StatusCode::NOT_FOUND, "no-cache".to_owned()), "a miss is never kept");
}

#[tokio::test]
async fn a_missing_or_unopenable_file_is_a_404_problem_never_a_500() {
    let (base, _data, _files) = spawn_local().await;
    let long_name = format!("{}.js", "a".repeat(300));
    for path in ["/widget/missing.js", &format!("/widget/{long_name}"), "/widget/embed.js/x", "/widget/%00"] {
        let response = reqwest::get(format!("{base}{path}")).await.expect("get");
        assert_ne!(response.status(), StatusCode::INTERNAL_SERVER_ERROR, "{path}");
        let status = response.status();
        assert!(status == StatusCode::NOT_FOUND || status == StatusCode::BAD_REQUEST, "{path}: {status}");
        let kind = if status == StatusCode::NOT_FOUND { "not-found" } else { "malformed-body" };
        problem(response, status, kind).await;
    }
    let post = reqwest::Client::new().post(format!("{base}/widget/embed.js")).send().await.expect("post");
    problem(post, StatusCode::METHOD_NOT_ALLOWED, "method-not-allowed").await;
}

#[tokio::test]
async fn the_console_and_the_hosted_pages_run_under_a_policy_that_allows_no_inline_script_and_no_framing() {
    let (base, _data, _files) = spawn_local().await;
    for (path, referrer) in [
        ("/admin/", "strict-origin-when-cross-origin"),
        ("/book/acme-car-servicing", "no-referrer"),
        ("/book/acme-car-servicing/work-orders/WO-1", "no-referrer"),
        ("/manage/acme-car-servicing/WO-1?token=secret", "no-referrer"),
    ] {
        let response = reqwest::get(format!("{base}{path}")).await.expect("get");
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let header =
            |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default();
        let csp = header("content-security-policy");
        let directive = |name: &str| {
            csp.split(';').map(str::trim).find(|d| d.starts_with(&format!("{name} "))).unwrap_or_default()
        };
        assert_eq!(directive("script-src"), "script-src 'self' 'wasm-unsafe-eval'", "{path}: {csp}");
        assert_eq!(directive("frame-ancestors"), "frame-ancestors 'none'", "{path}");
        assert_eq!(directive("default-src"), "default-src 'self'", "{path}");
        assert_eq!(header("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(header("x-frame-options"), "DENY", "{path}");
        assert_eq!(header("referrer-policy"), referrer, "{path}: its address may carry a token");
    }
    // The widget's files are loaded by pages on any origin; they are never sniffed as another type.
    let script = reqwest::get(format!("{base}/widget/embed.js")).await.expect("get");
    assert_eq!(script.headers()["x-content-type-options"], "nosniff");
    assert!(script.headers().get("content-security-policy").is_none(), "the embedding page sets its own");
}
