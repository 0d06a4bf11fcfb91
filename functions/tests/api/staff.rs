//! The staff API: who may call what (one table for every staff route), and setting up a
//! business through it.

use crate::helpers::{SITE, TestApp, fields, problem, spawn_app};
use crate::support::{FIRST_SLOT, submission};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jobslot_domain::api::{SlotsResponse, WorkOrderCreated};
use jobslot_domain::staff::Role;
use jobslot_functions::auth::LocalIssuer;
use jobslot_functions::auth::issuer::generate_key;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// A staff route, and the least role that may use it on the demo site.
struct Route {
    method: Method,
    path: String,
    body: Option<Value>,
    allowed: &'static [Role],
}

const EVERYONE: &[Role] = &[Role::Owner, Role::Dispatcher, Role::Technician];
const SETUP_VIEWERS: &[Role] = &[Role::Owner, Role::Dispatcher];
const OWNERS: &[Role] = &[Role::Owner];

/// Every site-scoped staff route.
async fn routes(app: &TestApp) -> Vec<Route> {
    let created: WorkOrderCreated =
        app.submit("matrix-order-1", &submission(FIRST_SLOT)).await.json().await.expect("json");
    let route = |method: Method, path: &str, body: Option<Value>, allowed| Route {
        method,
        path: format!("{SITE}{path}"),
        body,
        allowed,
    };
    vec![
        route(Method::GET, &format!("/work-orders/{}", created.number), None, EVERYONE),
        route(Method::GET, "/work-orders", None, EVERYONE),
        route(
            Method::PATCH,
            &format!("/work-orders/{}", created.number),
            Some(json!({ "priority": 1 })),
            SETUP_VIEWERS,
        ),
        route(Method::GET, "/work-order-rules", None, EVERYONE),
        route(Method::GET, "/board", None, SETUP_VIEWERS),
        route(Method::POST, &format!("/work-orders/{}/booking-link", created.number), None, SETUP_VIEWERS),
        route(Method::POST, &format!("/bookings/{}/manage-link", created.number), None, SETUP_VIEWERS),
        route(Method::POST, "/integrations", Some(json!({ "name": "Field app" })), OWNERS),
        route(Method::GET, &format!("/work-orders/{}/follow-up/slots", created.number), None, EVERYONE),
        route(
            Method::POST,
            &format!("/work-orders/{}/follow-up", created.number),
            Some(json!({ "technician": "sam-nguyen", "start": FIRST_SLOT })),
            EVERYONE,
        ),
        route(Method::PUT, "/work-order-rules", Some(json!({})), OWNERS),
        route(Method::GET, "/settings", None, SETUP_VIEWERS),
        route(Method::PUT, "/settings", Some(json!({})), OWNERS),
        route(Method::GET, "/services", None, SETUP_VIEWERS),
        route(Method::PUT, "/services", Some(json!({})), OWNERS),
        route(Method::GET, "/order-form", None, SETUP_VIEWERS),
        route(Method::PUT, "/order-form", Some(json!({})), OWNERS),
        route(Method::GET, "/technicians", None, SETUP_VIEWERS),
        route(Method::GET, "/technicians/sam-nguyen", None, SETUP_VIEWERS),
        route(Method::PUT, "/technicians/new-tech", Some(json!({})), OWNERS),
        route(Method::GET, "/members", None, OWNERS),
        route(
            Method::PUT,
            "/members",
            Some(json!({ "email": "x@acme.example", "role": "dispatcher" })),
            OWNERS,
        ),
        route(Method::GET, "/audit", None, OWNERS),
        // Nobody by these ids: an allowed caller gets 404, the others are refused before.
        route(Method::DELETE, "/members/nobody-here", None, OWNERS),
        route(Method::POST, "/members/nobody-here/invitation", None, OWNERS),
        route(Method::DELETE, "/integrations/mc-nobody", None, OWNERS),
        route(Method::POST, "/integrations/mc-nobody/rotate-secret", None, OWNERS),
    ]
}

async fn call(app: &TestApp, route: &Route, token: Option<&str>) -> reqwest::Response {
    let mut request = app.client.request(route.method.clone(), format!("{}{}", app.base, route.path));
    // A well-formed request: what is refused is the caller, not the request's syntax (a create
    // without its key is a 422 for anyone who signed in).
    if route.method == Method::POST {
        request = request.header("idempotency-key", "matrix-request-key");
    }
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = &route.body {
        request = request.json(body);
    }
    request.send().await.expect("request")
}

