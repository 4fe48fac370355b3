//! `docs/generator.md`'s "Generator layout" names every source file of the generator's
//! stages and no file that is not there: a newcomer reading it finds what it says.

use std::collections::BTreeSet;
use std::path::Path;

/// The `.rs` names in the layout block of `docs/generator.md`.
fn named_in_layout() -> BTreeSet<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let text =
        std::fs::read_to_string(root.join("docs/generator.md")).expect("docs/generator.md reads");
    let start = text
        .find("## Generator layout")
        .expect("the layout section");
    let block = &text[start..];
    let block = &block[block.find("```text").expect("the layout block")..];
    let block = &block[..block[7..].find("```").expect("the block ends") + 7];
    block
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
        .filter(|word| word.ends_with(".rs"))
        .map(str::to_string)
        .collect()
}

/// The `.rs` files directly in `dir`, by name.
fn files_in(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".rs"))
        .collect()
}

#[test]
fn the_layout_names_every_stage_file_and_only_files_that_exist() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let named = named_in_layout();
    let dirs = [
        "generator/src",
        "generator/src/load",
        "generator/src/ir",
        "generator/src/ir/model",
        "generator/src/ir/types",
        "generator/src/emit",
        "generator/src/emit/operations",
        "generator/src/write",
        "generator/templates",
        "runtime/src",
        "runtime/src/engine",
    ];
    let mut present = BTreeSet::new();
    for dir in dirs {
        present.extend(files_in(&root.join(dir)));
    }
    // A module's root, the crate roots, main.rs and unit tests need no line of their own.
    let unlisted = ["mod.rs", "lib.rs", "main.rs", "tests.rs"];
    let missing: Vec<_> = present
        .iter()
        .filter(|f| !named.contains(*f) && !unlisted.contains(&f.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "files the layout does not name: {missing:?}"
    );
    // The layout also names files the generator writes, such as `client_core.rs`.
    let written = files_in(&root.join("generated/clerk-backend/src"));
    let stale: Vec<_> = named
        .iter()
        .filter(|f| !present.contains(*f) && !written.contains(*f))
        .collect();
    assert!(
        stale.is_empty(),
        "files the layout names that are not there: {stale:?}"
    );
}
