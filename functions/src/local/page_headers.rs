//! The security headers CloudFront's response-header policies put on the same files in a
//! deployment (`infra/template.yaml`), so the pages run locally under the policy they get live
//! and a page that needs more than its policy allows fails here first.

use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;

/// Which policy a file is served under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PagePolicy {
    /// The staff console (`/admin/`): its own scripts, wasm and stylesheet, and calls to this
    /// origin (the API and the local issuer).
    Console,
    /// The hosted booking and manage pages: the widget's scripts and wasm, the page's
    /// stylesheet. Their addresses carry tokens, so they send no referrer at all.
    Hosted,
    /// The widget's files, which pages on any origin load (CORS); the document that embeds
    /// them decides its own policy.
    WidgetFiles,
}

/// Scripts from this origin only (no inline script, no `eval`), WebAssembly compiled from
/// them, and no framing: nothing on these pages needs more, and a clickjacked console or
/// manage page would act with the visitor's rights.
const PAGE_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
img-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";

impl PagePolicy {
    pub fn apply(self, headers: &mut HeaderMap) {
        headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        let referrer = match self {
            PagePolicy::Hosted => "no-referrer",
            PagePolicy::Console | PagePolicy::WidgetFiles => "strict-origin-when-cross-origin",
        };
        headers.insert(header::REFERRER_POLICY, HeaderValue::from_static(referrer));
        if self != PagePolicy::WidgetFiles {
            headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(PAGE_CSP));
        }
    }

    /// A middleware putting this policy's headers on every answer of a route.
    pub async fn layer(self, mut response: Response) -> Response {
        self.apply(response.headers_mut());
        response
    }
}
