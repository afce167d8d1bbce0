//! Random but valid Smithy models (IDL 2.0 text), for the invariant users
//! feel most: a model `tinsmith check` accepts generates a crate that
//! compiles without a warning.
//!
//! [`model`] turns a seed into one service in one of the protocols tinsmith
//! generates: structures, unions, lists, maps, enums, int enums and
//! constrained simple shapes nested in one another, recursion through
//! lists, operations with errors and (in the protocols that bind them)
//! HTTP bindings, event streams where the protocol carries them, and
//! documentation text that is hard to render. Names are drawn from pools
//! that collide on purpose: with Rust keywords, with the prelude's shape
//! names, with the names the generator adds (`Client`, `Builder`,
//! `<Operation>Error`, `Unknown`, `build`, `send`, ...), and with each
//! other once converted to Rust's cases.
//!
//! The same seed always gives the same model, so a failure is reproduced
//! by its seed alone. `tests/scripts/random-models.sh` generates and lints
//! a batch.

use std::collections::BTreeSet;
use std::fmt::Write as _;

/// A small deterministic generator (SplitMix64): no dependency, and the
/// same sequence on every platform.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x005E_ED0F_7135_3171)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// A number in `low..=high`.
    fn between(&mut self, low: i64, high: i64) -> i64 {
        low + (self.next() % (high - low + 1) as u64) as i64
    }

    /// True `percent` times in a hundred.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// One of `words`.
    fn word(&mut self, words: &[&'static str]) -> &'static str {
        words[self.below(words.len())]
    }
}

/// A protocol tinsmith generates clients for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
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
    /// `tinsmith.protocols#jsonRpc2`.
    JsonRpc2,
    /// `aws.protocols#restXml`.
    RestXml,
    /// `aws.protocols#awsQuery`.
    AwsQuery,
    /// `aws.protocols#ec2Query`.
    Ec2Query,
}

impl Protocol {
    /// Every protocol, in a fixed order.
    pub const ALL: [Protocol; 9] = [
        Protocol::RestJson1,
        Protocol::AwsJson1_0,
        Protocol::AwsJson1_1,
        Protocol::RpcV2Cbor,
        Protocol::RpcV2Json,
        Protocol::JsonRpc2,
        Protocol::RestXml,
        Protocol::AwsQuery,
        Protocol::Ec2Query,
    ];

    /// The protocol trait's shape id.
    pub fn trait_id(self) -> &'static str {
        match self {
            Protocol::RestJson1 => "aws.protocols#restJson1",
            Protocol::AwsJson1_0 => "aws.protocols#awsJson1_0",
            Protocol::AwsJson1_1 => "aws.protocols#awsJson1_1",
            Protocol::RpcV2Cbor => "smithy.protocols#rpcv2Cbor",
            Protocol::RpcV2Json => "smithy.protocols#rpcv2Json",
            Protocol::JsonRpc2 => "tinsmith.protocols#jsonRpc2",
            Protocol::RestXml => "aws.protocols#restXml",
            Protocol::AwsQuery => "aws.protocols#awsQuery",
            Protocol::Ec2Query => "aws.protocols#ec2Query",
        }
    }

    /// True when the protocol has document types.
    fn documents(self) -> bool {
        matches!(
            self,
            Protocol::RestJson1
                | Protocol::AwsJson1_0
                | Protocol::AwsJson1_1
                | Protocol::RpcV2Json
                | Protocol::JsonRpc2
        )
    }

    /// True when the protocol has unions and event streams (the query
    /// protocols have neither).
    fn unions_and_events(self) -> bool {
        !matches!(self, Protocol::AwsQuery | Protocol::Ec2Query)
    }

    /// True when members are bound to HTTP by `@http` traits.
    fn rest(self) -> bool {
        matches!(self, Protocol::RestJson1 | Protocol::RestXml)
    }

    /// True when `@xmlName` and friends mean something.
    fn xml(self) -> bool {
        matches!(
            self,
            Protocol::RestXml | Protocol::AwsQuery | Protocol::Ec2Query
        )
    }
}

