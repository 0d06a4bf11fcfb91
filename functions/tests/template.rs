//! The deployment template's table is the table the code makes: the same keys, attribute
//! types, billing, TTL attribute, stream and (no) indexes. The template is read as YAML; the
//! table is what a DynamoDB-compatible server says `ensure_table` created (moto in
//! `cargo xtask test`, hence `#[ignore]` in a plain `cargo test`). Its CloudFront Functions run
//! under Node on the events CloudFront gives them.

#[path = "support/mod.rs"]
mod support;

use jobslot_functions::store::dynamodb::TableDefinition;
use serde_yaml_ng::Value;

fn text(value: &Value) -> String {
    value.as_str().map(str::to_owned).unwrap_or_else(|| panic!("not a string: {value:?}"))
}

fn pairs(list: &Value, first: &str, second: &str) -> Vec<(String, String)> {
    list.as_sequence().expect("a list").iter().map(|v| (text(&v[first]), text(&v[second]))).collect()
}

/// The table as `infra/template.yaml` declares it.
fn declared() -> TableDefinition {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../infra/template.yaml");
    let template: Value =
        serde_yaml_ng::from_str(&std::fs::read_to_string(path).expect("template")).expect("yaml");
    let table = &template["Resources"]["Table"]["Properties"];
    let mut attributes = pairs(&table["AttributeDefinitions"], "AttributeName", "AttributeType");
    attributes.sort();
    let ttl = &table["TimeToLiveSpecification"];
    TableDefinition {
        key_schema: pairs(&table["KeySchema"], "AttributeName", "KeyType"),
        attributes,
        billing_mode: table["BillingMode"].as_str().map(str::to_owned),
        ttl_attribute: (ttl["Enabled"].as_bool() == Some(true)).then(|| text(&ttl["AttributeName"])),
        stream_view_type: table["StreamSpecification"]["StreamViewType"].as_str().map(str::to_owned),
        global_secondary_indexes: table["GlobalSecondaryIndexes"]
            .as_sequence()
            .map(|list| list.iter().map(|i| text(&i["IndexName"])).collect())
            .unwrap_or_default(),
    }
}

#[tokio::test]
#[ignore = "needs a DynamoDB-compatible server; cargo xtask test starts one"]
async fn the_templates_table_is_the_table_the_store_creates() {
    let store = support::dynamodb_store().await;
    let created = store.definition().await.expect("described");
    assert_eq!(declared(), created);
    assert_eq!(created.key_schema, [("PK".into(), "HASH".into()), ("SK".into(), "RANGE".into())]);
    assert_eq!(created.ttl_attribute.as_deref(), Some("expires_at"));
}

/// The template's CloudFront Functions, run by Node on the events CloudFront gives them (the
/// functions' runtime is JavaScript; Node runs the same code).
fn cloudfront_function(name: &str, event: &serde_json::Value) -> serde_json::Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../infra/template.yaml");
    let template: Value =
        serde_yaml_ng::from_str(&std::fs::read_to_string(path).expect("template")).expect("yaml");
    let code = text(&template["Resources"][name]["Properties"]["FunctionCode"]);
    let script = format!("{code}\nprocess.stdout.write(JSON.stringify(handler({event})));");
    let output = std::process::Command::new("node").arg("-e").arg(&script).output().expect("node runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("json")
}

#[test]
fn the_hosted_pages_and_the_console_are_found_at_their_addresses() {
    let request =
        |uri: &str| serde_json::json!({ "request": { "uri": uri, "method": "GET", "headers": {} } });
    for (asked, served) in [
        ("/book/acme", "/widget/page.html"),
        ("/book/acme/", "/widget/page.html"),
        ("/book/acme/work-orders/WO-0000000A", "/widget/book.html"),
        ("/manage/acme/WO-0000000A", "/widget/book.html"),
        ("/admin/", "/admin/index.html"),
        ("/widget/embed.js", "/widget/embed.js"),
        ("/admin/jobslot-console-1a2b.js", "/admin/jobslot-console-1a2b.js"),
        // Asked for by browsers on any page that links no icon; a 404 there is a console error.
        ("/favicon.ico", "/widget/favicon.ico"),
    ] {
        assert_eq!(cloudfront_function("PagePaths", &request(asked))["uri"], served, "{asked}");
    }
}

#[test]
fn webassembly_is_served_as_application_wasm() {
    let answer = |uri: &str| {
        let event = serde_json::json!({
            "request": { "uri": uri, "method": "GET", "headers": {} },
            "response": { "statusCode": 200, "headers": { "content-type": { "value": "binary/octet-stream" } } }
        });
        cloudfront_function("WasmType", &event)["headers"]["content-type"]["value"].clone()
    };
    assert_eq!(answer("/widget/jobslot-widget_bg.wasm"), "application/wasm");
    assert_eq!(answer("/widget/embed.js"), "binary/octet-stream", "other files keep their type");
}

/// Whether `path` matches a CloudFront path pattern, where `*` is any run of characters
/// (slashes included) and `?` any one character.
fn matches_pattern(pattern: &[u8], path: &[u8]) -> bool {
    match (pattern.split_first(), path.split_first()) {
        (None, _) => path.is_empty(),
        (Some((b'*', rest)), _) => (0..=path.len()).any(|skip| matches_pattern(rest, &path[skip..])),
        (Some((p, rest)), Some((c, tail))) if *p == b'?' || p == c => matches_pattern(rest, tail),
        _ => false,
    }
}

#[test]
fn content_named_files_are_cached_a_year_and_the_loader_and_pages_briefly() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../infra/template.yaml");
    let template: Value =
        serde_yaml_ng::from_str(&std::fs::read_to_string(path).expect("template")).expect("yaml");
    let distribution = &template["Resources"]["Distribution"]["Properties"]["DistributionConfig"];
    let policy = |uri: &str| {
        let behaviors = distribution["CacheBehaviors"].as_sequence().expect("behaviors");
        let behavior = behaviors
            .iter()
            .find(|b| matches_pattern(text(&b["PathPattern"]).as_bytes(), uri.as_bytes()))
            .unwrap_or(&distribution["DefaultCacheBehavior"]);
        match &behavior["CachePolicyId"] {
            Value::Tagged(reference) if reference.tag == "Ref" => text(&reference.value),
            other => panic!("not a !Ref: {other:?}"),
        }
    };
    for immutable in [
        "/widget/jobslot-widget-0123456789abcdef.js",
        "/widget/jobslot-widget-0123456789abcdef_bg.wasm",
        "/widget/snippets/jobslot-widget-0123456789abcdef/src/element.js",
        "/widget/hosted/jobslot-widget-0123456789abcdef_bg.wasm",
        "/admin/jobslot-console-0123456789abcdef.js",
    ] {
        assert_eq!(policy(immutable), "ImmutableCache", "{immutable}");
    }
    for short in [
        "/widget/embed.js",
        "/widget/hosted/embed.js",
        "/widget/page.html",
        "/widget/book.css",
        "/admin/index.html",
    ] {
        assert_eq!(policy(short), "ShortCache", "{short}");
    }
}
