//! Signing in: the OAuth 2.0 authorization-code flow with PKCE against whichever issuer
//! `config.json` names (Cognito's hosted sign-in on AWS, `jobslot-local`'s own page locally).
//!
//! The verifier and state live in `sessionStorage` across the redirect; the tokens live there
//! afterwards, so closing the tab signs out. The access token is refreshed a minute before it
//! expires; a refresh token is used once (the issuer rotates it).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use gloo_net::http::Request;
use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

const SESSION_KEY: &str = "jobslot.session";
const PENDING_KEY: &str = "jobslot.pending-sign-in";

/// Where to sign in and whose API to call, from `config.json` beside the console.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Config {
    /// The issuer's authorization endpoint.
    pub authorization_endpoint: String,
    /// The issuer's token endpoint.
    pub token_endpoint: String,
    /// Where refresh tokens are revoked on sign-out (optional).
    #[serde(default)]
    pub revocation_endpoint: Option<String>,
    /// The console's client id at the issuer.
    pub client_id: String,
    /// The API's origin; empty for the console's own origin.
    #[serde(default)]
    pub api: String,
}

/// Tokens of a signed-in user.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    /// Bearer token for the API.
    pub access_token: String,
    /// One-time token for the next access token.
    pub refresh_token: String,
    /// When the access token expires (ms since the epoch).
    pub expires_at: f64,
}

#[derive(Serialize, Deserialize)]
struct Pending {
    verifier: String,
    state: String,
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    refresh_token: Option<String>,
    expires_in: f64,
}

fn window() -> Result<web_sys::Window, String> {
    web_sys::window().ok_or_else(|| "no window".to_owned())
}

fn storage() -> Result<web_sys::Storage, String> {
    window()?.session_storage().ok().flatten().ok_or_else(|| "session storage is unavailable".to_owned())
}

fn js_error(error: JsValue) -> String {
    error.as_string().unwrap_or_else(|| format!("{error:?}"))
}

/// A fresh key for one create, so a retry after a lost answer creates once.
pub fn idempotency_key() -> Result<String, String> {
    random_text(18)
}

fn random_text(bytes: usize) -> Result<String, String> {
    let mut buffer = vec![0u8; bytes];
    window()?.crypto().map_err(js_error)?.get_random_values_with_u8_array(&mut buffer).map_err(js_error)?;
    Ok(URL_SAFE_NO_PAD.encode(buffer))
}

/// BASE64URL(SHA-256(verifier)), computed by the browser's own crypto.
async fn challenge(verifier: &str) -> Result<String, String> {
    let subtle = window()?.crypto().map_err(js_error)?.subtle();
    let promise = subtle.digest_with_str_and_u8_array("SHA-256", verifier.as_bytes()).map_err(js_error)?;
    let digest = JsFuture::from(promise).await.map_err(js_error)?;
    Ok(URL_SAFE_NO_PAD.encode(js_sys::Uint8Array::new(&digest).to_vec()))
}

/// The console's own address without query or fragment: the registered redirect URI.
pub fn redirect_uri() -> Result<String, String> {
    let location = window()?.location();
    let path = location.pathname().map_err(js_error)?;
    let path = if path.ends_with('/') { path } else { format!("{path}/") };
    Ok(format!("{}{path}", location.origin().map_err(js_error)?))
}

/// Loads `config.json`.
pub async fn config() -> Result<Config, String> {
    let response =
        Request::get(&format!("{}config.json", redirect_uri()?)).send().await.map_err(|e| e.to_string())?;
    if !response.ok() {
        return Err(format!("config.json: HTTP {}", response.status()));
    }
    response.json().await.map_err(|e| e.to_string())
}

/// Sends the browser to the issuer's sign-in page.
pub async fn start_sign_in(config: &Config) -> Result<(), String> {
    let pending = Pending { verifier: random_text(48)?, state: random_text(16)? };
    let challenge = challenge(&pending.verifier).await?;
    let json = serde_json::to_string(&pending).map_err(|e| e.to_string())?;
    storage()?.set_item(PENDING_KEY, &json).map_err(js_error)?;
    let query = js_sys::Array::of5(
        &pair("response_type", "code"),
        &pair("client_id", &config.client_id),
        &pair("redirect_uri", &redirect_uri()?),
        &pair("code_challenge", &challenge),
        &pair("state", &pending.state),
    );
    let params = web_sys::UrlSearchParams::new_with_str_sequence_sequence(&query).map_err(js_error)?;
    params.append("code_challenge_method", "S256");
    params.append("scope", "openid");
    let url = format!("{}?{}", config.authorization_endpoint, String::from(params.to_string()));
    window()?.location().set_href(&url).map_err(js_error)
}

fn pair(key: &str, value: &str) -> js_sys::Array {
    js_sys::Array::of2(&key.into(), &value.into())
}

