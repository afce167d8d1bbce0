//! The plan: a typed description of everything one service's SDK will
//! contain, built once from the model ([`Plan::build`]) before anything is
//! emitted.
//!
//! The plan answers every question the emitters have: which Rust type a
//! member has and whether it is optional or boxed, how it travels in each
//! protocol (HTTP binding, JSON key, timestamp format, event header or
//! payload), what every generated item is called ([`super::names`] decided
//! it), which errors an operation returns, how it pages, signs, streams,
//! compresses and checksums. Traits are read here and nowhere else.
//!
//! Architecture invariant: emitters render a plan; they never look a trait
//! up, never pick a name and never walk the model. A question an emitter
//! needs answered that the plan cannot answer is a field missing from the
//! plan. This keeps every decision in one place, so the types, the client,
//! the protocols and (later) the server agree by construction.

mod build;
mod http;
mod server;

use std::collections::HashMap;

use proc_macro2::Ident;

use crate::model::{Node, ShapeId, traits};

pub use http::{HttpBinding, HttpMethod, HttpOperation, Segment, UriPattern};

/// The wire protocol the SDK speaks, chosen once per service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProtocolKind {
    /// `aws.protocols#restJson1`.
    RestJson1,
    /// `aws.protocols#awsJson1_0`.
    AwsJson1_0,
    /// `aws.protocols#awsJson1_1`.
    AwsJson1_1,
    /// `smithy.protocols#rpcv2Cbor`.
    RpcV2Cbor,
    /// `smithy.protocols#rpcv2Json`.
    RpcV2Json,
    /// `aws.protocols#restXml`.
    RestXml,
    /// `aws.protocols#awsQuery`.
    AwsQuery,
    /// `aws.protocols#ec2Query`.
    Ec2Query,
    /// `tinsmith.protocols#jsonRpc2`: JSON-RPC 2.0, our own.
    JsonRpc2,
}

impl ProtocolKind {
    /// Every supported protocol, in order of preference when a service
    /// declares several.
    pub const ALL: [ProtocolKind; 9] = [
        ProtocolKind::RestJson1,
        ProtocolKind::AwsJson1_0,
        ProtocolKind::AwsJson1_1,
        ProtocolKind::RpcV2Cbor,
        ProtocolKind::RpcV2Json,
        ProtocolKind::RestXml,
        ProtocolKind::AwsQuery,
        ProtocolKind::Ec2Query,
        ProtocolKind::JsonRpc2,
    ];

    /// The protocol whose trait is `id`: its absolute shape id
    /// (`aws.protocols#restJson1`) or the trait's name alone (`restJson1`).
    pub fn from_trait_id(id: &str) -> Option<ProtocolKind> {
        ProtocolKind::ALL.into_iter().find(|p| {
            let full = p.trait_id();
            id == full || full.split_once('#').is_some_and(|(_, name)| id == name)
        })
    }

    /// The supported protocols' trait ids, for messages.
    pub fn supported() -> Vec<String> {
        ProtocolKind::ALL
            .iter()
            .map(|p| p.trait_id().to_owned())
            .collect()
    }

    /// The protocol trait's shape id.
    pub fn trait_id(self) -> &'static str {
        match self {
            ProtocolKind::RestJson1 => traits::REST_JSON_1,
            ProtocolKind::AwsJson1_0 => traits::AWS_JSON_1_0,
            ProtocolKind::AwsJson1_1 => traits::AWS_JSON_1_1,
            ProtocolKind::RpcV2Cbor => traits::RPC_V2_CBOR,
            ProtocolKind::RpcV2Json => traits::RPC_V2_JSON,
            ProtocolKind::RestXml => traits::REST_XML,
            ProtocolKind::AwsQuery => traits::AWS_QUERY,
            ProtocolKind::Ec2Query => traits::EC2_QUERY,
            ProtocolKind::JsonRpc2 => traits::JSON_RPC_2,
        }
    }

    /// True when members are bound to HTTP messages by the HTTP binding
    /// traits, so a `@streaming` blob can be the payload.
    pub fn binds_http(self) -> bool {
        matches!(self, ProtocolKind::RestJson1 | ProtocolKind::RestXml)
    }

    /// True when the protocol can frame event streams (the query
    /// protocols cannot).
    pub fn carries_events(self) -> bool {
        !matches!(self, ProtocolKind::AwsQuery | ProtocolKind::Ec2Query)
    }

    /// True when the protocol has no document type (the XML-based ones:
    /// spec, "does not support document types").
    pub fn lacks_documents(self) -> bool {
        matches!(
            self,
            ProtocolKind::RestXml | ProtocolKind::AwsQuery | ProtocolKind::Ec2Query
        )
    }

    /// True when the members beside an event stream travel in an
    /// `initial-request` / `initial-response` event (the RPC protocols), so
    /// an output is complete only once that event is read.
    pub fn initial_messages(self) -> bool {
        matches!(
            self,
            ProtocolKind::AwsJson1_0
                | ProtocolKind::AwsJson1_1
                | ProtocolKind::RpcV2Cbor
                | ProtocolKind::RpcV2Json
                | ProtocolKind::JsonRpc2
        )
    }
}

/// One service's SDK, or a crate of types alone.
#[derive(Debug)]
pub struct Plan<'m> {
    /// What the crate is: a service's client, or a library of types.
    pub subject: Subject<'m>,
    /// The generated types (structures, unions, enums), sorted by shape id.
    /// Types another crate already holds (see [`ExternTypes`]) are here
    /// too, so codecs can read their members, but are not emitted.
    pub types: Vec<TypeDef<'m>>,
    /// The operations, sorted by shape id.
    pub operations: Vec<Operation<'m>>,
    index: HashMap<&'m ShapeId, usize>,
    /// Input structures whose builder is their operation's request builder,
    /// to the operation's index.
    request_inputs: HashMap<&'m ShapeId, usize>,
    /// Types another crate or module holds, with its path.
    externs: HashMap<&'m ShapeId, proc_macro2::TokenStream>,
    /// How the types support serde (an option, not a model decision).
    pub serde: super::FeatureSupport,
    /// How outbox support is included.
    pub outbox: super::FeatureSupport,
    /// The server side, when one is generated ([`Plan::add_server`]).
    pub server: Option<Server>,
}

