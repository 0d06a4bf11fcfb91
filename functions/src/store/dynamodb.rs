//! The DynamoDB store: one table, items as `PK`, `SK`, `data` (JSON) and `expires_at` (TTL).
//!
//! A transaction is one `TransactWriteItems`; conditions are `attribute_not_exists(PK)`, so
//! DynamoDB itself refuses a second booking of a locked slot. A map item keeps each entry as
//! an attribute of its own (`e:{name}`) instead of `data`, so one `Update` sets or removes
//! entries without reading the item.

use super::{Condition, Item, Key, SkRange, Store, StoreError, Write, check_gets, check_transaction};
use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::client::Waiters;
use aws_sdk_dynamodb::config::http::HttpResponse;
use aws_sdk_dynamodb::config::retry::RetryConfig;
use aws_sdk_dynamodb::config::timeout::TimeoutConfig;
use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::types::AttributeValue;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, Delete, KeySchemaElement, KeyType, KeysAndAttributes, Put,
    ScalarAttributeType, StreamSpecification, StreamViewType, TimeToLiveSpecification, TransactWriteItem,
    Update,
};
use std::collections::HashMap;
use std::time::Duration;

const PK: &str = "PK";
const SK: &str = "SK";
const DATA: &str = "data";
const EXPIRES_AT: &str = "expires_at";
const ENTRY: &str = "e:";

/// How long the SDK waits and how often it tries. A request makes a handful of store calls
/// one after another and the functions time out after 10 s, so one SDK call gives up after
/// 3 s at most (a paginated query or a batch get makes several); DynamoDB answers in
/// milliseconds, so a 1 s attempt has failed, not stalled.
#[derive(Debug, Clone, Copy)]
pub struct ClientLimits {
    /// Opening a TCP connection.
    pub connect: Duration,
    /// One attempt, from sending to the whole answer.
    pub attempt: Duration,
    /// All attempts of one call, pauses included.
    pub operation: Duration,
    /// Attempts per call; throttling, 5xx, timeouts and dropped connections are retried.
    pub attempts: u32,
    /// The first pause between attempts; later ones double, each with full jitter.
    pub first_backoff: Duration,
}

impl Default for ClientLimits {
    fn default() -> Self {
        Self {
            connect: Duration::from_secs(1),
            attempt: Duration::from_secs(1),
            operation: Duration::from_secs(3),
            attempts: 3,
            // DynamoDB's guidance: start retries at tens of milliseconds, not the SDK's 1 s.
            first_backoff: Duration::from_millis(50),
        }
    }
}

impl ClientLimits {
    fn timeouts(&self) -> TimeoutConfig {
        TimeoutConfig::builder()
            .connect_timeout(self.connect)
            .operation_attempt_timeout(self.attempt)
            .operation_timeout(self.operation)
            .build()
    }

    fn retries(&self) -> RetryConfig {
        RetryConfig::standard()
            .with_max_attempts(self.attempts)
            .with_initial_backoff(self.first_backoff)
            .with_max_backoff(Duration::from_secs(1))
    }
}

/// A [`Store`] on one DynamoDB table.
#[derive(Clone, Debug)]
pub struct DynamoStore {
    client: Client,
    table: String,
}

impl DynamoStore {
    /// A store on `table` through an existing client.
    pub fn new(client: Client, table: impl Into<String>) -> Self {
        Self { client, table: table.into() }
    }

    /// The table's name.
    pub fn table_name(&self) -> &str {
        &self.table
    }