/// Finishes a sign-in when the issuer sent the browser back with a code; `Ok(None)` when
/// this page load is not a return from the issuer.
pub async fn finish_sign_in(config: &Config) -> Result<Option<Session>, String> {
    let location = window()?.location();
    let params =
        web_sys::UrlSearchParams::new_with_str(&location.search().map_err(js_error)?).map_err(js_error)?;
    if let Some(error) = params.get("error") {
        clear_query()?;
        return Err(format!("The sign-in was refused ({error})."));
    }
    let Some(code) = params.get("code") else { return Ok(None) };
    let returned_state = params.get("state").unwrap_or_default();
    let store = storage()?;
    let pending: Option<Pending> =
        store.get_item(PENDING_KEY).ok().flatten().and_then(|json| serde_json::from_str(&json).ok());
    let _ = store.remove_item(PENDING_KEY);
    clear_query()?;
    let pending = pending
        .filter(|p| p.state == returned_state)
        .ok_or("This sign-in link was not started here. Sign in again.")?;
    let form = format!(
        "grant_type=authorization_code&code={}&client_id={}&redirect_uri={}&code_verifier={}",
        encode(&code),
        encode(&config.client_id),
        encode(&redirect_uri()?),
        encode(&pending.verifier)
    );
    let session = token_request(config, form, None).await?;
    save(&session)?;
    Ok(Some(session))
}

fn encode(value: &str) -> String {
    String::from(js_sys::encode_uri_component(value))
}

fn clear_query() -> Result<(), String> {
    let path = redirect_uri()?;
    let hash = window()?.location().hash().unwrap_or_default();
    window()?
        .history()
        .map_err(js_error)?
        .replace_state_with_url(&JsValue::NULL, "", Some(&format!("{path}{hash}")))
        .map_err(js_error)
}

async fn token_request(config: &Config, form: String, old_refresh: Option<&str>) -> Result<Session, String> {
    let response = Request::post(&config.token_endpoint)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form)
        .map_err(|e| e.to_string())?
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if !response.ok() {
        return Err(format!("The sign-in service refused the request (HTTP {}).", response.status()));
    }
    let tokens: TokenResponse = response.json().await.map_err(|e| e.to_string())?;
    Ok(Session {
        access_token: tokens.access_token,
        // Cognito keeps the refresh token; the local issuer rotates it.
        refresh_token: tokens.refresh_token.or(old_refresh.map(str::to_owned)).unwrap_or_default(),
        expires_at: js_sys::Date::now() + tokens.expires_in * 1000.0,
    })
}

/// The stored session, if any.
pub fn stored() -> Option<Session> {
    storage().ok()?.get_item(SESSION_KEY).ok().flatten().and_then(|json| serde_json::from_str(&json).ok())
}

fn save(session: &Session) -> Result<(), String> {
    let json = serde_json::to_string(session).map_err(|e| e.to_string())?;
    storage()?.set_item(SESSION_KEY, &json).map_err(js_error)
}

/// Refreshes happen one at a time: the issuer takes each refresh token once and treats a second
/// use as theft (ending the sign-in), so two calls must not both spend the same token.
fn refresh_lock() -> &'static futures::lock::Mutex<()> {
    static LOCK: std::sync::OnceLock<futures::lock::Mutex<()>> = std::sync::OnceLock::new();
    LOCK.get_or_init(|| futures::lock::Mutex::new(()))
}

/// An access token good for at least another minute, refreshing if needed; `refused` is a
/// token the API just turned down, which must not be handed out again.
pub async fn access_token(config: &Config, refused: Option<&str>) -> Result<String, String> {
    let usable = |s: &Session| {
        refused != Some(s.access_token.as_str()) && s.expires_at - js_sys::Date::now() > 60_000.0
    };
    let session = stored().ok_or("Not signed in.")?;
    if usable(&session) {
        return Ok(session.access_token);
    }
    let _one_at_a_time = refresh_lock().lock().await;
    // Another call may have refreshed while this one waited.
    let session = stored().ok_or("Not signed in.")?;
    if usable(&session) {
        return Ok(session.access_token);
    }
    let form = format!(
        "grant_type=refresh_token&refresh_token={}&client_id={}",
        encode(&session.refresh_token),
        encode(&config.client_id)
    );
    match token_request(config, form, Some(&session.refresh_token)).await {
        Ok(renewed) => {
            save(&renewed)?;
            Ok(renewed.access_token)
        }
        Err(error) => {
            forget();
            Err(error)
        }
    }
}

/// Forgets the tokens here.
pub fn forget() {
    if let Ok(store) = storage() {
        let _ = store.remove_item(SESSION_KEY);
    }
}

/// Signs out: the refresh token is revoked at the issuer and the tokens are forgotten.
pub async fn sign_out(config: &Config) {
    if let (Some(session), Some(endpoint)) = (stored(), &config.revocation_endpoint) {
        let form =
            format!("token={}&client_id={}", encode(&session.refresh_token), encode(&config.client_id));
        if let Ok(request) =
            Request::post(endpoint).header("content-type", "application/x-www-form-urlencoded").body(form)
        {
            let _ = request.send().await;
        }
    }
    forget();
}

/// Copies text to the clipboard.
pub async fn copy(text: &str) -> Result<(), String> {
    let clipboard = window()?.navigator().clipboard();
    JsFuture::from(clipboard.write_text(text)).await.map(|_| ()).map_err(js_error)
}

/// Adds a `<script>` to the page once (the widget's loader, for the live preview).
pub fn load_script_once(src: &str) -> Result<(), String> {
    let document = window()?.document().ok_or("no document")?;
    if document.query_selector(&format!("script[src=\"{src}\"]")).ok().flatten().is_some() {
        return Ok(());
    }
    let script: web_sys::HtmlScriptElement =
        document.create_element("script").map_err(js_error)?.unchecked_into();
    script.set_src(src);
    script.set_async(true);
    document.body().ok_or("no body")?.append_child(&script).map_err(js_error)?;
    Ok(())
}