/// The server side of a service: the trait a server implements and the
/// error type of each of its methods. Everything else (inputs, outputs,
/// error structures, method names) is the client's.
#[derive(Debug)]
pub struct Server {
    /// The trait with one async method per operation: the service's name.
    pub handler: Ident,
    /// The error enum of each operation's method, in operation order:
    /// `<Operation>Error`, in the `server` module.
    pub error_enums: Vec<Ident>,
}

/// Namespaces whose types another crate or module already holds:
/// namespace → the Rust path of that crate or module (`shared_types`,
/// `crate::shared`), whose `types` module has them. That crate must have
/// been generated as a types-only crate of the namespace, with the same
/// mappings for the other namespaces it uses.
pub type ExternTypes = std::collections::BTreeMap<String, String>;

/// What a plan generates.
#[derive(Debug)]
pub enum Subject<'m> {
    /// A client of a service, speaking one protocol.
    Service(Service<'m>),
    /// The types of a model's namespaces, without a client
    /// ([`Plan::types_only`]).
    Types(Library),
}

/// A crate of types alone: what a model without a service generates.
#[derive(Debug)]
pub struct Library {
    /// The namespaces whose shapes it holds, sorted.
    pub namespaces: Vec<String>,
    /// Its display name (the namespaces, comma-separated).
    pub title: String,
    /// One line for `Cargo.toml`'s `description`.
    pub description: String,
}

