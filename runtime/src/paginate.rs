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
type PageFuture<T, E> = Pin<Box<dyn Future<Output = Result<T, SdkError<E>>> + Send>>;
/// Makes the request for the page after this one, if there is one.
type NextPage<T, E> = Box<dyn FnMut(&T) -> Option<PageFuture<T, E>> + Send>;

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
        let first: PageFuture<T, E> = Box::pin(send(request.clone()));
        // The last request sent and its token: the next page is asked for
        // only with a token that differs from it.
        let (mut last, mut sent) = (Some(request), None::<K>);
        let next = move |page: &T| -> Option<PageFuture<T, E>> {
            let token = next_token(page).filter(|t| Some(t) != sent.as_ref())?;
            let request = with_token(last.take()?, token.clone());
            last = Some(request.clone());
            sent = Some(token);
            Some(Box::pin(send(request)))
        };
        Paginated {
            inner: Box::pin(Pages {
                in_flight: Some(first),
                next: Box::new(next),
            }),
        }
    }

    /// The items of every page, in order: `items` takes a page's items out.
    pub fn items<I, F>(self, items: F) -> Paginated<I, E>
    where
        I: Send + 'static,
        F: Fn(T) -> Vec<I> + Send + 'static,
    {
        Paginated {
            inner: Box::pin(Items {
                pages: self.inner,
                batch: Vec::new().into_iter(),
                items: Box::new(items),
            }),
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

/// The pages: the request in flight, and how to make the next one from a
/// page. Only the item types are generic; the operation's request and
/// token types live in the boxed closure.
struct Pages<T, E> {
    in_flight: Option<PageFuture<T, E>>,
    next: NextPage<T, E>,
}

impl<T, E> Stream for Pages<T, E> {
    type Item = Result<T, SdkError<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        let Some(in_flight) = this.in_flight.as_mut() else {
            return Poll::Ready(None);
        };
        let page = std::task::ready!(in_flight.as_mut().poll(cx));
        // An error ends the stream.
        this.in_flight = page.as_ref().ok().and_then(|page| (this.next)(page));
        Poll::Ready(Some(page))
    }
}

/// The items of each page, one page at a time.
struct Items<T, I, E> {
    pages: BoxStream<T, E>,
    batch: std::vec::IntoIter<I>,
    items: Box<dyn Fn(T) -> Vec<I> + Send>,
}

// Nothing in it is pinned: the page stream is boxed, the batch is moved
// freely.
impl<T, I, E> Unpin for Items<T, I, E> {}

impl<T, I, E> Stream for Items<T, I, E> {
    type Item = Result<I, SdkError<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(item) = this.batch.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            match std::task::ready!(this.pages.as_mut().poll_next(cx)) {
                Some(Ok(page)) => this.batch = (this.items)(page).into_iter(),
                Some(Err(e)) => return Poll::Ready(Some(Err(e))),
                None => return Poll::Ready(None),
            }
        }
    }
}
