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

use clerkgen::ir::{Api, BodyEncoding, Operation, Param, ResponseDecode, TypeKind, TypeRef};
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
    if let Some(example) = node.get("example").filter(|e| !e.is_null()) {
        return example.clone();
    }
    if let Some(all) = node.get("allOf").and_then(Value::as_array) {
        let mut merged = Map::new();
        for member in all {
            if let Value::Object(m) = valid(spec, member, depth + 1) {
                merged.extend(m);
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
    match node.get("type").and_then(Value::as_str) {
        Some("string") => Value::String(string(node)),
        Some("integer") => {
            let low = number("minimum").unwrap_or(1.0).max(1.0);
            let value = number("maximum").map_or(low, |high| low.min(high));
            Value::from(value as i64)
        }
        Some("number") => Value::from(number("minimum").unwrap_or(1.5)),
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
    if let Some(pattern) = node.get("pattern").and_then(Value::as_str) {
        return Pattern::new(pattern).sample();
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
    let min = node.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
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

fn param_value(spec: &Value, p: &Param) -> Value {
    let node = support::schema(spec, &p.pointer);
    if let Some(example) = node.get("example").filter(|e| !e.is_null()) {
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
            setters.push(format!(".{}({expr})", p.rust_name));
        }
    }
    if let Some(body) = &op.body {
        let sample = body_sample(spec, body);
        if body.flattened {
            for f in &body.fields {
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
                    setters.push(format!(".{}({expr})", f.setter));
                }
            }
        } else {
            let expr = match body.encoding {
                BodyEncoding::Raw => {
                    format!("api::RawBody::new({:?}, PNG.to_vec())", body.media_type)
                }
                _ => value_expr(&body.ty, &sample),
            };
            if body.required {
                args.push(expr);
            } else {
                setters.push(format!(".{}({expr})", body.setter));
            }
        }
    }
    format!(
        "c.{}().{}({}){}",
        module.accessor,
        op.rust_name,
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
    reqwest::Client::builder().default_headers(headers).build().unwrap()
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
    api::Client::builder()
        .secret_key("sk_test_conformance")
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
    /// Written by the test (the project's own crate, `generated/`, is not).
    write_crate: bool,
}

/// A `raw_body` for an alternative media type: PNG bytes, or the JSON sample as JSON.
fn raw_body_expr(media_type: &str, sample: &Value) -> String {
    if media_type.contains("json") {
        format!(
            "api::RawBody::new({media_type:?}, {:?}.as_bytes().to_vec())",
            serde_json::to_string(sample).unwrap()
        )
    } else {
        format!("api::RawBody::new({media_type:?}, PNG.to_vec())")
    }
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
            .filter(|e| e.status != "default")
            .map(|e| format!("({:?}, {})", e.status, error_check(api, e)))
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
        "{HARNESS_SPEC}\n{functions}\nstatic OPS: &[(&str, &[(&str, Call)], &[(&str, ErrorCheck)])] = &[\n{table}];\n"
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
    let clerk_specs = support::clerk_specs();
    let specs = [
        Target {
            label: "bapi",
            manifest: support::manifest(),
            write_crate: false,
        },
        Target {
            label: "platform",
            manifest: clerkgen::manifest::Manifest::for_spec(
                clerk_specs.join("platform/beta.yml"),
                scratch.join("platform-client"),
                "clerk-platform".into(),
            ),
            write_crate: true,
        },
    ];
    let mut summary = String::new();
    let mut failed = Vec::new();
    for s in &specs {
        let started = Instant::now();
        let generated = clerkgen::generate(&s.manifest).expect("the spec generates");
        if s.write_crate {
            generated.files.write(&s.manifest.out_dir).unwrap();
        }
        let raw: Value =
            serde_yaml_ng::from_str(&std::fs::read_to_string(&s.manifest.openapi).unwrap())
                .unwrap();
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
        let mock = start_prism(&prism, &s.manifest.openapi, &harness.join("prism.log"));
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
    std::fs::write(scratch.join("summary.txt"), &summary).unwrap();
    assert!(failed.is_empty(), "non-conformant operations: {failed:?}");
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
