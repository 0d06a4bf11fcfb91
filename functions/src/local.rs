//! The local host: every function, the widget's files and the demo site in one process.

use crate::app::identity::Identity;
use crate::app::{App, Clock};
use crate::auth::issuer::generate_key;
use crate::auth::{IssuerConfig, LocalIssuer, TokenVerifier};
use crate::config;
use crate::http::identity::router as identity_router;
use crate::http::limits::{Quotas, RateLimits};
use crate::http::{AppState, CachedOrigins, HttpConfig, ORIGINS_TTL, SiteOrigins, api_router, with_layers};
use crate::store::Store;
use crate::store::dynamodb::{ClientLimits, DynamoStore};
use crate::store::embedded::EmbeddedStore;
use anyhow::Context;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::map_response;
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use jobslot_domain::webhook::Targets;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

mod page_headers;
use page_headers::PagePolicy;

/// How to run the local server.
#[derive(Debug, Clone)]
pub struct Options {
    /// Address to listen on; loopback unless asked otherwise.
    pub addr: SocketAddr,
    /// The URL people reach the server at, if not `http://{addr}` (behind a reverse proxy).
    pub public_url: Option<String>,
    /// Directory of the embedded store's file.
    pub data_dir: PathBuf,
    /// The widget's built files (Trunk's output), served under `/widget/`.
    pub widget_dir: PathBuf,
    /// The console's built files, served under `/admin/`.
    pub console_dir: PathBuf,
    /// The demo page served at `/`.
    pub demo_page: PathBuf,
    /// Seed the demo business and its owner's account if missing.
    pub demo: bool,
    /// Use this DynamoDB table instead of the embedded store.
    pub dynamodb_table: Option<String>,
    /// Endpoint of a DynamoDB-compatible server.
    pub dynamodb_endpoint: Option<String>,
    /// Extra browser origins allowed to call the API.
    pub allowed_origins: Vec<HeaderValue>,
    /// Limit each client's searches, bookings and sign-in attempts; off for load tests, or
    /// behind a proxy that limits clients itself (every client then has the proxy's address).
    pub rate_limits: bool,
    /// Accept webhook endpoints on this machine (`http://127.0.0.1:…`): development only, as
    /// on a shared host it lets a site owner reach its other services.
    pub loopback_webhooks: bool,
}

/// What `jobslot-local` was asked to do.
#[derive(Debug, Clone)]
pub enum Command {
    /// Serve the API, the issuer, the console, the widget and the demo page.
    Serve(Options),
    /// Create a platform operator's account (or make an existing account an operator).
    AddOperator {
        /// Where the store is.
        options: Options,
        /// The operator's sign-in e-mail.
        email: String,
    },
    /// Print the API's OpenAPI document (as served at `/api/openapi.json`), for client
    /// generators and validators that should not need a running server.
    OpenApi,
}

