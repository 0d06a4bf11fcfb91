//! The local issuer: discovery, the sign-in page, the code flow with PKCE, refresh rotation.

use crate::helpers::{SITE, TestApp, spawn_app};
use crate::support::{FIRST_SLOT, submission};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jobslot_domain::api::WorkOrderCreated;
use jobslot_domain::staff::Role;
use jobslot_functions::app::identity::TokenResponse;
use jobslot_functions::repository::Member;
use reqwest::StatusCode;
use sha2::{Digest, Sha256};

const VERIFIER: &str = "a-pkce-verifier-of-at-least-forty-three-characters-0123456789";
const PASSWORD: &str = "a long enough password";

fn challenge() -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(VERIFIER.as_bytes()))
}

fn authorize_params(app: &TestApp) -> Vec<(&'static str, String)> {
    vec![
        ("response_type", "code".into()),
        ("client_id", "jobslot-console".into()),
        ("redirect_uri", format!("{}/admin/", app.base)),
        ("code_challenge", challenge()),
        ("code_challenge_method", "S256".into()),
        ("state", "state & more".into()),
    ]
}

/// An owner of the demo site with a local account.
async fn owner(app: &TestApp, email: &str) {
    let account = app.identity.create_account(email, PASSWORD).await.expect("account");
    let member = Member {
        site: jobslot_functions::demo::site_id(),
        user: account.user,
        email: account.email,
        role: Role::Owner,
        technician: None,
        invited_at: None,
    };
    app.app.repository().save_member(&member).await.expect("member");
}

/// Signs in through the form and returns the redirect's `Location`.
async fn sign_in(app: &TestApp, email: &str, password: &str) -> reqwest::Response {
    let mut form = authorize_params(app);
    form.push(("email", email.into()));
    form.push(("password", password.into()));
    app.client.post(format!("{}/oauth2/authorize", app.base)).form(&form).send().await.expect("post")
}

fn query_param(location: &str, name: &str) -> Option<String> {
    url::Url::parse(location).ok()?.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
}

async fn exchange(app: &TestApp, form: &[(&str, &str)]) -> reqwest::Response {
    app.client.post(format!("{}/oauth2/token", app.base)).form(form).send().await.expect("post")
}

#[tokio::test]
async fn discovery_names_the_endpoints_and_the_keys_verify_its_tokens() {
    let app = spawn_app().await;
    let discovery: serde_json::Value = app
        .client
        .get(format!("{}/.well-known/openid-configuration", app.base))
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(discovery["issuer"], app.base.as_str());
    assert_eq!(discovery["token_endpoint"], format!("{}/oauth2/token", app.base).as_str());
    assert_eq!(discovery["code_challenge_methods_supported"], serde_json::json!(["S256"]));
    let jwks: serde_json::Value = app
        .client
        .get(format!("{}/.well-known/jwks.json", app.base))
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(jwks["keys"][0]["kty"], "OKP");
    assert!(jwks["keys"][0].get("d").is_none(), "no private part is published");
}