/// What a shape is, as far as the traits a member may carry go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Category {
    /// A string (not an enum): `@length`, `@pattern`.
    Text,
    /// An integer of some width: `@range`.
    Whole,
    /// A float or big number: `@range`.
    Number,
    Boolean,
    /// `@length`.
    Blob,
    Timestamp,
    Document,
    /// A list or map: `@length`.
    Collection,
    Structure,
    Union,
    Enum,
    IntEnum,
}

/// A shape a member can target: its id as written, and what it is.
#[derive(Debug, Clone)]
struct Target {
    id: String,
    category: Category,
    /// A valid `@default` for it, if it can have a simple one.
    default: Option<String>,
    /// True when the target may travel in an HTTP header, query or label.
    bindable: bool,
}

fn prelude(name: &str, category: Category, default: Option<&str>) -> Target {
    Target {
        id: format!("smithy.api#{name}"),
        category,
        default: default.map(str::to_owned),
        bindable: matches!(
            category,
            Category::Text | Category::Whole | Category::Boolean
        ),
    }
}

/// Shape names: Rust's and the generator's. Not the prelude's: a service
/// whose closure holds two shapes of one name (`String` and
/// `smithy.api#String`) is invalid without a `rename`.
const SHAPE_NAMES: &[&str] = &[
    "Client",
    "Config",
    "Error",
    "Result",
    "Option",
    "Builder",
    "Unknown",
    "Type",
    "Box",
    "Vec",
    "Value",
    "DateTime",
    "Operation",
    "Request",
    "Response",
    "Status",
    "Types",
    "Server",
    "Router",
    "Events",
    "Stream",
    "ByteStream",
    "EventStream",
    "Unhandled",
    "Item",
    "Map",
    "List",
    "Sync",
    "Default",
    "Debug",
    "Clone",
    "Self_",
    "Crate",
    "Main",
    "Fn",
    "Future",
    "Pin",
    "Serialize",
    "Number",
    "ErrorKind",
    "SdkError",
    "Endpoint",
    "Credentials",
    "Metadata",
    "Detail",
    "Protocol",
];

/// Member names: keywords, generated method names, case collisions.
const MEMBER_NAMES: &[&str] = &[
    "type",
    "match",
    "self",
    "crate",
    "super",
    "async",
    "await",
    "dyn",
    "fn",
    "impl",
    "loop",
    "move",
    "ref",
    "return",
    "static",
    "struct",
    "trait",
    "unsafe",
    "use",
    "where",
    "while",
    "yield",
    "box",
    "try",
    "union",
    "macro",
    "abstract",
    "become",
    "final",
    "override",
    "priv",
    "typeof",
    "unsized",
    "virtual",
    "do",
    "gen",
    "builder",
    "build",
    "send",
    "value",
    "values",
    "as_str",
    "meta",
    "message",
    "code",
    "unknown",
    "customize",
    "config",
    "input",
    "output",
    "into_input",
    "err",
    "ok",
    "some",
    "none",
    "default",
    "clone",
    "fmt",
    "hash",
    "eq",
    "fooBar",
    "foo_bar",
    "x",
    "innerValue",
    "inner_value",
    "_underscore",
    "a1",
    "ABC",
    "aBc",
    "set_value",
    "with_value",
    "status",
    "kind",
    "stream",
    "body",
    "headers",
    "request_id",
    "len",
    "iter",
];

/// Operation names.
const OPERATION_NAMES: &[&str] = &[
    "Send",
    "Build",
    "Get",
    "List",
    "Customize",
    "Call",
    "Invoke",
    "New",
    "Into",
    "From",
    "Drop",
    "Paginate",
    "Presign",
    "WithConfig",
    "Ping",
    "Do",
    "Match",
    "Serve",
    "Handle",
    "Dispatch",
    "Route",
    "Config",
    "Client",
    "Status",
];

