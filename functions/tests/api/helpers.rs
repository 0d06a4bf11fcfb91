//! `spawn_app` and request helpers.

use crate::support::{demo_app, embedded_store, local_auth};
use axum::http::HeaderValue;
use jobslot_domain::account_mail::AccountMail;
use jobslot_domain::api::{Problem, SubmitWorkOrder};
use jobslot_domain::contact::Email;
use jobslot_domain::ids::{TechnicianId, UserId};
use jobslot_domain::staff::Role;
use jobslot_functions::app::App;
use jobslot_functions::app::identity::Identity;
use jobslot_functions::auth::LocalIssuer;
use jobslot_functions::http::identity::router as identity_router;
use jobslot_functions::http::{AppState, HttpConfig, SiteOrigins, api_router, with_layers};
use jobslot_functions::repository::Member;
use jobslot_functions::store::embedded::EmbeddedStore;
use reqwest::{Response, StatusCode};
use std::sync::atomic::{AtomicUsize, Ordering};

pub const SITE: &str = "/api/sites/acme-car-servicing";
pub const EMBEDDING_ORIGIN: &str = "https://acme.example";

/// A running server (API and local issuer) and a client for it.
pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub app: App<EmbeddedStore>,
    pub issuer: LocalIssuer,
    pub identity: Identity<EmbeddedStore>,
    members: AtomicUsize,
    _dir: tempfile::TempDir,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// A running server whose layers are set up as `configure` says.
pub async fn spawn_app_with(configure: impl FnOnce(&mut HttpConfig)) -> TestApp {
    let (store, dir) = embedded_store();
    let app = demo_app(store).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let (issuer, identity, verifier) = local_auth(&app, &base);
    let state = AppState {
        app: app.clone(),
        verifier,
        accounts: Some(identity.clone()),
        clients: Some(std::sync::Arc::new(identity.clone())),
    };
    let site_origins: std::sync::Arc<dyn SiteOrigins> = std::sync::Arc::new(app.clone());
    let mut http = HttpConfig {
        allowed_origins: vec![HeaderValue::from_static(EMBEDDING_ORIGIN)],
        site_origins: Some(site_origins),
        ..HttpConfig::default()
    };
    configure(&mut http);
    let router = with_layers(api_router(state).merge(identity_router(identity.clone())), &http);
    serve(listener, router);
    let client =
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    TestApp { base, client, app, issuer, identity, members: AtomicUsize::new(0), _dir: dir }
}

/// Serves `router` as the local server does: with each client's address known.
pub fn serve(listener: tokio::net::TcpListener, router: axum::Router) {
    let service = router.into_make_service_with_connect_info::<std::net::SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, service).await.expect("serve") });
}

impl TestApp {
    /// The e-mails about staff accounts waiting to go to `email`, oldest first.
    pub async fn account_mail_to(&self, email: &str) -> Vec<AccountMail> {
        let now = jiff::Timestamp::now();
        let waiting = self.app.repository().waiting_account_mail(100, now).await.expect("account mail");
        waiting
            .into_iter()
            .filter(|w| w.record.to.as_str().eq_ignore_ascii_case(email))
            .map(|w| w.record.mail)
            .collect()
    }

    /// The link of the last invitation or reset e-mailed to `email`.
    pub async fn password_link_for(&self, email: &str) -> String {
        let mails = self.account_mail_to(email).await;
        let link = mails.iter().rev().find_map(|mail| match mail {
            AccountMail::Invitation { link, .. } | AccountMail::Reset { link, .. } => Some(link.clone()),
            _ => None,
        });
        link.unwrap_or_else(|| panic!("no password link for {email} in {mails:?}"))
    }

    /// Sets a password through the page a link opens, as a person would.
    pub async fn set_password_through(&self, link: &str, password: &str) -> Response {
        let token = url::Url::parse(link)
            .expect("link")
            .query_pairs()
            .find(|(k, _)| k == "token")
            .map(|(_, v)| v.into_owned())
            .expect("token");
        let form = [("token", token.as_str()), ("new_password", password), ("confirm_password", password)];
        self.client.post(format!("{}/account/password", self.base)).form(&form).send().await.expect("post")
    }

    /// A refresh token of a new console sign-in of `user` (the code flow, without the page).
    pub async fn refresh_token_for(&self, user: &UserId) -> String {
        use base64::Engine;
        use sha2::Digest;
        let verifier = "a-pkce-verifier-of-at-least-forty-three-characters-0123456789";
        let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(sha2::Sha256::digest(verifier.as_bytes()));
        let request = jobslot_functions::app::identity::AuthorizationRequest {
            client_id: "jobslot-console".into(),
            redirect_uri: format!("{}/admin/", self.base),
            code_challenge: challenge,
            state: None,
        };
        let code = self.identity.issue_code(&request, user).await.expect("code");
        let tokens = self
            .identity
            .exchange_code(&code, &request.client_id, &request.redirect_uri, verifier)
            .await
            .expect("tokens");
        tokens.refresh_token.expect("refresh token")
    }

    /// Asks the token endpoint for new tokens with `refresh_token`, as the console does.
    pub async fn refresh(&self, refresh_token: &str) -> Response {
        let form = [
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
            ("client_id", "jobslot-console"),
        ];
        self.client.post(format!("{}/oauth2/token", self.base)).form(&form).send().await.expect("post")
    }

    /// The user `email` signs in as with `password`, if they can.
    pub async fn signs_in(&self, email: &str, password: &str) -> Option<UserId> {
        let outcome = self.identity.sign_in("test-client", email, password).await.expect("sign in");
        outcome.accepted().map(|account| account.user)
    }

