//! Shared fixtures of the end-to-end tests.

pub mod chat_server;
pub mod storage_server;