#[tokio::test]
async fn staff_sign_in_with_pkce_and_use_refresh_and_read_a_work_order() {
    let app = spawn_app().await;
    owner(&app, "boss@acme.example").await;
    let page = app
        .client
        .get(format!("{}/oauth2/authorize", app.base))
        .query(&authorize_params(&app))
        .send()
        .await
        .expect("get");
    assert_eq!(page.status(), StatusCode::OK);
    assert!(
        page.headers()["content-security-policy"]
            .to_str()
            .unwrap_or_default()
            .contains("frame-ancestors 'none'")
    );
    let html = page.text().await.expect("html");
    assert!(html.contains("<label for=\"email\">") && html.contains("value=\"state &amp; more\""), "{html}");

    let redirect = sign_in(&app, "Boss@ACME.example", PASSWORD).await;
    assert_eq!(redirect.status(), StatusCode::SEE_OTHER);
    let location = redirect.headers()["location"].to_str().expect("location").to_owned();
    assert!(location.starts_with(&format!("{}/admin/?", app.base)), "{location}");
    assert_eq!(query_param(&location, "state").as_deref(), Some("state & more"));
    let code = query_param(&location, "code").expect("code");

    let redirect_uri = format!("{}/admin/", app.base);
    let form = |verifier: &'static str| {
        [
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("client_id", "jobslot-console"),
            ("redirect_uri", redirect_uri.as_str()),
            ("code_verifier", verifier),
        ]
    };
    let tokens = exchange(&app, &form(VERIFIER)).await;
    assert_eq!(tokens.status(), StatusCode::OK);
    assert_eq!(tokens.headers()["cache-control"], "no-store");
    let tokens: TokenResponse = tokens.json().await.expect("json");
    let replayed = exchange(&app, &form(VERIFIER)).await;
    assert_eq!(replayed.status(), StatusCode::BAD_REQUEST, "a code works once");
    let body: serde_json::Value = replayed.json().await.expect("json");
    assert_eq!(body["error"], "invalid_grant");

    let created: WorkOrderCreated =
        app.submit("signed-in-1", &submission(FIRST_SLOT)).await.json().await.expect("json");
    let url = format!("{}{SITE}/work-orders/{}", app.base, created.number);
    let read = app.client.get(&url).bearer_auth(&tokens.access_token).send().await.expect("get");
    assert_eq!(read.status(), StatusCode::OK);

    let refresh = [
        ("grant_type", "refresh_token"),
        ("refresh_token", tokens.refresh_token.as_deref().expect("a refresh token")),
        ("client_id", "jobslot-console"),
    ];
    let renewed = exchange(&app, &refresh).await;
    assert_eq!(renewed.status(), StatusCode::OK);
    let renewed: TokenResponse = renewed.json().await.expect("json");
    assert_ne!(renewed.refresh_token, tokens.refresh_token);
    let read = app.client.get(&url).bearer_auth(&renewed.access_token).send().await.expect("get");
    assert_eq!(read.status(), StatusCode::OK);
    let next = refresh_form(renewed.refresh_token.as_deref().expect("a refresh token"));
    let newest: TokenResponse =
        exchange(&app, &next).await.json().await.expect("the renewed token refreshes");

    // The first refresh token again: someone kept a copy. It is refused, and its whole
    // sign-in ends, the newest token included (RFC 9700 §4.14.2).
    assert_eq!(
        exchange(&app, &refresh).await.status(),
        StatusCode::BAD_REQUEST,
        "a refresh token works once"
    );
    let after_reuse = refresh_form(newest.refresh_token.as_deref().expect("a refresh token"));
    assert_eq!(
        exchange(&app, &after_reuse).await.status(),
        StatusCode::BAD_REQUEST,
        "reuse ends the sign-in"
    );
}

/// Signs `email` in through the form and returns the authorization code it is sent back with.
async fn code_for(app: &TestApp, email: &str) -> String {
    let redirect = sign_in(app, email, PASSWORD).await;
    let location = redirect.headers()["location"].to_str().expect("location").to_owned();
    query_param(&location, "code").expect("code")
}