/// Error names.
const ERROR_NAMES: &[&str] = &[
    "Unhandled",
    "ThrottlingException",
    "ValidationException",
    "InternalFailure",
    "ServiceError",
    "Oops",
    "NotFound",
    "Conflict",
    "Error",
];

/// Enum member names.
const ENUM_NAMES: &[&str] = &[
    "UNKNOWN",
    "Unknown_",
    "SELF",
    "NONE",
    "TYPE",
    "A",
    "B_C",
    "V1",
    "V_1",
    "_X",
    "Default",
    "Some",
    "Ok",
    "Err",
    "lower",
    "camelCase",
    "SNAKE_CASE",
    "Value",
];

/// Enum values: odd text, unique by construction.
const ENUM_VALUES: &[&str] = &[
    "a",
    "A",
    "a b",
    "a-b",
    "1",
    "ü",
    "UNKNOWN",
    "unknown",
    "Self",
    "x:y",
    "a/b",
    "none",
    "%",
    "say \"hi\"",
    "back\\slash",
    "tab\tin",
    "日本",
    "-",
    "_",
    "a.b",
];

/// Documentation: Markdown, HTML, code, and characters that need care.
const DOCS: &[&str] = &[
    "Plain words.",
    "Has `code`, *emphasis* and a [link](https://example.com).",
    "A <b>tag</b>, an unclosed <p> and &amp; entities.",
    "Generic-looking Vec<T> and Option<String> text.",
    "```\nlet x = 1;\n```",
    "```rust\nfn main() { undefined() }\n```",
    "# A heading\n\n- a list\n- of items",
    "Brackets [like this] and [this][ref].",
    "Ends with a backslash \\",
    "Quotes \" and ''' and */ and /* and //!",
    "    indented like code",
    "Ünïcödé and emoji 🦀.",
    "",
];

/// Tracks the names a model has taken (case-insensitively, as Smithy
/// compares them).
#[derive(Default)]
struct Names(BTreeSet<String>);

impl Names {
    /// `name`, or `name` with a number when taken.
    fn claim(&mut self, name: &str) -> String {
        let mut candidate = name.to_owned();
        let mut n = 2;
        while !self.0.insert(candidate.to_lowercase()) {
            candidate = format!("{name}{n}");
            n += 1;
        }
        candidate
    }
}

/// A string literal of the IDL.
fn quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Documentation comment lines, indented by `indent` (none, some times).
fn docs(rng: &mut Rng, indent: &str) -> String {
    if !rng.chance(60) {
        return String::new();
    }
    let text = rng.word(DOCS);
    if text.is_empty() {
        return format!("{indent}///\n");
    }
    text.lines()
        .map(|line| format!("{indent}/// {line}\n"))
        .collect()
}

/// A model being written.
struct Model {
    rng: Rng,
    protocol: Protocol,
    names: Names,
    /// What members can target: the prelude's simple shapes, then the
    /// shapes defined so far.
    targets: Vec<Target>,
    /// Structures, usable as events.
    events: Vec<String>,
    text: String,
}

impl Model {
    fn shape_name(&mut self) -> String {
        let name = if self.rng.chance(70) {
            self.rng.word(SHAPE_NAMES)
        } else {
            "Thing"
        };
        self.names.claim(name)
    }

    /// A member target, never a structure or union when `simple`.
    fn target(&mut self, simple: bool) -> Target {
        loop {
            let target = self.rng.pick(&self.targets).clone();
            let nested = matches!(
                target.category,
                Category::Structure | Category::Union | Category::Collection | Category::Document
            );
            if !(simple && nested) {
                return target;
            }
        }
    }

