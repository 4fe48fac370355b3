//! Layout of emitted tokens: prettyplease formats each item, and the syntax tree, not a
//! guess over lines, decides where blank lines go.
//!
//! prettyplease puts no blank line between items. A person separates items, and the
//! members of an `impl` block, by one, and keeps a run of `use` declarations, of
//! `mod name;` declarations or of calls to one macro together. Each item (each member,
//! inside an `impl`) is formatted on its own and the pieces joined by those rules.

use quote::ToTokens;
use syn::{File, ImplItem, Item};

/// The text of `file`, items separated as a person would, ending with a newline.
pub(super) fn layout(file: File) -> String {
    let File { attrs, items, .. } = file;
    let mut out = String::new();
    if !attrs.is_empty() {
        out.push_str(&unparse(attrs, Vec::new()));
    }
    let mut prev: Option<Run> = None;
    for item in items {
        let run = Run::of(&item);
        if prev.as_ref().is_some_and(|p| *p == Run::Other || *p != run) {
            out.push('\n');
        }
        out.push_str(&item_text(item));
        prev = Some(run);
    }
    out
}

/// The runs of items that stay on adjacent lines: `use` after `use`, `mod a;` after
/// `mod b;`, and `m!(..);` after `m!(..);`, none with attributes. Any other item stands
/// apart (a `#[cfg(..)] pub mod a;` is three lines: a blank line shows where it ends).
#[derive(Debug, PartialEq, Eq)]
enum Run {
    Use,
    ModDeclaration,
    /// A call of the macro with this path, ending in `;`.
    MacroCall(String),
    Other,
}

impl Run {
    fn of(item: &Item) -> Run {
        let bare = |attrs: &[syn::Attribute]| attrs.is_empty();
        match item {
            Item::Use(u) if bare(&u.attrs) => Run::Use,
            Item::Mod(m) if bare(&m.attrs) && m.content.is_none() => Run::ModDeclaration,
            Item::Macro(m) if bare(&m.attrs) && m.ident.is_none() && m.semi_token.is_some() => {
                Run::MacroCall(m.mac.path.to_token_stream().to_string())
            }
            _ => Run::Other,
        }
    }
}

/// One item's text. An `impl` block with more than one member is formatted member by
/// member, a blank line between each two.
fn item_text(item: Item) -> String {
    let Item::Impl(mut block) = item else {
        return unparse(Vec::new(), vec![item]);
    };
    if block.items.len() < 2 {
        return unparse(Vec::new(), vec![Item::Impl(block)]);
    }
    let members = std::mem::take(&mut block.items);
    // prettyplease writes a block without members as `... {}`: the header is what
    // precedes the `}`.
    let shell = unparse(Vec::new(), vec![Item::Impl(block)]);
    let header = shell.strip_suffix("}\n").unwrap_or(&shell);
    let mut out = String::from(header);
    out.push('\n');
    for (i, member) in members.into_iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&member_text(member));
    }
    out.push_str("}\n");
    out
}

/// One member of an `impl` block, indented as inside it: formatted inside a block of its
/// own whose first and last lines (`impl S {` and `}`) are dropped.
fn member_text(member: ImplItem) -> String {
    let shell: syn::ItemImpl = syn::parse_quote!(impl S {});
    let text = unparse(
        Vec::new(),
        vec![Item::Impl(syn::ItemImpl {
            items: vec![member],
            ..shell
        })],
    );
    let inner = text.split_once('\n').map_or("", |(_, rest)| rest);
    inner.strip_suffix("}\n").unwrap_or(inner).to_string()
}

fn unparse(attrs: Vec<syn::Attribute>, items: Vec<Item>) -> String {
    prettyplease::unparse(&File {
        shebang: None,
        attrs,
        items,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn laid_out(code: &str) -> String {
        layout(syn::parse_str(code).unwrap())
    }

    #[test]
    fn items_and_members_are_separated_by_one_blank_line() {
        let code = "//! Docs.\n#![allow(dead_code)]\nuse a::b; use c::d; \
                    /// S.\npub struct S; impl S { const A: u8 = 1; /// f.\nfn f() {} fn g() {} } \
                    impl T for S {} m!(A); m!(B); n!(C); mod x; mod y; #[cfg(test)] mod w; mod z { fn h() {} }";
        let expected = "//! Docs.\n#![allow(dead_code)]\nuse a::b;\nuse c::d;\n\n\
                        /// S.\npub struct S;\n\nimpl S {\n    const A: u8 = 1;\n\n    /// f.\n    fn f() {}\n\n    fn g() {}\n}\n\n\
                        impl T for S {}\n\nm!(A);\nm!(B);\n\nn!(C);\n\nmod x;\nmod y;\n\n#[cfg(test)]\nmod w;\n\nmod z {\n    fn h() {}\n}\n";
        assert_eq!(laid_out(code), expected);
    }

    #[test]
    fn a_generic_impl_with_a_where_clause_keeps_its_header() {
        let code = "impl<T> S<T> where T: Clone + std::fmt::Debug + Send + Sync + 'static + Default + PartialEq + Eq { fn a() {} fn b() {} }";
        let text = laid_out(code);
        assert!(text.starts_with("impl<T> S<T>\nwhere\n"), "{text}");
        assert!(
            text.ends_with("{\n    fn a() {}\n\n    fn b() {}\n}\n"),
            "{text}"
        );
    }

    #[test]
    fn a_member_keeps_the_line_width_it_has_inside_its_block() {
        // Formatted inside a block, a long signature wraps at the same column as
        // prettyplease would wrap it in the block as a whole.
        // This signature fits on one line at the left margin but not four columns in.
        let signature = "fn a_method(first: u64, second: u64, third_argument: u64, fourth_argument: u64) -> u64";
        let alone =
            prettyplease::unparse(&syn::parse_str(&format!("{signature} {{ 0 }}")).unwrap());
        assert!(alone.starts_with(&format!("{signature} {{")), "{alone}");
        let code = format!("impl S {{ {signature} {{ 0 }} fn b() {{}} }}");
        let whole = prettyplease::unparse(&syn::parse_str(&code).unwrap());
        assert!(!whole.contains(signature), "{whole}");
        let text = laid_out(&code);
        assert_eq!(text.replace("\n\n", "\n"), whole);
    }
}