/// The claims of a valid token, to re-sign with one thing wrong.
fn claims(app: &TestApp, user: &str) -> Value {
    let token = app.token_for(&jobslot_domain::ids::UserId::parse("u", user).expect("user"));
    let payload = token.split('.').nth(1).expect("payload");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("b64")).expect("json")
}

#[tokio::test]
async fn every_staff_route_refuses_bad_tokens_other_sites_and_insufficient_roles() {
    let app = spawn_app().await;
    let routes = routes(&app).await;
    let (owner, _) = app.staff(Role::Owner).await;
    let owner = owner.to_string();

    let expired =
        app.issuer.access_token(&owner, jiff::Timestamp::now().as_second() - 3_600, 900).expect("t");
    let mut wrong_issuer = claims(&app, &owner);
    wrong_issuer["iss"] = "https://evil.example".into();
    let wrong_issuer = app.issuer.sign(&wrong_issuer).expect("signed");
    let mut wrong_audience = claims(&app, &owner);
    wrong_audience["aud"] = "another-app".into();
    wrong_audience["client_id"] = "another-app".into();
    let wrong_audience = app.issuer.sign(&wrong_audience).expect("signed");
    let forged = {
        let forger = LocalIssuer::new(app.base.clone(), &generate_key().expect("key")).expect("issuer");
        let theirs = forger.access_token(&owner, jiff::Timestamp::now().as_second(), 900).expect("t");
        let ours = app.token_for(&jobslot_domain::ids::UserId::parse("u", &owner).expect("user"));
        let header = ours.split('.').next().expect("header");
        format!("{header}.{}", theirs.split_once('.').expect("parts").1)
    };
    // An owner, but of another site.
    let stranger = app.member_of_other_site().await;

    let unscoped = [
        Route { method: Method::GET, path: "/api/me".into(), body: None, allowed: EVERYONE },
        Route { method: Method::POST, path: "/api/sites".into(), body: Some(json!({})), allowed: OWNERS },
        Route {
            method: Method::PUT,
            path: "/api/me/password".into(),
            body: Some(json!({})),
            allowed: EVERYONE,
        },
    ];
    for route in &unscoped {
        for token in [
            None,
            Some(expired.as_str()),
            Some(wrong_issuer.as_str()),
            Some(wrong_audience.as_str()),
            Some(forged.as_str()),
        ] {
            let status = call(&app, route, token).await.status();
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{} {}", route.method, route.path);
        }
    }
    for route in &routes {
        let what = format!("{} {}", route.method, route.path);
        for (token, case) in [
            (None, "no token"),
            (Some(expired.as_str()), "expired"),
            (Some(wrong_issuer.as_str()), "wrong issuer"),
            (Some(wrong_audience.as_str()), "wrong audience"),
            (Some(forged.as_str()), "forged signature"),
            (Some("not-a-jwt"), "garbage"),
        ] {
            let response = call(&app, route, token).await;
            assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{what}: {case}");
            assert!(response.headers().get("www-authenticate").is_some(), "{what}: {case}");
        }
        let response = call(&app, route, Some(&stranger)).await;
        problem(response, StatusCode::NOT_FOUND, "unknown-site").await;
        for role in [Role::Dispatcher, Role::Technician].into_iter().filter(|r| !route.allowed.contains(r)) {
            let (_, token) = app.staff(role).await;
            let response = call(&app, route, Some(&token)).await;
            assert_eq!(response.status(), StatusCode::FORBIDDEN, "{what}: {role:?}");
            problem(response, StatusCode::FORBIDDEN, "forbidden").await;
        }
        for role in route.allowed {
            let (_, token) = app.staff(*role).await;
            let status = call(&app, route, Some(&token)).await.status();
            assert!(
                status != StatusCode::FORBIDDEN && status != StatusCode::UNAUTHORIZED,
                "{what}: {role:?} got {status}"
            );
        }
    }
}

