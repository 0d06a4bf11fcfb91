//! The staff API as the console calls it: bearer tokens, versions (`ETag` / `If-Match`) and
//! problem documents turned into messages beside fields.

use crate::session::{self, Config};
use gloo_net::http::{Method, RequestBuilder, Response};
use jobslot_domain::FieldError;
use jobslot_domain::api::{Problem, ProblemKind};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// A failed call.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// The API answered with a problem document.
    Problem(Problem),
    /// The session ended; sign in again.
    SignedOut,
    /// The network failed or the answer was unreadable.
    Network(String),
}

impl Failure {
    /// Errors naming fields.
    pub fn field_errors(&self) -> Vec<FieldError> {
        match self {
            Failure::Problem(p) => p.errors.clone(),
            _ => Vec::new(),
        }
    }

    /// The problem's kind.
    pub fn kind(&self) -> Option<ProblemKind> {
        match self {
            Failure::Problem(p) => p.kind(),
            _ => None,
        }
    }

    /// A sentence for the page when no field is at fault.
    pub fn message(&self) -> String {
        match self {
            Failure::Problem(p) if p.kind() == Some(ProblemKind::PreconditionFailed) => {
                "Changed by someone else — reload to see their change, then make yours again.".into()
            }
            Failure::Problem(p) => p.detail.clone().unwrap_or_else(|| p.title.clone()),
            Failure::SignedOut => "Your session ended. Sign in again.".into(),
            Failure::Network(message) => format!("The server could not be reached ({message})."),
        }
    }
}

/// A record and its version.
#[derive(Debug, Clone, PartialEq)]
pub struct Tagged<T> {
    #[allow(missing_docs)]
    pub value: T,
    /// Its `ETag`, to send back as `If-Match`.
    pub etag: Option<String>,
}

/// How a write names the version it changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Version {
    /// Create: `If-None-Match: *`.
    New,
    /// Change this version: `If-Match`.
    Of(String),
}

/// The API, signed in.
#[derive(Debug, Clone)]
pub struct Api {
    config: Config,
}

impl Api {
    /// The API named by `config`.
    pub fn new(config: Config) -> Self {
        Self { config }
    }

