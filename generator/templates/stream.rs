//! A success's body handed over as it arrives, for downloads too large to hold in memory.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::error::{Error, Result};
use crate::transport::TransportError;

/// A success's body as it arrives, from an operation's `send_stream`: read it chunk by
/// chunk with [`next_chunk`](Self::next_chunk), or use it as a [`futures_core::Stream`].
///
/// The client's body size limit does not apply to it; its per-attempt timeout does, up to
/// the last chunk (give a long download a longer one with `Client::with_timeout`). A failure
/// while reading is an [`Error::Transport`] and is not retried: the chunks before it have
/// already been handed over.
pub struct ByteStream {
    operation: &'static str,
    status: u16,
    headers: reqwest::header::HeaderMap,
    expected: Option<u64>,
    received: u64,
    state: State,
}

type Chunk = (reqwest::Response, reqwest::Result<Option<bytes::Bytes>>);

enum State {
    /// Between chunks.
    Idle(reqwest::Response),
    /// Waiting for the next chunk.
    Reading(Pin<Box<dyn Future<Output = Chunk> + Send>>),
    /// The body ended, or reading it failed.
    Done,
}

impl ByteStream {
    pub(crate) fn new(operation: &'static str, mut response: reqwest::Response) -> Self {
        ByteStream {
            operation,
            status: response.status().as_u16(),
            headers: std::mem::take(response.headers_mut()),
            expected: response.content_length(),
            received: 0,
            state: State::Idle(response),
        }
    }

    /// The response status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The response headers (`Content-Type`, `Content-Disposition`, ...).
    pub fn headers(&self) -> &reqwest::header::HeaderMap {
        &self.headers
    }

    /// The body length the response announced (`Content-Length`), if it did.
    pub fn content_length(&self) -> Option<u64> {
        self.expected
    }

    /// How many bytes have been handed over so far.
    pub fn received(&self) -> u64 {
        self.received
    }

    /// The next chunk of the body, `None` at its end.
    pub async fn next_chunk(&mut self) -> Result<Option<bytes::Bytes>> {
        std::future::poll_fn(|cx| self.poll_chunk(cx))
            .await
            .transpose()
    }

    fn poll_chunk(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<bytes::Bytes>>> {
        loop {
            match std::mem::replace(&mut self.state, State::Done) {
                State::Idle(mut response) => {
                    self.state = State::Reading(Box::pin(async move {
                        let chunk = response.chunk().await;
                        (response, chunk)
                    }));
                }
                State::Reading(mut reading) => {
                    return match reading.as_mut().poll(cx) {
                        Poll::Pending => {
                            self.state = State::Reading(reading);
                            Poll::Pending
                        }
                        Poll::Ready((response, Ok(Some(chunk)))) => {
                            self.received += chunk.len() as u64;
                            self.state = State::Idle(response);
                            Poll::Ready(Some(Ok(chunk)))
                        }
                        Poll::Ready((_, Ok(None))) => Poll::Ready(None),
                        Poll::Ready((_, Err(source))) => {
                            let failure = TransportError::in_body(
                                self.operation,
                                self.status,
                                self.expected,
                                Vec::new(),
                                source,
                            );
                            Poll::Ready(Some(Err(Error::Transport(Box::new(failure)))))
                        }
                    };
                }
                State::Done => return Poll::Ready(None),
            }
        }
    }
}

impl futures_core::Stream for ByteStream {
    type Item = Result<bytes::Bytes>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_chunk(cx)
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("content_length", &self.expected)
            .field("received", &self.received)
            .finish_non_exhaustive()
    }
}
