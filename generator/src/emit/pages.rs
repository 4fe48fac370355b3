//! The pager of the generated crate (`src/pages.rs`): `Pages`, which walks an
//! offset-paginated list operation, emitted only when some operation pages.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::Api;

/// Whether any operation has a pager.
pub fn uses_pagination(api: &Api) -> bool {
    api.operations.iter().any(|op| op.pagination.is_some())
}

pub fn pages_rs(api: &Api) -> TokenStream {
    let lenient = super::unless_all_features(quote!(dead_code));
    // Each way of walking is there for the operations that page that way, if any.
    let walks = |by: fn(&crate::ir::Pagination) -> bool| {
        let used = api
            .operations
            .iter()
            .any(|op| op.pagination.as_ref().is_some_and(by));
        (!used).then(|| quote!(#[allow(dead_code)]))
    };
    let unused = walks(|p| p.cursor.is_some());
    let unused_offset = walks(|p| p.offset.is_some());
    let walking = walking();
    quote! {
        //! `Pages`: every page of a list operation, one request at a time.
        #lenient

        use std::pin::Pin;
        use std::task::{Context, Poll};

        use crate::client_core::RequestSpec;
        use crate::{Client, Error, ResponseFuture, Result};

        /// Reads one page: the total count, when the response has one, and the items.
        type Split<T> = fn(&[u8]) -> serde_json::Result<(Option<i64>, Vec<T>)>;

        /// Where the next page starts.
        enum Position<T> {
            /// The offset parameter: advanced by the items received so far.
            #unused_offset
            Offset(i64),
            /// The cursor parameter: the id of the last item received (none yet: the
            /// request as built).
            #unused
            After { last: Option<String>, id: fn(&T) -> String },
        }

        /// Every page of a list operation, from an operation builder's `pages()` (by
        /// offset, or by cursor when the operation takes no offset) or `pages_after()`
        /// (by cursor, next to an offset).
        ///
        /// By offset, each page is requested with the offset advanced by the number of
        /// items received so far; by cursor, with the id of the last item received. The
        /// walk ends at an empty page or once the total count (when the response reports
        /// one) is reached. Each request is sent with the client's retry policy. Use
        /// [`next_page`](Pages::next_page) in a loop, the `futures::Stream`
        /// implementation, or [`collect_all`](Pages::collect_all).
        #[must_use = "pages are requested only when polled"]
        pub struct Pages<'a, T> {
            client: &'a Client,
            spec: Option<RequestSpec>,
            /// Why the first request could not be built: returned by the first poll.
            error: Option<Error>,
            param: &'static str,
            position: Position<T>,
            /// Items received so far.
            received: i64,
            total: Option<i64>,
            done: bool,
            split: Split<T>,
            pending: Option<ResponseFuture<'a, (Option<i64>, Vec<T>)>>,
        }

        impl<T> std::fmt::Debug for Pages<'_, T> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct("Pages")
                    .field("received", &self.received)
                    .field("total", &self.total)
                    .field("done", &self.done)
                    .finish()
            }
        }

        impl<'a, T: Send + 'a> Pages<'a, T> {
            /// Pages by offset, from `offset`.
            #unused_offset
            pub(crate) fn by_offset(client: &'a Client, spec: Result<RequestSpec>, param: &'static str, offset: i64, split: Split<T>) -> Self {
                Self::new(client, spec, param, Position::Offset(offset), split)
            }

            /// Pages by cursor: `param` takes the id of the last item received.
            #unused
            pub(crate) fn by_cursor(client: &'a Client, spec: Result<RequestSpec>, param: &'static str, id: fn(&T) -> String, split: Split<T>) -> Self {
                Self::new(client, spec, param, Position::After { last: None, id }, split)
            }

            fn new(client: &'a Client, spec: Result<RequestSpec>, param: &'static str, position: Position<T>, split: Split<T>) -> Self {
                let (spec, error) = match spec {
                    Ok(spec) => (Some(spec), None),
                    Err(e) => (None, Some(e)),
                };
                Pages { client, spec, error, param, position, received: 0, total: None, done: false, split, pending: None }
            }
        }

        #walking
    }
}

/// The methods that walk the pages (`next_page`, `collect_all`, polling) and the `Stream`
/// implementation: the same for every document.
fn walking() -> TokenStream {
    quote! {
        impl<'a, T: Send + 'a> Pages<'a, T> {

            /// How many items the pages so far held.
            pub fn received(&self) -> i64 {
                self.received
            }

            /// The total count the last page reported, if the operation reports one.
            pub fn total(&self) -> Option<i64> {
                self.total
            }

            /// The next page, or `None` once every page has been read.
            pub async fn next_page(&mut self) -> Result<Option<Vec<T>>> {
                std::future::poll_fn(|cx| self.poll_page(cx)).await.transpose()
            }

            /// Every remaining item, all pages concatenated.
            pub async fn collect_all(mut self) -> Result<Vec<T>> {
                let mut all = Vec::new();
                while let Some(page) = self.next_page().await? {
                    all.extend(page);
                }
                Ok(all)
            }

            fn fetch(&self) -> Option<ResponseFuture<'a, (Option<i64>, Vec<T>)>> {
                let spec = self.spec.as_ref()?;
                let spec = match &self.position {
                    Position::Offset(offset) => spec.with_query(self.param, offset.to_string()),
                    Position::After { last: Some(last), .. } => spec.with_query(self.param, last.clone()),
                    Position::After { last: None, .. } => spec.without_body(),
                };
                let (client, split) = (self.client, self.split);
                Some(Box::pin(async move {
                    Ok(crate::engine::encoding::decode_body(client.execute(spec).await?, split)?)
                }))
            }

            fn poll_page(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Vec<T>>>> {
                if let Some(e) = self.error.take() {
                    self.done = true;
                    return Poll::Ready(Some(Err(e)));
                }
                if self.done {
                    return Poll::Ready(None);
                }
                if self.pending.is_none() {
                    self.pending = self.fetch();
                }
                let Some(pending) = self.pending.as_mut() else {
                    self.done = true;
                    return Poll::Ready(None);
                };
                let outcome = match pending.as_mut().poll(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(outcome) => outcome,
                };
                self.pending = None;
                match outcome {
                    Err(e) => {
                        self.done = true;
                        Poll::Ready(Some(Err(e)))
                    }
                    Ok((total, items)) => {
                        self.total = total.or(self.total);
                        self.received += items.len() as i64;
                        let reached = match &mut self.position {
                            Position::Offset(offset) => {
                                *offset += items.len() as i64;
                                self.total.is_some_and(|t| *offset >= t)
                            }
                            Position::After { last, id } => {
                                *last = items.last().map(*id);
                                self.total.is_some_and(|t| self.received >= t)
                            }
                        };
                        if items.is_empty() || reached {
                            self.done = true;
                        }
                        if items.is_empty() { Poll::Ready(None) } else { Poll::Ready(Some(Ok(items))) }
                    }
                }
            }
        }

        impl<'a, T: Send + 'a> futures_core::Stream for Pages<'a, T> {
            type Item = Result<Vec<T>>;

            fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
                self.get_mut().poll_page(cx)
            }
        }
    }
}
