//! The local host: every function, the widget's files and the demo site in one process.

use crate::app::App;
use crate::config;
use crate::http::{AppState, HttpConfig, api_router, with_layers};
use crate::store::Store;
use crate::store::dynamodb::DynamoStore;
use crate::store::embedded::EmbeddedStore;
use anyhow::Context;
use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

/// How to run the local server.
#[derive(Clone)]
pub struct Options {
    /// Address to listen on; loopback unless asked otherwise.
    pub addr: SocketAddr,
    /// Directory of the embedded store's file.
    pub data_dir: PathBuf,
    /// The widget's built files (Trunk's output), served under `/widget/`.
    pub widget_dir: PathBuf,
    /// The demo page served at `/`.
    pub demo_page: PathBuf,
    /// Use this DynamoDB table instead of the embedded store.
    pub dynamodb_table: Option<String>,
    /// Endpoint of a DynamoDB-compatible server.
    pub dynamodb_endpoint: Option<String>,
    /// Bearer token for staff routes.
    pub staff_token: Option<String>,
    /// Extra browser origins allowed to call the API.
    pub allowed_origins: Vec<HeaderValue>,
}

const USAGE: &str = "usage: jobslot-local [--port N] [--data-dir DIR] [--widget-dir DIR] [--demo-page FILE] \
[--dynamodb-table NAME] [--dynamodb-endpoint URL]
environment: JOBSLOT_STAFF_TOKEN, JOBSLOT_ALLOWED_ORIGINS, JOBSLOT_TABLE, JOBSLOT_DYNAMODB_ENDPOINT, RUST_LOG";

impl std::fmt::Debug for Options {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Options")
            .field("addr", &self.addr)
            .field("data_dir", &self.data_dir)
            .field("widget_dir", &self.widget_dir)
            .field("demo_page", &self.demo_page)
            .field("dynamodb_table", &self.dynamodb_table)
            .field("dynamodb_endpoint", &self.dynamodb_endpoint)
            .field("staff_token", &self.staff_token.as_ref().map(|_| "<redacted>"))
            .field("allowed_origins", &self.allowed_origins)
            .finish()
    }
}

impl Options {
    /// Options from command-line arguments and the environment.
    pub fn from_args(args: impl IntoIterator<Item = String>) -> anyhow::Result<Self> {
        let mut options = Options {
            addr: SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 8080),
            data_dir: PathBuf::from(".jobslot-data"),
            widget_dir: PathBuf::from("target/widget"),
            demo_page: PathBuf::from("index.html"),
            dynamodb_table: config::var(config::TABLE_VAR),
            dynamodb_endpoint: config::var(config::ENDPOINT_VAR),
            staff_token: config::var(config::STAFF_TOKEN_VAR),
            allowed_origins: config::allowed_origins()?,
        };
        let mut args = args.into_iter();
        while let Some(flag) = args.next() {
            let mut value = || args.next().with_context(|| format!("{flag} needs a value\n{USAGE}"));
            match flag.as_str() {
                "--port" => options.addr.set_port(value()?.parse().context("--port takes a number")?),
                "--data-dir" => options.data_dir = value()?.into(),
                "--widget-dir" => options.widget_dir = value()?.into(),
                "--demo-page" => options.demo_page = value()?.into(),
                "--dynamodb-table" => options.dynamodb_table = Some(value()?),
                "--dynamodb-endpoint" => options.dynamodb_endpoint = Some(value()?),
                "-h" | "--help" => anyhow::bail!("{USAGE}"),
                other => anyhow::bail!("unknown argument {other:?}\n{USAGE}"),
            }
        }
        Ok(options)
    }
}

/// Opens the configured store, seeds the demo site if missing and serves until Ctrl-C.
pub async fn run(options: Options) -> anyhow::Result<()> {
    crate::telemetry::init(false);
    match options.dynamodb_table.clone() {
        Some(table) => {
            let client = DynamoStore::client(options.dynamodb_endpoint.as_deref()).await;
            let store = DynamoStore::new(client, table);
            store.ensure_table().await.context("creating the DynamoDB table")?;
            serve(store, options).await
        }
        None => {
            std::fs::create_dir_all(&options.data_dir)
                .with_context(|| format!("creating {}", options.data_dir.display()))?;
            let path = options.data_dir.join("jobslot.redb");
            let store = EmbeddedStore::open(&path).with_context(|| format!("opening {}", path.display()))?;
            serve(store, options).await
        }
    }
}

async fn serve<S: Store>(store: S, options: Options) -> anyhow::Result<()> {
    let app = App::new(store);
    if crate::demo::seed_if_missing(app.repository()).await? {
        tracing::info!("seeded the demo site {}", crate::demo::DEMO_SITE);
    }
    let listener = tokio::net::TcpListener::bind(options.addr)
        .await
        .with_context(|| format!("listening on {}", options.addr))?;
    let addr = listener.local_addr()?;
    let origin = HeaderValue::from_str(&format!("http://{addr}"))?;
    let mut allowed_origins = options.allowed_origins.clone();
    allowed_origins.push(origin);
    // A supplied token is a secret and is never printed; a generated one must be, to be usable.
    let (staff_token, generated) = match options.staff_token.clone() {
        Some(token) => (token, false),
        None => (hex::encode(crate::random::bytes::<16>()), true),
    };
    let state = AppState { app, staff_token: Some(staff_token.as_str().into()) };
    let router = router(state, &HttpConfig { allowed_origins }, &options);
    println!("Jobslot is running at http://{addr}/  (Ctrl-C stops it)");
    if generated {
        println!("Staff token for /api/sites/{{site}}/work-orders/{{number}}: {staff_token}");
    } else {
        println!("Staff token: the one in {}", config::STAFF_TOKEN_VAR);
    }
    axum::serve(listener, router).with_graceful_shutdown(shutdown()).await?;
    Ok(())
}

/// The API plus the demo page at `/` and the widget's files under `/widget/`.
pub fn router<S: Store>(state: AppState<S>, http: &HttpConfig, options: &Options) -> Router {
    let widget_dir = ServeDir::new(&options.widget_dir);
    // Widget files keep stable names so a pasted script tag never breaks: revalidate each time.
    let widget =
        Router::new().fallback(move |request: Request| static_file(widget_dir.clone(), request)).layer(
            SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        );
    let static_files =
        Router::new().route_service("/", ServeFile::new(&options.demo_page)).nest("/widget", widget);
    with_layers(api_router(state).merge(static_files), http)
}

/// A file from `dir`. A name the file system refuses (too long, invalid) is as missing as a
/// name that is not there: 404, not a 500 and an error log line per request.
async fn static_file(mut dir: ServeDir, request: Request) -> Response {
    match dir.try_call(request).await {
        Ok(response) => response.map(Body::new),
        Err(error) => {
            use std::io::ErrorKind::{
                InvalidFilename, InvalidInput, NotADirectory, NotFound, PermissionDenied,
            };
            if matches!(
                error.kind(),
                NotFound | PermissionDenied | InvalidFilename | InvalidInput | NotADirectory
            ) {
                StatusCode::NOT_FOUND.into_response()
            } else {
                // The error, not the path: paths are whatever a client sent.
                tracing::error!(error = %error, "reading a static file failed");
                StatusCode::INTERNAL_SERVER_ERROR.into_response()
            }
        }
    }
}

async fn shutdown() {
    let _ = tokio::signal::ctrl_c().await;
    println!("\nStopping.");
}
