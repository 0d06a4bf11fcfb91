//! The API on the embedded store when its file misbehaves: a disk that fills up, a file that
//! another process holds.

use crate::support::{FIRST_SLOT, demo_app, submission};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use jobslot_functions::http::{AppState, HttpConfig, IDEMPOTENCY_HEADER, api_router, with_layers};
use jobslot_functions::store::embedded::EmbeddedStore;
use redb::backends::FileBackend;
use redb::{Builder, StorageBackend};
use std::io;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use tower::ServiceExt;

/// A file that refuses every write while `full` is set, as a full disk does.
#[derive(Debug)]
struct FillingDisk {
    file: FileBackend,
    full: Arc<AtomicBool>,
}

impl FillingDisk {
    fn refuse_when_full(&self) -> io::Result<()> {
        if self.full.load(Ordering::SeqCst) { Err(io::ErrorKind::StorageFull.into()) } else { Ok(()) }
    }
}

impl StorageBackend for FillingDisk {
    fn len(&self) -> io::Result<u64> {
        self.file.len()
    }

    fn read(&self, offset: u64, len: usize) -> io::Result<Vec<u8>> {
        self.file.read(offset, len)
    }

    fn set_len(&self, len: u64) -> io::Result<()> {
        self.refuse_when_full()?;
        self.file.set_len(len)
    }

    fn sync_data(&self, eventual: bool) -> io::Result<()> {
        self.refuse_when_full()?;
        self.file.sync_data(eventual)
    }

    fn write(&self, offset: u64, data: &[u8]) -> io::Result<()> {
        self.refuse_when_full()?;
        self.file.write(offset, data)
    }
}

fn open_on_filling_disk(path: PathBuf, full: Arc<AtomicBool>) -> EmbeddedStore {
    EmbeddedStore::open_with(move || {
        let file =
            std::fs::OpenOptions::new().read(true).write(true).create(true).truncate(false).open(&path)?;
        Builder::new()
            .create_with_backend(FillingDisk { file: FileBackend::new(file)?, full: Arc::clone(&full) })
    })
    .expect("open store")
}

async fn submit(router: &axum::Router, key: &str) -> (StatusCode, axum::http::HeaderMap) {
    let body = serde_json::to_vec(&submission(FIRST_SLOT)).expect("json");
    let request = Request::post("/api/sites/acme-car-servicing/work-orders")
        .header(header::CONTENT_TYPE, "application/json")
        .header(IDEMPOTENCY_HEADER, key)
        .body(Body::from(body))
        .expect("request");
    let response = router.clone().oneshot(request).await.expect("infallible");
    (response.status(), response.headers().clone())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_gives_503_writes_nothing_and_passes_when_there_is_room_again() {
    let dir = tempfile::tempdir().expect("temp dir");
    let full = Arc::new(AtomicBool::new(false));
    let store = open_on_filling_disk(dir.path().join("jobslot.redb"), Arc::clone(&full));
    let app = demo_app(store.clone()).await;
    let (_, identity, verifier) = crate::support::local_auth(&app, "http://127.0.0.1:9");
    let router = with_layers(
        api_router(AppState {
            app,
            verifier,
            accounts: Some(identity.clone()),
            clients: Some(std::sync::Arc::new(identity)),
        }),
        &HttpConfig::default(),
    );

    full.store(true, Ordering::SeqCst);
    let (status, headers) = submit(&router, "disk-full").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(headers[header::CONTENT_TYPE], "application/problem+json");
    assert!(headers.contains_key(header::RETRY_AFTER));

    full.store(false, Ordering::SeqCst);
    let (status, _) = submit(&router, "disk-full").await;
    assert_eq!(status, StatusCode::CREATED, "the same request books once there is room, no restart");
    assert_eq!(crate::sams_bookings(&store).await, 1, "the failed write left nothing behind");
}

#[test]
fn a_file_held_by_another_process_is_refused_at_start_with_a_clear_message() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("jobslot.redb");
    let _running = EmbeddedStore::open(&path).expect("first open");
    let error = EmbeddedStore::open(&path).err().expect("a second open is refused");
    let message = format!("{:#}", anyhow::Error::new(error));
    assert!(message.contains("in use by another process"), "{message}");
}