    /// The table as the server describes it: what the deployment template must declare.
    pub async fn definition(&self) -> Result<TableDefinition, StoreError> {
        let described = self.client.describe_table().table_name(&self.table).send().await.map_err(sdk)?;
        let table = described.table.ok_or_else(|| backend_message("DescribeTable returned no table"))?;
        let ttl = self.client.describe_time_to_live().table_name(&self.table).send().await.map_err(sdk)?;
        let mut attributes: Vec<(String, String)> = table
            .attribute_definitions()
            .iter()
            .map(|a| (a.attribute_name().to_owned(), a.attribute_type().as_str().to_owned()))
            .collect();
        attributes.sort();
        let stream = table.stream_specification().filter(|s| s.stream_enabled());
        Ok(TableDefinition {
            key_schema: table
                .key_schema()
                .iter()
                .map(|k| (k.attribute_name().to_owned(), k.key_type().as_str().to_owned()))
                .collect(),
            attributes,
            billing_mode: table
                .billing_mode_summary()
                .and_then(|b| b.billing_mode())
                .map(|m| m.as_str().to_owned()),
            ttl_attribute: ttl
                .time_to_live_description()
                .filter(|d| d.time_to_live_status().is_some_and(|s| s.as_str() == "ENABLED"))
                .and_then(|d| d.attribute_name())
                .map(str::to_owned),
            stream_view_type: stream.and_then(|s| s.stream_view_type()).map(|v| v.as_str().to_owned()),
            global_secondary_indexes: table
                .global_secondary_indexes()
                .iter()
                .filter_map(|i| i.index_name())
                .map(str::to_owned)
                .collect(),
        })
    }

    /// A client from the environment (region, credentials), or, when `endpoint` is given, a
    /// client for a local DynamoDB-compatible server with dummy credentials.
    pub async fn client(endpoint: Option<&str>, limits: ClientLimits) -> Client {
        match endpoint {
            None => Client::new(
                &aws_config::defaults(aws_config::BehaviorVersion::latest())
                    .timeout_config(limits.timeouts())
                    .retry_config(limits.retries())
                    .load()
                    .await,
            ),
            Some(url) => {
                let region = std::env::var("AWS_REGION").unwrap_or_else(|_| "us-east-1".into());
                let config = aws_sdk_dynamodb::Config::builder()
                    .behavior_version(aws_sdk_dynamodb::config::BehaviorVersion::latest())
                    .region(aws_sdk_dynamodb::config::Region::new(region))
                    .endpoint_url(url)
                    .credentials_provider(aws_sdk_dynamodb::config::Credentials::new(
                        "local",
                        "local",
                        None,
                        None,
                        "jobslot-local",
                    ))
                    .timeout_config(limits.timeouts())
                    .retry_config(limits.retries())
                    .build();
                Client::from_conf(config)
            }
        }
    }

    /// Creates the table (on-demand billing, TTL on `expires_at`) unless it exists, and waits
    /// until it is active.
    pub async fn ensure_table(&self) -> Result<(), StoreError> {
        match self.client.describe_table().table_name(&self.table).send().await {
            Ok(_) => return Ok(()),
            Err(e) if e.as_service_error().is_some_and(|e| e.is_resource_not_found_exception()) => {}
            Err(e) => return Err(sdk(e)),
        }
        let attribute = |name: &str| {
            AttributeDefinition::builder()
                .attribute_name(name)
                .attribute_type(ScalarAttributeType::S)
                .build()
                .map_err(backend)
        };
        let key = |name: &str, kind| {
            KeySchemaElement::builder().attribute_name(name).key_type(kind).build().map_err(backend)
        };
        self.client
            .create_table()
            .table_name(&self.table)
            .billing_mode(BillingMode::PayPerRequest)
            .attribute_definitions(attribute(PK)?)
            .attribute_definitions(attribute(SK)?)
            .key_schema(key(PK, KeyType::Hash)?)
            .key_schema(key(SK, KeyType::Range)?)
            // The dispatcher (on AWS) is woken by the keys of new items; the same table here.
            .stream_specification(
                StreamSpecification::builder()
                    .stream_enabled(true)
                    .stream_view_type(StreamViewType::KeysOnly)
                    .build()
                    .map_err(backend)?,
            )
            .send()
            .await
            .map_err(sdk)?;
        self.client
            .wait_until_table_exists()
            .table_name(&self.table)
            .wait(Duration::from_secs(120))
            .await
            .map_err(backend)?;
        let ttl = TimeToLiveSpecification::builder()
            .attribute_name(EXPIRES_AT)
            .enabled(true)
            .build()
            .map_err(backend)?;
        self.client
            .update_time_to_live()
            .table_name(&self.table)
            .time_to_live_specification(ttl)
            .send()
            .await
            .map_err(sdk)?;
        Ok(())
    }