    /// The traits and line of one member named `name` targeting `target`.
    /// `optional`: never `@required` or `@default` (union members).
    fn member(
        &mut self,
        name: &str,
        target: &Target,
        optional: bool,
        wire_names: &mut Names,
    ) -> String {
        let mut out = docs(&mut self.rng, "    ");
        let rng = &mut self.rng;
        let mut default = None;
        if !optional && rng.chance(30) {
            out.push_str("    @required\n");
        }
        if !optional && rng.chance(20) {
            default = target.default.clone();
        }
        // Constraints, except beside a default (which would have to meet
        // them).
        if default.is_none() && rng.chance(35) {
            match target.category {
                Category::Text | Category::Blob | Category::Collection => {
                    let min = rng.between(0, 3);
                    let max = min + rng.between(0, 20);
                    let _ = writeln!(out, "    @length(min: {min}, max: {max})");
                }
                Category::Whole | Category::Number => {
                    let min = rng.between(-100, 10);
                    let max = min + rng.between(0, 100);
                    let _ = writeln!(out, "    @range(min: {min}, max: {max})");
                }
                _ => {}
            }
        }
        if default.is_none() && target.category == Category::Text && rng.chance(20) {
            let pattern = rng.pick(&["^[a-z]+$", "^\\d{3}-x$", "^$|^a", ".*", "^[^\\s]*$"]);
            let _ = writeln!(out, "    @pattern({})", quoted(pattern));
        }
        if target.category == Category::Timestamp && rng.chance(50) {
            let format = rng.pick(&["epoch-seconds", "date-time", "http-date"]);
            let _ = writeln!(out, "    @timestampFormat({})", quoted(format));
        }
        if rng.chance(10) {
            out.push_str("    @deprecated\n");
        }
        if rng.chance(25) {
            let wire = wire_names.claim(&format!("wire-{}", name.to_lowercase()));
            match self.protocol {
                p if p.xml() => {
                    let wire = wire.replace('-', "_");
                    let _ = writeln!(out, "    @xmlName({})", quoted(&wire));
                }
                Protocol::RestJson1 => {
                    let _ = writeln!(out, "    @jsonName({})", quoted(&wire));
                }
                _ => {}
            }
        }
        match default {
            Some(value) => {
                let _ = writeln!(out, "    {name}: {} = {value}", target.id);
            }
            None => {
                let _ = writeln!(out, "    {name}: {}", target.id);
            }
        }
        out
    }

    /// Member names for `count` members, case-insensitively unique.
    fn member_names(&mut self, count: usize) -> Vec<String> {
        let mut names = Names::default();
        (0..count)
            .map(|_| {
                let name = self.rng.word(MEMBER_NAMES);
                names.claim(name)
            })
            .collect()
    }

    /// Members of a structure: `(lines)`.
    fn members(&mut self, count: usize, simple: bool) -> String {
        let mut out = String::new();
        let mut wire = Names::default();
        for name in self.member_names(count) {
            let target = self.target(simple);
            out.push_str(&self.member(&name, &target, false, &mut wire));
            out.push('\n');
        }
        out
    }

    fn add_target(&mut self, name: &str, category: Category, default: Option<String>) {
        self.targets.push(Target {
            id: name.to_owned(),
            category,
            default,
            bindable: false,
        });
    }

