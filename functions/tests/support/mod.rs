//! Shared by the integration tests: fresh stores, the demo site, a fixed clock, a valid request.
#![allow(dead_code, missing_docs)]

use jiff::Timestamp;
use jobslot_domain::api::{AddressInput, ContactInput, JobInput, SubmitWorkOrder};
use jobslot_functions::app::{App, Clock};
use jobslot_functions::store::Store;
use jobslot_functions::store::dynamodb::{ClientLimits, DynamoStore};
use jobslot_functions::store::embedded::EmbeddedStore;
use serde_json::json;

/// Tuesday 24 November 2026, 07:00 in Sydney: the demo technicians start at 08:00.
pub const NOW: &str = "2026-11-23T20:00:00Z";
/// The first slot the demo site offers at [`NOW`]: two hours' notice makes it 09:00 Sydney.
pub const FIRST_SLOT: &str = "2026-11-23T22:00:00Z";

pub fn now() -> Timestamp {
    NOW.parse().expect("NOW is a timestamp")
}

/// A temporary embedded store; the directory lives as long as the returned guard.
pub fn embedded_store() -> (EmbeddedStore, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = EmbeddedStore::open(&dir.path().join("jobslot.redb")).expect("open store");
    (store, dir)
}

/// A fresh table on the DynamoDB-compatible server named by `JOBSLOT_DYNAMODB_ENDPOINT`.
pub async fn dynamodb_store() -> DynamoStore {
    let endpoint = std::env::var("JOBSLOT_DYNAMODB_ENDPOINT").expect(
        "JOBSLOT_DYNAMODB_ENDPOINT must name a DynamoDB-compatible server (cargo xtask test starts one)",
    );
    // moto on 2 cores, with every test's table in play at once, answers in seconds where
    // DynamoDB answers in milliseconds; the production limits are tested in `tests/faults`.
    let limits = ClientLimits {
        attempt: std::time::Duration::from_secs(10),
        operation: std::time::Duration::from_secs(30),
        ..ClientLimits::default()
    };
    let client = DynamoStore::client(Some(&endpoint), limits).await;
    let mut bytes = [0u8; 6];
    getrandom::fill(&mut bytes).expect("randomness");
    let store = DynamoStore::new(client, format!("jobslot-test-{}", hex::encode(bytes)));
    store.ensure_table().await.expect("create table");
    store
}

/// The application over `store` with the demo site seeded and the clock at [`NOW`].
pub async fn demo_app<S: Store>(store: S) -> App<S> {
    let app = App::with_clock(store, Clock::Fixed(now()));
    jobslot_functions::demo::seed_site(app.repository()).await.expect("seed demo");
    app
}

/// The job of [`submission`]: the demo site's basic service for Mary Citizen at 1 George
/// Street, Sydney 2000, with the demo form answered.
pub fn job() -> JobInput {
    JobInput {
        service: "basic-service".into(),
        postcode: "2000".into(),
        address: AddressInput {
            line1: "1 George Street".into(),
            line2: String::new(),
            city: "Sydney".into(),
        },
        answers: serde_json::from_value(json!({
            "car_make": "Toyota", "car_model": "Corolla", "car_year": 2019, "fuel": "Petrol"
        }))
        .expect("answers"),
        contact: ContactInput {
            name: "Mary Citizen".into(),
            email: "mary@example.com".into(),
            phone: "0412 345 678".into(),
        },
        notes: String::new(),
        tracking: Default::default(),
    }
}

/// A valid booking request for the demo site's basic service with Sam at `start`.
pub fn submission(start: &str) -> SubmitWorkOrder {
    SubmitWorkOrder { job: job(), technician: "sam-nguyen".into(), start: start.into(), terms_accepted: true }
}

