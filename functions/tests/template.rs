//! The deployment template's table is the table the code makes: the same keys, attribute
//! types, billing, TTL attribute, stream and (no) indexes. The template is read as YAML; the
//! table is what a DynamoDB-compatible server says `ensure_table` created (moto in
//! `cargo xtask test`, hence `#[ignore]` in a plain `cargo test`). Its CloudFront Functions run
//! under Node on the events CloudFront gives them. The public functions' IAM statements are
//! evaluated against secret keys, and the pages' headers and the WAF rate limits are checked.

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

fn template() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../infra/template.yaml");
    serde_yaml_ng::from_str(&std::fs::read_to_string(path).expect("template")).expect("yaml")
}

/// A value or a list of them, as IAM writes actions, resources and condition values.
fn strings(value: &Value) -> Vec<String> {
    match value {
        Value::Sequence(list) => list.iter().map(text).collect(),
        other => vec![text(other)],
    }
}

/// The IAM statements of a function's `Policies`, which must all be inline statements: a SAM
/// policy template or a managed policy could grant anything.
fn statements(template: &Value, function: &str) -> Vec<Value> {
    let properties = &template["Resources"][function]["Properties"];
    assert!(properties.get("Role").is_none(), "{function}: a Role replaces the Policies checked here");
    assert!(template["Globals"]["Function"].get("Policies").is_none(), "no policies in Globals");
    let policies = properties["Policies"].as_sequence().expect("Policies");
    policies
        .iter()
        .flat_map(|policy| {
            let list = policy.get("Statement").and_then(Value::as_sequence);
            list.unwrap_or_else(|| panic!("{function}: not an inline statement list: {policy:?}")).clone()
        })
        .collect()
}

fn grants(statement: &Value, action: &str) -> bool {
    let action = action.to_ascii_lowercase();
    strings(&statement["Action"])
        .iter()
        .any(|pattern| matches_pattern(pattern.to_ascii_lowercase().as_bytes(), action.as_bytes()))
}

/// Whether `statement`'s conditions hold for a request whose only partition key is `key`. Only
/// conditions on `dynamodb:LeadingKeys` are understood; anything else fails the test, which
/// must then learn it.
fn condition_holds(statement: &Value, key: &str) -> bool {
    let Some(conditions) = statement.get("Condition").and_then(Value::as_mapping) else {
        return true;
    };
    conditions.iter().all(|(operator, tests)| {
        let operator = text(operator);
        tests.as_mapping().expect("condition keys").iter().all(|(name, values)| {
            assert_eq!(text(name), "dynamodb:LeadingKeys", "{operator}: only LeadingKeys is understood");
            let patterns = strings(values);
            let like = |p: &String| matches_pattern(p.as_bytes(), key.as_bytes());
            // One key: ForAllValues and ForAnyValue agree (ForAllValues on no key at all holds,
            // which is why keyless actions such as Scan must never be allowed).
            match operator.as_str() {
                "ForAllValues:StringLike" | "ForAnyValue:StringLike" => patterns.iter().any(like),
                "ForAllValues:StringEquals" | "ForAnyValue:StringEquals" => patterns.iter().any(|p| p == key),
                "ForAllValues:StringNotLike" | "ForAnyValue:StringNotLike" => !patterns.iter().any(like),
                other => panic!("condition operator {other} is not understood"),
            }
        })
    })
}

/// Whether `function`'s role may do `action` on an item whose partition key is `key`.
fn may(statements: &[Value], action: &str, key: &str) -> bool {
    let applies = |effect: &str| {
        statements
            .iter()
            .any(|s| text(&s["Effect"]) == effect && grants(s, action) && condition_holds(s, key))
    };
    applies("Allow") && !applies("Deny")
}