impl<'m> Plan<'m> {
    /// The service of a client plan.
    ///
    /// # Panics
    ///
    /// On a types-only plan: only the types emitter and the crate files run
    /// on one, so this is a bug in the caller.
    pub fn service(&self) -> &Service<'m> {
        match &self.subject {
            Subject::Service(s) => s,
            Subject::Types(_) => panic!("a types-only plan has no service"),
        }
    }

    /// The protocol a client plan speaks (see [`Plan::service`]).
    pub fn protocol(&self) -> ProtocolKind {
        self.service().protocol
    }

    /// The crate's display name: the service's title, or the library's.
    pub fn title(&self) -> &str {
        match &self.subject {
            Subject::Service(s) => &s.title,
            Subject::Types(l) => &l.title,
        }
    }

    /// One line for `Cargo.toml`'s `description`.
    pub fn description(&self) -> &str {
        match &self.subject {
            Subject::Service(s) => &s.description,
            Subject::Types(l) => &l.description,
        }
    }

    /// The generated type of a shape.
    ///
    /// # Panics
    ///
    /// When the shape has no generated type: every `Ty` the plan hands out
    /// names one that has, so this is a bug in the plan's builder.
    pub fn get(&self, id: &ShapeId) -> &TypeDef<'m> {
        let index = self.index.get(id).unwrap_or_else(|| {
            panic!("the plan has no type for `{id}`");
        });
        &self.types[*index]
    }

    /// The crate or module holding this type when it is not generated here
    /// (see [`ExternTypes`]).
    pub fn extern_path(&self, id: &ShapeId) -> Option<&proc_macro2::TokenStream> {
        self.externs.get(id)
    }

    /// The crates (not modules of this one) the extern types come from:
    /// the first segment of each path that does not start with `crate`,
    /// `self` or `super`, sorted.
    pub fn extern_crates(&self) -> Vec<String> {
        let mut crates: Vec<String> = self
            .externs
            .values()
            .filter_map(|path| {
                let first = path.clone().into_iter().find_map(|t| match t {
                    proc_macro2::TokenTree::Ident(i) => Some(i.to_string()),
                    _ => None,
                })?;
                (!matches!(first.as_str(), "crate" | "self" | "super")).then_some(first)
            })
            .collect();
        crates.sort();
        crates.dedup();
        crates
    }

    /// The types generated here, in id order.
    pub fn local_types(&self) -> impl Iterator<Item = &TypeDef<'m>> {
        self.types
            .iter()
            .filter(|t| !self.externs.contains_key(t.id()))
    }

    /// The structure with this id.
    pub fn structure(&self, id: &ShapeId) -> &Structure<'m> {
        match self.get(id) {
            TypeDef::Structure(s) => s,
            other => panic!("`{id}` is not a structure but {other:?}"),
        }
    }

    /// The union with this id.
    pub fn union(&self, id: &ShapeId) -> &Union<'m> {
        match self.get(id) {
            TypeDef::Union(u) => u,
            other => panic!("`{id}` is not a union but {other:?}"),
        }
    }

    /// The structures, in id order.
    pub fn structures(&self) -> impl Iterator<Item = &Structure<'m>> {
        self.types.iter().filter_map(|t| match t {
            TypeDef::Structure(s) => Some(s),
            _ => None,
        })
    }

    /// The unions that are event streams, in id order.
    pub fn event_streams(&self) -> impl Iterator<Item = (&Union<'m>, &EventStream<'m>)> {
        self.types.iter().filter_map(|t| match t {
            TypeDef::Union(u) => u.stream.as_ref().map(|s| (u, s)),
            _ => None,
        })
    }

    /// The operation whose request builder `shape`'s builder is, if any.
    ///
    /// An operation's request builder is usually its input's builder with
    /// the client inside (`XBuilder<Client>`), so the input's setters and
    /// their documentation exist once. An input of several operations, or
    /// of another crate, gets a request builder of its own instead.
    pub fn request_of(&self, shape: &Structure<'m>) -> Option<&Operation<'m>> {
        self.request_inputs
            .get(shape.id)
            .map(|&i| &self.operations[i])
    }

    /// True when `op`'s request builder is its input's builder (see
    /// [`Plan::request_of`]).
    pub fn request_is_input_builder(&self, op: &Operation<'m>) -> bool {
        // An input in the map has one operation: this one.
        op.input
            .is_some_and(|id| self.request_inputs.contains_key(id))
    }

    /// The operation's input structure (`None` for `Unit`).
    pub fn input(&self, op: &Operation<'m>) -> Option<&Structure<'m>> {
        op.input.map(|id| self.structure(id))
    }

    /// The operation's output structure (`None` for `Unit`).
    pub fn output(&self, op: &Operation<'m>) -> Option<&Structure<'m>> {
        op.output.map(|id| self.structure(id))
    }

    /// The operation input's streaming member.
    pub fn streaming_input(&self, op: &Operation<'m>) -> Option<&Member<'m>> {
        self.input(op).and_then(Structure::streaming_member)
    }

    /// The operation output's streaming member.
    pub fn streaming_output(&self, op: &Operation<'m>) -> Option<&Member<'m>> {
        self.output(op).and_then(Structure::streaming_member)
    }

    /// True when a value of `ty` names a deprecated type, so code that
    /// spells it needs `#[allow(deprecated)]`.
    pub fn is_deprecated(&self, ty: &Ty<'_>) -> bool {
        match ty {
            Ty::Enum(id) | Ty::IntEnum(id) | Ty::Structure(id) | Ty::Union(id) => {
                match self.get(id) {
                    TypeDef::Structure(s) => s.deprecated.is_some(),
                    TypeDef::Union(u) => u.deprecated.is_some(),
                    TypeDef::StringEnum(e) => e.deprecated.is_some(),
                    TypeDef::IntEnum(e) => e.deprecated.is_some(),
                }
            }
            Ty::List { item, .. } => self.is_deprecated(item),
            Ty::Map { key, value, .. } => self.is_deprecated(key) || self.is_deprecated(value),
            _ => false,
        }
    }

    /// The `EventCodec` constant of an event-stream union.
    pub fn event_codec(&self, union: &ShapeId) -> &Ident {
        &self
            .union(union)
            .stream
            .as_ref()
            .expect("an event-stream union has stream details")
            .codec
    }

    /// The error structures any operation returns, each once, in id order.
    pub fn errors(&self) -> Vec<&Structure<'m>> {
        let mut ids: Vec<&ShapeId> = self
            .operations
            .iter()
            .flat_map(|op| op.errors.iter().map(|e| e.id))
            .collect();
        ids.sort();
        ids.dedup();
        ids.into_iter().map(|id| self.structure(id)).collect()
    }
}

/// The service itself.
#[derive(Debug)]
pub struct Service<'m> {
    /// Its shape id.
    pub id: &'m ShapeId,
    /// Its shape name (`X-Amz-Target` and rpcv2Cbor paths use it).
    pub name: &'m str,
    /// The protocol the client speaks.
    pub protocol: ProtocolKind,
    /// Its display name: `@title`, or the shape name.
    pub title: String,
    /// Its documentation as rustdoc lines (empty when it has none).
    pub docs: Vec<String>,
    /// One line for `Cargo.toml`'s `description`.
    pub description: String,
    /// `tinsmith.api#endOfStream`: every event stream ends with a marker.
    pub end_of_stream: bool,
    /// `@awsQueryCompatible`: requests say so in `x-amzn-query-mode`.
    pub query_compatible: bool,
    /// Its API version (awsQuery and ec2Query send it as `Version`).
    pub version: &'m str,
    /// `@xmlNamespace`: restXml puts it on the root element of request
    /// bodies.
    pub xml_namespace: Option<XmlNamespace<'m>>,
    /// `smithy.rules#endpointRuleSet`: the client resolves each call's
    /// endpoint with these rules.
    pub endpoint_rules: Option<EndpointRules<'m>>,
    /// `tinsmith.protocols#jsonRpc2`'s settings, with their defaults.
    pub json_rpc: JsonRpc,
}

/// Where JSON-RPC calls go and how their methods are named
/// (`tinsmith.protocols#jsonRpc2`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonRpc {
    /// The path every call is posted to (`/` by default).
    pub path: String,
    /// The text before each operation's name in `method` (the service's
    /// name and a dot by default).
    pub method_prefix: String,
}

/// A service's endpoint rules, as the generated client uses them.
#[derive(Debug)]
pub struct EndpointRules<'m> {
    /// The rule set as compact JSON (embedded, parsed on first use).
    pub json: String,
    /// The parameters the client's configuration supplies, in rule-set
    /// order.
    pub config_params: Vec<ConfigParam<'m>>,
    /// `smithy.rules#endpointTests`.
    pub tests: Vec<&'m Node>,
}

/// A rule-set parameter the client's configuration supplies.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigParam<'m> {
    /// The parameter's name in the rule set.
    pub name: &'m str,
    /// Where its value comes from.
    pub source: ConfigSource<'m>,
}

/// Where a configuration-supplied parameter's value comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum ConfigSource<'m> {
    /// `AWS::Region`: the client's region.
    Region,
    /// `SDK::Endpoint`: the client's endpoint URL.
    Endpoint,
    /// A client context parameter or another built-in: the configuration's
    /// endpoint parameters, by these names in order (the client context
    /// name, then the built-in's).
    Setting(Vec<&'m str>),
}

/// One step of an `operationContextParams` path: a structure's field.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldStep {
    /// The field.
    pub field: Ident,
    /// It is an `Option`.
    pub optional: bool,
}

/// A rule-set parameter an operation supplies.
#[derive(Debug, Clone, PartialEq)]
pub struct OperationParam<'m> {
    /// The parameter's name in the rule set.
    pub name: &'m str,
    /// Its value.
    pub value: OperationParamValue<'m>,
}

