//! Which browser origins may call a site's routes: the site's own settings, read through a
//! short-lived cache so a widget's every call does not cost a store read for CORS.

use crate::app::{App, AppError};
use crate::store::Store;
use jobslot_domain::ids::SiteId;
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// The origins a site allows, or `None` when they cannot be read now (the store is down).
pub type Origins<'a> = Pin<Box<dyn Future<Output = Option<Arc<[String]>>> + Send + 'a>>;

/// Where a site's embedding origins come from.
pub trait SiteOrigins: Send + Sync + 'static {
    /// The origins a site's owner allowed to embed the widget (none for an unknown site).
    fn origins<'a>(&'a self, site: &'a str) -> Origins<'a>;
}

impl<S: Store> SiteOrigins for App<S> {
    fn origins<'a>(&'a self, site: &'a str) -> Origins<'a> {
        Box::pin(async move {
            // A malformed id is as unknown as a well-formed one of no site.
            let Ok(site) = jobslot_domain::ids::SiteId::parse("site", site) else {
                return Some(Arc::from([]));
            };
            match self.site_config(&site).await {
                Ok(config) => Some(config.allowed_origins.into()),
                Err(AppError::UnknownSite) => Some(Arc::from([])),
                Err(_) => None,
            }
        })
    }
}

/// How long the hosts reuse a site's origins: an owner who adds their website waits this
/// long at most before its pages may embed the widget.
pub const ORIGINS_TTL: Duration = Duration::from_secs(30);

/// Sites remembered at most; past this, the cache starts afresh (random site ids in
/// requests cannot grow it without bound).
const CACHED_SITES: usize = 10_000;

/// Another [`SiteOrigins`] remembered for `ttl`: an owner's change of origins reaches browsers
/// within that time.
pub struct CachedOrigins<O> {
    inner: O,
    ttl: Duration,
    entries: Mutex<HashMap<String, Remembered>>,
}

/// When a site's origins were read, and what they were.
type Remembered = (Instant, Arc<[String]>);

impl<O: SiteOrigins> CachedOrigins<O> {
    /// `inner`'s answers, each reused for `ttl`.
    pub fn new(inner: O, ttl: Duration) -> Self {
        Self { inner, ttl, entries: Mutex::new(HashMap::new()) }
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, HashMap<String, Remembered>> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl<O: SiteOrigins> SiteOrigins for CachedOrigins<O> {
    fn origins<'a>(&'a self, site: &'a str) -> Origins<'a> {
        Box::pin(async move {
            // Not a site id: no site, and nothing worth remembering.
            if SiteId::parse("site", site).is_err() {
                return Some(Arc::from([]));
            }
            let remembered = self.entries().get(site).cloned();
            if let Some((at, origins)) = &remembered
                && at.elapsed() < self.ttl
            {
                return Some(Arc::clone(origins));
            }
            let Some(origins) = self.inner.origins(site).await else {
                // Unreadable now: the last known answer, however old, beats refusing every
                // embedding page; a failure itself is never remembered.
                return remembered.map(|(_, origins)| origins);
            };
            let mut entries = self.entries();
            if entries.len() >= CACHED_SITES {
                entries.retain(|_, (at, _)| at.elapsed() < self.ttl);
                if entries.len() >= CACHED_SITES {
                    entries.clear();
                }
            }
            entries.insert(site.to_owned(), (Instant::now(), Arc::clone(&origins)));
            Some(origins)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Counts reads; after `fail_after` of them the store is down.
    struct Counting(AtomicUsize, usize);

    impl SiteOrigins for Counting {
        fn origins<'a>(&'a self, site: &'a str) -> Origins<'a> {
            let read = self.0.fetch_add(1, Ordering::SeqCst);
            let up = read < self.1;
            Box::pin(async move { up.then(|| vec![format!("https://{site}.example")].into()) })
        }
    }

    fn counting(fail_after: usize, ttl: Duration) -> CachedOrigins<Counting> {
        CachedOrigins::new(Counting(AtomicUsize::new(0), fail_after), ttl)
    }

    #[tokio::test]
    async fn a_site_is_read_once_per_ttl_and_each_site_on_its_own() {
        let cached = counting(usize::MAX, Duration::from_secs(3600));
        for _ in 0..3 {
            assert_eq!(
                cached.origins("acme").await.as_deref(),
                Some(&["https://acme.example".to_owned()][..])
            );
        }
        assert_eq!(cached.origins("other").await.as_deref(), Some(&["https://other.example".to_owned()][..]));
        assert_eq!(cached.inner.0.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn an_expired_answer_is_read_again() {
        let cached = counting(usize::MAX, Duration::ZERO);
        cached.origins("acme").await;
        cached.origins("acme").await;
        assert_eq!(cached.inner.0.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn while_the_store_is_down_the_last_answer_serves_and_no_failure_is_remembered() {
        let cached = counting(1, Duration::ZERO);
        assert!(cached.origins("acme").await.is_some());
        assert_eq!(cached.origins("acme").await.as_deref(), Some(&["https://acme.example".to_owned()][..]));
        assert_eq!(cached.origins("never-read").await, None, "unknown now, not \"no origins\"");
        assert!(cached.entries().get("never-read").is_none());
        assert_eq!(cached.origins("Not A Site Id!").await.as_deref(), Some(&[][..]));
    }
}
