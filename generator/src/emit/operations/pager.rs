//! The pagers of a list operation's builder: `pages()` (and `pages_after()`), which walk
//! every page by offset or by cursor with the runtime's `Pages`.

use super::super::paths::PAGES;
use proc_macro2::TokenStream;
use quote::quote;

use super::super::doc::own_doc_attrs;
use super::super::{ident, rust_type};
use crate::ir::{Operation, TypeRef};

/// `pages()`, a [`Pages`] walking every page by offset when the operation takes one,
/// else by cursor; with both, the cursor walk is `pages_after()`.
pub(super) fn pages_fn(op: &Operation, response_ty: &TokenStream) -> Option<TokenStream> {
    let pg = op.pagination.as_ref()?;
    let item = rust_type(&pg.item);
    let items = match &pg.items_field {
        Some(f) => {
            let f = ident(f);
            quote!(page.#f)
        }
        None => quote!(page),
    };
    let total = match &pg.total {
        Some(t) => {
            let f = ident(&t.field);
            match (t.optional, &t.ty) {
                (false, ty) => {
                    let value = widen(quote!(page.#f), ty);
                    quote!(Some(#value))
                }
                (true, TypeRef::I64) => quote!(page.#f),
                (true, ty) => {
                    let convert = widen_fn(ty);
                    quote!(page.#f.map(#convert))
                }
            }
        }
        None => quote!(None),
    };
    let stop = if pg.total.is_some() {
        "an empty page or the total count"
    } else {
        "an empty page"
    };
    // Takes one page apart: its total, if any, and its items.
    let split = quote! {
        |page: #response_ty| (#total, #items)
    };
    let read = format!("See [`Pages`]({PAGES}) for how to read the pages: call\n[`Pages::next_page`]({PAGES}::next_page) in a loop, use it as a `futures::Stream` of\npages, or gather every item with [`Pages::collect_all`]({PAGES}::collect_all).");
    let by_offset = pg.offset.as_ref().map(|o| {
        let param = &o.param;
        let field = ident(&o.field);
        let required = op.params.iter().any(|p| p.rust_name == o.field && p.required);
        let start = if required {
            widen(quote!(self.#field), &o.ty)
        } else if o.ty == TypeRef::I64 {
            quote!(self.#field.unwrap_or(0))
        } else {
            let convert = widen_fn(&o.ty);
            quote!(self.#field.map_or(0, #convert))
        };
        let doc = own_doc_attrs(&format!(
            "Walks every page, from this request's `{param}` on: each page is requested with the\noffset advanced by the items so far, until {stop}. Other inputs (such as\n`limit`) apply to every page.\n\n{read}"
        ));
        quote! {
            #doc
            #[inline]
            pub fn pages(self) -> #PAGES<'a, #item> {
                let client = self.client;
                let start = #start;
                #PAGES::by_offset(client.engine(), self.request(), #param, start, #split)
            }
        }
    });
    let by_cursor = pg.cursor.as_ref().map(|c| {
        let param = &c.param;
        let id = ident(&c.item_id);
        let doc = own_doc_attrs(&format!(
            "Walks every page by cursor: each page after the first is requested with `{param}` set\nto the `{}` of the last item received, until {stop}. The first page is this request as built\n(set `{param}` to start after an item). Other inputs apply to every page; the spec may\nlimit which ones a cursor combines with.\n\n{read}",
            c.item_id
        ));
        let name = if pg.offset.is_some() {
            quote!(pages_after)
        } else {
            quote!(pages)
        };
        quote! {
            #doc
            #[inline]
            pub fn #name(self) -> #PAGES<'a, #item> {
                let client = self.client;
                #PAGES::by_cursor(client.engine(), self.request(), #param, |item: &#item| item.#id.clone(), #split)
            }
        }
    });
    Some(quote!(#by_offset #by_cursor))
}

/// A numeric expression as `i64` (a number spec'd as floating point is truncated).
fn widen(value: TokenStream, ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::I64 => value,
        TypeRef::I32 => quote!(i64::from(#value)),
        _ => quote!(#value as i64),
    }
}

/// [`widen`] for a non-`i64` type, as a function value (`i64::from`, or a cast closure).
fn widen_fn(ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::I32 => quote!(i64::from),
        _ => quote!(|value| value as i64),
    }
}