    /// A signed-in user with `role` on the demo site (a technician is Sam), and their token.
    pub async fn staff(&self, role: Role) -> (UserId, String) {
        let user = UserId::parse(
            "user",
            &format!("{role:?}-{}", self.members.fetch_add(1, Ordering::SeqCst)).to_lowercase(),
        )
        .expect("user id");
        let technician =
            (role == Role::Technician).then(|| TechnicianId::parse("t", "sam-nguyen").expect("id"));
        let member = Member {
            site: jobslot_functions::demo::site_id(),
            user: user.clone(),
            email: Email::parse("email", &format!("{user}@acme.example")).expect("email"),
            role,
            technician,
            invited_at: None,
        };
        self.app.repository().save_member(&member).await.expect("member");
        (user.clone(), self.token_for(&user))
    }

    /// A token of an owner of another site (and of nothing here).
    pub async fn member_of_other_site(&self) -> String {
        let user =
            UserId::parse("user", &format!("stranger-{}", self.members.fetch_add(1, Ordering::SeqCst)))
                .expect("id");
        let member = Member {
            site: jobslot_domain::ids::SiteId::parse("site", "other-site").expect("site"),
            user: user.clone(),
            email: Email::parse("email", "stranger@other.example").expect("email"),
            role: Role::Owner,
            technician: None,
            invited_at: None,
        };
        self.app.repository().save_member(&member).await.expect("member");
        self.token_for(&user)
    }

    /// A platform operator's token.
    pub async fn operator(&self) -> String {
        let user =
            UserId::parse("user", &format!("operator-{}", self.members.fetch_add(1, Ordering::SeqCst)))
                .expect("id");
        self.app.repository().add_operator(&user).await.expect("operator");
        self.token_for(&user)
    }

    /// A staff `GET` of `path` with `token`, as JSON.
    pub async fn staff_get(&self, path: &str, token: &str) -> serde_json::Value {
        let response = self.client.get(format!("{}{path}", self.base)).bearer_auth(token).send().await;
        response.expect("get").json().await.expect("json")
    }

    /// A fresh access token of the local issuer for `user`.
    pub fn token_for(&self, user: &UserId) -> String {
        self.issuer.access_token(user.as_str(), jiff::Timestamp::now().as_second(), 900).expect("token")
    }

    /// An access token of a new integration of the demo site, got as its system gets one: the
    /// owner creates the integration, and the client-credentials grant trades its secret.
    pub async fn integrator_token(&self) -> String {
        let owner = self.owner_token().await;
        let response = self
            .client
            .post(format!("{}{SITE}/integrations", self.base))
            .bearer_auth(&owner)
            .json(&serde_json::json!({ "name": "Field app" }))
            .send()
            .await
            .expect("create");
        let created: serde_json::Value = response.json().await.expect("json");
        let (id, secret) = (created["client_id"].as_str().expect("id"), created["client_secret"].as_str());
        let form = [
            ("grant_type", "client_credentials"),
            ("client_id", id),
            ("client_secret", secret.expect("secret")),
        ];
        let response = self.client.post(format!("{}/oauth2/token", self.base)).form(&form).send().await;
        let body: serde_json::Value = response.expect("token").json().await.expect("json");
        body["access_token"].as_str().expect("an access token").to_owned()
    }

    /// The demo owner's token.
    pub async fn owner_token(&self) -> String {
        self.staff(Role::Owner).await.1
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client.get(format!("{}{path}", self.base)).send().await.expect("request")
    }

    pub async fn submit(&self, key: &str, body: &SubmitWorkOrder) -> Response {
        self.client
            .post(format!("{}{SITE}/work-orders", self.base))
            .header("Idempotency-Key", key)
            .json(body)
            .send()
            .await
            .expect("request")
    }

    pub async fn post_raw(&self, body: impl Into<reqwest::Body>, content_type: &str) -> Response {
        self.client
            .post(format!("{}{SITE}/work-orders", self.base))
            .header("Idempotency-Key", "raw-body-key")
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("request")
    }

    /// Slot starts offered to Sam for the basic service on the first demo day.
    pub async fn sams_starts(&self) -> Vec<String> {
        let response = self.get(&format!("{SITE}/slots?postcode=2000&service=basic-service&days=1")).await;
        assert_eq!(response.status(), StatusCode::OK);
        let body: jobslot_domain::api::SlotsResponse = response.json().await.expect("json");
        body.days
            .iter()
            .flat_map(|d| &d.slots)
            .filter(|s| s.technician.as_str() == "sam-nguyen")
            .map(|s| s.start.to_string())
            .collect()
    }

    /// Work orders stored, counted through Sam's bookings on the first day.
    pub async fn bookings_stored(&self) -> usize {
        let sam = jobslot_domain::ids::TechnicianId::parse("t", "sam-nguyen").expect("id");
        let day = jobslot_domain::availability::Interval {
            start: "2026-11-23T13:00:00Z".parse().expect("t"),
            end: "2026-11-24T13:00:00Z".parse().expect("t"),
        };
        let site = jobslot_functions::demo::site_id();
        self.app.repository().bookings(&site, &sam, day).await.expect("bookings").len()
    }
}

/// Asserts a problem document of the given status and type, and returns it.
pub async fn problem(response: Response, status: StatusCode, kind: &str) -> Problem {
    assert_eq!(response.status(), status);
    let content_type =
        response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert_eq!(content_type, "application/problem+json");
    let problem: Problem = response.json().await.expect("problem json");
    assert_eq!(problem.type_uri, format!("https://jobslot.dev/problems/{kind}"));
    assert_eq!(problem.status, status.as_u16());
    problem
}

/// The fields a problem names.
pub fn fields(problem: &Problem) -> Vec<&str> {
    problem.errors.iter().map(|e| e.field.as_str()).collect()
}
