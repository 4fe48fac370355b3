//! `Pages`: every page of a list operation, one request at a time, by offset or by
//! cursor. A generated crate names it with its error body (`clerk::Pages<'a, T>` is
//! `Pages<'a, T, clerk::ErrorBody>`) and its list operations' builders make one.

use crate::call_error::Error;
use crate::engine::encoding::decode_body;
use crate::engine::{Engine, RequestSpec};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// What a call of a walk returns, with the API's error body `B`.
type Result<T, B> = std::result::Result<T, Error<B>>;

/// A page being fetched.
type Pending<'a, T, B> =
    Pin<Box<dyn Future<Output = Result<(Option<i64>, Vec<T>), B>> + Send + 'a>>;

/// Reads one page: the total count, when the response has one, and the items.
type Split<T> = fn(&[u8]) -> serde_json::Result<(Option<i64>, Vec<T>)>;

/// Where the next page starts.
enum Position<T> {
    /// The offset parameter: advanced by the items received so far.
    Offset(i64),
    /// The cursor parameter: the id of the last item received (none yet: the
    /// request as built).
    After {
        last: Option<String>,
        id: fn(&T) -> String,
    },
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
pub struct Pages<'a, T, B> {
    engine: &'a Engine,
    spec: Option<RequestSpec>,
    /// Why the first request could not be built: returned by the first poll.
    error: Option<Error<B>>,
    param: &'static str,
    position: Position<T>,
    /// Items received so far.
    received: i64,
    total: Option<i64>,
    done: bool,
    split: Split<T>,
    pending: Option<Pending<'a, T, B>>,
}

impl<T, B> std::fmt::Debug for Pages<'_, T, B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages")
            .field("received", &self.received)
            .field("total", &self.total)
            .field("done", &self.done)
            .finish()
    }
}

impl<'a, T: Send + 'a, B: serde::de::DeserializeOwned + Send + 'a> Pages<'a, T, B> {
    /// Pages by offset, from `offset`.
    pub fn by_offset(
        engine: &'a Engine,
        spec: Result<RequestSpec, B>,
        param: &'static str,
        offset: i64,
        split: Split<T>,
    ) -> Self {
        Self::new(engine, spec, param, Position::Offset(offset), split)
    }

    /// Pages by cursor: `param` takes the id of the last item received.
    pub fn by_cursor(
        engine: &'a Engine,
        spec: Result<RequestSpec, B>,
        param: &'static str,
        id: fn(&T) -> String,
        split: Split<T>,
    ) -> Self {
        Self::new(
            engine,
            spec,
            param,
            Position::After { last: None, id },
            split,
        )
    }

    fn new(
        engine: &'a Engine,
        spec: Result<RequestSpec, B>,
        param: &'static str,
        position: Position<T>,
        split: Split<T>,
    ) -> Self {
        let (spec, error) = match spec {
            Ok(spec) => (Some(spec), None),
            Err(e) => (None, Some(e)),
        };
        Pages {
            engine,
            spec,
            error,
            param,
            position,
            received: 0,
            total: None,
            done: false,
            split,
            pending: None,
        }
    }
}

impl<'a, T: Send + 'a, B: serde::de::DeserializeOwned + Send + 'a> Pages<'a, T, B> {
    /// How many items the pages so far held.
    pub fn received(&self) -> i64 {
        self.received
    }

    /// The total count the last page reported, if the operation reports one.
    pub fn total(&self) -> Option<i64> {
        self.total
    }

    /// The next page, or `None` once every page has been read.
    pub async fn next_page(&mut self) -> Result<Option<Vec<T>>, B> {
        std::future::poll_fn(|cx| self.poll_page(cx))
            .await
            .transpose()
    }

    /// Every remaining item, all pages concatenated.
    pub async fn collect_all(mut self) -> Result<Vec<T>, B> {
        let mut all = Vec::new();
        while let Some(page) = self.next_page().await? {
            all.extend(page);
        }
        Ok(all)
    }

    fn fetch(&self) -> Option<Pending<'a, T, B>> {
        let spec = self.spec.as_ref()?;
        let spec = match &self.position {
            Position::Offset(offset) => spec.with_query(self.param, offset.to_string()),
            Position::After {
                last: Some(last), ..
            } => spec.with_query(self.param, last.clone()),
            Position::After { last: None, .. } => spec.without_body(),
        };
        let (engine, split) = (self.engine, self.split);
        Some(Box::pin(async move {
            decode_body(engine.execute(spec).await?, split)
        }))
    }

    fn poll_page(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Vec<T>, B>>> {
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
                if items.is_empty() {
                    Poll::Ready(None)
                } else {
                    Poll::Ready(Some(Ok(items)))
                }
            }
        }
    }
}

impl<'a, T: Send + 'a, B: serde::de::DeserializeOwned + Send + 'a> futures_core::Stream
    for Pages<'a, T, B>
{
    type Item = Result<Vec<T>, B>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_page(cx)
    }
}
