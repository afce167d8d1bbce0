//! `aws.protocols#awsJson1_0` and `awsJson1_1`: every operation is a `POST /`
//! naming the operation in `X-Amz-Target` (`Service.Operation`), with the
//! whole input as a JSON body (member names as keys, no `@jsonName`) and the
//! whole output or error as the response body. The two versions differ only
//! in their content type.

use proc_macro2::TokenStream;
use quote::quote;

use super::super::codec::{CodecSettings, DocumentTimestamps};
use super::super::event_stream::EventSettings;
use super::super::plan::{Operation, Plan, Structure};
use super::rpc::{self, Documents, Route, UnitInput};
use super::{Protocol, Reader};

/// One of the two awsJson versions.
pub enum AwsJson {
    /// `aws.protocols#awsJson1_0`.
    V1_0,
    /// `aws.protocols#awsJson1_1`.
    V1_1,
}

/// The awsJson documents: member names as keys, timestamps as
/// `@timestampFormat` says (epoch seconds without it). JSON-RPC's too.
pub(super) const SETTINGS: CodecSettings = CodecSettings {
    module: "json",
    use_json_name: false,
    qualified: true,
    timestamps: DocumentTimestamps::Honoured,
    big_numbers_as_text: false,
    strict: false,
};

impl AwsJson {
    fn documents(&self) -> Documents {
        Documents {
            settings: SETTINGS,
            content_type: match self {
                AwsJson::V1_0 => "application/x-amz-json-1.0",
                AwsJson::V1_1 => "application/x-amz-json-1.1",
            },
            unit_input: UnitInput::EmptyObject,
        }
    }
}

impl Protocol for AwsJson {
    fn request(&self, plan: &Plan<'_>, op: &Operation<'_>) -> TokenStream {
        let target = format!("{}.{}", plan.service().name, op.name);
        let route = Route {
            path: String::from("/"),
            headers: vec![("x-amz-target", target)],
        };
        rpc::request(plan, op, self.documents(), route)
    }

    fn read_output(&self, plan: &Plan<'_>, op: &Operation<'_>) -> Reader {
        rpc::read_output(plan, self.documents(), op)
    }

    fn read_error(&self, plan: &Plan<'_>, error: &Structure<'_>) -> Reader {
        rpc::read_error(plan, SETTINGS, error)
    }

    fn runtime_codec(&self) -> &'static str {
        SETTINGS.module
    }

    fn document_codec(&self) -> Option<CodecSettings> {
        Some(SETTINGS)
    }

    fn events(&self) -> Option<EventSettings> {
        Some(self.documents().events())
    }

    fn initial_response(&self, plan: &Plan<'_>, op: &Operation<'_>) -> Option<TokenStream> {
        rpc::initial_response(plan, (self.documents(), quote!(rt::parse_body)), op)
    }

    fn support_files(&self, plan: &Plan<'_>) -> Vec<(&'static str, TokenStream)> {
        rpc::codec_files(plan, SETTINGS)
    }
}
