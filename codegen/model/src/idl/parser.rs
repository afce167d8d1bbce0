//! Statement-by-statement parsing with error recovery.
//!
//! The driver alternates between skipping trivia (spaces, line breaks,
//! commas, comments; `///` comments are kept as pending documentation) and
//! parsing one statement with the pest grammar. On a syntax error it reports
//! it, skips to the next line that starts a top-level statement in column 1,
//! and carries on, so one run reports every broken statement.

use pest::Parser as _;
use pest::error::InputLocation;
use pest::iterators::Pair;

use super::grammar::{Rule, SmithyParser};
use super::tree::TreeBuilder;
use crate::diagnostics::{Code, Diagnostic};
use crate::loader::builtin::Namespaces;
use crate::loader::raw::{RawFile, Version};
use crate::source::{FileId, Span};

/// Maximum nesting of `[`, `{` and `(` in one file. Deeper input is
/// rejected before parsing so the recursive parser cannot overflow its stack.
pub const MAX_NESTING: usize = 64;

/// Parses one IDL file. Problems are pushed to `diags`; whatever could be
/// parsed is returned.
pub fn parse(file: FileId, text: &str, diags: &mut Vec<Diagnostic>) -> RawFile {
    let mut out = parse_statements(file, text, diags);
    // A file can name a bundled namespace with `namespace` or `use` and
    // then refer to its shapes by relative ids: what it names is every
    // namespace whose name it holds. A string can also spell one with
    // escapes (`\u002E`, or a line broken by a backslash), which a search
    // of the text cannot see: such a file names them all.
    let escapes: [&[u8]; 3] = [b"\\u", b"\\\n", b"\\\r"];
    if escapes
        .iter()
        .any(|escape| memchr::memmem::find(text.as_bytes(), escape).is_some())
    {
        out.names = Namespaces::ALL;
    } else {
        out.names.add_mentioned(text);
    }
    out
}

fn parse_statements(file: FileId, text: &str, diags: &mut Vec<Diagnostic>) -> RawFile {
    let mut driver = Driver {
        file,
        text,
        pos: 0,
        docs: Vec::new(),
        phase: Phase::Control,
        tree: TreeBuilder::new(file, text),
        seen_control: Vec::new(),
    };
    if let Some(offset) = too_deep(text) {
        diags.push(
            Diagnostic::error(
                Code::NestingTooDeep,
                Span::new(file, offset..offset + 1),
                format!("values are nested more than {MAX_NESTING} levels deep"),
            )
            .with_label("nesting limit exceeded here"),
        );
        return driver.tree.finish(Version::V2);
    }
    driver.run(diags);
    let version = driver.tree.version;
    driver.tree.finish(version)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Phase {
    Control,
    Metadata,
    Uses,
    Shapes,
}

struct Driver<'a> {
    file: FileId,
    text: &'a str,
    pos: usize,
    docs: Vec<(String, Span)>,
    phase: Phase,
    tree: TreeBuilder<'a>,
    seen_control: Vec<String>,
}

impl<'a> Driver<'a> {
    fn run(&mut self, diags: &mut Vec<Diagnostic>) {
        loop {
            self.skip_trivia();
            if self.pos >= self.text.len() {
                break;
            }
            let rest = &self.text[self.pos..];
            match SmithyParser::parse(Rule::statement, rest) {
                Ok(mut pairs) => {
                    let statement = pairs.next().expect("statement rule yields one pair");
                    let consumed = statement.as_span().end();
                    let inner = statement.into_inner().next().expect("statement has a body");
                    let start = self.pos;
                    self.tree.offset = start;
                    self.statement(inner, diags);
                    self.docs.clear();
                    // Guard against a zero-length match, which would loop forever.
                    self.pos = start + consumed.max(1);
                }
                Err(err) => {
                    // Tracking what pest expected is slow, so it is only
                    // switched on to re-parse a statement that failed.
                    pest::set_error_detail(true);
                    let err = SmithyParser::parse(Rule::statement, rest)
                        .err()
                        .unwrap_or(err);
                    pest::set_error_detail(false);
                    diags.push(self.syntax_error(&err));
                    self.docs.clear();
                    let at = (self.pos + error_offset(&err)).min(self.text.len());
                    if self.unclosed_literal(at).is_some() {
                        // Everything after an unclosed literal is inside it.
                        self.pos = self.text.len();
                    } else {
                        self.recover(&err);
                    }
                }
            }
        }
    }

