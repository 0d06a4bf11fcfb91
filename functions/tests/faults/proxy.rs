//! A proxy in front of the DynamoDB-compatible server that fails chosen calls the way DynamoDB
//! and networks fail: error answers DynamoDB documents, slow answers and dropped connections.
//!
//! It speaks just enough HTTP/1.1 (the SDK sends `Content-Length` bodies on kept-alive
//! connections) and forwards everything it does not fail.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What happens to a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// `TransactionCanceledException`, its reasons naming `TransactionConflict`.
    TransactionConflict,
    /// `ProvisionedThroughputExceededException`.
    ThroughputExceeded,
    /// `ThrottlingException`.
    Throttling,
    /// HTTP 500 `InternalServerError`.
    ServerError,
    /// Forwarded after this pause.
    Slow(Duration),
    /// The connection is closed before the call is forwarded.
    DropRequest,
    /// The call is forwarded and done, then the connection is closed without an answer.
    DropResponse,
}

#[derive(Debug)]
struct Rule {
    /// `TransactWriteItems`, `Query`…; `None` for every operation.
    operation: Option<String>,
    fault: Fault,
    /// How many more calls it fails; `None` for all.
    remaining: Option<u32>,
}

#[derive(Debug, Default)]
struct State {
    rules: Vec<Rule>,
    calls: HashMap<String, usize>,
}

impl State {
    /// Counts the call and takes the first rule that applies to it.
    fn fault_for(&mut self, operation: &str) -> Option<Fault> {
        *self.calls.entry(operation.to_owned()).or_default() += 1;
        let rule = self.rules.iter_mut().find(|r| {
            r.operation.as_deref().is_none_or(|o| o == operation) && r.remaining.is_none_or(|n| n > 0)
        })?;
        if let Some(n) = rule.remaining.as_mut() {
            *n -= 1;
        }
        Some(rule.fault)
    }
}

/// A running proxy; it stops with the test's runtime.
#[derive(Clone)]
pub struct FaultProxy {
    /// The URL to give the SDK instead of the server's.
    pub endpoint: String,
    state: Arc<Mutex<State>>,
}

impl FaultProxy {
    /// A proxy on a free loopback port forwarding to `upstream` (`http://host:port`).
    pub async fn start(upstream: &str) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
        let endpoint = format!("http://{}", listener.local_addr().expect("proxy addr"));
        let state = Arc::new(Mutex::new(State::default()));
        let client = reqwest::Client::new();
        let (accepting, upstream) = (Arc::clone(&state), upstream.trim_end_matches('/').to_owned());
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, upstream.clone(), client.clone(), Arc::clone(&accepting)));
            }
        });
        Self { endpoint, state }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Fails the next `times` calls of `operation` with `fault`.
    pub fn fail(&self, operation: &str, fault: Fault, times: u32) {
        self.state().rules.push(Rule { operation: Some(operation.into()), fault, remaining: Some(times) });
    }

    /// Fails every call from now on: the store is down.
    pub fn fail_everything(&self, fault: Fault) {
        self.state().rules.push(Rule { operation: None, fault, remaining: None });
    }

    /// Forwards every call again.
    pub fn heal(&self) {
        self.state().rules.clear();
    }

    /// Calls of `operation` received so far, failed or forwarded.
    pub fn calls(&self, operation: &str) -> usize {
        self.state().calls.get(operation).copied().unwrap_or(0)
    }
}

/// One HTTP request as received.
struct Call {
    method: String,
    path: String,
    headers: Vec<(String, Vec<u8>)>,
    body: Vec<u8>,
}

impl Call {
    /// The DynamoDB operation, from `X-Amz-Target: DynamoDB_20120810.Query`.
    fn operation(&self) -> String {
        self.headers
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("x-amz-target"))
            .and_then(|(_, value)| std::str::from_utf8(value).ok())
            .and_then(|target| target.rsplit('.').next())
            .unwrap_or("unknown")
            .to_owned()
    }
}

async fn serve(mut stream: TcpStream, upstream: String, client: reqwest::Client, state: Arc<Mutex<State>>) {
    let mut buffer = Vec::new();
    while let Some(call) = read_call(&mut stream, &mut buffer).await {
        let fault = state.lock().unwrap_or_else(PoisonError::into_inner).fault_for(&call.operation());
        let answer = match fault {
            None => forward(&client, &upstream, call).await,
            Some(Fault::DropRequest) => return,
            Some(Fault::DropResponse) => {
                let _ = forward(&client, &upstream, call).await;
                return;
            }
            Some(Fault::Slow(pause)) => {
                tokio::time::sleep(pause).await;
                forward(&client, &upstream, call).await
            }
            Some(fault) => error_answer(fault, &call),
        };
        if stream.write_all(&answer).await.is_err() {
            return;
        }
    }
}