const USAGE: &str =
    "usage: jobslot-local [--port N] [--demo] [--public-url URL] [--data-dir DIR] [--widget-dir DIR] \
[--console-dir DIR] [--demo-page FILE] [--dynamodb-table NAME] [--dynamodb-endpoint URL] [--no-rate-limits]
                    [--loopback-webhooks]
       jobslot-local add-operator EMAIL [--data-dir DIR] [--dynamodb-table NAME] [--dynamodb-endpoint URL]
       jobslot-local openapi   (prints the API's OpenAPI document)
environment: JOBSLOT_PUBLIC_URL, JOBSLOT_ALLOWED_ORIGINS, JOBSLOT_TABLE, JOBSLOT_DYNAMODB_ENDPOINT,
             JOBSLOT_SMTP_URL (e-mail on: smtp://host:port), JOBSLOT_MAIL_FROM, RUST_LOG";

impl Command {
    /// The command in command-line arguments (and the environment).
    pub fn from_args(args: impl IntoIterator<Item = String>) -> anyhow::Result<Self> {
        let mut args: Vec<String> = args.into_iter().collect();
        if args.first().map(String::as_str) == Some("openapi") {
            anyhow::ensure!(args.len() == 1, "openapi takes no arguments\n{USAGE}");
            return Ok(Command::OpenApi);
        }
        if args.first().map(String::as_str) == Some("add-operator") {
            args.remove(0);
            let email = match args.first() {
                Some(email) if !email.starts_with('-') => args.remove(0),
                _ => anyhow::bail!("add-operator needs the operator's e-mail address\n{USAGE}"),
            };
            return Ok(Command::AddOperator { options: Options::from_args(args)?, email });
        }
        Ok(Command::Serve(Options::from_args(args)?))
    }
}

impl Options {
    /// Options from command-line arguments and the environment.
    pub fn from_args(args: impl IntoIterator<Item = String>) -> anyhow::Result<Self> {
        let mut options = Options {
            addr: SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 8080),
            public_url: config::var(config::PUBLIC_URL_VAR),
            data_dir: PathBuf::from(".jobslot-data"),
            widget_dir: PathBuf::from("target/widget"),
            console_dir: PathBuf::from("target/console"),
            demo_page: PathBuf::from("index.html"),
            demo: false,
            dynamodb_table: config::var(config::TABLE_VAR),
            dynamodb_endpoint: config::var(config::ENDPOINT_VAR),
            allowed_origins: config::allowed_origins()?,
            rate_limits: true,
            loopback_webhooks: false,
        };
        let mut args = args.into_iter();
        while let Some(flag) = args.next() {
            let mut value = || args.next().with_context(|| format!("{flag} needs a value\n{USAGE}"));
            match flag.as_str() {
                "--port" => options.addr.set_port(value()?.parse().context("--port takes a number")?),
                "--public-url" => options.public_url = Some(value()?),
                "--data-dir" => options.data_dir = value()?.into(),
                "--widget-dir" => options.widget_dir = value()?.into(),
                "--console-dir" => options.console_dir = value()?.into(),
                "--demo-page" => options.demo_page = value()?.into(),
                "--demo" => options.demo = true,
                "--no-rate-limits" => options.rate_limits = false,
                "--loopback-webhooks" => options.loopback_webhooks = true,
                "--dynamodb-table" => options.dynamodb_table = Some(value()?),
                "--dynamodb-endpoint" => options.dynamodb_endpoint = Some(value()?),
                "-h" | "--help" => anyhow::bail!("{USAGE}"),
                other => anyhow::bail!("unknown argument {other:?}\n{USAGE}"),
            }
        }
        if let Some(url) = &options.public_url {
            anyhow::ensure!(
                url.starts_with("http://") || url.starts_with("https://"),
                "--public-url {url:?} is not a URL"
            );
            options.public_url = Some(url.trim_end_matches('/').to_owned());
        }
        Ok(options)
    }
}

/// Runs the command on the configured store.
pub async fn run(command: Command) -> anyhow::Result<()> {
    let options = match &command {
        Command::Serve(options) | Command::AddOperator { options, .. } => options.clone(),
        Command::OpenApi => {
            println!("{}", crate::http::openapi::document());
            return Ok(());
        }
    };
    crate::telemetry::init(false);
    match options.dynamodb_table.clone() {
        Some(table) => {
            let client =
                DynamoStore::client(options.dynamodb_endpoint.as_deref(), ClientLimits::default()).await;
            let store = DynamoStore::new(client, table);
            store.ensure_table().await.context("creating the DynamoDB table")?;
            run_on(store, command).await
        }
        None => {
            std::fs::create_dir_all(&options.data_dir)
                .with_context(|| format!("creating {}", options.data_dir.display()))?;
            let path = options.data_dir.join("jobslot.redb");
            let store = EmbeddedStore::open(&path).with_context(|| format!("opening {}", path.display()))?;
            run_on(store, command).await
        }
    }
}

async fn run_on<S: Store>(store: S, command: Command) -> anyhow::Result<()> {
    match command {
        Command::Serve(options) => serve(store, options).await,
        Command::AddOperator { options, email } => add_operator(store, &options, &email).await,
        Command::OpenApi => Ok(()),
    }
}

/// The local issuer signing for `public_url`, its key kept in the store.
async fn identity<S: Store>(app: &App<S>, public_url: &str) -> anyhow::Result<Identity<S>> {
    let key = app.repository().signing_key_or_insert(&generate_key()?).await?;
    Ok(Identity::new(app.repository().clone(), LocalIssuer::new(public_url, &key)?, Clock::System))
}

async fn add_operator<S: Store>(store: S, options: &Options, email: &str) -> anyhow::Result<()> {
    let app = App::new(store);
    let public_url = options.public_url.clone().unwrap_or_else(|| format!("http://{}", options.addr));
    let identity = identity(&app, &public_url).await?;
    let parsed = jobslot_domain::contact::Email::parse("email", email).map_err(|e| anyhow::anyhow!("{e}"))?;
    let user = match app.repository().account(&parsed).await? {
        Some(account) => {
            // Someone else may know the current password (a site owner who created the account):
            // an operator starts from a password only they have.
            let password = identity.reset_password(&parsed).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
            println!(
                "{email} already has an account; it is now a platform operator with the new password: {}",
                password.unwrap_or_default()
            );
            account.user
        }
        None => {
            let password = crate::auth::password::generate();
            let account =
                identity.create_account(email, &password).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
            // Shown once, to the person running the command; it is stored only as a hash.
            println!("Created the operator {email} with the password: {password}");
            account.user
        }
    };
    app.repository().add_operator(&user).await?;
    Ok(())
}

async fn serve<S: Store>(store: S, options: Options) -> anyhow::Result<()> {
    let targets = if options.loopback_webhooks { Targets::AlsoLoopback } else { Targets::Public };
    let app = App::new(store).with_webhook_targets(targets);
    let listener = tokio::net::TcpListener::bind(options.addr)
        .await
        .with_context(|| format!("listening on {}", options.addr))?;
    let addr = listener.local_addr()?;
    let public_url = options.public_url.clone().unwrap_or_else(|| format!("http://{addr}"));
    let identity = identity(&app, &public_url).await?;
    if options.demo && crate::demo::seed_if_missing(app.repository(), &identity).await? {
        tracing::info!("seeded the demo site {}", crate::demo::DEMO_SITE);
    }
    for site in app.repository().site_ids().await? {
        let moved = app.repository().move_legacy_bookings(&site).await?;
        if moved > 0 {
            tracing::info!(site = %site, moved, "moved bookings into schedule sheets");
        }
    }
    // The API checks the local issuer's tokens exactly as it checks Cognito's on AWS: through
    // the issuer's published JWKS, fetched over HTTP (from this very process).
    let verifier = TokenVerifier::new(IssuerConfig {
        issuer: public_url.clone(),
        jwks_url: format!("http://{addr}/.well-known/jwks.json"),
        clients: crate::auth::issuer::accepted_clients(),
    })?;
    let mailer = crate::mail::SmtpMailer::from_env()?;
    match &mailer {
        Some(_) => {
            // The URL may carry the server's password: only its host is shown.
            let url = config::var(crate::mail::SMTP_URL_VAR).unwrap_or_default();
            let host =
                url::Url::parse(&url).ok().and_then(|u| Some(format!("{}:{}", u.host_str()?, u.port()?)));
            println!("E-mail: on, through {}", host.unwrap_or_else(|| "the configured server".into()));
        }
        None => println!("E-mail: off (set {} to send confirmations)", crate::mail::SMTP_URL_VAR),
    }
    let mailer = mailer.map(|m| Arc::new(m) as Arc<dyn crate::mail::Mailer>);
    let webhooks = Arc::new(crate::webhook::HttpWebhooks::new()?);
    let every = std::time::Duration::from_millis(500);
    tokio::spawn(crate::app::deliveries::run_dispatcher(
        app.clone(),
        mailer,
        webhooks,
        public_url.clone(),
        every,
    ));
    let mut allowed_origins = options.allowed_origins.clone();
    allowed_origins.push(HeaderValue::from_str(&format!("http://{addr}"))?);
    let state = AppState {
        app,
        verifier,
        accounts: Some(identity.clone()),
        clients: Some(Arc::new(identity.clone())),
    };
    let site_origins: Arc<dyn SiteOrigins> = Arc::new(CachedOrigins::new(state.app.clone(), ORIGINS_TTL));
    let router = router(
        state,
        identity,
        &HttpConfig {
            allowed_origins,
            site_origins: Some(site_origins),
            rate_limits: options.rate_limits.then(|| RateLimits::new(Quotas::default())),
            ..HttpConfig::default()
        },
        &options,
    );
    println!("Jobslot is running at {public_url}/  (Ctrl-C stops it)");
    println!("Staff console: {public_url}/admin/");
    if options.demo {
        println!(
            "Demo owner sign-in: {} / {}",
            crate::demo::DEMO_OWNER_EMAIL,
            crate::demo::DEMO_OWNER_PASSWORD
        );
    }
    axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown())
        .await?;
    Ok(())
}