    /// One cheap call, made at start-up so the first customer does not pay for the TLS
    /// handshake and credential lookup.
    pub async fn warm_up(&self) -> Result<(), StoreError> {
        self.client.describe_table().table_name(&self.table).send().await.map_err(sdk)?;
        Ok(())
    }
}

fn backend_message(message: &'static str) -> StoreError {
    StoreError::Backend(anyhow::anyhow!(message))
}

/// A table's keys, attributes, billing, TTL, stream and indexes, as DynamoDB names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableDefinition {
    /// (attribute, `HASH` or `RANGE`), in order.
    pub key_schema: Vec<(String, String)>,
    /// (attribute, `S`/`N`/`B`), sorted.
    pub attributes: Vec<(String, String)>,
    /// `PAY_PER_REQUEST` or `PROVISIONED`.
    pub billing_mode: Option<String>,
    /// The TTL attribute, when TTL is enabled.
    pub ttl_attribute: Option<String>,
    /// The stream's view type, when the stream is on.
    pub stream_view_type: Option<String>,
    /// Names of the global secondary indexes.
    pub global_secondary_indexes: Vec<String>,
}

fn backend(error: impl std::error::Error + Send + Sync + 'static) -> StoreError {
    StoreError::Backend(anyhow::Error::new(error))
}

/// Error codes meaning "DynamoDB cannot serve this now", not "this request is wrong".
const UNAVAILABLE_CODES: [&str; 5] = [
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "RequestLimitExceeded",
    "InternalServerError",
    "ServiceUnavailable",
];

/// A failed call, after the SDK's own retries: unavailable when DynamoDB could not be reached
/// or kept refusing for load or its own faults; a plain backend failure otherwise.
fn sdk<E>(error: SdkError<E, HttpResponse>) -> StoreError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
{
    let unavailable = match &error {
        SdkError::TimeoutError(_) => true,
        // Connection trouble (a dropped connection is an incomplete message, classed as a
        // retryable "other"); not credentials or endpoint resolution, which have no retry kind.
        SdkError::DispatchFailure(failure) => {
            failure.is_io()
                || failure.is_timeout()
                || failure.as_connector_error().and_then(|e| e.as_other()).is_some()
        }
        SdkError::ServiceError(e) => {
            e.err().code().is_some_and(|c| UNAVAILABLE_CODES.contains(&c))
                || e.raw().status().is_server_error()
        }
        _ => false,
    };
    if unavailable { StoreError::Unavailable(anyhow::Error::new(error)) } else { backend(error) }
}

fn key_map(key: &Key) -> HashMap<String, AttributeValue> {
    HashMap::from([
        (PK.to_owned(), AttributeValue::S(key.pk.clone())),
        (SK.to_owned(), AttributeValue::S(key.sk.clone())),
    ])
}

fn to_attributes(item: &Item) -> HashMap<String, AttributeValue> {
    let mut map = key_map(&item.key);
    map.insert(DATA.to_owned(), AttributeValue::S(item.data.clone()));
    if let Some(at) = item.expires_at {
        map.insert(EXPIRES_AT.to_owned(), AttributeValue::N(at.to_string()));
    }
    map
}

fn from_attributes(map: &HashMap<String, AttributeValue>) -> Result<Item, StoreError> {
    let text = |name: &str| -> Result<String, StoreError> {
        match map.get(name) {
            Some(AttributeValue::S(s)) => Ok(s.clone()),
            _ => Err(StoreError::Backend(anyhow::anyhow!("item lacks string attribute {name}"))),
        }
    };
    let expires_at = match map.get(EXPIRES_AT) {
        Some(AttributeValue::N(n)) => Some(n.parse::<i64>().map_err(backend)?),
        _ => None,
    };
    let data = if map.contains_key(DATA) { text(DATA)? } else { map_item_data(map)? };
    Ok(Item { key: Key::new(text(PK)?, text(SK)?), data, expires_at })
}

/// A map item's entries as the JSON object the other store keeps.
fn map_item_data(map: &HashMap<String, AttributeValue>) -> Result<String, StoreError> {
    let entries: std::collections::BTreeMap<&str, &str> = map
        .iter()
        .filter_map(|(name, value)| Some((name.strip_prefix(ENTRY)?, value)))
        .map(|(name, value)| match value {
            AttributeValue::S(s) => Ok((name, s.as_str())),
            _ => Err(StoreError::Backend(anyhow::anyhow!("map entry {name} is not a string"))),
        })
        .collect::<Result<_, _>>()?;
    serde_json::to_string(&entries).map_err(backend)
}

