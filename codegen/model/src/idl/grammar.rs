//! The pest parser generated from `smithy.pest`.
#![allow(missing_docs)]

/// The Smithy IDL grammar.
#[derive(pest_derive::Parser)]
#[grammar = "idl/smithy.pest"]
pub struct SmithyParser;
