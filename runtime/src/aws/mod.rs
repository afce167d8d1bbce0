//! What a client of an AWS service needs beyond Smithy: SigV4 signing
//! ([`sigv4`]), credentials and their providers ([`credentials`]), and the
//! shared configuration files the AWS CLI reads ([`profile`]), for regions
//! and profiles. Behind the runtime's `aws` feature, which crates generated
//! from models with `aws.auth#sigv4` turn on; a client of another service
//! compiles none of it.
//!
//! A configuration set up the way the AWS CLI is:
//!
//! ```no_run
//! let config = tinsmith_runtime::Config::builder().aws_defaults().build();
//! ```
//!
//! takes its region from `AWS_REGION`, `AWS_DEFAULT_REGION` or the selected
//! profile, and its credentials from the environment or the profile
//! ([`DefaultCredentials`]).

pub mod credentials;
pub mod profile;
pub mod sigv4;

pub use credentials::{
    Credentials, CredentialsFuture, DefaultCredentials, EnvironmentCredentials, ProfileCredentials,
    ProvideCredentials,
};
