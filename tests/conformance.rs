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
        TypeRef::File => "clerk::FilePart::new(PNG.to_vec()).file_name(\"image.png\").content_type(\"image/png\")".into(),
        _ => format!(
            "v::<{}>(r##\"{}\"##)",
            ty.rust("clerk::models").replace("FilePart", "clerk::FilePart"),
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
        let sample = body
            .schema_pointer
            .as_ref()
            .map(|ptr| valid(spec, support::schema(spec, ptr), 0))
            .unwrap_or(Value::Null);
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
                    format!("clerk::RawBody::new({:?}, PNG.to_vec())", body.media_type)
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
            r.ty.rust("clerk::models")
        ),
        _ => "|_| true".into(),
    }
}

const HARNESS_MAIN: &str = r#"#![allow(deprecated)]
use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

type Call = for<'c> fn(&'c clerk::Client) -> Pin<Box<dyn Future<Output = clerk::Result<()>> + Send + 'c>>;
type ErrorCheck = fn(&clerk::ApiError) -> bool;

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

fn v<T: serde::de::DeserializeOwned>(json: &str) -> T {
    serde_json::from_str(json).unwrap_or_else(|e| panic!("{json} does not decode: {e}"))
}

/// The request violations in Prism's `sl-violations` header (its response violations,
/// about its own generated payloads, are not the client's concern).
fn violations(headers: &reqwest::header::HeaderMap, of: &str) -> Vec<String> {
    let Some(text) = headers.get("sl-violations").and_then(|v| v.to_str().ok()) else { return Vec::new() };
    let list: Vec<serde_json::Value> = serde_json::from_str(text).unwrap_or_default();
    list.iter()
        .filter(|v| v["location"][0] == of && v["severity"] == "Error")
        .map(|v| format!("{} ({})", v["message"].as_str().unwrap_or("?"), v["location"]))
        .collect()
}

/// What the observer saw of one response: request violations, response violations.
type Seen = Arc<Mutex<Vec<(Vec<String>, Vec<String>)>>>;

fn client(base: &str, seen: &Seen, code: Option<&str>) -> clerk::Client {
    let seen = seen.clone();
    let mut headers = reqwest::header::HeaderMap::new();
    if let Some(code) = code {
        headers.insert("prefer", format!("code={code}").parse().unwrap());
    }
    clerk::Client::builder()
        .secret_key("sk_test_conformance")
        .base_url(base)
        .retry(clerk::RetryPolicy::none())
        .http_client(reqwest::Client::builder().default_headers(headers).build().unwrap())
        .on_response(move |x| seen.lock().unwrap().push((violations(x.headers, "request"), violations(x.headers, "response"))))
        .build()
        .unwrap()
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let base = std::env::var("MOCK_URL").expect("MOCK_URL");
    let seen: Seen = Arc::new(Mutex::new(Vec::new()));
    let mut clients: BTreeMap<Option<&str>, clerk::Client> = BTreeMap::new();
    for (id, call, pager, errors) in OPS {
        let mut cases: Vec<(Option<&str>, Option<ErrorCheck>, Call)> = vec![(None, None, *call)];
        cases.extend(pager.map(|p| (Some("pages"), None, p)));
        cases.extend(errors.iter().map(|(status, check)| (Some(*status), Some(*check), *call)));
        for (code, check, call) in cases {
            let prefer = code.filter(|c| *c != "pages");
            let c = clients.entry(prefer).or_insert_with(|| client(&base, &seen, prefer));
            seen.lock().unwrap().clear();
            let outcome = call(c).await;
            let exchanges = std::mem::take(&mut *seen.lock().unwrap());
            let violations: Vec<String> = exchanges.iter().flat_map(|(v, _)| v.clone()).collect();
            let mock_invalid: Vec<String> = exchanges.iter().flat_map(|(_, v)| v.clone()).collect();
            let label = code.unwrap_or("success");
            let verdict = if !violations.is_empty() {
                Err(format!("request violations: {}", violations.join("; ")))
            } else {
                match (outcome, check) {
                    (Ok(()), None) => Ok(()),
                    (Err(clerk::Error::Api(e)), Some(check)) if e.status().to_string() == label || label.ends_with("XX") => {
                        if check(&e) { Ok(()) } else { Err(format!("the {} body does not decode into its type: {}", e.status(), String::from_utf8_lossy(e.raw_body()))) }
                    }
                    (Ok(()), Some(_)) => Err("a success where an error was asked for".to_string()),
                    (Err(e), _) => Err(format!("{e}")),
                }
            };
            match verdict {
                Ok(()) => println!("ok\t{id}\t{label}\t"),
                // Prism generates some payloads that break the spec (a `required`-only
                // `anyOf` becomes `{}`); it says so, and the client is not judged on them.
                Err(why) if violations.is_empty() && !mock_invalid.is_empty() => {
                    println!("mock\t{id}\t{label}\t{why}; the mock's response violates the spec: {}", mock_invalid[0])
                }
                Err(why) => println!("fail\t{id}\t{label}\t{why}"),
            }
        }
    }
}
"#;

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
    let suite_started = Instant::now();
    let manifest = support::manifest();
    let generated = clerkgen::generate(&manifest).expect("the manifest generates");
    let api = &generated.api;
    let spec = support::raw_spec();

    let mut table = String::new();
    let mut functions = String::new();
    for (i, op) in api.operations.iter().enumerate() {
        let call = call_body(api, &spec, op);
        writeln!(
            functions,
            "fn op_{i}(c: &clerk::Client) -> Pin<Box<dyn Future<Output = clerk::Result<()>> + Send + '_>> {{\n    let request = {call};\n    Box::pin(async move {{ request.send().await.map(drop) }})\n}}"
        )
        .unwrap();
        // A pager's first page: the same request with its offset parameter set.
        let pager = if op.pagination.is_some() {
            writeln!(
                functions,
                "fn pages_{i}(c: &clerk::Client) -> Pin<Box<dyn Future<Output = clerk::Result<()>> + Send + '_>> {{\n    let request = {call};\n    Box::pin(async move {{ request.pages().next_page().await.map(drop) }})\n}}"
            )
            .unwrap();
            format!("Some(pages_{i})")
        } else {
            "None".to_string()
        };
        let errors: Vec<String> = op
            .errors
            .iter()
            .filter(|e| e.status != "default")
            .map(|e| format!("({:?}, {})", e.status, error_check(api, e)))
            .collect();
        writeln!(
            table,
            "    ({:?}, op_{i}, {pager}, &[{}]),",
            op.operation_id,
            errors.join(", ")
        )
        .unwrap();
    }

    let root = support::root();
    let scratch = root.join("target/conformance-harness");
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(scratch.join("src")).unwrap();
    std::fs::write(
        scratch.join("Cargo.toml"),
        format!(
            "[package]\nname = \"conformance-harness\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\nclerk = {{ path = {:?} }}\nreqwest = {{ version = \"0.12\", default-features = false }}\nserde = \"1\"\nserde_json = \"1\"\ntokio = {{ version = \"1\", features = [\"macros\", \"rt\"] }}\n\n[workspace]\n",
            root.join("generated")
        ),
    )
    .unwrap();
    std::fs::write(
        scratch.join("src/main.rs"),
        format!("{HARNESS_MAIN}\n{functions}\nstatic OPS: &[(&str, Call, Option<Call>, &[(&str, ErrorCheck)])] = &[\n{table}];\n"),
    )
    .unwrap();
    support::cargo_in_scratch(&scratch, &["build", "--quiet"], &[]);

    let mock_started = Instant::now();
    let mock = start_prism(&prism, &manifest.openapi, &scratch.join("prism.log"));
    let startup = mock_started.elapsed();
    let calls_started = Instant::now();
    let report =
        support::cargo_in_scratch(&scratch, &["run", "--quiet"], &[("MOCK_URL", &mock.url)]);
    let calls = calls_started.elapsed();
    drop(mock);
    std::fs::write(scratch.join("report.tsv"), &report).unwrap();
    summarise(
        api,
        &report,
        startup,
        calls,
        suite_started.elapsed(),
        &scratch.join("summary.txt"),
    );
}