/// `SET #e0 = :e0, … REMOVE #e1, …` over the entries' own attributes.
fn entries_update(
    key: &Key,
    table: &str,
    set: &[(String, String)],
    remove: &[String],
) -> Result<Update, StoreError> {
    let mut update = Update::builder().table_name(table).set_key(Some(key_map(key)));
    let mut sets = Vec::new();
    for (i, (name, value)) in set.iter().enumerate() {
        sets.push(format!("#s{i} = :s{i}"));
        update = update
            .expression_attribute_names(format!("#s{i}"), format!("{ENTRY}{name}"))
            .expression_attribute_values(format!(":s{i}"), AttributeValue::S(value.clone()));
    }
    let mut removes = Vec::new();
    for (i, name) in remove.iter().enumerate() {
        removes.push(format!("#r{i}"));
        update = update.expression_attribute_names(format!("#r{i}"), format!("{ENTRY}{name}"));
    }
    let mut expression = Vec::new();
    if !sets.is_empty() {
        expression.push(format!("SET {}", sets.join(", ")));
    }
    if !removes.is_empty() {
        expression.push(format!("REMOVE {}", removes.join(", ")));
    }
    update.update_expression(expression.join(" ")).build().map_err(backend)
}

impl DynamoStore {
    fn transact_item(&self, write: &Write) -> Result<TransactWriteItem, StoreError> {
        let builder = TransactWriteItem::builder();
        let built = match write {
            Write::Put { item, condition } => {
                let put = Put::builder().table_name(&self.table).set_item(Some(to_attributes(item)));
                let put = match condition {
                    Condition::Always => put,
                    Condition::NotExists => put.condition_expression("attribute_not_exists(PK)"),
                    Condition::NotExistsOrExpired(now) => put
                        .condition_expression("attribute_not_exists(PK) OR expires_at <= :now")
                        .expression_attribute_values(":now", AttributeValue::N(now.to_string())),
                    // `data` is a reserved word in expressions, hence the name placeholder.
                    Condition::Unchanged(expected) => put
                        .condition_expression("#data = :expected")
                        .expression_attribute_names("#data", DATA)
                        .expression_attribute_values(":expected", AttributeValue::S(expected.clone())),
                };
                builder.put(put.build().map_err(backend)?)
            }
            Write::Delete { key } => builder.delete(
                Delete::builder()
                    .table_name(&self.table)
                    .set_key(Some(key_map(key)))
                    .build()
                    .map_err(backend)?,
            ),
            Write::Entries { key, set, remove } => {
                builder.update(entries_update(key, &self.table, set, remove)?)
            }
        };
        Ok(built.build())
    }
}

