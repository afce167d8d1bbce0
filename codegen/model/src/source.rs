//! Source files and byte spans, and the mapping from spans to lines and columns.
//!
//! Every shape, member, trait application and diagnostic carries a [`Span`].
//! Built-in model files (the prelude and the bundled trait namespaces) get
//! file ids of their own so that emitters can leave their shapes out.

use std::ops::Range;
use std::sync::{Arc, OnceLock};

/// Identifies a file in a [`SourceMap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(u32);

const BUILTIN_BASE: u32 = 1 << 31;

impl FileId {
    /// True for the prelude and the bundled trait namespace files.
    pub fn is_builtin(self) -> bool {
        self.0 >= BUILTIN_BASE
    }
}

/// A byte range in one source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Span {
    /// The file.
    pub file: FileId,
    /// Start byte offset.
    pub start: u32,
    /// End byte offset (exclusive).
    pub end: u32,
}

impl Span {
    /// A span from a byte range.
    pub fn new(file: FileId, range: Range<usize>) -> Span {
        let clamp = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Span {
            file,
            start: clamp(range.start),
            end: clamp(range.end.max(range.start)),
        }
    }

    /// True when the span lies in a built-in model file.
    pub fn is_builtin(&self) -> bool {
        self.file.is_builtin()
    }

    /// The byte range.
    pub fn range(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// One loaded source file.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path or name shown in diagnostics.
    pub name: String,
    /// The file's text.
    text: Text,
    /// Where each line starts, found when a diagnostic first needs a line.
    line_starts: OnceLock<Vec<usize>>,
}

/// A file's text, held where it already is: never copied. (Copying a
/// model's text once more cost a short process a fault per page of it.)
#[derive(Debug, Clone)]
enum Text {
    /// A bundled file, compiled into the program.
    Bundled(&'static str),
    /// An in-memory source, shared with the loader's input and each of its
    /// loads.
    Shared(Arc<str>),
    /// A file as it was read.
    Read(Arc<String>),
}

impl SourceFile {
    fn new(name: String, text: Text) -> SourceFile {
        SourceFile {
            name,
            text,
            line_starts: OnceLock::new(),
        }
    }

    /// The file's text.
    pub fn text(&self) -> &str {
        match &self.text {
            Text::Bundled(text) => text,
            Text::Shared(text) => text,
            Text::Read(text) => text,
        }
    }

    /// The 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let text = self.text();
        let offset = offset.min(text.len());
        let line_starts = self.line_starts();
        let line = line_starts.partition_point(|&s| s <= offset) - 1;
        let start = line_starts[line];
        let col = text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        (line + 1, col + 1)
    }

    /// Byte offsets at which each line starts.
    pub fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(memchr::memchr_iter(b'\n', self.text().as_bytes()).map(|i| i + 1))
                .collect()
        })
    }
}

/// All files of one load: user files and built-in files.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
    /// Shared by every load of the same bundled files: they never change.
    builtin: Arc<Vec<SourceFile>>,
}

impl SourceMap {
    /// Adds a user file, sharing `text`.
    pub fn add(&mut self, name: impl Into<String>, text: impl Into<Arc<str>>) -> FileId {
        self.push(name.into(), Text::Shared(text.into()))
    }

    /// Adds a user file read from disk, keeping the text where it is.
    pub fn add_read(&mut self, name: impl Into<String>, text: String) -> FileId {
        self.push(name.into(), Text::Read(Arc::new(text)))
    }

    fn push(&mut self, name: String, text: Text) -> FileId {
        self.files.push(SourceFile::new(name, text));
        FileId((self.files.len() - 1) as u32)
    }

    /// Adds a built-in file.
    pub fn add_builtin(&mut self, name: impl Into<String>, text: &'static str) -> FileId {
        let builtin = Arc::make_mut(&mut self.builtin);
        builtin.push(SourceFile::new(name.into(), Text::Bundled(text)));
        FileId(BUILTIN_BASE + (builtin.len() - 1) as u32)
    }

    /// Takes the built-in files of `other` in place of its own, shared
    /// rather than copied.
    pub(crate) fn share_builtin_of(&mut self, other: &SourceMap) {
        self.builtin = other.builtin.clone();
    }

    /// The file with this id.
    pub fn get(&self, id: FileId) -> &SourceFile {
        if id.is_builtin() {
            &self.builtin[(id.0 - BUILTIN_BASE) as usize]
        } else {
            &self.files[id.0 as usize]
        }
    }

    /// The 1-based line and column where a span starts.
    pub fn line_col(&self, span: Span) -> (usize, usize) {
        self.get(span.file).line_col(span.start as usize)
    }

    /// All files with their ids, user files first.
    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        let user = self
            .files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f));
        let builtin = self
            .builtin
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(BUILTIN_BASE + i as u32), f));
        user.chain(builtin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_are_one_based_and_count_chars() {
        let mut map = SourceMap::default();
        let id = map.add("a", "ab\nçd\n");
        assert_eq!(map.line_col(Span::new(id, 0..1)), (1, 1));
        assert_eq!(map.line_col(Span::new(id, 3..4)), (2, 1));
        assert_eq!(map.line_col(Span::new(id, 5..6)), (2, 2));
        assert_eq!(map.line_col(Span::new(id, 7..7)), (3, 1));
    }
}