    fn statement(&mut self, pair: Pair<'a, Rule>, diags: &mut Vec<Diagnostic>) {
        let span = self.span_of(&pair);
        let rule = pair.as_rule();
        let phase = match rule {
            Rule::control_statement => Phase::Control,
            Rule::metadata_statement => Phase::Metadata,
            Rule::namespace_statement | Rule::use_statement => Phase::Uses,
            _ => Phase::Shapes,
        };
        let misplaced = match rule {
            Rule::control_statement if self.phase > Phase::Control => {
                Some("control statements must come before every other statement")
            }
            Rule::metadata_statement if self.phase > Phase::Metadata => {
                Some("metadata statements must come before the namespace statement")
            }
            Rule::namespace_statement if self.tree.namespace.is_some() => {
                Some("a file can have only one namespace statement")
            }
            Rule::namespace_statement if self.phase > Phase::Uses => {
                Some("the namespace statement must come before shapes")
            }
            Rule::use_statement if self.tree.namespace.is_none() => {
                Some("expected a namespace statement before `use`")
            }
            Rule::use_statement if self.phase > Phase::Uses => {
                Some("`use` statements must come before shapes and `apply` statements")
            }
            Rule::shape_statement | Rule::apply_statement if self.tree.namespace.is_none() => {
                Some("expected a namespace statement before shapes")
            }
            _ => None,
        };
        if let Some(message) = misplaced {
            diags.push(
                Diagnostic::error(
                    Code::StatementOrder,
                    span.with_len(keyword_len(pair.as_str())),
                    message,
                )
                .with_label("statement out of order"),
            );
            return;
        }
        self.phase = self.phase.max(phase);
        match rule {
            Rule::control_statement => self.control(pair, diags),
            Rule::metadata_statement => self.tree.metadata(pair, diags),
            Rule::namespace_statement => {
                self.tree.namespace = pair.into_inner().next().map(|p| p.as_str().to_owned());
            }
            Rule::use_statement => self.tree.use_statement(pair, diags),
            Rule::apply_statement => self.tree.apply(pair, diags),
            Rule::shape_statement => {
                let docs = std::mem::take(&mut self.docs);
                self.tree.shape_statement(pair, docs, diags);
            }
            _ => unreachable!("statement alternatives are exhaustive"),
        }
    }

    fn control(&mut self, pair: Pair<'a, Rule>, diags: &mut Vec<Diagnostic>) {
        let mut inner = pair.into_inner();
        let key_pair = inner.next().expect("control key");
        let key = self.tree.object_key(&key_pair, diags);
        let value = inner.next().expect("control value");
        let value_span = self.span_of(&value);
        if self.seen_control.contains(&key) {
            diags.push(
                Diagnostic::error(
                    Code::ControlStatement,
                    value_span,
                    format!("duplicate control statement `{key}`"),
                )
                .with_label("set again here"),
            );
            return;
        }
        self.seen_control.push(key.clone());
        let string_value = (value.as_rule() == Rule::quoted_text)
            .then(|| self.tree.string_value(&value, diags))
            .flatten();
        match key.as_str() {
            "version" => match string_value.as_deref() {
                Some("1" | "1.0") => self.tree.version = Version::V1,
                Some("2" | "2.0") => self.tree.version = Version::V2,
                Some(other) => diags.push(
                    Diagnostic::error(
                        Code::Version,
                        value_span,
                        format!("unsupported Smithy version `{other}`"),
                    )
                    .with_label("expected \"1.0\" or \"2.0\""),
                ),
                None => diags.push(
                    Diagnostic::error(
                        Code::Version,
                        value_span,
                        format!(
                            "the $version control statement needs a string value, found `{}`",
                            value.as_str()
                        ),
                    )
                    .with_label("write \"2.0\""),
                ),
            },
            "operationInputSuffix" | "operationOutputSuffix" => match string_value {
                Some(suffix) if crate::model::is_identifier(&format!("A{suffix}")) => {
                    if key == "operationInputSuffix" {
                        self.tree.input_suffix = suffix;
                    } else {
                        self.tree.output_suffix = suffix;
                    }
                }
                _ => diags.push(Diagnostic::error(
                    Code::ControlStatement,
                    value_span,
                    format!("`${key}` must be a string of identifier characters"),
                )),
            },
            _ => diags.push(Diagnostic::warning(
                Code::ControlStatement,
                self.span_of(&key_pair),
                format!("unknown control statement `${key}` is ignored"),
            )),
        }
    }