    /// One named shape of a random kind.
    fn shape(&mut self) {
        let name = self.shape_name();
        let mut out = docs(&mut self.rng, "");
        if self.rng.chance(10) {
            out.push_str("@sensitive\n");
        }
        let kinds = if self.protocol.unions_and_events() {
            8
        } else {
            7
        };
        match self.rng.below(kinds) {
            0 | 1 => {
                let count = self.rng.below(6);
                let members = self.members(count, false);
                let _ = write!(out, "structure {name} {{\n{members}");
                // Recursion, through a list of itself.
                let list = (self.rng.chance(25)).then(|| self.names.claim(&format!("{name}List")));
                if let Some(list) = &list {
                    let _ = writeln!(out, "    children: {list}");
                }
                out.push_str("}\n\n");
                if let Some(list) = list {
                    let _ = write!(out, "list {list} {{\n    member: {name}\n}}\n\n");
                    self.add_target(&list, Category::Collection, Some("[]".into()));
                }
                self.events.push(name.clone());
                self.add_target(&name, Category::Structure, None);
            }
            2 => {
                let target = self.target(false);
                let _ = write!(out, "list {name} {{\n    member: {}\n}}\n\n", target.id);
                self.add_target(&name, Category::Collection, Some("[]".into()));
            }
            3 => {
                let value = self.target(false);
                let _ = write!(
                    out,
                    "map {name} {{\n    key: smithy.api#String\n    value: {}\n}}\n\n",
                    value.id
                );
                self.add_target(&name, Category::Collection, Some("{}".into()));
            }
            4 => {
                let count = 1 + self.rng.below(5);
                let mut members = Names::default();
                let mut values = Names::default();
                let _ = writeln!(out, "enum {name} {{");
                let mut first = None;
                for _ in 0..count {
                    let member = members.claim(self.rng.word(ENUM_NAMES));
                    let value = values.claim(self.rng.word(ENUM_VALUES));
                    first.get_or_insert_with(|| quoted(&value));
                    out.push_str(&docs(&mut self.rng, "    "));
                    let _ = writeln!(out, "    @enumValue({})\n    {member}", quoted(&value));
                }
                out.push_str("}\n\n");
                self.add_target(&name, Category::Enum, first);
            }
            5 => {
                let count = 1 + self.rng.below(5);
                let mut members = Names::default();
                let _ = writeln!(out, "intEnum {name} {{");
                let start = self.rng.between(-3, 3);
                for i in 0..count {
                    let member = members.claim(self.rng.word(ENUM_NAMES));
                    let _ = writeln!(out, "    {member} = {}", start + i as i64 * 2);
                }
                out.push_str("}\n\n");
                self.add_target(&name, Category::IntEnum, Some(start.to_string()));
            }
            6 => {
                // A constrained simple shape.
                let (kind, category, constraint) = match self.rng.below(3) {
                    0 => ("string", Category::Text, "@length(min: 1, max: 64)"),
                    1 => ("integer", Category::Whole, "@range(min: 0, max: 1000)"),
                    _ => ("blob", Category::Blob, "@length(max: 1024)"),
                };
                let _ = write!(out, "{constraint}\n{kind} {name}\n\n");
                self.add_target(&name, category, None);
            }
            _ => {
                let count = 1 + self.rng.below(4);
                let mut wire = Names::default();
                let _ = writeln!(out, "union {name} {{");
                for member in self.member_names(count) {
                    let target = self.target(false);
                    out.push_str(&self.member(&member, &target, true, &mut wire));
                }
                out.push_str("}\n\n");
                self.add_target(&name, Category::Union, None);
            }
        }
        self.text.push_str(&out);
    }

    /// An error structure: its name.
    fn error(&mut self) -> String {
        let name = self.names.claim(self.rng.word(ERROR_NAMES));
        let client = self.rng.chance(60);
        let mut out = docs(&mut self.rng, "");
        let _ = writeln!(
            out,
            "@error({})",
            quoted(if client { "client" } else { "server" })
        );
        if self.protocol.rest() && self.rng.chance(60) {
            let status = if client {
                self.rng.between(400, 499)
            } else {
                self.rng.between(500, 599)
            };
            let _ = writeln!(out, "@httpError({status})");
        }
        let extra = self.rng.below(3);
        let members = self.members(extra, true);
        let message = if members.contains("message:") {
            ""
        } else {
            "    message: smithy.api#String\n"
        };
        let _ = write!(out, "structure {name} {{\n{message}{members}}}\n\n");
        self.text.push_str(&out);
        name
    }

    /// A streaming union of event structures (and maybe an error): its
    /// name, or `None` when no structure can be an event.
    fn event_stream(&mut self, errors: &[String]) -> Option<String> {
        if self.events.is_empty() || !self.protocol.unions_and_events() {
            return None;
        }
        let name = self.names.claim("Events");
        let mut out = format!("@streaming\nunion {name} {{\n");
        let mut members = Names::default();
        for _ in 0..1 + self.rng.below(3) {
            let event = self.rng.pick(&self.events).clone();
            let member = members.claim(self.rng.word(MEMBER_NAMES));
            let _ = writeln!(out, "    {member}: {event}");
        }
        if !errors.is_empty() && self.rng.chance(50) {
            let error = self.rng.pick(errors).clone();
            let member = members.claim("failure");
            let _ = writeln!(out, "    {member}: {error}");
        }
        out.push_str("}\n\n");
        self.text.push_str(&out);
        Some(name)
    }