    /// The configuration it was made with.
    pub fn config(&self) -> &Config {
        &self.config
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.config.api.trim_end_matches('/'))
    }

    async fn send_keyed(
        &self,
        method: Method,
        path: &str,
        body: String,
        key: &str,
    ) -> Result<Response, Failure> {
        self.send_with(method, path, Some(body), None, Some(key)).await
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<String>,
        version: Option<&Version>,
    ) -> Result<Response, Failure> {
        self.send_with(method, path, body, version, None).await
    }

    async fn send_with(
        &self,
        method: Method,
        path: &str,
        body: Option<String>,
        version: Option<&Version>,
        idempotency_key: Option<&str>,
    ) -> Result<Response, Failure> {
        let mut refused: Option<String> = None;
        for attempt in 0..2 {
            let token = session::access_token(&self.config, refused.as_deref())
                .await
                .map_err(|_| Failure::SignedOut)?;
            let mut request = RequestBuilder::new(&self.url(path))
                .method(method.clone())
                .header("Authorization", &format!("Bearer {token}"));
            request = match version {
                Some(Version::New) => request.header("If-None-Match", "*"),
                Some(Version::Of(tag)) => request.header("If-Match", tag),
                None => request,
            };
            if let Some(key) = idempotency_key {
                request = request.header("Idempotency-Key", key);
            }
            let sent = match &body {
                Some(json) => {
                    request
                        .header("content-type", "application/json")
                        .body(json.clone())
                        .map_err(network)?
                        .send()
                        .await
                }
                None => request.send().await,
            };
            let response = sent.map_err(network)?;
            // A token refused once may have expired in flight: refresh and try once more.
            if response.status() == 401 && attempt == 0 {
                refused = Some(token);
                continue;
            }
            if response.status() == 401 {
                session::forget();
                return Err(Failure::SignedOut);
            }
            return Ok(response);
        }
        Err(Failure::SignedOut)
    }

    /// `GET` a record with its version.
    pub async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<Tagged<T>, Failure> {
        decode(self.send(Method::GET, path, None, None).await?).await
    }

    /// `PUT` a record under a version; answers with the stored record and its new version.
    pub async fn put<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
        version: &Version,
    ) -> Result<Tagged<T>, Failure> {
        self.versioned(Method::PUT, path, body, version).await
    }

    /// `PATCH` a record under a version; answers with the stored record and its new version.
    pub async fn patch<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
        version: &Version,
    ) -> Result<Tagged<T>, Failure> {
        self.versioned(Method::PATCH, path, body, version).await
    }

    async fn versioned<B: Serialize, T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: &B,
        version: &Version,
    ) -> Result<Tagged<T>, Failure> {
        let json = serde_json::to_string(body).map_err(network)?;
        decode(self.send(method, path, Some(json), Some(version)).await?).await
    }

    /// Every item of a paged list, following its cursors.
    pub async fn get_all<T: DeserializeOwned>(&self, path: &str) -> Result<Vec<T>, Failure> {
        use jobslot_domain::setup::Page;
        let mut all = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let url = match &cursor {
                Some(c) => format!("{path}?cursor={}", js_sys::encode_uri_component(c)),
                None => path.to_owned(),
            };
            let page: Page<T> = self.get(&url).await?.value;
            all.extend(page.items);
            match page.next {
                Some(next) => cursor = Some(next),
                None => return Ok(all),
            }
        }
    }

    /// `POST` a create under an idempotency key.
    pub async fn post<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
        key: &str,
    ) -> Result<Tagged<T>, Failure> {
        let json = serde_json::to_string(body).map_err(network)?;
        decode(self.send_keyed(Method::POST, path, json, key).await?).await
    }

    /// `POST` an action with no body and no idempotency key: one that is safe to repeat
    /// (replacing a link replaces it again).
    pub async fn act<T: DeserializeOwned>(&self, path: &str) -> Result<T, Failure> {
        decode(self.send(Method::POST, path, None, None).await?).await.map(|tagged| tagged.value)
    }

    /// `POST` an action with no body whose answer has none either.
    pub async fn act_empty(&self, path: &str) -> Result<(), Failure> {
        no_content(self.send(Method::POST, path, None, None).await?).await
    }

    /// `PUT` something that has no version (a member's role).
    pub async fn put_plain<B: Serialize, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<Tagged<T>, Failure> {
        let json = serde_json::to_string(body).map_err(network)?;
        decode(self.send(Method::PUT, path, Some(json), None).await?).await
    }

    /// `PUT` something that answers with no body (a password).
    pub async fn put_empty<B: Serialize>(&self, path: &str, body: &B) -> Result<(), Failure> {
        let json = serde_json::to_string(body).map_err(network)?;
        no_content(self.send(Method::PUT, path, Some(json), None).await?).await
    }

    /// `DELETE` a record.
    pub async fn delete(&self, path: &str) -> Result<(), Failure> {
        no_content(self.send(Method::DELETE, path, None, None).await?).await
    }

    /// A public `GET` (no token), such as who serves a postcode.
    pub async fn public<T: DeserializeOwned>(&self, path: &str) -> Result<T, Failure> {
        let response = RequestBuilder::new(&self.url(path)).send().await.map_err(network)?;
        decode(response).await.map(|tagged| tagged.value)
    }
}

/// An answer with no body: fine, or the problem it carries.
async fn no_content(response: Response) -> Result<(), Failure> {
    if response.ok() {
        return Ok(());
    }
    match response.json::<Problem>().await {
        Ok(problem) => Err(Failure::Problem(problem)),
        Err(_) => Err(Failure::Network(format!("HTTP {}", response.status()))),
    }
}

fn network(error: impl std::fmt::Display) -> Failure {
    Failure::Network(error.to_string())
}

async fn decode<T: DeserializeOwned>(response: Response) -> Result<Tagged<T>, Failure> {
    let etag = response.headers().get("etag");
    if response.ok() {
        let value = response.json::<T>().await.map_err(network)?;
        return Ok(Tagged { value, etag });
    }
    match response.json::<Problem>().await {
        Ok(problem) => Err(Failure::Problem(problem)),
        Err(_) => Err(Failure::Network(format!("HTTP {}", response.status()))),
    }
}