    /// Skips spaces, line breaks, commas and comments, keeping `///` lines
    /// as pending documentation.
    fn skip_trivia(&mut self) {
        let bytes = self.text.as_bytes();
        while self.pos < bytes.len() {
            match bytes[self.pos] {
                b' ' | b'\t' | b'\r' | b'\n' | b',' => self.pos += 1,
                b'/' if bytes.get(self.pos + 1) == Some(&b'/') => {
                    let end = self.text[self.pos..]
                        .find('\n')
                        .map_or(self.text.len(), |i| self.pos + i);
                    let line = &self.text[self.pos..end];
                    if let Some(doc) = line.strip_prefix("///") {
                        let doc = doc.strip_suffix('\r').unwrap_or(doc);
                        self.docs
                            .push((doc.to_owned(), Span::new(self.file, self.pos..end)));
                    } else {
                        // A plain comment between doc comments and a shape
                        // does not break the documentation.
                    }
                    self.pos = end;
                }
                _ => break,
            }
        }
    }

    /// After a syntax error, moves to the next line that starts with
    /// something that can begin a top-level statement.
    fn recover(&mut self, err: &pest::error::Error<Rule>) {
        let failed_at = self.pos + error_offset(err);
        let mut line_start = match self.text[failed_at.min(self.text.len())..].find('\n') {
            Some(i) => failed_at + i + 1,
            None => self.text.len(),
        };
        while line_start < self.text.len() {
            let line = &self.text[line_start..];
            let starts_statement = line
                .as_bytes()
                .first()
                .is_some_and(|b| b.is_ascii_alphabetic() || matches!(b, b'@' | b'$'));
            if starts_statement {
                break;
            }
            line_start = match line.find('\n') {
                Some(i) => line_start + i + 1,
                None => self.text.len(),
            };
        }
        self.pos = line_start.max(self.pos + 1).min(self.text.len());
    }

    fn syntax_error(&self, err: &pest::error::Error<Rule>) -> Diagnostic {
        let mut at = (self.pos + error_offset(err)).min(self.text.len());
        // A failure inside a word (`stringFoo`, `usecom`) is about the whole word.
        let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
        let bytes = self.text.as_bytes();
        if at < bytes.len() && is_word(bytes[at]) {
            while at > self.pos && is_word(bytes[at - 1]) {
                at -= 1;
            }
        }
        if let Some(d) = self.unclosed_literal(at) {
            return d;
        }
        if self.tree.namespace.is_none() && self.text[self.pos..].starts_with('@') {
            let end = self.pos + 1;
            return Diagnostic::error(
                Code::StatementOrder,
                Span::new(self.file, self.pos..end),
                "traits can only be applied to shapes, after the namespace statement",
            )
            .with_label("expected a namespace statement before this");
        }
        let found = describe_found(&self.text[at..]);
        let expected = if at == self.pos {
            // Nothing of the statement matched: name what may start one.
            let mut what = vec!["a shape definition", "`apply`"];
            if self.tree.namespace.is_none() {
                what.extend(["`namespace`", "`metadata`"]);
            } else if self.phase <= Phase::Uses {
                what.push("`use`");
            }
            join_alternatives(what.into_iter().map(str::to_owned).collect())
        } else {
            expected_list(err)
        };
        let message = if expected.is_empty() {
            format!("unexpected {found}")
        } else {
            format!("expected {expected}, found {found}")
        };
        let end = (at + self.text[at..].chars().next().map_or(0, char::len_utf8)).max(at);
        Diagnostic::error(Code::Syntax, Span::new(self.file, at..end), message).with_label(
            match expected.is_empty() {
                true => "unexpected here".to_owned(),
                false => format!("expected {expected}"),
            },
        )
    }

    /// A string or text block opened at `at` that never closes: reported at
    /// the end of the file, where the parser actually ran out.
    fn unclosed_literal(&self, at: usize) -> Option<Diagnostic> {
        let rest = &self.text[at..];
        let (delim, what) = if rest.starts_with("\"\"\"") {
            ("\"\"\"", "text block")
        } else if rest.starts_with('"') {
            ("\"", "string")
        } else {
            return None;
        };
        let body = &rest[delim.len()..];
        let mut i = 0;
        let bytes = body.as_bytes();
        while i < bytes.len() {
            if bytes[i] == b'\\' {
                i += 2;
                continue;
            }
            // Compare bytes: `i` may sit inside a multi-byte character.
            if bytes[i..].starts_with(delim.as_bytes()) {
                return None;
            }
            i += 1;
        }
        let end = self.text.len();
        Some(
            Diagnostic::error(
                Code::Syntax,
                Span::new(self.file, end..end),
                format!("unclosed {what}: expected `{delim}`, found the end of the file"),
            )
            .with_label(format!("the {what} is still open here"))
            .with_secondary(
                Span::new(self.file, at..at + delim.len()),
                format!("{what} starts here"),
            ),
        )
    }