#[tokio::test]
async fn only_operators_create_sites() {
    let app = spawn_app().await;
    let (_, owner) = app.staff(Role::Owner).await;
    let body = json!({ "id": "new-biz", "business_name": "New Biz", "country": "AU", "time_zone": "Australia/Perth",
                       "currency": "AUD", "step_minutes": 30, "min_notice_minutes": 60, "days_ahead": 14,
                       "owner_email": "founder@newbiz.example" });
    let refused = app
        .client
        .post(format!("{}/api/sites", app.base))
        .bearer_auth(&owner)
        .header("Idempotency-Key", "new-biz-0000")
        .json(&body)
        .send()
        .await;
    problem(refused.expect("post"), StatusCode::FORBIDDEN, "forbidden").await;

    let operator = app.operator().await;
    let created = app
        .client
        .post(format!("{}/api/sites", app.base))
        .bearer_auth(&operator)
        .header("Idempotency-Key", "new-biz-0001")
        .json(&body)
        .send()
        .await
        .expect("post");
    assert_eq!(created.status(), StatusCode::CREATED);
    let created: Value = created.json().await.expect("json");
    assert_eq!(created["site"], "new-biz");
    // Nobody but the founder learns their password: they set it from the invitation's link.
    assert!(created.get("owner_password").is_none() && created["owner_invited"] == true, "{created}");
    let link = app.password_link_for("founder@newbiz.example").await;
    assert_eq!(app.set_password_through(&link, "founders keep the keys").await.status(), StatusCode::OK);
    let founder = app.signs_in("founder@newbiz.example", "founders keep the keys").await.expect("account");
    let me: Value = app
        .client
        .get(format!("{}/api/me", app.base))
        .bearer_auth(app.token_for(&founder))
        .send()
        .await
        .expect("me")
        .json()
        .await
        .expect("json");
    assert_eq!(me["sites"], json!([{ "site": "new-biz", "role": "owner" }]));
    let config = app.get("/api/sites/new-biz/config").await;
    assert_eq!(config.status(), StatusCode::OK, "the new site is live (with nothing bookable yet)");
}

fn new_technician() -> Value {
    json!({
        "name": "Nia Brooks",
        "areas": ["2999"],
        "services": ["basic-service"],
        "hours": { "monday": ["08:00-12:00"], "tuesday": ["08:00-12:00"], "wednesday": ["08:00-12:00"],
                   "thursday": ["08:00-12:00"], "friday": ["08:00-12:00"] },
        "time_off": [{ "from": "2026-11-25" }],
        "active": true
    })
}

