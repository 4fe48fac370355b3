//! The `codec` module of the generated crate: serde macros the models invoke. Its macro
//! definitions are kept as laid-out templates (`generator/templates/codec_*.rs`, Rust as
//! they stand): prettyplease cannot lay out a `macro_rules!` body, and the text never
//! varies except for the `cfg` gates kept or dropped here.

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
    let mut out = format!(
        "//! Serde support for the models: structs decoded field by field from a JSON \
         object, open string enums that keep values the spec does not list, and tagged \
         unions that pick a variant by a tag property and keep unknown tags as raw JSON.\n\
         #![cfg_attr(not(feature = \"{}\"), allow(unused_macros, dead_code))]\n",
        super::FULL_FEATURE
    );
    if any(is_struct) {
        let decoded = needed(is_struct, |d| d.decode);
        out.push('\n');
        out.push_str(&fill(
            include_str!("../../templates/codec_structs.rs"),
            &[(Gate::UnlessDecoded, decoded)],
        ));
    }
    if any(|k| matches!(k, TypeKind::Enum { .. })) {
        out.push('\n');
        out.push_str(include_str!("../../templates/codec_enums.rs"));
    }
    if any(is_tagged) {
        let encoded = needed(is_tagged, |d| d.encode);
        let decoded = needed(is_tagged, |d| d.decode);
        out.push('\n');
        out.push_str(&fill(
            include_str!("../../templates/codec_tagged.rs"),
            &[
                (Gate::UnlessEncoded, encoded),
                (Gate::UnlessDecoded, decoded),
            ],
        ));
    }
    out
}

/// A `cfg` line of a template that compiles an item only with `roundtrip`, marked with
/// the serde direction that makes it needed without: the template is Rust as it stands
/// (and compiled so in `generator/template-check`), and emit keeps or drops the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gate {
    /// Needed without `roundtrip` when some model of the kind is decoded.
    UnlessDecoded,
    /// Needed without `roundtrip` when some model of the kind is encoded.
    UnlessEncoded,
}

impl Gate {
    /// The template's line, attribute and marker.
    fn line(self) -> &'static str {
        match self {
            Gate::UnlessDecoded => "#[cfg(feature = \"roundtrip\")] // clerkgen: unless decoded",
            Gate::UnlessEncoded => "#[cfg(feature = \"roundtrip\")] // clerkgen: unless encoded",
        }
    }
}

/// The template with each gate line dropped where the API needs the item (`true`), else
/// kept as a plain `#[cfg(feature = "roundtrip")]`.
fn fill(template: &str, gates: &[(Gate, bool)]) -> String {
    let mut out = String::with_capacity(template.len() + 256);
    for line in template.lines() {
        match gates.iter().find(|(gate, _)| line == gate.line()) {
            Some((_, true)) => {}
            Some((_, false)) => out.push_str("#[cfg(feature = \"roundtrip\")]\n"),
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_gate_line_of_the_templates_is_one_emit_knows() {
        let templates = [
            include_str!("../../templates/codec_structs.rs"),
            include_str!("../../templates/codec_tagged.rs"),
        ];
        let known = [Gate::UnlessDecoded.line(), Gate::UnlessEncoded.line()];
        for template in templates {
            for line in template.lines().filter(|l| l.contains("clerkgen:")) {
                assert!(known.contains(&line), "an unknown gate line: {line}");
            }
        }
        let filled = fill(
            templates[1],
            &[(Gate::UnlessEncoded, true), (Gate::UnlessDecoded, false)],
        );
        assert!(!filled.contains("clerkgen:"));
        // The decoding items stay gated (the macro, its depth limit and five helpers), the
        // encoding macro does not.
        assert_eq!(filled.matches("#[cfg(feature = \"roundtrip\")]").count(), 7);
        let mut gated = filled.split("#[cfg(feature = \"roundtrip\")]\n").skip(1);
        assert!(gated.all(|item| !item.starts_with("macro_rules! tagged_serialize")));
    }
}
