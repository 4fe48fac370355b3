//! The pager of the generated crate: the runtime's `Pages` (walking a list operation by
//! offset or by cursor), named with the crate's error body, when some operation pages.

use proc_macro2::TokenStream;
use quote::quote;

use super::Shape;
use crate::ir::Api;

/// `lib.rs`'s pager: the runtime's module and the crate's alias of its `Pages`.
pub fn pages_items(api: &Api, shape: &Shape) -> Option<TokenStream> {
    shape.pages.then(|| {
        let module = super::runtime_module(api, "pages");
        quote! {
            #module

            /// Every page of a list operation, from an operation builder's `pages()` (by
            /// offset, or by cursor when the operation takes no offset) or `pages_after()`
            /// (by cursor, next to an offset): the runtime's pager, with this API's
            /// [`ErrorBody`]. Use `next_page` in a loop, the `futures::Stream`
            /// implementation, or `collect_all`.
            pub type Pages<'a, T> = pages::Pages<'a, T, ErrorBody>;
        }
    })
}
