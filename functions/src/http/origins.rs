//! Which browser origins may call a site's routes: the site's own settings, read through a
//! short-lived cache so a widget's every call does not cost a store read for CORS.

use crate::app::App;
use crate::store::Store;
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Where a site's embedding origins come from.
pub trait SiteOrigins: Send + Sync + 'static {
    /// The origins a site's owner allowed to embed the widget (none for an unknown site).
    fn origins<'a>(&'a self, site: &'a str) -> Pin<Box<dyn Future<Output = Arc<[String]>> + Send + 'a>>;
}

impl<S: Store> SiteOrigins for App<S> {
    fn origins<'a>(&'a self, site: &'a str) -> Pin<Box<dyn Future<Output = Arc<[String]>> + Send + 'a>> {
        Box::pin(
            async move { self.site_config(site).await.map(|c| c.allowed_origins).unwrap_or_default().into() },
        )
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
    fn origins<'a>(&'a self, site: &'a str) -> Pin<Box<dyn Future<Output = Arc<[String]>> + Send + 'a>> {
        Box::pin(async move {
            if let Some((at, origins)) = self.entries().get(site)
                && at.elapsed() < self.ttl
            {
                return Arc::clone(origins);
            }
            let origins = self.inner.origins(site).await;
            let mut entries = self.entries();
            if entries.len() >= CACHED_SITES {
                entries.retain(|_, (at, _)| at.elapsed() < self.ttl);
                if entries.len() >= CACHED_SITES {
                    entries.clear();
                }
            }
            entries.insert(site.to_owned(), (Instant::now(), Arc::clone(&origins)));
            origins
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    struct Counting(AtomicUsize);

    impl SiteOrigins for Counting {
        fn origins<'a>(&'a self, site: &'a str) -> Pin<Box<dyn Future<Output = Arc<[String]>> + Send + 'a>> {
            self.0.fetch_add(1, Ordering::SeqCst);
            Box::pin(async move { vec![format!("https://{site}.example")].into() })
        }
    }

    #[tokio::test]
    async fn a_site_is_read_once_per_ttl_and_each_site_on_its_own() {
        let cached = CachedOrigins::new(Counting(AtomicUsize::new(0)), Duration::from_secs(3600));
        for _ in 0..3 {
            assert_eq!(&*cached.origins("acme").await, ["https://acme.example".to_owned()]);
        }
        assert_eq!(&*cached.origins("other").await, ["https://other.example".to_owned()]);
        assert_eq!(cached.inner.0.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn an_expired_answer_is_read_again() {
        let cached = CachedOrigins::new(Counting(AtomicUsize::new(0)), Duration::ZERO);
        cached.origins("acme").await;
        cached.origins("acme").await;
        assert_eq!(cached.inner.0.load(Ordering::SeqCst), 2);
    }
}