/// Partition keys of items no public function may read (`store/keys.rs`), and keys they must.
const SECRET_KEYS: &[&str] = &[
    "SECRETS",
    "ACCOUNT#a@b.c",
    "ISSUER",
    "GRANT#x",
    "GRANT#FAMILY#x",
    "CLIENT#x",
    "OPERATORS",
    "USER#u",
    "ACCOUNTMAIL",
    "SITE#acme#WEBHOOKS",
    "SITE#acme#WO#WO-0000000A",
    "SITE#acme#OUTBOX",
    "SITE#acme#IDEM#0123456789",
    "SITE#acme#AUDIT",
    "SITE#acme#WOLIST#ALL",
    "OUTBOX#PENDING#0",
];
const PUBLIC_READS: &[(&str, &str)] = &[
    ("dynamodb:GetItem", "SITE#acme"),
    ("dynamodb:Query", "SITE#acme#AREA#SW"),
    ("dynamodb:BatchGetItem", "SITE#acme"),
    ("dynamodb:BatchGetItem", "SITE#acme#TECH#jo"),
];
const PUBLIC_FUNCTIONS: &[&str] = &["AssetsFunction", "BookingsFunction"];

#[test]
fn the_public_functions_cannot_read_secrets_or_write() {
    let template = template();
    for function in PUBLIC_FUNCTIONS {
        let statements = statements(&template, function);
        for key in SECRET_KEYS {
            for action in ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"] {
                assert!(!may(&statements, action, key), "{function} may {action} {key}");
            }
        }
        for (action, key) in PUBLIC_READS {
            assert!(may(&statements, action, key), "{function} needs {action} on {key}");
        }
        // Start-up's DescribeTable names no key.
        assert!(statements.iter().any(|s| text(&s["Effect"]) == "Allow"
            && grants(s, "dynamodb:DescribeTable")
            && s.get("Condition").is_none()));
        // Actions without a partition key pass a ForAllValues condition: never allowed, nor
        // is any write, stream read or export.
        for action in [
            "dynamodb:Scan",
            "dynamodb:PartiQLSelect",
            "dynamodb:ExecuteStatement",
            "dynamodb:TransactGetItems",
            "dynamodb:PutItem",
            "dynamodb:UpdateItem",
            "dynamodb:DeleteItem",
            "dynamodb:BatchWriteItem",
            "dynamodb:PartiQLInsert",
            "dynamodb:PartiQLUpdate",
            "dynamodb:PartiQLDelete",
            "dynamodb:GetRecords",
            "dynamodb:ExportTableToPointInTime",
            "dynamodb:UpdateTable",
            "dynamodb:DeleteTable",
            "ses:SendEmail",
            "ses:SendRawEmail",
            "sqs:SendMessage",
        ] {
            assert!(
                !statements.iter().any(|s| text(&s["Effect"]) == "Allow" && grants(s, action)),
                "{function} may {action}"
            );
        }
    }
}

#[test]
fn the_glob_matcher_matches_as_iam_does() {
    assert!(matches_pattern(b"SITE#*", b"SITE#acme#WEBHOOKS"));
    assert!(matches_pattern(b"SITE#*#WEBHOOKS", b"SITE#acme#WEBHOOKS"));
    assert!(!matches_pattern(b"SITE#*#WEBHOOKS", b"SITE#acme"));
    assert!(!matches_pattern(b"SITE#*", b"SECRETS"));
    assert!(matches_pattern(b"SITE#?cme", b"SITE#acme"));
    assert!(!matches_pattern(b"SITE#*#WO#*", b"SITE#acme#AREA#WO"));
}

