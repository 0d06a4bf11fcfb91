//! Staff authentication: verifying access tokens (from Cognito or the local issuer) and the
//! local issuer itself. Who may do what on which site is not here: it lives in the store.

pub mod issuer;
pub mod password;
pub mod verify;

pub use issuer::LocalIssuer;
pub use verify::{IssuerConfig, KeySource, Subject, TokenRejected, TokenVerifier};

use jsonwebtoken::jwk::JwkSet;
use std::future::Future;
use std::pin::Pin;

/// A key set known in advance: the local issuer's own, handed to its verifier in-process.
pub struct StaticKeys(pub JwkSet);

impl KeySource for StaticKeys {
    fn fetch(&self) -> Pin<Box<dyn Future<Output = Result<JwkSet, anyhow::Error>> + Send + '_>> {
        let keys = self.0.clone();
        Box::pin(async move { Ok(keys) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::issuer::generate_key;
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    const ISSUER: &str = "http://127.0.0.1:8080";

    fn issuer() -> LocalIssuer {
        LocalIssuer::new(ISSUER, &generate_key().expect("key")).expect("issuer")
    }

    fn config() -> IssuerConfig {
        IssuerConfig {
            issuer: ISSUER.into(),
            jwks_url: format!("{ISSUER}/.well-known/jwks.json"),
            clients: crate::auth::issuer::accepted_clients(),
        }
    }

    fn verifier_for(issuer: &LocalIssuer) -> TokenVerifier {
        TokenVerifier::with_keys(config(), Arc::new(StaticKeys(issuer.jwks())))
    }

    fn now() -> i64 {
        jiff::Timestamp::now().as_second()
    }

    /// Re-signs `token`'s header and claims after `edit` changes the claims.
    fn with_claims(issuer: &LocalIssuer, token: &str, edit: impl FnOnce(&mut serde_json::Value)) -> String {
        let payload = token.split('.').nth(1).expect("payload");
        let mut claims: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("b64")).expect("json");
        edit(&mut claims);
        issuer.sign(&claims).expect("signed")
    }

    #[tokio::test]
    async fn a_fresh_token_of_the_issuer_names_its_subject() {
        let issuer = issuer();
        let token = issuer.access_token("user-1", now(), 900).expect("token");
        assert_eq!(verifier_for(&issuer).verify(&token).await, Ok(Subject::Known("user-1".into())));
    }

    #[tokio::test]
    async fn bad_tokens_are_refused_for_the_right_reason() {
        let issuer = issuer();
        let verifier = verifier_for(&issuer);
        let good = issuer.access_token("user-1", now(), 900).expect("token");
        let expired = issuer.access_token("user-1", now() - 3_600, 900).expect("token");
        let other_issuer = with_claims(&issuer, &good, |c| c["iss"] = "https://evil.example".into());
        let other_audience = with_claims(&issuer, &good, |c| {
            c["aud"] = "someone-else".into();
            c["client_id"] = "someone-else".into();
        });
        let id_token = with_claims(&issuer, &good, |c| c["token_use"] = "id".into());
        // Same header and kid, signed by another key: a forgery.
        let forger = LocalIssuer::new(ISSUER, &generate_key().expect("key")).expect("issuer");
        let forged = {
            let theirs = forger.access_token("admin", now(), 900).expect("token");
            let header = good.split('.').next().expect("header");
            let rest: Vec<&str> = theirs.splitn(2, '.').collect();
            format!("{header}.{}", rest[1])
        };
        let unsigned = {
            let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#);
            let payload = good.split('.').nth(1).expect("payload");
            format!("{header}.{payload}.")
        };
        for (token, reason) in [
            (expired.as_str(), TokenRejected::Expired),
            (&other_issuer, TokenRejected::Issuer),
            (&other_audience, TokenRejected::Audience),
            (&id_token, TokenRejected::NotAccessToken),
            (&forged, TokenRejected::Signature),
            (&unsigned, TokenRejected::Malformed),
            ("not.a.jwt", TokenRejected::Malformed),
        ] {
            assert_eq!(verifier.verify(token).await, Err(reason), "{token}");
        }
    }

    #[tokio::test]
    async fn a_client_credentials_token_of_an_unnamed_client_is_only_a_client_for_the_store_to_check() {
        let issuer = issuer();
        let verifier = verifier_for(&issuer);
        let good = issuer.access_token("user-1", now(), 900).expect("token");
        // Cognito's client-credentials token of an app client made at run time.
        let own = with_claims(&issuer, &good, |c| {
            c.as_object_mut().expect("claims").remove("aud");
            c["client_id"] = "3abc".into();
            c["sub"] = "3abc".into();
        });
        assert_eq!(verifier.verify(&own).await, Ok(Subject::Client("3abc".into())));
        // A user's token of an unnamed client, or a client's token naming another subject.
        for token in [
            with_claims(&issuer, &good, |c| {
                c.as_object_mut().expect("claims").remove("aud");
                c["client_id"] = "3abc".into();
            }),
            with_claims(&issuer, &own, |c| c["aud"] = "3abc".into()),
        ] {
            assert_eq!(verifier.verify(&token).await, Err(TokenRejected::Audience), "{token}");
        }
    }

    #[tokio::test]
    async fn a_token_expired_within_the_leeway_still_passes() {
        let issuer = issuer();
        let token = issuer.access_token("user-1", now() - 930, 900).expect("token");
        assert!(verifier_for(&issuer).verify(&token).await.is_ok());
    }

    /// Serves one key set, then another, counting fetches.
    struct Rotating {
        sets: Vec<JwkSet>,
        fetches: AtomicUsize,
    }

    impl KeySource for Rotating {
        fn fetch(&self) -> Pin<Box<dyn Future<Output = Result<JwkSet, anyhow::Error>> + Send + '_>> {
            let n = self.fetches.fetch_add(1, Ordering::SeqCst);
            let set = self.sets[n.min(self.sets.len() - 1)].clone();
            Box::pin(async move { Ok(set) })
        }
    }