#[tokio::test]
async fn an_owner_adds_a_technician_who_becomes_bookable_except_on_their_day_off() {
    let app = spawn_app().await;
    let (_, owner) = app.staff(Role::Owner).await;
    problem(
        app.get(&format!("{SITE}/coverage?postcode=2999")).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "postcode-not-served",
    )
    .await;

    let url = format!("{}{SITE}/technicians/nia-brooks", app.base);
    let unstated =
        app.client.put(&url).bearer_auth(&owner).json(&new_technician()).send().await.expect("put");
    problem(unstated, StatusCode::PRECONDITION_REQUIRED, "if-match-required").await;
    let created = app
        .client
        .put(&url)
        .bearer_auth(&owner)
        .header("If-None-Match", "*")
        .json(&new_technician())
        .send()
        .await;
    let created = created.expect("put");
    assert_eq!(created.status(), StatusCode::CREATED);
    let etag = created.headers()["etag"].to_str().expect("etag").to_owned();
    let create = |body: Value| {
        app.client.put(&url).bearer_auth(&owner).header("If-None-Match", "*").json(&body).send()
    };
    let retried = create(new_technician()).await.expect("put");
    assert_eq!(retried.status(), StatusCode::CREATED, "a retried create gets the first answer");
    assert_eq!(retried.headers()["etag"].to_str().expect("etag"), etag);
    let mut someone_else = new_technician();
    someone_else["name"] = "Another Nia".into();
    let clash =
        problem(create(someone_else).await.expect("put"), StatusCode::UNPROCESSABLE_ENTITY, "validation")
            .await;
    assert_eq!(fields(&clash), ["id"], "a different technician cannot take the id");
    let list: Value = app.staff_get(&format!("{SITE}/technicians"), &owner).await;
    let ids: Vec<&str> = list["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|t| t["id"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(ids, ["nia-brooks", "priya-shah", "sam-nguyen", "tom-kelly"], "sorted by id");
    assert!(list.get("next").is_none(), "one page");

    let coverage: Value =
        app.get(&format!("{SITE}/coverage?postcode=2999")).await.json().await.expect("json");
    assert_eq!(coverage["technicians"][0]["name"], "Nia Brooks");
    // Tuesday 24 November is a working day; Wednesday the 25th is the day off.
    let days: SlotsResponse = app
        .get(&format!("{SITE}/slots?postcode=2999&service=basic-service&from=2026-11-24&days=3"))
        .await
        .json()
        .await
        .expect("json");
    let dates: Vec<String> = days.days.iter().map(|d| d.date.to_string()).collect();
    assert_eq!(dates, ["2026-11-24", "2026-11-26"]);
    let other_service: SlotsResponse = app
        .get(&format!("{SITE}/slots?postcode=2999&service=brake-repair&from=2026-11-24&days=3"))
        .await
        .json()
        .await
        .expect("json");
    assert!(other_service.days.is_empty(), "Nia does basic services only");

    let mut changed = new_technician();
    changed["areas"] = json!(["2999", "2998"]);
    let stale = app
        .client
        .put(&url)
        .bearer_auth(&owner)
        .header("If-Match", "\"not-the-version\"")
        .json(&changed)
        .send()
        .await;
    let stale =
        problem(stale.expect("put"), StatusCode::PRECONDITION_FAILED, "changed-by-someone-else").await;
    assert!(stale.detail.unwrap_or_default().contains("Reload"));
    let edited = app
        .client
        .put(&url)
        .bearer_auth(&owner)
        .header("If-Match", &etag)
        .json(&changed)
        .send()
        .await
        .expect("put");
    assert_eq!(edited.status(), StatusCode::OK);
    assert_ne!(edited.headers()["etag"].to_str().expect("etag"), etag);

    let audit: Value = app.staff_get(&format!("{SITE}/audit"), &owner).await;
    let actions: Vec<&str> = audit["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| e["action"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(actions, ["technician.changed", "technician.created"], "newest first");
    assert_eq!(audit["entries"][0]["target"], "nia-brooks");
}

#[tokio::test]
async fn bad_setup_input_is_named_field_by_field_and_nothing_changes() {
    let app = spawn_app().await;
    let (_, owner) = app.staff(Role::Owner).await;
    let mut bad = new_technician();
    bad["areas"] = json!(["2999", "SW1A"]);
    bad["hours"]["monday"] = json!(["09:00-08:00"]);
    let url = format!("{}{SITE}/technicians/nia-brooks", app.base);
    let refused =
        app.client.put(&url).bearer_auth(&owner).header("If-None-Match", "*").json(&bad).send().await;
    let refused = problem(refused.expect("put"), StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    assert_eq!(fields(&refused), ["areas[1]", "hours.monday[0]"]);
    assert_eq!(
        app.client.get(&url).bearer_auth(&owner).send().await.expect("get").status(),
        StatusCode::NOT_FOUND
    );

    let settings_url = format!("{}{SITE}/settings", app.base);
    let current = app.client.get(&settings_url).bearer_auth(&owner).send().await.expect("get");
    let etag = current.headers()["etag"].to_str().expect("etag").to_owned();
    let mut settings: Value = current.json().await.expect("json");
    assert_eq!(settings["time_zone"], "Australia/Sydney");
    settings["time_zone"] = "Australia/Sydny".into();
    let refused = app
        .client
        .put(&settings_url)
        .bearer_auth(&owner)
        .header("If-Match", &etag)
        .json(&settings)
        .send()
        .await;
    let refused = problem(refused.expect("put"), StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    assert_eq!(fields(&refused), ["time_zone"]);
    settings["time_zone"] = "Australia/Brisbane".into();
    settings["country"] = "US".into();
    settings["currency"] = "USD".into();
    let refused = app
        .client
        .put(&settings_url)
        .bearer_auth(&owner)
        .header("If-Match", &etag)
        .json(&settings)
        .send()
        .await;
    let refused = problem(refused.expect("put"), StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    assert_eq!(fields(&refused), ["country", "currency"], "technicians' areas and prices depend on them");
    settings["country"] = "AU".into();
    settings["currency"] = "AUD".into();
    let changed = app
        .client
        .put(&settings_url)
        .bearer_auth(&owner)
        .header("If-Match", &etag)
        .json(&settings)
        .send()
        .await;
    let changed = changed.expect("put");
    assert_eq!(changed.status(), StatusCode::OK);
    let config: Value = app.get(&format!("{SITE}/config")).await.json().await.expect("json");
    assert_eq!(config["time_zone"], "Australia/Brisbane");

    // A field left out takes the default the OpenAPI document states, a value it accepts.
    let etag = changed.headers()["etag"].to_str().expect("etag").to_owned();
    let rules = settings.as_object_mut().expect("object");
    for field in ["step_minutes", "min_notice_minutes", "days_ahead"] {
        rules.remove(field);
    }
    let changed = app
        .client
        .put(&settings_url)
        .bearer_auth(&owner)
        .header("If-Match", &etag)
        .json(&settings)
        .send()
        .await;
    let changed: Value = changed.expect("put").json().await.expect("json");
    let defaults = jobslot_domain::setup::SettingsInput::default();
    assert_eq!(changed["step_minutes"], defaults.step_minutes);
    assert_eq!(changed["min_notice_minutes"], defaults.min_notice_minutes);
    assert_eq!(changed["days_ahead"], defaults.days_ahead);
}

#[tokio::test]
async fn owners_add_members_and_a_site_keeps_an_owner() {
    let app = spawn_app().await;
    let (owner_id, owner) = app.staff(Role::Owner).await;
    let url = format!("{}{SITE}/members", app.base);
    let added = app
        .client
        .put(&url)
        .bearer_auth(&owner)
        .json(&json!({ "email": "desk@acme.example", "role": "dispatcher" }))
        .send()
        .await
        .expect("put");
    assert_eq!(added.status(), StatusCode::OK);
    let added: Value = added.json().await.expect("json");
    assert!(added.get("password").is_none() && added["invited_at"].is_string(), "{added}");
    let link = app.password_link_for("desk@acme.example").await;
    assert_eq!(app.set_password_through(&link, "front desk all day").await.status(), StatusCode::OK);
    let desk = app.signs_in("desk@acme.example", "front desk all day").await.expect("account");
    let desk_token = app.token_for(&desk);
    let settings = app
        .client
        .put(format!("{}{SITE}/settings", app.base))
        .bearer_auth(&desk_token)
        .json(&json!({}))
        .send()
        .await;
    problem(settings.expect("put"), StatusCode::FORBIDDEN, "forbidden").await;

    let demote_self = app
        .client
        .put(&url)
        .bearer_auth(&owner)
        .json(&json!({ "email": format!("{owner_id}@acme.example"), "user": owner_id.to_string(), "role": "dispatcher" }))
        .send()
        .await;
    let refused = problem(demote_self.expect("put"), StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    assert_eq!(fields(&refused), ["role"]);
}

#[tokio::test]
async fn a_sites_own_embedding_origins_may_call_its_routes_and_no_other_sites() {
    let app = spawn_app().await;
    let (_, owner) = app.staff(Role::Owner).await;
    let url = format!("{}{SITE}/settings", app.base);
    let current = app.client.get(&url).bearer_auth(&owner).send().await.expect("get");
    let etag = current.headers()["etag"].to_str().expect("etag").to_owned();
    let mut settings: Value = current.json().await.expect("json");
    settings["allowed_origins"] = json!(["https://acme-cars.example"]);
    let saved =
        app.client.put(&url).bearer_auth(&owner).header("If-Match", &etag).json(&settings).send().await;
    assert_eq!(saved.expect("put").status(), StatusCode::OK);

    let preflight = |path: String, origin: &'static str| {
        app.client
            .request(Method::OPTIONS, format!("{}{path}", app.base))
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "GET")
            .send()
    };
    let allowed = |r: &reqwest::Response| r.headers().get("access-control-allow-origin").is_some();
    let own = preflight(format!("{SITE}/slots"), "https://acme-cars.example").await.expect("preflight");
    assert!(allowed(&own), "the site's own page may embed the widget");
    let stranger = preflight(format!("{SITE}/slots"), "https://elsewhere.example").await.expect("preflight");
    assert!(!allowed(&stranger));
    let other_site = preflight("/api/sites/other-site/slots".into(), "https://acme-cars.example")
        .await
        .expect("preflight");
    assert!(!allowed(&other_site), "one site's origins open nothing of another's");
}
