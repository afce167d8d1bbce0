//! The value types of Smithy models that Rust's standard library lacks.

mod big;
mod blob;
mod datetime;
mod document;
#[cfg(feature = "serde")]
mod serde_impls;

pub use big::{BigDecimal, BigInteger, ParseBigNumberError};
pub use blob::Blob;
pub use datetime::{DateTime, DateTimeError, TimestampFormat};
pub use document::{Document, Number};
#[cfg(feature = "serde")]
#[doc(hidden)]
pub use serde_impls::{UnitValue, float_form, some_document};