    /// An operation: its name.
    fn operation(&mut self, index: usize, errors: &[String]) -> String {
        let name = loop {
            let name = self.names.claim(self.rng.word(OPERATION_NAMES));
            // Its input and output take these names.
            let (input, output) = (format!("{name}Input"), format!("{name}Output"));
            if !self.names.0.contains(&input.to_lowercase())
                && !self.names.0.contains(&output.to_lowercase())
            {
                self.names.claim(&input);
                self.names.claim(&output);
                break name;
            }
        };
        let rest = self.protocol.rest();
        let streams = self.rng.chance(30);
        let input_stream = streams.then(|| self.event_stream(errors)).flatten();
        let output_stream = (streams && self.rng.chance(70))
            .then(|| self.event_stream(errors))
            .flatten();
        let mut out = docs(&mut self.rng, "");
        // Inputs: body members, and in REST protocols bound ones.
        let mut input = String::new();
        let mut uri = format!("/{}{index}", name.to_lowercase());
        let mut wire = Names::default();
        let mut member_names = Names::default();
        let mut headers = Names::default();
        if rest && self.rng.chance(40) {
            let label = member_names.claim("id");
            let _ = write!(uri, "/{{{label}}}");
            let _ = writeln!(
                input,
                "    @required\n    @httpLabel\n    {label}: smithy.api#String\n"
            );
        }
        let body_count = if input_stream.is_some() && rest {
            0
        } else {
            self.rng.below(5)
        };
        for _ in 0..body_count + usize::from(rest) * self.rng.below(3) {
            let member = member_names.claim(self.rng.word(MEMBER_NAMES));
            let target = self.target(false);
            let bound = rest && target.bindable && self.rng.chance(50);
            if input_stream.is_some() && rest && !bound {
                continue;
            }
            if bound {
                if self.rng.chance(50) {
                    let header =
                        headers.claim(&format!("x-{}", member.to_lowercase().replace('_', "-")));
                    let _ = writeln!(input, "    @httpHeader({})", quoted(&header));
                } else {
                    let _ = writeln!(input, "    @httpQuery({})", quoted(&format!("q-{member}")));
                }
                let _ = writeln!(input, "    {member}: {}\n", target.id);
            } else {
                input.push_str(&self.member(&member, &target, false, &mut wire));
                input.push('\n');
            }
        }
        if let Some(stream) = &input_stream {
            let member = member_names.claim("events");
            let payload = if rest { "    @httpPayload\n" } else { "" };
            let _ = writeln!(input, "{payload}    {member}: {stream}");
        }
        // Outputs: body members (or only headers beside a REST stream).
        let mut output = String::new();
        let mut wire = Names::default();
        let mut member_names = Names::default();
        let mut headers = Names::default();
        for _ in 0..self.rng.below(5) {
            let member = member_names.claim(self.rng.word(MEMBER_NAMES));
            let target = self.target(false);
            let header = rest && target.bindable && self.rng.chance(30);
            if output_stream.is_some() && rest && !header {
                continue;
            }
            if header {
                let header =
                    headers.claim(&format!("x-{}", member.to_lowercase().replace('_', "-")));
                let _ = writeln!(
                    output,
                    "    @httpHeader({})\n    {member}: {}\n",
                    quoted(&header),
                    target.id
                );
            } else {
                output.push_str(&self.member(&member, &target, false, &mut wire));
                output.push('\n');
            }
        }
        if let Some(stream) = &output_stream {
            let member = member_names.claim("events");
            let payload = if rest { "    @httpPayload\n" } else { "" };
            let _ = writeln!(output, "{payload}    {member}: {stream}");
        }
        if rest {
            let _ = writeln!(out, "@http(method: \"POST\", uri: {})", quoted(&uri));
        }
        let _ = write!(
            out,
            "operation {name} {{\n    input := {{\n{input}    }}\n\n    output := {{\n{output}    }}\n"
        );
        let chosen: Vec<&String> = errors.iter().filter(|_| self.rng.chance(40)).collect();
        if !chosen.is_empty() {
            let list: Vec<&str> = chosen.iter().map(|e| e.as_str()).collect();
            let _ = writeln!(out, "    errors: [{}]", list.join(", "));
        }
        out.push_str("}\n\n");
        self.text.push_str(&out);
        name
    }
}

