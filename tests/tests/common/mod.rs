//! Shared fixtures of the end-to-end tests.

pub mod storage_server;
