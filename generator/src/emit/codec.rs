//! The `codec` module of the generated crate: serde macros the models invoke. Its macro
//! definitions are kept as laid-out templates (`generator/templates/codec_*.rs`):
//! prettyplease cannot lay out a `macro_rules!` body, and the text never varies except
//! for the `cfg` gates filled in here.

use crate::ir::{Api, TypeKind};

/// The text of `codec.rs` (without the generated-file header): the macros the models
/// use, each compiled only with `roundtrip` when no model needs it without.
pub fn codec_rs(api: &Api) -> String {
    let any = |pick: fn(&TypeKind) -> bool| api.types.iter().any(|t| pick(&t.kind));
    let needed = |pick: fn(&TypeKind) -> bool,
                  direction: fn(&crate::ir::SerdeDirections) -> bool| {
        api.types
            .iter()
            .any(|t| pick(&t.kind) && direction(&t.serde))
    };
    let is_struct = |k: &TypeKind| matches!(k, TypeKind::Struct { .. });
    let is_tagged = |k: &TypeKind| matches!(k, TypeKind::Tagged { .. });
    let gate = |needed: bool| {
        if needed {
            ""
        } else {
            "#[cfg(feature = \"roundtrip\")]\n"
        }
    };

    let mut out = format!(
        "//! Serde support for the models: structs decoded field by field from a JSON \
         object, open string enums that keep values the spec does not list, and tagged \
         unions that pick a variant by a tag property and keep unknown tags as raw JSON.\n\
         #![cfg_attr(not(feature = \"{}\"), allow(unused_macros, dead_code))]\n",
        super::FULL_FEATURE
    );
    if any(is_struct) {
        let decode = gate(needed(is_struct, |d| d.decode));
        out.push('\n');
        out.push_str(&fill(
            include_str!("../../templates/codec_structs.rs"),
            &[("{gate}", decode)],
        ));
    }
    if any(|k| matches!(k, TypeKind::Enum { .. })) {
        out.push('\n');
        out.push_str(include_str!("../../templates/codec_enums.rs"));
    }
    if any(is_tagged) {
        let encode = gate(needed(is_tagged, |d| d.encode));
        let decode = gate(needed(is_tagged, |d| d.decode));
        out.push('\n');
        out.push_str(&fill(
            include_str!("../../templates/codec_tagged.rs"),
            &[("{ser_gate}", encode), ("{de_gate}", decode)],
        ));
    }
    out
}

/// Replaces each placeholder line with its text (a line of its own, or nothing).
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 256);
    for line in template.lines() {
        match values.iter().find(|(placeholder, _)| line == *placeholder) {
            Some((_, value)) => out.push_str(value),
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}