/// The SES identities e-mail may be sent as: the `MailFrom` address, and its domain (SES
/// authorises a sender verified through its domain against the domain's identity), only for
/// that address.
#[test]
fn e_mail_is_sent_only_as_mail_from() {
    let template = template();
    let address = "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/${MailFrom}";
    let functions: Vec<String> = template["Resources"]
        .as_mapping()
        .expect("resources")
        .iter()
        .filter(|(_, r)| r["Type"] == "AWS::Serverless::Function")
        .map(|(name, _)| text(name))
        .collect();
    let mut senders = 0;
    for function in &functions {
        for statement in statements(&template, function) {
            if !["ses:SendEmail", "ses:SendRawEmail", "ses:SendBulkEmail"]
                .iter()
                .any(|a| grants(&statement, a))
            {
                continue;
            }
            senders += 1;
            assert_eq!(text(&statement["Effect"]), "Allow");
            let resources = statement["Resource"].as_sequence().expect("a list of resources");
            let subs: Vec<&Value> = resources
                .iter()
                .map(|r| match r {
                    Value::Tagged(sub) if sub.tag == "Sub" => &sub.value,
                    other => panic!("{function}: SES resource not a !Sub: {other:?}"),
                })
                .collect();
            assert_eq!(subs.len(), 2, "{function}: the address and its domain");
            assert_eq!(text(subs[0]), address, "{function}");
            let domain = subs[1].as_sequence().expect("!Sub [string, variables]");
            assert_eq!(text(&domain[0]), address.replace("${MailFrom}", "${MailDomain}"), "{function}");
            let split = serde_yaml_ng::to_string(&domain[1]["MailDomain"]).expect("yaml");
            assert_eq!(split.trim(), "!Select\n- 1\n- !Split\n  - '@'\n  - !Ref MailFrom", "{function}");
            let from = &statement["Condition"]["StringEquals"]["ses:FromAddress"];
            assert_eq!(serde_yaml_ng::to_string(from).expect("yaml").trim(), "!Ref MailFrom", "{function}");
        }
    }
    assert_eq!(senders, 1, "the dispatcher alone sends e-mail");
}

/// The cache behaviour CloudFront picks for `uri`: the first whose pattern matches, else the
/// default.
fn behavior<'a>(template: &'a Value, uri: &str) -> &'a Value {
    let distribution = &template["Resources"]["Distribution"]["Properties"]["DistributionConfig"];
    let behaviors = distribution["CacheBehaviors"].as_sequence().expect("behaviors");
    behaviors
        .iter()
        .find(|b| matches_pattern(text(&b["PathPattern"]).as_bytes(), uri.as_bytes()))
        .unwrap_or(&distribution["DefaultCacheBehavior"])
}

/// The resource a `!Ref` or `!GetAtt` names.
fn referenced(value: &Value) -> String {
    match value {
        Value::Tagged(tagged) if tagged.tag == "Ref" => text(&tagged.value),
        Value::Tagged(tagged) if tagged.tag == "GetAtt" => {
            text(&tagged.value).split('.').next().expect("name").to_owned()
        }
        other => panic!("not a reference: {other:?}"),
    }
}

#[test]
fn every_address_the_page_function_rewrites_is_served_by_a_behaviour_running_it() {
    let template = template();
    let request =
        |uri: &str| serde_json::json!({ "request": { "uri": uri, "method": "GET", "headers": {} } });
    for uri in [
        "/book/acme",
        "/book/acme/work-orders/WO-0000000A",
        "/manage/acme/WO-0000000A",
        "/admin/",
        "/admin/settings/",
        "/favicon.ico",
        "/widget/",
    ] {
        if cloudfront_function("PagePaths", &request(uri))["uri"] == uri {
            continue;
        }
        let runs = behavior(&template, uri)["FunctionAssociations"].as_sequence().is_some_and(|list| {
            list.iter()
                .any(|f| f["EventType"] == "viewer-request" && referenced(&f["FunctionARN"]) == "PagePaths")
        });
        assert!(runs, "{uri} is rewritten by PagePaths, but its behaviour does not run it");
    }
}

/// The policy CloudFront's response headers policy `name` sets as Content-Security-Policy.
fn content_security_policy(template: &Value, name: &str) -> String {
    let headers = &template["Resources"][name]["Properties"]["ResponseHeadersPolicyConfig"];
    let csp = &headers["SecurityHeadersConfig"]["ContentSecurityPolicy"];
    assert_eq!(csp["Override"].as_bool(), Some(true), "{name}: the CSP overrides the origin's");
    match &csp["ContentSecurityPolicy"] {
        Value::Tagged(sub) if sub.tag == "Sub" => match &sub.value {
            Value::Sequence(parts) => text(&parts[0]),
            other => text(other),
        },
        other => text(other),
    }
}