fn summarise(
    api: &Api,
    report: &str,
    startup: Duration,
    calls: Duration,
    suite: Duration,
    summary: &Path,
) {
    // (passed, failed, not judged because the mock's response breaks the spec)
    let mut success = (0, 0, 0);
    let mut errors = (0, 0, 0);
    let mut pages = (0, 0, 0);
    let mut failed_ops = std::collections::BTreeSet::new();
    for line in report.lines() {
        let cols: Vec<&str> = line.splitn(4, '\t').collect();
        let tally = match cols[2] {
            "success" => &mut success,
            "pages" => &mut pages,
            _ => &mut errors,
        };
        match cols[0] {
            "ok" => tally.0 += 1,
            "mock" => {
                tally.2 += 1;
                println!(
                    "mock response invalid {} ({}): {}",
                    cols[1], cols[2], cols[3]
                );
            }
            _ => {
                tally.1 += 1;
                failed_ops.insert(cols[1]);
                println!("FAILED {} ({}): {}", cols[1], cols[2], cols[3]);
            }
        }
    }
    let text = format!(
        "conformance: {} operations: {} passed, {} failed ({} passed with a mock response that breaks the spec, whose decoding was not judged)\n\
         conformance: first page of each of the {} pagers: {} passed, {} failed\n\
         conformance: declared error responses (Prefer: code=...): {} passed, {} failed, {} not judged\n\
         conformance: Prism start-up {} ms, {} calls in {} ms, suite {} s\n",
        api.operations.len(),
        success.0 + success.2,
        success.1,
        success.2,
        pages.0 + pages.1 + pages.2,
        pages.0 + pages.2,
        pages.1,
        errors.0 + errors.2,
        errors.1,
        errors.2,
        startup.as_millis(),
        report.lines().count(),
        calls.as_millis(),
        suite.as_secs()
    );
    print!("{text}");
    std::fs::write(summary, text).unwrap();
    assert_eq!(
        success.0 + success.1 + success.2,
        api.operations.len(),
        "every operation was called"
    );
    assert!(
        failed_ops.is_empty(),
        "non-conformant operations: {failed_ops:?}"
    );
}