/// Where an operation-supplied parameter's value comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum OperationParamValue<'m> {
    /// `smithy.rules#staticContextParams`: a fixed value.
    Static(&'m Node),
    /// `smithy.rules#operationContextParams`: a path through the input
    /// (`Delete.Objects[*].Key`, `keys(Tags)`).
    Path {
        /// Fields from the input to the value, or to the projected list.
        steps: Vec<FieldStep>,
        /// `[*]`: fields from each item of that list to its value.
        each: Option<Vec<FieldStep>>,
        /// `keys(...)`: the keys of the map the steps reach.
        keys: bool,
        /// The type reached (of each item's value, for a projection; the
        /// map's key type for `keys`).
        ty: Ty<'m>,
    },
    /// `smithy.rules#contextParam`: an input member (a string, boolean,
    /// string enum, or list of strings).
    Member {
        /// The input field.
        field: Ident,
        /// The field is an `Option`.
        optional: bool,
        /// Its type.
        ty: Ty<'m>,
    },
}

/// A generated type.
#[derive(Debug)]
pub enum TypeDef<'m> {
    /// A structure, with its builder.
    Structure(Structure<'m>),
    /// A union.
    Union(Union<'m>),
    /// An `enum`, or a string with the 1.0 `@enum` trait.
    StringEnum(StringEnum<'m>),
    /// An `intEnum`.
    IntEnum(IntEnum<'m>),
}

impl<'m> TypeDef<'m> {
    /// The shape id.
    pub fn id(&self) -> &'m ShapeId {
        match self {
            TypeDef::Structure(s) => s.id,
            TypeDef::Union(u) => u.id,
            TypeDef::StringEnum(e) => e.id,
            TypeDef::IntEnum(e) => e.id,
        }
    }

    /// The Rust type name.
    pub fn ident(&self) -> &Ident {
        match self {
            TypeDef::Structure(s) => &s.ident,
            TypeDef::Union(u) => &u.ident,
            TypeDef::StringEnum(e) => &e.ident,
            TypeDef::IntEnum(e) => &e.ident,
        }
    }

    /// A stem unique among types, for function names (`ser_<stem>`).
    pub fn stem(&self) -> &str {
        match self {
            TypeDef::Structure(s) => &s.stem,
            TypeDef::Union(u) => &u.stem,
            TypeDef::StringEnum(e) => &e.stem,
            TypeDef::IntEnum(e) => &e.stem,
        }
    }
}

/// What `@deprecated` says.
#[derive(Debug, Clone, PartialEq)]
pub struct Deprecation {
    /// The note for `#[deprecated(note = ...)]`: the message and `since`.
    pub note: Option<String>,
}

/// The value type of a member, list item or map value, with what decides
/// its encoding (`@timestampFormat`, `@mediaType`, `@sparse`).
#[derive(Debug, Clone, PartialEq)]
pub enum Ty<'m> {
    /// `bool`.
    Boolean,
    /// `i8`.
    Byte,
    /// `i16`.
    Short,
    /// `i32`.
    Integer,
    /// `i64`.
    Long,
    /// `f32`.
    Float,
    /// `f64`.
    Double,
    /// `tinsmith_runtime::BigInteger`.
    BigInteger,
    /// `tinsmith_runtime::BigDecimal`.
    BigDecimal,
    /// `String`.
    String {
        /// `@mediaType` (such strings are base64 in headers).
        media_type: Option<&'m str>,
    },
    /// `tinsmith_runtime::Blob`.
    Blob {
        /// `@mediaType`, the content type of a blob payload.
        media_type: Option<&'m str>,
    },
    /// `tinsmith_runtime::Document`.
    Document,
    /// `tinsmith_runtime::DateTime`.
    Timestamp {
        /// `@timestampFormat` of the member or its target; `None` leaves
        /// the choice to the protocol and the binding location.
        format: Option<TimestampFormat>,
    },
    /// A generated string enum.
    Enum(&'m ShapeId),
    /// A generated int enum.
    IntEnum(&'m ShapeId),
    /// A generated structure.
    Structure(&'m ShapeId),
    /// A generated union.
    Union(&'m ShapeId),
    /// `Vec<T>`, or `Vec<Option<T>>` when sparse.
    List {
        /// The item type.
        item: Box<Ty<'m>>,
        /// `@sparse`.
        sparse: bool,
        /// The XML element of each item (`member` unless renamed).
        member: XmlName<'m>,
    },
    /// `HashMap<K, V>`, or `HashMap<K, Option<V>>` when sparse.
    Map {
        /// The key type (a string or string enum).
        key: Box<Ty<'m>>,
        /// The value type.
        value: Box<Ty<'m>>,
        /// `@sparse`.
        sparse: bool,
        /// The XML elements of each entry's key and value (`key`, `value`
        /// unless renamed).
        entry: MapEntryXml<'m>,
    },
}

/// The XML elements of a map entry's key and value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MapEntryXml<'m> {
    /// The key's element.
    pub key: XmlName<'m>,
    /// The value's element.
    pub value: XmlName<'m>,
}

impl Ty<'_> {
    /// True for strings and string enums.
    pub fn is_text(&self) -> bool {
        matches!(self, Ty::String { .. } | Ty::Enum(_))
    }

    /// True when both are the same Rust type: what distinguishes them is
    /// only how they are encoded (`@mediaType`, `@timestampFormat`).
    pub fn same_rust_type(&self, other: &Ty<'_>) -> bool {
        match (self, other) {
            (Ty::String { .. }, Ty::String { .. })
            | (Ty::Blob { .. }, Ty::Blob { .. })
            | (Ty::Timestamp { .. }, Ty::Timestamp { .. }) => true,
            (Ty::Enum(a), Ty::Enum(b))
            | (Ty::IntEnum(a), Ty::IntEnum(b))
            | (Ty::Structure(a), Ty::Structure(b))
            | (Ty::Union(a), Ty::Union(b)) => a == b,
            (
                Ty::List {
                    item: a, sparse: x, ..
                },
                Ty::List {
                    item: b, sparse: y, ..
                },
            ) => x == y && a.same_rust_type(b),
            (
                Ty::Map {
                    key: ka,
                    value: va,
                    sparse: x,
                    ..
                },
                Ty::Map {
                    key: kb,
                    value: vb,
                    sparse: y,
                    ..
                },
            ) => x == y && ka.same_rust_type(kb) && va.same_rust_type(vb),
            // The rest carry nothing but their kind.
            (a, b) => std::mem::discriminant(a) == std::mem::discriminant(b),
        }
    }

    /// True for the types that are `Copy` in Rust (numbers, booleans,
    /// timestamps).
    pub fn is_copy(&self) -> bool {
        matches!(
            self,
            Ty::Boolean
                | Ty::Byte
                | Ty::Short
                | Ty::Integer
                | Ty::Long
                | Ty::Float
                | Ty::Double
                | Ty::Timestamp { .. }
        )
    }

    /// True for the types whose empty value means "no token" when a
    /// continuation token is read: strings, blobs, lists and maps.
    pub fn has_empty_value(&self) -> bool {
        matches!(
            self,
            Ty::String { .. } | Ty::Blob { .. } | Ty::List { .. } | Ty::Map { .. }
        )
    }
}

/// A timestamp wire format (`@timestampFormat`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampFormat {
    /// RFC 3339 `date-time`.
    DateTime,
    /// RFC 7231 `http-date`.
    HttpDate,
    /// Seconds since the epoch.
    EpochSeconds,
}

/// A structure and its builder.
#[derive(Debug)]
pub struct Structure<'m> {
    /// The shape id.
    pub id: &'m ShapeId,
    /// The shape name.
    pub name: &'m str,
    /// The Rust type.
    pub ident: Ident,
    /// The builder type.
    pub builder: Ident,
    /// A stem unique among types, for function names.
    pub stem: String,
    /// Rustdoc lines (the model's, or a fallback).
    pub docs: Vec<String>,
    /// `@deprecated`.
    pub deprecated: Option<Deprecation>,
    /// True when the shape, a member or a member's target is deprecated,
    /// so its impls need `#[allow(deprecated)]`.
    pub uses_deprecated: bool,
    /// The members, in declaration order.
    pub members: Vec<Member<'m>>,
    /// `@sensitive` on the structure itself: every member is redacted.
    pub sensitive: bool,
    /// `@error` details, for error structures.
    pub error: Option<ErrorInfo<'m>>,
    /// The local of `build()` that collects missing members (a name no
    /// field has).
    pub missing: Ident,
    /// `@httpResponseTests` of an error structure that apply to clients.
    pub tests: Vec<&'m Node>,
    /// The same cases that apply to servers.
    pub server_tests: Vec<&'m Node>,
    /// Its element as an XML document's root: `@xmlName` (else the shape
    /// name) and `@xmlNamespace`.
    pub xml: XmlName<'m>,
}

impl<'m> Structure<'m> {
    /// True when `build()` can fail: some member is `@required` without a
    /// `@default`. Otherwise it returns the value itself, not a `Result`.
    pub fn build_is_fallible(&self) -> bool {
        self.members.iter().any(Member::needs_value)
    }

    /// The member with this Smithy name.
    pub fn member(&self, name: &str) -> Option<&Member<'m>> {
        self.members.iter().find(|m| m.name == name)
    }

    /// The streaming member (a `ByteStream` or an event stream), if any.
    pub fn streaming_member(&self) -> Option<&Member<'m>> {
        self.members.iter().find(|m| m.kind.is_streaming())
    }

    /// The members that are not streaming: those a document carries.
    pub fn document_members(&self) -> impl Iterator<Item = &Member<'m>> {
        self.members.iter().filter(|m| !m.kind.is_streaming())
    }
}