impl Store for DynamoStore {
    async fn get(&self, key: &Key) -> Result<Option<Item>, StoreError> {
        let output = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(key_map(key)))
            .consistent_read(true)
            .send()
            .await
            .map_err(sdk)?;
        output.item().map(from_attributes).transpose()
    }

    async fn get_many(&self, keys: &[Key]) -> Result<Vec<Item>, StoreError> {
        check_gets(keys)?;
        let mut unique = keys.to_vec();
        unique.sort();
        unique.dedup();
        let mut pending: Vec<HashMap<String, AttributeValue>> = unique.iter().map(key_map).collect();
        let mut items = Vec::with_capacity(keys.len());
        // BatchGetItem may return part of the answer and name the rest as unprocessed; ask
        // again for those, a bounded number of times with a growing pause.
        for attempt in 0..8u32 {
            if pending.is_empty() {
                return Ok(items);
            }
            if attempt > 0 {
                tokio::time::sleep(Duration::from_millis(10 << attempt)).await;
            }
            let request = KeysAndAttributes::builder()
                .set_keys(Some(std::mem::take(&mut pending)))
                .consistent_read(true)
                .build()
                .map_err(backend)?;
            let output =
                self.client.batch_get_item().request_items(&self.table, request).send().await.map_err(sdk)?;
            for map in output.responses().and_then(|r| r.get(&self.table)).into_iter().flatten() {
                items.push(from_attributes(map)?);
            }
            if let Some(rest) = output.unprocessed_keys().and_then(|u| u.get(&self.table)) {
                pending = rest.keys().to_vec();
            }
        }
        // Keys left unprocessed are DynamoDB shedding load.
        Err(StoreError::Unavailable(anyhow::anyhow!("BatchGetItem left keys unprocessed after 8 attempts")))
    }

    async fn query(&self, pk: &str, range: &SkRange) -> Result<Vec<Item>, StoreError> {
        self.query_page(pk, range, usize::MAX).await
    }

    async fn query_page(&self, pk: &str, range: &SkRange, limit: usize) -> Result<Vec<Item>, StoreError> {
        let mut request = self
            .client
            .query()
            .table_name(&self.table)
            .consistent_read(true)
            .expression_attribute_values(":pk", AttributeValue::S(pk.to_owned()));
        request = match range {
            SkRange::Prefix(prefix) => request
                .key_condition_expression("PK = :pk AND begins_with(SK, :prefix)")
                .expression_attribute_values(":prefix", AttributeValue::S(prefix.clone())),
            SkRange::Between(from, to) => request
                .key_condition_expression("PK = :pk AND SK BETWEEN :from AND :to")
                .expression_attribute_values(":from", AttributeValue::S(from.clone()))
                .expression_attribute_values(":to", AttributeValue::S(to.clone())),
        };
        let mut items = Vec::new();
        let mut start_key = None;
        while items.len() < limit {
            // Without a filter expression DynamoDB's `Limit` counts the items returned; pages
            // still end at 1 MB, so a page may hold fewer.
            let wanted = i32::try_from(limit - items.len()).unwrap_or(i32::MAX);
            let page = request
                .clone()
                .set_limit((limit != usize::MAX).then_some(wanted))
                .set_exclusive_start_key(start_key)
                .send()
                .await
                .map_err(sdk)?;
            for map in page.items() {
                items.push(from_attributes(map)?);
            }
            match page.last_evaluated_key() {
                Some(last) if !last.is_empty() => start_key = Some(last.clone()),
                _ => break,
            }
        }
        Ok(items)
    }

    async fn transact(&self, writes: Vec<Write>) -> Result<(), StoreError> {
        check_transaction(&writes)?;
        let items = writes.iter().map(|w| self.transact_item(w)).collect::<Result<Vec<_>, _>>()?;
        // The SDK retries an attempt that timed out, and the attempt may have committed: with
        // one token for all attempts, DynamoDB answers a retry of a committed transaction with
        // success (for ten minutes) instead of failing its conditions against its own writes.
        let token = hex::encode(crate::random::bytes::<16>());
        let request =
            self.client.transact_write_items().set_transact_items(Some(items)).client_request_token(token);
        match request.send().await {
            Ok(_) => Ok(()),
            Err(error) => Err(cancellation(error)),
        }
    }
}

/// Maps a cancelled transaction to the writes whose conditions failed, or to a conflict.
fn cancellation(error: SdkError<TransactWriteItemsError>) -> StoreError {
    match error.as_service_error() {
        Some(TransactWriteItemsError::TransactionCanceledException(cancelled)) => {
            let reasons = cancelled.cancellation_reasons();
            let failed: Vec<usize> = reasons
                .iter()
                .enumerate()
                .filter(|(_, r)| r.code() == Some("ConditionalCheckFailed"))
                .map(|(i, _)| i)
                .collect();
            let throttled = |code: Option<&str>| {
                matches!(
                    code,
                    Some("ThrottlingError" | "ProvisionedThroughputExceeded" | "RequestLimitExceeded")
                )
            };
            if !failed.is_empty() {
                StoreError::ConditionFailed(failed)
            } else if reasons.iter().any(|r| r.code() == Some("TransactionConflict")) {
                StoreError::Conflict
            } else if reasons.iter().any(|r| throttled(r.code())) {
                StoreError::Unavailable(anyhow::Error::new(error))
            } else {
                sdk(error)
            }
        }
        Some(TransactWriteItemsError::TransactionInProgressException(_)) => StoreError::Conflict,
        _ => sdk(error),
    }
}