    fn span_of(&self, pair: &Pair<'_, Rule>) -> Span {
        let s = pair.as_span();
        Span::new(self.file, self.pos + s.start()..self.pos + s.end())
    }
}

trait WithLen {
    fn with_len(self, len: usize) -> Self;
}

impl WithLen for Span {
    fn with_len(self, len: usize) -> Span {
        Span {
            end: (self.start + len as u32).min(self.end),
            ..self
        }
    }
}

fn keyword_len(statement: &str) -> usize {
    statement
        .find(|c: char| c.is_whitespace())
        .unwrap_or(statement.len())
}

fn error_offset(err: &pest::error::Error<Rule>) -> usize {
    let located = match err.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((p, _)) => p,
    };
    // pest locates errors at the last *rule* it tried; with error detail on,
    // its parse attempts also know the furthest literal token it expected.
    err.parse_attempts()
        .map_or(located, |a| a.max_position.max(located))
}

/// Describes what stands at the error position, e.g. "`{`", "a line break",
/// "the identifier `with`", "the end of the file".
fn describe_found(rest: &str) -> String {
    let Some(c) = rest.chars().next() else {
        return "the end of the file".into();
    };
    match c {
        '\n' | '\r' => "a line break".into(),
        ' ' | '\t' => "whitespace".into(),
        c if c.is_ascii_alphabetic() || c == '_' => {
            let word: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            format!("`{word}`")
        }
        '/' if rest.starts_with("//") => "a comment".into(),
        '"' if rest.starts_with("\"\"\"") => "a text block".into(),
        '"' => "a string".into(),
        c => format!("`{c}`"),
    }
}

/// The tokens and rules pest tried at the failure position, in words.
fn expected_list(err: &pest::error::Error<Rule>) -> String {
    let mut items: Vec<String> = Vec::new();
    let mut push = |s: String| {
        if !items.contains(&s) {
            items.push(s);
        }
    };
    if let Some(attempts) = err.parse_attempts() {
        for token in attempts.expected_tokens() {
            // `ParsingToken` is not exported; its Display is the literal
            // text, or `a..z` for ranges, or BUILTIN_RULE.
            let token = token.to_string();
            let is_range = token.chars().count() == 4 && token.get(1..3) == Some("..");
            match token.as_str() {
                _ if is_range => {}
                "BUILTIN_RULE" | "E" | "," | "//" | "///" => {}
                "\n" | "\r\n" => push("a line break".into()),
                "_" => push("an identifier".into()),
                "0" | "-" => push("a number".into()),
                "\"" => push("a string".into()),
                "\"\"\"" => push("a text block".into()),
                " " | "\t" => push("a space".into()),
                t => push(format!("`{t}`")),
            }
        }
    }
    if let pest::error::ErrorVariant::ParsingError { positives, .. } = &err.variant {
        for rule in positives {
            if let Some(name) = rule_description(*rule) {
                push(name.to_owned());
            }
        }
    }
    items.truncate(8);
    join_alternatives(items)
}

/// "X", "X or Y", "one of X, Y, or Z".
fn join_alternatives(mut items: Vec<String>) -> String {
    match items.len() {
        0 => String::new(),
        1 => items.remove(0),
        2 => format!("{} or {}", items[0], items[1]),
        _ => {
            let last = items.pop().unwrap_or_default();
            format!("one of {}, or {last}", items.join(", "))
        }
    }
}

fn rule_description(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::identifier => "an identifier",
        Rule::namespace => "a namespace",
        Rule::shape_id => "a shape id",
        Rule::number => "a number",
        Rule::quoted_text => "a string",
        Rule::text_block => "a text block",
        Rule::node_keyword => "`true`, `false` or `null`",
        Rule::simple_type_name
        | Rule::enum_type_name
        | Rule::aggregate_type_name
        | Rule::entity_type_name
        | Rule::operation_type_name => "a shape type",
        Rule::trait_application => "a trait",
        Rule::statement_end => "a line break",
        _ => return None,
    })
}

/// Finds the first place where brackets nest deeper than [`MAX_NESTING`],
/// ignoring brackets inside strings and comments.
fn too_deep(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let (mut depth, mut i) = (0usize, 0usize);
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'[' | b'{' | b'(' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(i);
                }
            }
            b']' | b'}' | b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    None
}