/// What `@error` (and `@retryable`, `@httpError`) say about an error structure.
#[derive(Debug, Clone)]
pub struct ErrorInfo<'m> {
    /// The error code on the wire: the shape name.
    pub code: &'m str,
    /// `@error("server")`: the service is at fault (else the client is).
    pub server_fault: bool,
    /// `@retryable`.
    pub retry: Retry,
    /// `@httpError`.
    pub http_status: Option<u16>,
    /// `@awsQueryError`: the code (and status) awsQuery and ec2Query
    /// services send instead of the shape name.
    pub query: Option<QueryErrorCode<'m>>,
    /// The member holding the error message, whatever its case
    /// (`message`, `Message`, else `errorMessage`), when it is a string.
    pub message: Option<usize>,
}

/// What `@awsQueryError` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueryErrorCode<'m> {
    /// The error code on the wire.
    pub code: &'m str,
    /// The HTTP status the service answers with.
    pub http_status: u16,
}

/// `@xmlNamespace`: the `xmlns` (or `xmlns:<prefix>`) attribute of an
/// element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct XmlNamespace<'m> {
    /// The namespace URI.
    pub uri: &'m str,
    /// The prefix, when the namespace is bound to one.
    pub prefix: Option<&'m str>,
}

impl XmlNamespace<'_> {
    /// The attribute's name: `xmlns` or `xmlns:<prefix>`.
    pub fn attribute(&self) -> String {
        match self.prefix {
            Some(prefix) => format!("xmlns:{prefix}"),
            None => String::from("xmlns"),
        }
    }
}

/// The element of a list member, map key or map value, or of a document's
/// root: `@xmlName` (else the default) and `@xmlNamespace`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct XmlName<'m> {
    /// The element name.
    pub name: &'m str,
    /// Its namespace.
    pub namespace: Option<XmlNamespace<'m>>,
}

