//! The server side of a plan: what a generated server adds to the client's
//! plan (the trait's name, each method's error enum), and the check that
//! the generator can serve the service in its protocol.

use super::{Constraints, Plan, ProtocolKind, Server, Subject, TypeDef};
use crate::rust::GenerateError;
use crate::rust::codec::Needs;
use crate::rust::names::{self, Claim, Namespace};

impl Plan<'_> {
    /// Adds the server side ([`Plan::server`]). Fails, naming the shape,
    /// for what generated servers cannot serve yet: a protocol other than
    /// awsJson1_0, awsJson1_1, rpcv2Cbor, rpcv2Json, jsonRpc2 and
    /// restJson1, streamed blobs outside restJson1, and event streams in
    /// jsonRpc2.
    pub fn add_server(&mut self) -> Result<(), GenerateError> {
        let Subject::Service(service) = &self.subject else {
            // A crate of types has nothing to serve.
            return Ok(());
        };
        if !matches!(
            service.protocol,
            ProtocolKind::AwsJson1_0
                | ProtocolKind::AwsJson1_1
                | ProtocolKind::RpcV2Cbor
                | ProtocolKind::RpcV2Json
                | ProtocolKind::JsonRpc2
                | ProtocolKind::RestJson1
        ) {
            return Err(GenerateError::Unsupported {
                shape: service.id.clone(),
                reason: format!(
                    "servers are generated for awsJson1_0, awsJson1_1, rpcv2Cbor, rpcv2Json, \
                     jsonRpc2 and restJson1; this service speaks {}",
                    service.protocol.trait_id()
                ),
            });
        }
        // The router matches the path literally: no route parameters.
        if service.protocol == ProtocolKind::JsonRpc2
            && service.json_rpc.path.contains(['{', '}', '*', ':'])
        {
            return Err(GenerateError::Unsupported {
                shape: service.id.clone(),
                reason: format!(
                    "the jsonRpc2 path `{}` has characters a server cannot route by ({{, }}, *, :)",
                    service.json_rpc.path
                ),
            });
        }
        for op in &self.operations {
            // A REST server routes by `@http`, which restJson1 requires.
            if service.protocol == ProtocolKind::RestJson1 && op.http.is_none() {
                return Err(GenerateError::Unsupported {
                    shape: op.id.clone(),
                    reason: String::from(
                        "a restJson1 server routes operations by their `@http` trait, which this operation lacks",
                    ),
                });
            }
            let stream = self
                .streaming_input(op)
                .or_else(|| self.streaming_output(op));
            // restJson1 servers stream blobs and events, the RPC protocols
            // events (their clients refuse streamed blobs before this).
            if let Some(member) = stream
                && matches!(member.kind, super::MemberKind::ByteStream { .. })
                && service.protocol != ProtocolKind::RestJson1
            {
                return Err(GenerateError::Unsupported {
                    shape: member.id.clone(),
                    reason: String::from(
                        "generated servers stream blobs in restJson1 only, not in this protocol yet",
                    ),
                });
            }
        }
        for ty in &mut self.types {
            if let TypeDef::Union(union) = ty
                && let Some(stream) = &mut union.stream
            {
                stream.served = true;
            }
        }
        self.check_patterns()?;
        let mut module = Namespace::new(names::RESERVED_TYPES);
        for reserved in names::SERVER_MODULE_IMPORTS {
            module.claim(Claim::derived("", (*reserved).to_owned()));
        }
        let handler = module.claim(Claim::model("", names::camel(service.name)));
        let error_enums = module.claim_all(
            self.operations
                .iter()
                .enumerate()
                .map(|(i, op)| Claim::derived(i, format!("{}Error", names::camel(op.name)))),
        );
        self.server = Some(Server {
            handler: names::ident(&handler),
            error_enums: error_enums.values().map(|n| names::ident(n)).collect(),
        });
        Ok(())
    }
}

impl Plan<'_> {
    /// Every `@pattern` a request can carry compiles with the regular
    /// expressions servers check it with (fancy-regex: ECMA 262 with
    /// look-around, backreferences and Unicode classes); otherwise an error
    /// naming the member, since a pattern the server cannot run would
    /// check nothing.
    fn check_patterns(&self) -> Result<(), GenerateError> {
        fn patterns<'c>(c: &'c Constraints, out: &mut Vec<&'c str>) {
            out.extend(c.pattern.as_deref());
            for inner in [&c.items, &c.keys].into_iter().flatten() {
                patterns(inner, out);
            }
        }
        let mut needs = Needs::default();
        for op in &self.operations {
            if let Some(input) = op.input {
                needs.add_strict_de(self, input);
            }
        }
        for id in &needs.strict_de {
            let members: Vec<(&crate::model::ShapeId, &Constraints)> = match self.get(id) {
                TypeDef::Structure(s) => s.members.iter().map(|m| (m.id, &m.constraints)).collect(),
                TypeDef::Union(u) => u.variants.iter().map(|v| (v.id, &v.constraints)).collect(),
                _ => Vec::new(),
            };
            for (member, constraints) in members {
                let mut found = Vec::new();
                patterns(constraints, &mut found);
                for pattern in found {
                    if let Err(e) = crate::rust::pattern::for_engine(pattern) {
                        return Err(GenerateError::Unsupported {
                            shape: member.clone(),
                            reason: format!(
                                "servers check `@pattern` with fancy-regex, which cannot compile `{pattern}`: {e}"
                            ),
                        });
                    }
                }
            }
        }
        Ok(())
    }
}