/// The API, the local issuer, the demo page at `/`, the widget's files under `/widget/` (and
/// its hosted booking page of orders created in advance under `/book/`) and the console's
/// under `/admin/`.
pub fn router<S: Store>(
    state: AppState<S>,
    identity: Identity<S>,
    http: &HttpConfig,
    options: &Options,
) -> Router {
    let console_config = Json(identity.issuer().console_config());
    let console = static_dir(&options.console_dir)
        .route("/config.json", axum::routing::get(move || async move { console_config }));
    let hosted = Router::new()
        // The hosted booking page a plain link can point at; the embedded build runs on it.
        .route_service("/book/{site}", page(options.widget_dir.join("page.html")))
        // The hosted pages of orders created in advance and of the customer's manage link;
        // the widget reads which, and the rest, from the page's address.
        .route_service("/book/{site}/work-orders/{number}", page(options.widget_dir.join("book.html")))
        .route_service("/manage/{site}/{number}", page(options.widget_dir.join("book.html")))
        .layer(map_response(|r: Response| PagePolicy::Hosted.layer(r)));
    let console = Router::new()
        // A nested router does not see its own root with a trailing slash; the console lives there.
        .route_service("/admin/", page(options.console_dir.join("index.html")))
        .nest("/admin", console)
        .layer(map_response(|r: Response| PagePolicy::Console.layer(r)));
    let static_files = Router::new()
        .route_service("/", ServeFile::new(&options.demo_page))
        // Browsers ask for it on any page that links no icon (an error page, a JSON document).
        .route_service("/favicon.ico", ServeFile::new(options.widget_dir.join("favicon.ico")))
        // Any page may load the widget (its module script and wasm are fetched in CORS mode);
        // what it may call is the site's list of origins, checked on the API.
        .nest(
            "/widget",
            static_dir(&options.widget_dir)
                .layer(SetResponseHeaderLayer::overriding(
                    header::ACCESS_CONTROL_ALLOW_ORIGIN,
                    HeaderValue::from_static("*"),
                ))
                .layer(map_response(|r: Response| PagePolicy::WidgetFiles.layer(r))),
        )
        .merge(hosted)
        .merge(console);
    with_layers(api_router(state).merge(identity_router(identity)).merge(static_files), http)
}

