//! Benchmarks live in `benches/`; run `cargo bench -p clerkgen-bench` or `scripts/bench`.
