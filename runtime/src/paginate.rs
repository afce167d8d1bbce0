//! Paginated operations as streams: [`Paginated`] yields each page (or each
//! item of each page) of a `@paginated` operation, sending the next request
//! only when the consumer asks for more.
//!
//! The stream ends after a page without a continuation token (absent or
//! empty), or whose token repeats the one just sent (a service bug that would otherwise
//! loop forever). An error is yielded once and ends the stream.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use futures_util::StreamExt as _;

use crate::error::SdkError;

type BoxStream<T, E> = Pin<Box<dyn Stream<Item = Result<T, SdkError<E>>> + Send>>;

/// A stream of pages or items of a paginated operation; implements
/// [`futures_core::Stream`].
#[must_use = "streams do nothing unless polled"]
pub struct Paginated<T, E> {
    inner: BoxStream<T, E>,
}

impl<T, E> std::fmt::Debug for Paginated<T, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Paginated").finish_non_exhaustive()
    }
}

impl<T: Send + 'static, E: Send + 'static> Paginated<T, E> {
    /// Pages of an operation. `send` sends one request; `next_token` reads
    /// the continuation token of a page (`None` when it is absent or
    /// empty); `with_token` makes the next request. A token is any type the
    /// operation's input takes back: a string, a map of attribute values, a
    /// structure.
    pub fn pages<R, K, F, Fut>(
        request: R,
        send: F,
        next_token: fn(&T) -> Option<K>,
        with_token: fn(R, K) -> R,
    ) -> Self
    where
        R: Clone + Send + 'static,
        K: Clone + PartialEq + Send + 'static,
        F: Fn(R) -> Fut + Send + 'static,
        Fut: Future<Output = Result<T, SdkError<E>>> + Send + 'static,
    {
        let state = Some((request, None::<K>));
        let stream = futures_util::stream::unfold(state, move |state| {
            let call = state.map(|(request, sent_token)| {
                let fut = send(request.clone());
                (fut, request, sent_token)
            });
            async move {
                let (fut, request, sent_token) = call?;
                match fut.await {
                    Ok(page) => {
                        let next = next_token(&page).filter(|t| Some(t) != sent_token.as_ref());
                        let state = next.map(|t| (with_token(request, t.clone()), Some(t)));
                        Some((Ok(page), state))
                    }
                    Err(e) => Some((Err(e), None)),
                }
            }
        });
        Paginated {
            inner: Box::pin(stream),
        }
    }

    /// The items of every page, in order: `items` takes a page's items out.
    pub fn items<I, F>(self, items: F) -> Paginated<I, E>
    where
        I: Send + 'static,
        F: Fn(T) -> Vec<I> + Send + 'static,
    {
        let stream = self.inner.flat_map(move |page| {
            let batch: Vec<Result<I, SdkError<E>>> = match page {
                Ok(page) => items(page).into_iter().map(Ok).collect(),
                Err(e) => vec![Err(e)],
            };
            futures_util::stream::iter(batch)
        });
        Paginated {
            inner: Box::pin(stream),
        }
    }

    /// Collects every element, stopping at the first error.
    pub async fn collect_all(mut self) -> Result<Vec<T>, SdkError<E>> {
        let mut out = Vec::new();
        while let Some(next) = self.inner.next().await {
            out.push(next?);
        }
        Ok(out)
    }
}

impl<T, E> Stream for Paginated<T, E> {
    type Item = Result<T, SdkError<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}