/// A real store that counts what is asked of it: transactions tried (to show a request was
/// refused before it wrote anything), reads, and rounds of reads (reads that had to wait for
/// an earlier one, as opposed to reads made at the same time).
#[derive(Clone)]
pub struct CountingStore<S> {
    inner: S,
    transactions: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    /// For each read, how many reads had finished when it started.
    reads: std::sync::Arc<std::sync::Mutex<Vec<usize>>>,
    finished: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl<S: Store> CountingStore<S> {
    pub fn new(inner: S) -> Self {
        Self {
            inner,
            transactions: Default::default(),
            reads: Default::default(),
            finished: Default::default(),
        }
    }

    pub fn transactions(&self) -> usize {
        self.transactions.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Reads (gets, batch gets, queries) since the last [`Self::reset_reads`].
    pub fn reads(&self) -> usize {
        self.reads.lock().expect("lock").len()
    }

    /// Rounds of reads since the last reset: reads started together count once.
    pub fn read_rounds(&self) -> usize {
        let mut marks = self.reads.lock().expect("lock").clone();
        marks.dedup();
        marks.len()
    }

    pub fn reset_reads(&self) {
        self.reads.lock().expect("lock").clear();
    }

    async fn read<T>(&self, read: impl std::future::Future<Output = T>) -> T {
        let finished = self.finished.load(std::sync::atomic::Ordering::SeqCst);
        self.reads.lock().expect("lock").push(finished);
        let result = read.await;
        // Reads started in the same poll of a join all start before any is seen to finish,
        // even when the store answered at once.
        tokio::task::yield_now().await;
        self.finished.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        result
    }
}

impl<S: Store> Store for CountingStore<S> {
    async fn get(
        &self,
        key: &jobslot_functions::store::Key,
    ) -> Result<Option<jobslot_functions::store::Item>, jobslot_functions::store::StoreError> {
        self.read(self.inner.get(key)).await
    }

    async fn get_many(
        &self,
        keys: &[jobslot_functions::store::Key],
    ) -> Result<Vec<jobslot_functions::store::Item>, jobslot_functions::store::StoreError> {
        self.read(self.inner.get_many(keys)).await
    }

    async fn query_page(
        &self,
        pk: &str,
        range: &jobslot_functions::store::SkRange,
        limit: usize,
    ) -> Result<Vec<jobslot_functions::store::Item>, jobslot_functions::store::StoreError> {
        self.read(self.inner.query_page(pk, range, limit)).await
    }

    async fn query(
        &self,
        pk: &str,
        range: &jobslot_functions::store::SkRange,
    ) -> Result<Vec<jobslot_functions::store::Item>, jobslot_functions::store::StoreError> {
        self.read(self.inner.query(pk, range)).await
    }

    async fn transact(
        &self,
        writes: Vec<jobslot_functions::store::Write>,
    ) -> Result<(), jobslot_functions::store::StoreError> {
        self.transactions.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        self.inner.transact(writes).await
    }
}

/// The local issuer for a server at `base`, and a verifier of its tokens fetching the JWKS
/// from `base` as the real hosts do.
pub fn local_auth<S: Store>(
    app: &App<S>,
    base: &str,
) -> (
    jobslot_functions::auth::LocalIssuer,
    jobslot_functions::app::identity::Identity<S>,
    jobslot_functions::auth::TokenVerifier,
) {
    use jobslot_functions::auth::issuer::generate_key;
    use jobslot_functions::auth::{IssuerConfig, LocalIssuer, TokenVerifier};
    let issuer = LocalIssuer::new(base, &generate_key().expect("key")).expect("issuer");
    // The issuer's own clock: tokens are checked against the real time, not the fixed one.
    let identity = jobslot_functions::app::identity::Identity::new(
        app.repository().clone(),
        issuer.clone(),
        Clock::System,
    );
    let verifier = TokenVerifier::new(IssuerConfig {
        issuer: base.to_owned(),
        jwks_url: format!("{base}/.well-known/jwks.json"),
        clients: jobslot_functions::auth::issuer::accepted_clients(),
    })
    .expect("verifier");
    (issuer, identity, verifier)
}

/// An idempotency key as a request's header would carry it.
pub fn key(raw: &str) -> jobslot_domain::ids::IdempotencyKey {
    jobslot_domain::ids::IdempotencyKey::parse("Idempotency-Key", raw).expect("a key of the right shape")
}

/// A booking link's token as its header would carry it (none, if it has no token's shape).
pub fn booking_token(raw: &str) -> Option<jobslot_domain::connector::BookingToken> {
    jobslot_domain::connector::BookingToken::parse(raw)
}

/// A manage link's token as its header would carry it (none, if it has no token's shape).
pub fn manage_token(raw: &str) -> Option<jobslot_domain::manage::ManageToken> {
    jobslot_domain::manage::ManageToken::parse(raw)
}