#[test]
fn the_console_and_the_hosted_pages_get_a_strict_content_security_policy() {
    let template = template();
    for uri in [
        "/admin/",
        "/admin/index.html",
        "/admin/jobslot-console-0123456789abcdef.js",
        "/book/acme",
        "/book/acme/work-orders/WO-0000000A",
        "/manage/acme/WO-0000000A",
    ] {
        let name = referenced(&behavior(&template, uri)["ResponseHeadersPolicyId"]);
        let csp = content_security_policy(&template, &name);
        let directive = |name: &str| {
            csp.split(';')
                .map(str::trim)
                .find_map(|d| d.strip_prefix(name).filter(|rest| rest.starts_with(' ')))
                .unwrap_or_else(|| panic!("{uri}: no {name} in {csp}"))
                .split_whitespace()
                .collect::<Vec<_>>()
        };
        assert_eq!(directive("frame-ancestors"), ["'none'"], "{uri}");
        assert_eq!(directive("object-src"), ["'none'"], "{uri}");
        assert_eq!(directive("base-uri"), ["'none'"], "{uri}");
        assert_eq!(directive("default-src"), ["'self'"], "{uri}");
        let scripts = directive("script-src");
        for unsafe_source in ["'unsafe-inline'", "'unsafe-eval'", "*", "data:", "https:"] {
            assert!(!scripts.contains(&unsafe_source), "{uri}: script-src allows {unsafe_source}");
        }
        assert!(!directive("style-src").contains(&"'unsafe-inline'"), "{uri}");
        if uri.starts_with("/book/") || uri.starts_with("/manage/") {
            let referrer = &template["Resources"][name.as_str()]["Properties"]["ResponseHeadersPolicyConfig"]
                ["SecurityHeadersConfig"]["ReferrerPolicy"];
            assert_eq!(referrer["ReferrerPolicy"], "no-referrer", "{uri}: its address carries a token");
        }
    }
}

#[test]
fn per_client_rate_limits_guard_the_api_and_sign_in() {
    let template = template();
    let resources = &template["Resources"];
    let rules = resources["EdgeAcl"]["Properties"]["Rules"].as_sequence().expect("rules");
    let limits: Vec<String> =
        rules.iter().map(|r| referenced(&r["Statement"]["RateBasedStatement"]["Limit"])).collect();
    assert_eq!(limits, ["SearchRateLimit", "BookingRateLimit"]);
    assert_eq!(resources["EdgeAcl"]["Properties"]["Scope"], "CLOUDFRONT");
    let sign_in = &resources["SignInAcl"]["Properties"];
    assert_eq!(sign_in["Scope"], "REGIONAL");
    let limit = &sign_in["Rules"][0]["Statement"]["RateBasedStatement"]["Limit"];
    assert_eq!(referenced(limit), "SignInRateLimit");
    assert_eq!(referenced(&resources["SignInAclAssociation"]["Properties"]["ResourceArn"]), "StaffPool");
    for rule in rules.iter().chain(sign_in["Rules"].as_sequence().expect("rules")) {
        let statement = &rule["Statement"]["RateBasedStatement"];
        assert_eq!(statement["AggregateKeyType"], "IP");
        assert!(statement.get("ScopeDownStatement").is_some(), "{rule:?} limits only its routes");
    }
    // The API's CloudFront address, the only one behind the web ACL, is the one handed out.
    let api = &resources["ApiDistribution"]["Properties"]["DistributionConfig"];
    assert!(api.get("WebACLId").is_some());
    let origin = serde_yaml_ng::to_string(&api["Origins"][0]["DomainName"]).expect("yaml");
    assert!(origin.contains("${HttpApi}.execute-api"), "{origin}");
    let outputs = serde_yaml_ng::to_string(&template["Outputs"]).expect("yaml");
    assert_eq!(
        outputs.matches("https://${ApiDistribution.DomainName}").count(),
        3,
        "ApiUrl, ScriptTag, ConsoleConfig"
    );
}