/// How a structure or union member travels in XML and in query strings
/// (spec: "XML bindings"; awsQuery and ec2Query key resolution).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlMember<'m> {
    /// Its element or attribute name, and awsQuery key: `@xmlName`, else
    /// the member name.
    pub name: &'m str,
    /// True when `@xmlName` set the name (an `@httpPayload` root is then
    /// named by the member rather than by its target).
    pub renamed: bool,
    /// `@xmlAttribute`: an attribute of the structure's element.
    pub attribute: bool,
    /// `@xmlFlattened`: a list's items (or a map's entries) repeat in the
    /// structure's element instead of inside a wrapper.
    pub flattened: bool,
    /// The member's own `@xmlNamespace` (a target's applies only to a
    /// document's root).
    pub namespace: Option<XmlNamespace<'m>>,
    /// Its ec2Query key: `@ec2QueryName`, else `@xmlName` or the member
    /// name with the first letter capitalized.
    pub ec2_name: String,
}

/// `@retryable`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// Not retryable by the model's word.
    NotModeled,
    /// `@retryable`.
    Retryable,
    /// `@retryable(throttling: true)`.
    Throttling,
}

/// A member of a structure.
#[derive(Debug)]
pub struct Member<'m> {
    /// The member's shape id.
    pub id: &'m ShapeId,
    /// The Smithy member name (its wire name unless a trait says otherwise).
    pub name: &'m str,
    /// The field (and setter parameter) name.
    pub field: Ident,
    /// The builder's setter: it takes the value, or an `Option` that sets
    /// or clears it (`tinsmith_runtime::IntoMember`).
    pub setter: Ident,
    /// For a list or map, the builder's appender of one entry (`tag` for
    /// `tags`).
    pub appender: Option<Ident>,
    /// The value type.
    pub ty: Ty<'m>,
    /// Plain value, streamed body or event stream.
    pub kind: MemberKind<'m>,
    /// The field is `Option<T>`.
    pub optional: bool,
    /// `@required`.
    pub required: bool,
    /// `@length`, `@range`, `@pattern`, `@uniqueItems`, on the member, its
    /// target, and a list's items or a map's keys and values.
    pub constraints: Constraints,
    /// `@default`, unless it is `null`.
    pub default: Option<&'m Node>,
    /// Rustdoc lines (the model's, or a fallback).
    pub docs: Vec<String>,
    /// `@deprecated`.
    pub deprecated: Option<Deprecation>,
    /// `@sensitive` on the member or its target.
    pub sensitive: bool,
    /// Where the member travels in protocols with HTTP bindings.
    pub http: HttpBinding<'m>,
    /// `@jsonName` (restJson1 uses it as the key).
    pub json_name: Option<&'m str>,
    /// How it travels in XML and query protocols.
    pub xml: XmlMember<'m>,
    /// `@idempotencyToken`.
    pub idempotency_token: bool,
    /// `@eventHeader` / `@eventPayload`.
    pub event: EventBinding,
}

impl Member<'_> {
    /// `@required` without a `@default`: `build()` reports it missing, and
    /// a client fills in a zero value when a response leaves it out.
    pub fn needs_value(&self) -> bool {
        self.required && self.default.is_none() && !self.kind.is_streaming()
    }
}

/// The constraint traits of a value (spec: "Constraint traits"), which a
/// server checks before its handler runs. Enum values are checked by type.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    /// `@length`: characters of a string, bytes of a blob, entries of a
    /// list or map.
    pub length: Option<Bounds>,
    /// `@range`: the value of a number.
    pub range: Option<Bounds>,
    /// `@pattern`: an ECMA 262 regular expression a string must match
    /// somewhere.
    pub pattern: Option<String>,
    /// `@uniqueItems`: a list without duplicates.
    pub unique_items: bool,
    /// A list's items', or a map's values', when they have any.
    pub items: Option<Box<Constraints>>,
    /// A map's keys', when they have any.
    pub keys: Option<Box<Constraints>>,
}

impl Constraints {
    /// True when nothing is constrained.
    pub fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }
}

/// The inclusive bounds of `@length` or `@range`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounds {
    /// The least allowed.
    pub min: Option<f64>,
    /// The most allowed.
    pub max: Option<f64>,
}

/// What kind of field a member is.
#[derive(Debug, Clone, PartialEq)]
pub enum MemberKind<'m> {
    /// A value; `boxed` when the field is boxed to break a recursive cycle.
    Value {
        /// `Box<T>`.
        boxed: bool,
    },
    /// A `@streaming` blob: a `ByteStream`, never optional.
    ByteStream {
        /// `@requiresLength`.
        requires_length: bool,
    },
    /// An event stream (`@streaming` union).
    Events {
        /// The union.
        union: &'m ShapeId,
        /// Received (an output's `EventStream`) or sent (an input's `EventInput`).
        direction: Direction,
    },
}

impl MemberKind<'_> {
    /// True for byte streams and event streams.
    pub fn is_streaming(&self) -> bool {
        !matches!(self, MemberKind::Value { .. })
    }

    /// True for boxed values.
    pub fn is_boxed(&self) -> bool {
        matches!(self, MemberKind::Value { boxed: true })
    }
}

/// Which way an event stream flows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// From the service to the client.
    Received,
    /// From the client to the service.
    Sent,
}

/// How a member of an event structure is bound to a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventBinding {
    /// A member of the document payload.
    Document,
    /// `@eventHeader`: a typed header named after the member.
    Header,
    /// `@eventPayload`: the whole payload.
    Payload,
}