/// One HTML page, revalidated on every visit (it names the current build's files).
fn page(file: PathBuf) -> tower_http::set_header::SetResponseHeader<ServeFile, HeaderValue> {
    use tower::Layer;
    SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"))
        .layer(ServeFile::new(file))
}

/// The files of `dir`. The build writes `.br` and `.gz` beside each file; those are sent as
/// they are to browsers that accept them, instead of compressing on every request.
fn static_dir(dir: &std::path::Path) -> Router {
    let dir = ServeDir::new(dir).precompressed_br().precompressed_gzip();
    Router::new().fallback(move |request: Request| static_file(dir.clone(), request))
}

/// A file from `dir`. A name the file system refuses (too long, invalid) is as missing as a
/// name that is not there: 404, not a 500 and an error log line per request.
async fn static_file(mut dir: ServeDir, request: Request) -> Response {
    let cache = cache_control(request.uri().path());
    match dir.try_call(request).await {
        Ok(response) => {
            let mut response = response.map(Body::new);
            let cache =
                if response.status().is_success() { cache } else { HeaderValue::from_static("no-cache") };
            response.headers_mut().insert(header::CACHE_CONTROL, cache);
            response
        }
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

/// A year, immutable, for a file whose name carries a hash of its content (the widget's glue,
/// wasm and snippets; the console's files); a new build names new files. Everything else keeps
/// a stable name (the pasted `embed.js` above all), so browsers revalidate it on every use.
fn cache_control(path: &str) -> HeaderValue {
    if path.split('/').any(content_named) {
        HeaderValue::from_static("public, max-age=31536000, immutable")
    } else {
        HeaderValue::from_static("no-cache")
    }
}

/// Whether a path segment is `<name>-<16 hex digits>`, then nothing, `.` or `_` (Trunk's
/// `jobslot-console-1f30c85324b70804_bg.wasm`, the build's `jobslot-widget-…`).
fn content_named(segment: &str) -> bool {
    segment.match_indices('-').any(|(at, _)| {
        let rest = &segment[at + 1..];
        rest.len() >= 16
            && rest.as_bytes()[..16].iter().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b))
            && matches!(rest.as_bytes().get(16), None | Some(b'.' | b'_'))
    })
}

async fn shutdown() {
    let _ = tokio::signal::ctrl_c().await;
    println!("\nStopping.");
}

#[cfg(test)]
mod tests {
    use super::content_named;

    #[test]
    fn only_names_ending_in_a_sixteen_digit_hash_are_content_named() {
        for named in [
            "jobslot-console-1f30c85324b70804_bg.wasm",
            "jobslot-widget-0123456789abcdef.js",
            "jobslot-widget-0123456789abcdef",
        ] {
            assert!(content_named(named), "{named}");
        }
        for stable in [
            "embed.js",
            "jobslot-widget.js",
            "jobslot-widget-0123456789abcde.js",
            "a-0123456789ABCDEF.js",
            "a-0123456789abcdef0.js",
            "book.html",
        ] {
            assert!(!content_named(stable), "{stable}");
        }
    }
}