fn refresh_form(token: &str) -> [(&'static str, &str); 3] {
    [("grant_type", "refresh_token"), ("refresh_token", token), ("client_id", "jobslot-console")]
}

#[tokio::test]
async fn signing_out_revokes_the_refresh_token() {
    let app = spawn_app().await;
    owner(&app, "leaving@acme.example").await;
    let code = code_for(&app, "leaving@acme.example").await;
    let redirect_uri = format!("{}/admin/", app.base);
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("client_id", "jobslot-console"),
        ("redirect_uri", redirect_uri.as_str()),
        ("code_verifier", VERIFIER),
    ];
    let tokens: TokenResponse = exchange(&app, &form).await.json().await.expect("tokens");
    let revoke = app
        .client
        .post(format!("{}/oauth2/revoke", app.base))
        .form(&[("token", tokens.refresh_token.as_deref().expect("a refresh token"))])
        .send()
        .await;
    assert_eq!(revoke.expect("revoke").status(), StatusCode::OK);
    assert_eq!(
        exchange(&app, &refresh_form(tokens.refresh_token.as_deref().expect("a refresh token")))
            .await
            .status(),
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn a_code_needs_its_own_verifier() {
    let app = spawn_app().await;
    owner(&app, "pkce@acme.example").await;
    let code = code_for(&app, "pkce@acme.example").await;
    let redirect_uri = format!("{}/admin/", app.base);
    let stolen = "y".repeat(60);
    let refused = exchange(
        &app,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("client_id", "jobslot-console"),
            ("redirect_uri", &redirect_uri),
            ("code_verifier", &stolen),
        ],
    )
    .await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_wrong_password_or_unknown_address_gets_the_same_refusal_and_no_code() {
    let app = spawn_app().await;
    owner(&app, "mary@acme.example").await;
    for (email, password) in [("mary@acme.example", "not the password"), ("nobody@acme.example", PASSWORD)] {
        let response = sign_in(&app, email, password).await;
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert!(response.headers().get("location").is_none());
        let html = response.text().await.expect("html");
        assert!(html.contains("role=\"alert\">The e-mail address or password is wrong."), "{html}");
        assert!(!html.contains(password));
    }
}

#[tokio::test]
async fn an_unregistered_redirect_is_never_followed() {
    let app = spawn_app().await;
    let mut params = authorize_params(&app);
    params[2].1 = "https://evil.example/admin/".into();
    let response =
        app.client.get(format!("{}/oauth2/authorize", app.base)).query(&params).send().await.expect("get");
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(response.headers().get("location").is_none());
    let mut params = authorize_params(&app);
    params[4].1 = "plain".into();
    let response =
        app.client.get(format!("{}/oauth2/authorize", app.base)).query(&params).send().await.expect("get");
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "a registered client hears about its mistake");
    let location = response.headers()["location"].to_str().expect("location").to_owned();
    assert_eq!(query_param(&location, "error").as_deref(), Some("invalid_request"));
}

#[tokio::test]
async fn a_guesser_is_blocked_where_it_guesses_and_never_locks_the_owner_out() {
    use jobslot_functions::app::identity::SignIn;
    let app = spawn_app().await;
    owner(&app, "guarded@acme.example").await;
    let identity = app.identity.clone().with_failed_sign_in_limit(3, std::time::Duration::from_secs(3600));
    // The owner's own slips count, and their sign-in starts the count afresh.
    for _ in 0..2 {
        let wrong =
            identity.sign_in("owner-laptop", "guarded@acme.example", "a typo").await.expect("sign in");
        assert!(matches!(wrong, SignIn::Refused), "{wrong:?}");
    }
    let right = identity.sign_in("owner-laptop", "guarded@acme.example", PASSWORD).await.expect("sign in");
    assert!(right.accepted().is_some());
    // A stranger guesses from one network, then from many.
    for n in 0..4 {
        let attempt = identity.sign_in("attacker", "guarded@acme.example", &format!("guess {n}")).await;
        assert!(matches!(attempt.expect("sign in"), SignIn::Refused));
    }
    let blocked = identity.sign_in("attacker", "guarded@acme.example", PASSWORD).await.expect("sign in");
    assert!(matches!(blocked, SignIn::TooManyAttempts(seconds) if seconds >= 1), "{blocked:?}");
    for n in 0..4 {
        let attempt = identity.sign_in(&format!("botnet-{n}"), "Guarded@ACME.example", "guess").await;
        assert!(matches!(attempt.expect("sign in"), SignIn::Refused));
    }
    // The address is past its limit from everywhere: its owner, elsewhere, waits a moment and
    // gets in with the right password.
    let started = std::time::Instant::now();
    let right = identity.sign_in("owner-phone", "guarded@acme.example", PASSWORD).await.expect("sign in");
    assert!(right.accepted().is_some(), "the right password is never refused");
    assert!(started.elapsed() >= std::time::Duration::from_millis(250), "but it is slowed");
}