/// A union.
#[derive(Debug)]
pub struct Union<'m> {
    /// The shape id.
    pub id: &'m ShapeId,
    /// The shape name.
    pub name: &'m str,
    /// The Rust type.
    pub ident: Ident,
    /// A stem unique among types, for function names.
    pub stem: String,
    /// Rustdoc lines.
    pub docs: Vec<String>,
    /// `@deprecated`.
    pub deprecated: Option<Deprecation>,
    /// True when impls need `#[allow(deprecated)]`.
    pub uses_deprecated: bool,
    /// `@sensitive`: `Debug` prints nothing of the value.
    pub sensitive: bool,
    /// The variants (for an event stream, its events; its errors are in
    /// [`EventStream::errors`]).
    pub variants: Vec<Variant<'m>>,
    /// Event-stream details, for `@streaming` unions.
    pub stream: Option<EventStream<'m>>,
    /// Its element as an XML document's root (an `@httpPayload`).
    pub xml: XmlName<'m>,
}

impl<'m> Union<'m> {
    /// True when the enum has an `Unknown` variant, for members newer than
    /// the client: every union the client reads. An event stream the
    /// client only sends has none, so a value it cannot send cannot be
    /// made.
    pub fn has_unknown(&self) -> bool {
        self.stream.as_ref().is_none_or(|s| s.received)
    }

    /// The variant for this Smithy member name (events only, for streams).
    pub fn variant(&self, name: &str) -> Option<&Variant<'m>> {
        self.variants.iter().find(|v| v.name == name)
    }
}

/// A union member (or an error of an event stream).
#[derive(Debug)]
pub struct Variant<'m> {
    /// The member's shape id.
    pub id: &'m ShapeId,
    /// The Smithy member name (the key on the wire, the `:event-type`).
    pub name: &'m str,
    /// The variant name.
    pub ident: Ident,
    /// `as_<variant>`.
    pub as_fn: Ident,
    /// `is_<variant>`.
    pub is_fn: Ident,
    /// The value type; `None` for `Unit` members.
    pub ty: Option<Ty<'m>>,
    /// The constraint traits of the member and its target.
    pub constraints: Constraints,
    /// The value is boxed to break a recursive cycle.
    pub boxed: bool,
    /// Rustdoc lines.
    pub docs: Vec<String>,
    /// `@deprecated`.
    pub deprecated: Option<Deprecation>,
    /// `@jsonName`.
    pub json_name: Option<&'m str>,
    /// How it travels in XML and query protocols.
    pub xml: XmlMember<'m>,
}

/// An event stream: which way it flows, its errors, its codec's names.
#[derive(Debug)]
pub struct EventStream<'m> {
    /// Some operation's output streams it (the client decodes events).
    pub received: bool,
    /// Some operation's input streams it (the client encodes events).
    pub sent: bool,
    /// The union's `@error` members: the variants of its error enum.
    pub errors: Vec<Variant<'m>>,
    /// The error enum (in `error`), when received.
    pub error_enum: Ident,
    /// The `EventCodec` constant.
    pub codec: Ident,
    /// `decode_<stem>_event`.
    pub decode_event: Ident,
    /// `decode_<stem>_exception`.
    pub decode_exception: Ident,
    /// `encode_<stem>_event`.
    pub encode_event: Ident,
    /// `encode_<stem>_exception` (servers).
    pub encode_exception: Ident,
    /// A generated server serves it too: it decodes what clients send and
    /// encodes what they receive, errors included.
    pub served: bool,
}

impl EventStream<'_> {
    /// The crate decodes this stream's events: a client receives them, or
    /// a server does.
    pub fn decodes(&self) -> bool {
        self.received || (self.served && self.sent)
    }

    /// The crate encodes this stream's events: a client sends them, or a
    /// server does.
    pub fn encodes(&self) -> bool {
        self.sent || (self.served && self.received)
    }

    /// The crate encodes this stream's errors: a server sends them.
    pub fn encodes_errors(&self) -> bool {
        self.served && self.received
    }
}

/// An enum: `enum` (or a 1.0 `@enum` string) with `String` values, or
/// `intEnum` with `i32` values.
#[derive(Debug)]
pub struct Enum<'m, V> {
    /// The shape id.
    pub id: &'m ShapeId,
    /// The Rust type.
    pub ident: Ident,
    /// A stem unique among types.
    pub stem: String,
    /// Rustdoc lines.
    pub docs: Vec<String>,
    /// `@deprecated`.
    pub deprecated: Option<Deprecation>,
    /// True when impls need `#[allow(deprecated)]`.
    pub uses_deprecated: bool,
    /// The values, in declaration order, each value once.
    pub values: Vec<EnumValue<V>>,
}

/// An `enum`, or a string with the 1.0 `@enum` trait.
pub type StringEnum<'m> = Enum<'m, String>;

/// An `intEnum`.
pub type IntEnum<'m> = Enum<'m, i32>;

/// One value of an enum.
#[derive(Debug)]
pub struct EnumValue<V> {
    /// The variant.
    pub ident: Ident,
    /// The value on the wire.
    pub value: V,
    /// Rustdoc lines.
    pub docs: Vec<String>,
    /// `@deprecated`.
    pub deprecated: Option<Deprecation>,
    /// `@internal` (or tagged `internal`): a valid value that messages to
    /// users do not list.
    pub internal: bool,
}