/// Reads one request off a kept-alive connection; `None` when the client closed it.
async fn read_call(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<Call> {
    loop {
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut request = httparse::Request::new(&mut headers);
        if let httparse::Status::Complete(head) = request.parse(buffer).ok()? {
            let headers: Vec<(String, Vec<u8>)> =
                request.headers.iter().map(|h| (h.name.to_owned(), h.value.to_vec())).collect();
            let (method, path) = (request.method?.to_owned(), request.path?.to_owned());
            let length: usize = headers
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case("content-length"))
                .and_then(|(_, v)| std::str::from_utf8(v).ok()?.trim().parse().ok())
                .unwrap_or(0);
            while buffer.len() < head + length {
                read_more(stream, buffer).await?;
            }
            let body = buffer[head..head + length].to_vec();
            buffer.drain(..head + length);
            return Some(Call { method, path, headers, body });
        }
        read_more(stream, buffer).await?;
    }
}

async fn read_more(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<()> {
    let mut chunk = [0u8; 16 * 1024];
    match stream.read(&mut chunk).await {
        Ok(0) | Err(_) => None,
        Ok(n) => {
            buffer.extend_from_slice(&chunk[..n]);
            Some(())
        }
    }
}

async fn forward(client: &reqwest::Client, upstream: &str, call: Call) -> Vec<u8> {
    let method = reqwest::Method::from_bytes(call.method.as_bytes()).expect("method");
    let mut request = client.request(method, format!("{upstream}{}", call.path)).body(call.body);
    for (name, value) in &call.headers {
        if !["host", "content-length", "connection"].iter().any(|h| name.eq_ignore_ascii_case(h)) {
            request = request.header(name.as_str(), value.as_slice());
        }
    }
    let Ok(response) = request.send().await else {
        return http_answer(502, &[], b"upstream unreachable");
    };
    let status = response.status().as_u16();
    let headers: Vec<(String, Vec<u8>)> = response
        .headers()
        .iter()
        .filter(|(name, _)| !["content-length", "transfer-encoding", "connection"].contains(&name.as_str()))
        .map(|(name, value)| (name.as_str().to_owned(), value.as_bytes().to_vec()))
        .collect();
    let body = response.bytes().await.unwrap_or_default();
    http_answer(status, &headers, &body)
}

/// The error DynamoDB itself would send for `fault`.
fn error_answer(fault: Fault, call: &Call) -> Vec<u8> {
    let shape = |name: &str| format!("com.amazonaws.dynamodb.v20120810#{name}");
    let (status, body) = match fault {
        Fault::TransactionConflict => {
            // One reason per write of the transaction, as DynamoDB gives them.
            let writes = serde_json::from_slice::<serde_json::Value>(&call.body)
                .ok()
                .and_then(|v| v["TransactItems"].as_array().map(Vec::len))
                .unwrap_or(1);
            let mut reasons = vec![serde_json::json!({"Code": "None"}); writes];
            reasons[0] = serde_json::json!({
                "Code": "TransactionConflict",
                "Message": "Transaction is ongoing for the item"
            });
            (
                400,
                serde_json::json!({
                    "__type": shape("TransactionCanceledException"),
                    "Message": "Transaction cancelled, please refer cancellation reasons for specific reasons [TransactionConflict]",
                    "CancellationReasons": reasons,
                }),
            )
        }
        Fault::ThroughputExceeded => (
            400,
            serde_json::json!({
                "__type": shape("ProvisionedThroughputExceededException"),
                "message": "The level of configured provisioned throughput for the table was exceeded."
            }),
        ),
        Fault::Throttling => (
            400,
            serde_json::json!({"__type": shape("ThrottlingException"), "message": "Rate of requests exceeds the allowed throughput."}),
        ),
        Fault::ServerError => (
            500,
            serde_json::json!({"__type": shape("InternalServerError"), "message": "Internal server error"}),
        ),
        Fault::Slow(_) | Fault::DropRequest | Fault::DropResponse => unreachable!("not an error answer"),
    };
    let headers = [("content-type".to_owned(), b"application/x-amz-json-1.0".to_vec())];
    http_answer(status, &headers, body.to_string().as_bytes())
}

fn http_answer(status: u16, headers: &[(String, Vec<u8>)], body: &[u8]) -> Vec<u8> {
    let mut answer = format!("HTTP/1.1 {status} {}\r\n", reason(status)).into_bytes();
    for (name, value) in headers {
        answer.extend_from_slice(name.as_bytes());
        answer.extend_from_slice(b": ");
        answer.extend_from_slice(value);
        answer.extend_from_slice(b"\r\n");
    }
    answer.extend_from_slice(format!("content-length: {}\r\n\r\n", body.len()).as_bytes());
    answer.extend_from_slice(body);
    answer
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        _ => "Status",
    }
}
