//! The Smithy IDL front end: text in, [`RawFile`](crate::loader::raw::RawFile) out.
//!
//! * `smithy.pest` is the grammar (pest), one `statement` at a time.
//! * [`parser`] drives it: it skips trivia between statements, collects
//!   documentation comments, checks statement order and control statements,
//!   and recovers after a syntax error at the next top-level statement.
//! * `tree` turns each parsed statement into raw shapes, applies and
//!   metadata, enforcing the rules that depend on the file's version.
//! * [`strings`] decodes quoted strings and text blocks.
//!
//! Nothing here resolves shape ids or looks at other files.

mod grammar;
pub mod parser;
pub mod strings;
mod tree;

pub use parser::parse;
