//! `Pages`: every page of a list operation, one request at a time, by offset or by
//! cursor. A generated crate names it with its error body (`clerk::Pages<'a, T>` is
//! `Pages<'a, T, clerk::ErrorBody>`) and its list operations' builders make one.

use crate::call_error::Error;
use crate::engine::encoding::decode_json;
use crate::engine::{Engine, RequestSpec};
use crate::transport::Received;
use std::collections::HashSet;
use std::future::Future;
use std::hash::BuildHasher;
use std::pin::Pin;
use std::task::{Context, Poll};

/// What a call of a walk returns, with the API's error body `B`.
type Result<T, B> = std::result::Result<T, Error<B>>;

/// A page being fetched.
type Pending<'a, B> = Pin<Box<dyn Future<Output = Result<Received, B>> + Send + 'a>>;

/// Reads one page: the total count, when the response has one, and the items.
type Read<'a, T, B> = Box<dyn Fn(Received) -> Result<(Option<i64>, Vec<T>), B> + Send + Sync + 'a>;

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
///
/// A walk that would not end fails with `Error::Pages` instead of requesting for
/// ever: when the server sends a page it has sent before in this walk (it ignores
/// the offset or cursor), or a cursor comes round again. [`max_pages`](Pages::max_pages)
/// sets a limit of its own.
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
    read: Read<'a, T, B>,
    pending: Option<Pending<'a, B>>,
    /// Pages received so far.
    pages: u64,
    max_pages: Option<u64>,
    /// A fingerprint of each page received, and each cursor sent: a repeat means the
    /// walk goes round in circles.
    seen_pages: HashSet<u64>,
    seen_cursors: HashSet<String>,
    /// The hash keys of the fingerprints, fixed for the walk.
    keys: std::collections::hash_map::RandomState,
}

impl<T, B> std::fmt::Debug for Pages<'_, T, B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages")
            .field("received", &self.received)
            .field("total", &self.total)
            .field("pages", &self.pages)
            .field("max_pages", &self.max_pages)
            .field("done", &self.done)
            .finish()
    }
}

impl<'a, T: Send + 'a, B: serde::de::DeserializeOwned + Send + 'a> Pages<'a, T, B> {
    /// Pages by offset, from `offset`; `split` takes a page's total and items.
    #[doc(hidden)]
    pub fn by_offset<R: serde::de::DeserializeOwned + 'a>(
        engine: &'a Engine,
        spec: Result<RequestSpec, B>,
        param: &'static str,
        offset: i64,
        split: fn(R) -> (Option<i64>, Vec<T>),
    ) -> Self {
        Self::new(engine, spec, param, Position::Offset(offset), split)
    }

    /// Pages by cursor: `param` takes the id of the last item received.
    #[doc(hidden)]
    pub fn by_cursor<R: serde::de::DeserializeOwned + 'a>(
        engine: &'a Engine,
        spec: Result<RequestSpec, B>,
        param: &'static str,
        id: fn(&T) -> String,
        split: fn(R) -> (Option<i64>, Vec<T>),
    ) -> Self {
        Self::new(
            engine,
            spec,
            param,
            Position::After { last: None, id },
            split,
        )
    }

    fn new<R: serde::de::DeserializeOwned + 'a>(
        engine: &'a Engine,
        spec: Result<RequestSpec, B>,
        param: &'static str,
        position: Position<T>,
        split: fn(R) -> (Option<i64>, Vec<T>),
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
            read: Box::new(move |received| decode_json::<R, B>(received).map(split)),
            pending: None,
            pages: 0,
            max_pages: None,
            seen_pages: HashSet::new(),
            seen_cursors: HashSet::new(),
            keys: Default::default(),
        }
    }
}

impl<'a, T: Send + 'a, B: serde::de::DeserializeOwned + Send + 'a> Pages<'a, T, B> {
    /// This walk, failing with `Error::Pages` rather than requesting page `max + 1`:
    /// a bound on the requests (and the memory of [`collect_all`](Self::collect_all))
    /// a walk may take, whatever the server sends.
    pub fn max_pages(mut self, max: u64) -> Self {
        self.max_pages = Some(max);
        self
    }

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

    fn fetch(&self) -> Option<Pending<'a, B>> {
        let spec = self.spec.as_ref()?;
        let spec = match &self.position {
            Position::Offset(offset) => spec.with_query(self.param, offset.to_string()),
            Position::After {
                last: Some(last), ..
            } => spec.with_query(self.param, last.clone()),
            Position::After { last: None, .. } => spec.without_body(),
        };
        let engine = self.engine;
        Some(Box::pin(async move { engine.execute(spec).await }))
    }

    /// Ends the walk with `Error::Pages`.
    fn stop(&mut self, problem: &'static str) -> Poll<Option<Result<Vec<T>, B>>> {
        self.done = true;
        Poll::Ready(Some(Err(Error::Pages {
            operation: self.spec.as_ref().map_or("", |s| s.operation),
            pages: self.pages,
            problem,
        })))
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
            if self.max_pages.is_some_and(|max| self.pages >= max) {
                return self.stop("it reached its limit of pages (Pages::max_pages)");
            }
            self.pending = self.fetch();
        }
        let Some(pending) = self.pending.as_mut() else {
            self.done = true;
            return Poll::Ready(None);
        };
        let outcome = match pending.as_mut().poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(outcome) => outcome.and_then(|received| {
                let fingerprint = self.fingerprint(&received.body);
                (self.read)(received).map(|page| (fingerprint, page))
            }),
        };
        self.pending = None;
        match outcome {
            Err(e) => {
                self.done = true;
                Poll::Ready(Some(Err(e)))
            }
            Ok((_, (_, items))) if items.is_empty() => {
                self.done = true;
                Poll::Ready(None)
            }
            Ok((fingerprint, (total, items))) => self.advance(fingerprint, total, items),
        }
    }

    /// Takes a non-empty page: counts it, moves the offset or cursor past it, and ends the
    /// walk at the total or when it goes round in circles.
    fn advance(
        &mut self,
        fingerprint: u64,
        total: Option<i64>,
        items: Vec<T>,
    ) -> Poll<Option<Result<Vec<T>, B>>> {
        self.pages = self.pages.saturating_add(1);
        if !self.seen_pages.insert(fingerprint) {
            return self.stop("the server sent a page it had sent before");
        }
        self.total = total.or(self.total);
        let count = i64::try_from(items.len()).unwrap_or(i64::MAX);
        self.received = self.received.saturating_add(count);
        let reached = match &mut self.position {
            Position::Offset(offset) => {
                *offset = offset.saturating_add(count);
                self.total.is_some_and(|t| *offset >= t)
            }
            Position::After { last, id } => {
                let next = items.last().map(*id);
                if let Some(next) = &next {
                    if !self.seen_cursors.insert(next.clone()) {
                        return self.stop("the cursor came round to an item it had passed");
                    }
                }
                *last = next;
                self.total.is_some_and(|t| self.received >= t)
            }
        };
        self.done = reached;
        Poll::Ready(Some(Ok(items)))
    }

    /// A fingerprint of a page's body: equal bodies, equal fingerprints.
    fn fingerprint(&self, body: &[u8]) -> u64 {
        self.keys.hash_one(body)
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
