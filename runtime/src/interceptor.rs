//! Interceptors: user hooks around each attempt.
//!
//! Order: for every attempt, the runtime first builds the request and adds
//! its own headers (request id, chain); then each interceptor's
//! [`Interceptor::modify_request`] runs, in the order they were added to the
//! configuration; then the request is sent. When a response arrives, each
//! [`Interceptor::read_response`] runs, in the same order, before the
//! response is parsed. Interceptors see every attempt, retries included.

use std::fmt;

use crate::transport::{HttpRequest, StreamingResponse};

/// Which call an interceptor is looking at.
#[derive(Debug, Clone, Copy)]
pub struct AttemptInfo<'a> {
    /// The service's name.
    pub service: &'a str,
    /// The operation's name.
    pub operation: &'a str,
    /// The attempt, from 1.
    pub attempt: u32,
}

/// Reads or changes requests before they are sent and reads responses.
pub trait Interceptor: Send + Sync + fmt::Debug + 'static {
    /// Changes the request (add headers from the caller's context, ...).
    fn modify_request(&self, request: &mut HttpRequest, info: AttemptInfo<'_>) {
        let _ = (request, info);
    }

    /// Reads the response head (status and headers) before the body is
    /// read and parsed.
    fn read_response(&self, response: &StreamingResponse, info: AttemptInfo<'_>) {
        let _ = (response, info);
    }
}
