//! Diagnostics: stable codes, severities, labels, and their two renderings.
//!
//! The loader and validators never stop at the first problem: they push
//! [`Diagnostic`]s into a list and carry on. Rendering is separate: the human
//! form is rustc-style (file:line:col, the source line, a caret and a label,
//! via `codespan-reporting`); the short form is one line per diagnostic,
//! `PATH:LINE:COL: error[CODE]: MESSAGE`, which scripts parse.

use std::fmt::Write as _;
use std::ops::Range;

use codespan_reporting::diagnostic as cr;
use codespan_reporting::files;
use codespan_reporting::term;

use crate::source::{FileId, SourceMap, Span};

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Worth knowing; never fails a load.
    Warning,
    /// The model is invalid.
    Error,
}

macro_rules! codes {
    ($($variant:ident = $code:literal : $doc:literal,)*) => {
        /// Stable diagnostic codes. The code text (e.g. `E0001`) never changes
        /// meaning once released; new problems get new codes.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code {
            $(#[doc = $doc] $variant,)*
        }

        impl Code {
            /// The code's text, e.g. `E0001`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code,)* }
            }

            /// A one-line explanation of the code.
            pub fn description(self) -> &'static str {
                match self { $(Code::$variant => $doc,)* }
            }

            /// Every code, in numeric order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];
        }
    };
}

codes! {
    Syntax = "E0001": "IDL syntax error",
    InvalidString = "E0002": "invalid escape or text block in a string",
    InvalidNumber = "E0003": "invalid number literal",
    StatementOrder = "E0004": "statement in the wrong place (control, metadata, namespace, use, shapes)",
    Version = "E0005": "unsupported or misused `$version`, or a feature the file's version lacks",
    ControlStatement = "E0006": "invalid or duplicate control statement",
    NestingTooDeep = "E0007": "node values nested too deeply",
    Json = "E0008": "invalid JSON, or JSON that is not a Smithy JSON AST",
    Io = "E0009": "a file could not be read",
    UnresolvedShape = "E0100": "a shape id does not resolve to a shape",
    UseConflict = "E0101": "`use` statements or shape names conflict",
    DuplicateShape = "E0102": "a shape is defined twice with different definitions",
    DuplicateMember = "E0103": "member names are not unique (case-insensitively)",
    InvalidMemberTarget = "E0104": "a member targets a shape of the wrong kind",
    MixinConflict = "E0105": "mixins are misused or a member conflicts with an inherited one",
    ElidedMember = "E0106": "an elided member target cannot be resolved",
    ApplyTarget = "E0107": "`apply` names a shape or member that does not exist",
    TraitConflict = "E0108": "a trait is applied twice with different values",
    MetadataConflict = "E0109": "metadata keys conflict across files",
    MissingMember = "E0110": "a list or map lacks a required member",
    InvalidShape = "E0111": "a shape's definition is invalid for its type",
    UnknownTrait = "E0200": "a trait is applied but never defined",
    TraitValue = "E0201": "a trait value does not match the trait's shape",
    TraitTarget = "E0202": "a trait is applied to a shape its selector does not allow",
    InvalidDefault = "E0203": "a `@default` value does not match its target",
    InvalidEnum = "E0204": "enum or intEnum values are missing, duplicated or of the wrong type",
    EventStream = "E0205": "an event stream breaks the streaming rules",
    OperationError = "E0206": "an operation or service error is not an `@error` structure",
    InvalidIdRef = "E0207": "a shape id in a trait value does not resolve",
    Recursion = "E0208": "a recursive shape can never be given a value, or recurses through lists and maps alone",
    Paginated = "E0209": "a `@paginated` trait names members that do not exist or do not fit",
}

/// A secondary location with a note.
#[derive(Debug, Clone)]
pub struct Label {
    /// Where.
    pub span: Span,
    /// What to say there.
    pub message: String,
}

/// One problem found while loading or validating a model.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// The stable code.
    pub code: Code,
    /// Error or warning.
    pub severity: Severity,
    /// The message, one sentence, no trailing period.
    pub message: String,
    /// The primary location, when there is one.
    pub span: Option<Span>,
    /// The text shown under the caret of the primary location.
    pub label: Option<String>,
    /// Secondary locations.
    pub labels: Vec<Label>,
    /// Free-form notes shown after the source snippet.
    pub notes: Vec<String>,
}

impl Diagnostic {
    /// A new error.
    pub fn error(code: Code, span: impl Into<Option<Span>>, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: Severity::Error,
            message: message.into(),
            span: span.into(),
            label: None,
            labels: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// A new warning.
    pub fn warning(code: Code, span: impl Into<Option<Span>>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, span, message)
        }
    }

    /// Sets the text under the primary caret.
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Adds a secondary location.
    pub fn with_secondary(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    /// Adds a note.
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// How to print diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// rustc-style, with source snippets.
    #[default]
    Human,
    /// `PATH:LINE:COL: error[CODE]: MESSAGE`, one per line.
    Short,
}

