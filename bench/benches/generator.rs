//! In-process generation figures for the project manifest (Clerk BAPI): loading the spec,
//! building the IR, and the whole pipeline (load, IR, emit, format; nothing written).

use std::path::PathBuf;

use clerkgen::manifest::Manifest;
use criterion::{criterion_group, criterion_main, Criterion};

fn manifest() -> Manifest {
    Manifest::load(
        &PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../specs/clerkgen.toml"),
        Some("clerk-backend"),
    )
    .expect("the manifest loads")
}

fn generation(c: &mut Criterion) {
    let manifest = manifest();
    let mut group = c.benchmark_group("bapi");
    group.sample_size(20);
    group.bench_function("load", |b| {
        b.iter(|| clerkgen::load_inputs(&manifest).unwrap())
    });
    group.bench_function("load_and_ir", |b| {
        b.iter(|| clerkgen::build_ir(&manifest).unwrap())
    });
    group.bench_function("generate", |b| {
        b.iter(|| clerkgen::generate(&manifest).unwrap())
    });
    group.finish();
}

criterion_group!(benches, generation);
criterion_main!(benches);