/// An operation.
#[derive(Debug)]
pub struct Operation<'m> {
    /// The shape id.
    pub id: &'m ShapeId,
    /// The shape name (`X-Amz-Target`, paths, tracing, error messages).
    pub name: &'m str,
    /// Rustdoc lines.
    pub docs: Vec<String>,
    /// `@deprecated`.
    pub deprecated: Option<Deprecation>,
    /// True when the operation, its input or its output is (or uses
    /// something) deprecated.
    pub uses_deprecated: bool,
    /// The `Client` method.
    pub method: Ident,
    /// The request builder (in `operation`).
    pub request: Ident,
    /// The error enum (in `error`).
    pub error_enum: Ident,
    /// The functions of the `protocol` module.
    pub fns: OperationFns,
    /// The input structure; `None` for `Unit`.
    pub input: Option<&'m ShapeId>,
    /// The output structure; `None` for `Unit`.
    pub output: Option<&'m ShapeId>,
    /// The modeled errors (the operation's and the service's), in id order.
    pub errors: Vec<OperationError<'m>>,
    /// `@http`, when the operation has one.
    pub http: Option<HttpOperation>,
    /// Safe to send twice: `@readonly`, `@idempotent` or an `@idempotencyToken`.
    pub idempotent: bool,
    /// `@paginated`, when a paginator can be generated.
    pub paginator: Option<Paginator<'m>>,
    /// The auth schemes the operation accepts, in order.
    pub auth: Vec<AuthScheme<'m>>,
    /// `@optionalAuth`.
    pub optional_auth: bool,
    /// Gets a `presigned` method: the operation signs with SigV4, binds
    /// its input to HTTP (no document body: labels, query, headers and a
    /// payload the holder of the URL sends) and streams no events.
    pub presignable: bool,
    /// The endpoint-rule parameters the operation supplies (static ones,
    /// then input members).
    pub endpoint_params: Vec<OperationParam<'m>>,
    /// `@endpoint(hostPrefix)`.
    pub host_prefix: Option<Vec<HostSegment>>,
    /// `@requestCompression` encodings.
    pub compression: Vec<&'m str>,
    /// `@httpChecksumRequired`.
    pub checksum_required: bool,
    /// `@s3UnwrappedXmlOutput`: the body's root element is the output's
    /// one member, not a wrapper around its members.
    pub unwrapped_output: bool,
    /// Compliance cases for the selected protocol, client side.
    pub tests: OperationTests<'m>,
}

/// The `protocol` module's functions of one operation.
#[derive(Debug)]
pub struct OperationFns {
    /// `ser_<op>_request`.
    pub ser: Ident,
    /// `de_<op>_response`.
    pub de: Ident,
    /// `de_<op>_error`.
    pub error: Ident,
    /// `read_<op>_output`.
    pub read: Ident,
    /// `finish_<op>_output`.
    pub finish: Ident,
    /// `serve_<op>`, in the `server` module.
    pub serve: Ident,
    /// `write_<op>_result`, in the `server` module.
    pub write: Ident,
}

/// A modeled error of an operation.
#[derive(Debug)]
pub struct OperationError<'m> {
    /// The error structure.
    pub id: &'m ShapeId,
    /// Its variant in the operation's error enum.
    pub variant: Ident,
    /// `is_<variant>` of the error enum.
    pub is_fn: Ident,
}

/// A segment of an `@endpoint` host prefix.
#[derive(Debug, Clone, PartialEq)]
pub enum HostSegment {
    /// Literal text.
    Literal(String),
    /// A `{label}`, filled from the input member of that name.
    Label {
        /// The label's name.
        name: String,
        /// The local holding its checked value.
        var: Ident,
        /// The input member's field, if there is one; whether it is optional.
        field: Option<(Ident, bool)>,
    },
}

/// A generated paginator, for a `@paginated` operation whose input and
/// output tokens have the same Rust type (any type: a string, a map of
/// attribute values, a structure).
#[derive(Debug)]
pub struct Paginator<'m> {
    /// The paginator type (in `operation`).
    pub ident: Ident,
    /// The input token's setter on the request builder.
    pub input_token: Ident,
    /// The fields from the output to its token, each with its optionality.
    pub output_token: Vec<(Ident, bool)>,
    /// The token's type.
    pub token: Ty<'m>,
    /// The output token's field is boxed (a recursive structure).
    pub token_boxed: bool,
    /// The items, when `items` is set.
    pub items: Option<Items<'m>>,
}

/// The items a paginator yields.
#[derive(Debug)]
pub struct Items<'m> {
    /// The `items` path as the model writes it.
    pub path: &'m str,
    /// The fields from the output to the collection, each with its
    /// optionality.
    pub fields: Vec<(Ident, bool)>,
    /// The collection: a list (each item is yielded) or a map (each entry
    /// is yielded as a `(key, value)` pair).
    pub collection: Ty<'m>,
}

/// An auth scheme the model offers.
#[derive(Debug, Clone, PartialEq)]
pub enum AuthScheme<'m> {
    /// `@httpBearerAuth`.
    Bearer,
    /// `@httpBasicAuth`.
    Basic,
    /// `aws.auth#sigv4`.
    SigV4 {
        /// The signing name (`@sigv4(name)`).
        name: &'m str,
        /// `@unsignedPayload` on the operation.
        unsigned_payload: bool,
    },
    /// A scheme the runtime cannot sign with yet (`aws.auth#sigv4a`, ...),
    /// by its shape id: an operation left with only these fails before
    /// sending instead of going out unsigned.
    Unsupported(&'m str),
    /// `@httpApiKeyAuth`.
    ApiKey {
        /// The header or query parameter.
        name: &'m str,
        /// In the query string (else a header).
        in_query: bool,
        /// The scheme prefix of the header value (`Bearer`, ...).
        scheme: Option<&'m str>,
    },
}

/// The compliance cases of an operation that apply to clients of the
/// selected protocol.
#[derive(Debug, Default)]
pub struct OperationTests<'m> {
    /// `@httpRequestTests` that apply to clients.
    pub requests: Vec<&'m Node>,
    /// `@httpResponseTests` that apply to clients.
    pub responses: Vec<&'m Node>,
    /// `@eventStreamTests` that apply to clients.
    pub event_streams: Vec<&'m Node>,
    /// `@httpRequestTests` that apply to servers.
    pub server_requests: Vec<&'m Node>,
    /// `@httpResponseTests` that apply to servers.
    pub server_responses: Vec<&'m Node>,
    /// `@httpMalformedRequestTests` (servers only), unexpanded.
    pub malformed: Vec<&'m Node>,
    /// `@eventStreamTests` that apply to servers.
    pub server_event_streams: Vec<&'m Node>,
}