/// The HTTP API's routes as the template declares them: method, path and the function.
fn gateway_routes(template: &Value) -> Vec<(String, String, String)> {
    let resources = template["Resources"].as_mapping().expect("resources");
    let mut routes = Vec::new();
    for (name, resource) in resources {
        let Some(events) = resource["Properties"]["Events"].as_mapping() else { continue };
        for event in events.values().filter(|e| e["Type"].as_str() == Some("HttpApi")) {
            let properties = &event["Properties"];
            routes.push((text(&properties["Method"]), text(&properties["Path"]), text(name)));
        }
    }
    routes
}

/// The route API Gateway picks for `method` `path`: of the routes whose path matches, the one
/// with literal segments earliest (HTTP APIs prefer the most specific path), then the one
/// naming the method over `ANY`.
fn gateway_route<'a>(
    routes: &'a [(String, String, String)],
    method: &str,
    path: &str,
) -> Option<&'a (String, String, String)> {
    let wanted: Vec<&str> = path.split('/').collect();
    routes
        .iter()
        .filter(|(m, _, _)| m == method || m == "ANY")
        .filter_map(|route| {
            let segments: Vec<&str> = route.1.split('/').collect();
            if segments.len() != wanted.len() {
                return None;
            }
            let mut literal = Vec::new();
            for (declared, given) in segments.iter().zip(&wanted) {
                let variable = declared.starts_with('{');
                if !variable && declared != given {
                    return None;
                }
                literal.push(!variable);
            }
            Some((literal, route.0 == method, route))
        })
        .max_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)))
        .map(|(_, _, route)| route)
}

/// Whether `router` has a route for `method` `path`: an unrouted request gets axum's bare
/// 404 or 405 with no body (the problem documents come from layers this router lacks).
async fn routes_it(router: axum::Router, method: &str, path: &str) -> bool {
    use tower::ServiceExt;
    let request = axum::http::Request::builder()
        .method(method)
        .uri(path)
        .header("content-type", "application/json")
        .body(axum::body::Body::from("{}"))
        .expect("request");
    let response = router.oneshot(request).await.expect("answered");
    let status = response.status().as_u16();
    let body = axum::body::to_bytes(response.into_body(), 1 << 20).await.expect("body");
    !((status == 404 || status == 405) && body.is_empty())
}

#[tokio::test]
async fn every_operation_reaches_the_function_that_serves_it_through_the_gateway() {
    use jobslot_functions::http::{self, AppState};
    let (store, _dir) = support::embedded_store();
    let app = support::demo_app(store).await;
    let (_, identity, verifier) = support::local_auth(&app, "http://127.0.0.1:9");
    let state = AppState {
        app,
        verifier,
        accounts: Some(identity.clone()),
        clients: Some(std::sync::Arc::new(identity)),
    };
    let router = |function: &str| match function {
        "AssetsFunction" => http::assets_router(state.clone()),
        "BookingsFunction" => http::bookings_router(state.clone()),
        "WorkOrdersFunction" => http::work_orders_router(state.clone()),
        "StaffFunction" => http::staff_router(state.clone()),
        other => panic!("{other} serves API routes it has no router for"),
    };
    let document: serde_json::Value =
        serde_json::from_str(http::openapi::document()).expect("the API document as JSON");
    let routes = gateway_routes(&template());
    let mut missing = Vec::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("operations").keys() {
            let method = method.to_uppercase();
            // Sample values that are no literal segment of any route.
            let sample: String = path
                .split('/')
                .map(|s| if s.starts_with('{') { "sample-1" } else { s })
                .collect::<Vec<_>>()
                .join("/");
            match gateway_route(&routes, &method, &sample) {
                Some((_, _, function)) if routes_it(router(function), &method, &sample).await => {}
                Some((_, declared, function)) => {
                    missing.push(format!("{method} {path}: the gateway sends it ({declared}) to {function}, which has no such route"))
                }
                None => missing.push(format!("{method} {path}: no route in the HTTP API")),
            }
        }
    }
    assert!(missing.is_empty(), "operations deployed nowhere:\n{}", missing.join("\n"));
}