/// The model of `seed`: IDL 2.0 text of one service in `namespace`, in
/// the protocol the seed picks.
pub fn model(seed: u64, namespace: &str) -> String {
    let mut rng = Rng::new(seed);
    let protocol = *rng.pick(&Protocol::ALL);
    let mut targets = vec![
        prelude("String", Category::Text, Some("\"\"")),
        prelude("Integer", Category::Whole, Some("0")),
        prelude("Long", Category::Whole, Some("7")),
        prelude("Short", Category::Whole, Some("0")),
        prelude("Byte", Category::Whole, Some("1")),
        prelude("Boolean", Category::Boolean, Some("true")),
        prelude("Float", Category::Number, Some("0")),
        prelude("Double", Category::Number, Some("1.5")),
        prelude("BigInteger", Category::Number, None),
        prelude("BigDecimal", Category::Number, None),
        prelude("Blob", Category::Blob, Some("\"\"")),
        prelude("Timestamp", Category::Timestamp, None),
    ];
    if protocol.documents() {
        targets.push(prelude("Document", Category::Document, None));
    }
    let mut model = Model {
        rng,
        protocol,
        names: Names::default(),
        targets,
        events: Vec::new(),
        text: String::new(),
    };
    let service = model.names.claim("Service");
    for _ in 0..4 + model.rng.below(20) {
        model.shape();
    }
    let errors: Vec<String> = (0..model.rng.below(4)).map(|_| model.error()).collect();
    let operations: Vec<String> = (0..1 + model.rng.below(6))
        .map(|i| model.operation(i, &errors))
        .collect();
    let mut head = format!(
        "$version: \"2\"\n\n// A random model (seed {seed}, {}): see tests/random-models.\n\nnamespace {namespace}\n\n",
        protocol.trait_id()
    );
    let trait_args = match protocol {
        Protocol::JsonRpc2 => "(path: \"/rpc\", methodPrefix: \"svc/\")",
        _ => "",
    };
    let _ = writeln!(head, "@{}{trait_args}", protocol.trait_id());
    if matches!(
        protocol,
        Protocol::AwsQuery | Protocol::Ec2Query | Protocol::RestXml
    ) {
        let _ = writeln!(
            head,
            "@xmlNamespace(uri: \"https://example.com/{namespace}\")"
        );
    }
    let common = errors
        .iter()
        .filter(|_| model.rng.chance(30))
        .map(String::as_str)
        .collect::<Vec<_>>();
    let _ = write!(
        head,
        "service {service} {{\n    version: \"2026-12-06\"\n    operations: [{}]\n",
        operations.join(", ")
    );
    if !common.is_empty() {
        let _ = writeln!(head, "    errors: [{}]", common.join(", "));
    }
    head.push_str("}\n\n");
    head + &model.text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seed_always_gives_the_same_model() {
        assert_eq!(model(7, "random.m7"), model(7, "random.m7"));
        assert_ne!(model(7, "random.m7"), model(8, "random.m7"));
    }

    #[test]
    fn quoted_text_escapes_what_the_idl_must() {
        assert_eq!(quoted("a\"b\\c\nd"), "\"a\\\"b\\\\c\\nd\"");
    }
}
