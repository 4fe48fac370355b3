//! Decoding the same users into clerkgen's `models::User` (A) and progenitor's
//! serde-derived `types::User` (B), both generated from the same document, rounds of A
//! and B alternated. Not a member of this workspace: `scripts/bench-progenitor` builds it
//! in its scratch directory (release profile) against the two crates it generated, and
//! runs it on the files `bench/examples/sample_users.rs` writes.
//!
//! Usage: decode USERS.json [USERS.json ...]

use std::time::Instant;

const ROUNDS: usize = 15;

fn main() {
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let a: Vec<clerkgen_subset::models::User> =
            serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("clerkgen, {path}: {e}"));
        let b: Vec<progenitor_subset::types::User> = serde_json::from_slice(&bytes)
            .unwrap_or_else(|e| panic!("progenitor, {path}: {e}"));
        assert_eq!(a.len(), b.len());
        // Enough decodes per round for about 50 ms.
        let started = Instant::now();
        std::hint::black_box(serde_json::from_slice::<Vec<clerkgen_subset::models::User>>(&bytes).ok());
        let once = started.elapsed().as_secs_f64().max(1e-6);
        let per_round = ((0.05 / once) as usize).clamp(1, 10_000);

        let (mut ta, mut tb, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..ROUNDS {
            let a = time(per_round, || {
                serde_json::from_slice::<Vec<clerkgen_subset::models::User>>(&bytes).is_ok()
            });
            let b = time(per_round, || {
                serde_json::from_slice::<Vec<progenitor_subset::types::User>>(&bytes).is_ok()
            });
            ta.push(a);
            tb.push(b);
            ratios.push(a / b);
        }
        println!(
            "{path}: {} users, {} bytes; ms per decode, min / median / max of {ROUNDS} rounds of {per_round}",
            a.len(),
            bytes.len()
        );
        println!("  clerkgen   {}", spread(ta));
        println!("  progenitor {}", spread(tb));
        println!("  ratio, round by round: {}", spread(ratios));
    }
}

/// Milliseconds per call of `decode`, over `n` calls.
fn time(n: usize, mut decode: impl FnMut() -> bool) -> f64 {
    let started = Instant::now();
    for _ in 0..n {
        assert!(std::hint::black_box(decode()));
    }
    started.elapsed().as_secs_f64() * 1000.0 / n as f64
}

fn spread(mut values: Vec<f64>) -> String {
    values.sort_by(f64::total_cmp);
    format!(
        "{:.3} / {:.3} / {:.3}",
        values[0],
        values[values.len() / 2],
        values[values.len() - 1]
    )
}