    /// Serves `set`, but each fetch waits for `release` first: an issuer that is slow to answer.
    struct Slow {
        set: JwkSet,
        release: tokio::sync::Semaphore,
        fetches: AtomicUsize,
    }

    impl KeySource for Slow {
        fn fetch(&self) -> Pin<Box<dyn Future<Output = Result<JwkSet, anyhow::Error>> + Send + '_>> {
            self.fetches.fetch_add(1, Ordering::SeqCst);
            Box::pin(async move {
                let _go = self.release.acquire().await?;
                Ok(self.set.clone())
            })
        }
    }

    #[tokio::test]
    async fn a_slow_jwks_fetch_holds_up_neither_known_keys_nor_a_second_fetch() {
        let issuer = issuer();
        let keys = Arc::new(Slow {
            set: issuer.jwks(),
            release: tokio::sync::Semaphore::new(1),
            fetches: AtomicUsize::new(0),
        });
        let verifier = TokenVerifier::with_keys(config(), keys.clone());
        let token = issuer.access_token("u", now(), 900).expect("t");
        assert!(verifier.verify(&token).await.is_ok(), "the first fetch fills the cache");
        // From now on the issuer answers only when released; the keys may be fetched again.
        let held = keys.release.acquire().await.expect("permit");
        verifier.age_cache_for_tests(verify::MIN_REFRESH).await;
        let unknown = {
            let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"RS256","typ":"JWT","kid":"made-up"}"#);
            format!("{header}.{}", token.split_once('.').expect("parts").1)
        };
        // Two requests name an unknown key: one fetches, the other waits for its answer.
        let (first, second) = (verifier.clone(), verifier.clone());
        let (a, b) = (unknown.clone(), unknown.clone());
        let fetching = tokio::spawn(async move { first.verify(&a).await });
        let waiting = tokio::spawn(async move { second.verify(&b).await });
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        assert_eq!(keys.fetches.load(Ordering::SeqCst), 2, "one fetch in flight");
        // Meanwhile a token with a known key is checked at once.
        let known = tokio::time::timeout(std::time::Duration::from_secs(5), verifier.verify(&token)).await;
        assert_eq!(known.expect("not held up by the fetch"), Ok(Subject::Known("u".into())));
        assert!(!fetching.is_finished() && !waiting.is_finished());
        drop(held);
        assert_eq!(fetching.await.expect("task"), Err(TokenRejected::UnknownKey));
        assert_eq!(waiting.await.expect("task"), Err(TokenRejected::UnknownKey));
        assert_eq!(keys.fetches.load(Ordering::SeqCst), 2, "the second request used the first's fetch");
    }

    #[tokio::test]
    async fn keys_are_cached_and_fetched_again_for_an_unknown_kid_but_not_for_every_one() {
        let (old, new) = (issuer(), issuer());
        let keys = Arc::new(Rotating { sets: vec![old.jwks(), new.jwks()], fetches: AtomicUsize::new(0) });
        let verifier = TokenVerifier::with_keys(config(), keys.clone());
        for _ in 0..3 {
            assert!(verifier.verify(&old.access_token("u", now(), 900).expect("t")).await.is_ok());
        }
        assert_eq!(keys.fetches.load(Ordering::SeqCst), 1, "cached after the first fetch");
        // The issuer rotated: a token under the new key triggers one refetch... but only once
        // the minimum interval has passed; right after a fetch the unknown kid is refused.
        let rotated = new.access_token("u", now(), 900).expect("t");
        assert_eq!(verifier.verify(&rotated).await, Err(TokenRejected::UnknownKey));
        assert_eq!(keys.fetches.load(Ordering::SeqCst), 1);
        verifier.expire_cache_for_tests().await;
        assert!(verifier.verify(&rotated).await.is_ok());
        assert_eq!(keys.fetches.load(Ordering::SeqCst), 2);
    }
}