/// Sorts diagnostics by file, position, code and text, so output is
/// deterministic whatever order they were found in.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        let key = |d: &Diagnostic| d.span.map(|s| (s.file, s.start, s.end));
        key(a)
            .cmp(&key(b))
            .then_with(|| a.code.as_str().cmp(b.code.as_str()))
            .then_with(|| a.message.cmp(&b.message))
            .then_with(|| a.label.cmp(&b.label))
            .then_with(|| a.notes.cmp(&b.notes))
    });
}

/// Renders diagnostics in the given format. `color` adds ANSI colours (human form).
pub fn render(
    sources: &SourceMap,
    diagnostics: &[Diagnostic],
    format: Format,
    color: bool,
) -> String {
    match format {
        Format::Short => diagnostics
            .iter()
            .map(|d| render_short(sources, d) + "\n")
            .collect(),
        Format::Human => render_human(sources, diagnostics, color),
    }
}

/// One diagnostic as `PATH:LINE:COL: error[CODE]: MESSAGE`.
pub fn render_short(sources: &SourceMap, d: &Diagnostic) -> String {
    let severity = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut out = String::new();
    if let Some(span) = d.span {
        let (line, col) = sources.line_col(span);
        let _ = write!(out, "{}:{line}:{col}: ", sources.get(span.file).name);
    }
    let _ = write!(
        out,
        "{severity}[{}]: {}",
        d.code.as_str(),
        d.message.replace('\n', " ")
    );
    out
}

fn render_human(sources: &SourceMap, diagnostics: &[Diagnostic], color: bool) -> String {
    let files = Files(sources);
    let config = term::Config::default();
    let mut buffer = if color {
        term::termcolor::Buffer::ansi()
    } else {
        term::termcolor::Buffer::no_color()
    };
    for d in diagnostics {
        let mut out = match d.severity {
            Severity::Error => cr::Diagnostic::error(),
            Severity::Warning => cr::Diagnostic::warning(),
        }
        .with_code(d.code.as_str())
        .with_message(&d.message)
        .with_notes(d.notes.clone());
        let mut labels = Vec::new();
        if let Some(span) = d.span {
            labels.push(
                cr::Label::primary(span.file, span.range())
                    .with_message(d.label.clone().unwrap_or_default()),
            );
        }
        for label in &d.labels {
            labels.push(
                cr::Label::secondary(label.span.file, label.span.range())
                    .with_message(&label.message),
            );
        }
        out = out.with_labels(labels);
        // Rendering into a memory buffer only fails on a bad span; fall back
        // to the short form rather than lose the diagnostic.
        if term::emit(&mut buffer, &config, &files, &out).is_err() {
            let _ = writeln!(WriteBuf(&mut buffer), "{}", render_short(sources, d));
        }
    }
    String::from_utf8_lossy(buffer.as_slice()).into_owned()
}

/// A load's files as codespan-reporting reads them. A file's lines are
/// found the first time a diagnostic points into it (and kept with the
/// file), so reporting nothing, or one problem in one file, does not index
/// every file of a large model.
struct Files<'a>(&'a SourceMap);

impl<'a> Files<'a> {
    /// Where line `index` starts; the text's end for the line after the
    /// last, as codespan-reporting's own files count it.
    fn line_start(&self, id: FileId, index: usize) -> Result<usize, files::Error> {
        let file = self.0.get(id);
        let starts = file.line_starts();
        match starts.get(index) {
            Some(&start) => Ok(start),
            None if index == starts.len() => Ok(file.text().len()),
            None => Err(files::Error::LineTooLarge {
                given: index,
                max: starts.len() - 1,
            }),
        }
    }
}

impl<'a> files::Files<'a> for Files<'a> {
    type FileId = FileId;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<&'a str, files::Error> {
        Ok(&self.0.get(id).name)
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, files::Error> {
        Ok(self.0.get(id).text())
    }

    fn line_index(&'a self, id: FileId, byte_index: usize) -> Result<usize, files::Error> {
        let starts = self.0.get(id).line_starts();
        Ok(starts.partition_point(|&start| start <= byte_index) - 1)
    }

    fn line_range(&'a self, id: FileId, line_index: usize) -> Result<Range<usize>, files::Error> {
        Ok(self.line_start(id, line_index)?..self.line_start(id, line_index + 1)?)
    }
}

struct WriteBuf<'a>(&'a mut term::termcolor::Buffer);

impl std::fmt::Write for WriteBuf<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        use std::io::Write;
        self.0.write_all(s.as_bytes()).map_err(|_| std::fmt::Error)
    }
}
