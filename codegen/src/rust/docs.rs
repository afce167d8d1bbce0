//! Smithy `@documentation` → rustdoc.
//!
//! Documentation is CommonMark (spec: "Documentation traits"), and AWS
//! models embed HTML in it. It is parsed with `pulldown-cmark`; HTML (whole
//! blocks, or inline tags) is tokenized with `html5gum` and each tag mapped
//! to its CommonMark meaning by the table in `Html::tag`. The result is a
//! small document tree (`Block`, `Inline`) that is printed back as
//! CommonMark rustdoc renders without a warning:
//!
//! - code blocks (fenced, indented, `<pre>`) stay code blocks with their
//!   lines intact, fenced and marked `text` so they never run as doctests;
//! - inline code keeps its text literally, HTML included;
//! - text is escaped where rustdoc would read it as a link (`[x]`), an HTML
//!   tag (`<b>`), emphasis or a block marker, and bare URLs become autolinks;
//! - links keep their URL when it is an absolute `http(s)` or `mailto` URL
//!   (percent-encoding what would end it early), else become their text;
//! - lists, block quotes, headings and paragraphs survive; an HTML table
//!   becomes one paragraph per row.
//!
//! Text that is empty once converted (AWS models have `<p></p>`) gives no
//! lines, so callers fall back as if there were no documentation.

use proc_macro2::TokenStream;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd, TextMergeWithOffset};
use quote::quote;

/// `#[doc = "..."]` attributes for rustdoc lines.
pub fn doc_attrs(lines: &[String]) -> TokenStream {
    quote! { #( #[doc = #lines] )* }
}

/// The documentation as rustdoc lines, each with the leading space rustdoc
/// comments conventionally have; empty when nothing remains.
pub fn rustdoc_lines(text: &str) -> Vec<String> {
    let blocks = parse(text);
    let mut out = Vec::new();
    render_blocks(&blocks, &mut out);
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    while out.first().is_some_and(String::is_empty) {
        out.remove(0);
    }
    out.into_iter()
        .map(|l| if l.is_empty() { l } else { format!(" {l}") })
        .collect()
}

/// The first sentence of the documentation as plain text on one line
/// (for `Cargo.toml`'s `description`), without a leading repetition of
/// `title` (AWS documentation starts with `<fullname>`).
pub fn summary(text: &str, title: &str) -> String {
    let mut plain = String::new();
    for (i, block) in parse(text).iter().enumerate() {
        let mut paragraph = String::new();
        plain_block(block, &mut paragraph);
        // A first paragraph that only names the service (`<fullname>`).
        if i == 0 && one_line(&paragraph) == title {
            continue;
        }
        plain.push_str(&paragraph);
        plain.push(' ');
    }
    let plain = one_line(&plain);
    let sentence = match plain.find(". ") {
        Some(end) => &plain[..end],
        None => plain.trim_end_matches('.'),
    };
    let mut out = String::new();
    for word in sentence.split(' ') {
        if out.len() + word.len() > 200 {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// `text` with every run of whitespace (newlines included) made one space.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

// ---------------------------------------------------------------------
// The document tree.

/// A block of the converted documentation.
#[derive(Debug, Clone, PartialEq)]
enum Block {
    Paragraph(Vec<Inline>),
    Heading(u8, Vec<Inline>),
    Quote(Vec<Block>),
    List {
        start: Option<u64>,
        items: Vec<Vec<Block>>,
    },
    Code(String),
    Rule,
}

/// Inline content.
#[derive(Debug, Clone, PartialEq)]
enum Inline {
    Text(String),
    Code(String),
    Emphasis(Vec<Inline>),
    Strong(Vec<Inline>),
    Strikethrough(Vec<Inline>),
    Link(String, Vec<Inline>),
    SoftBreak,
    HardBreak,
}

/// What a start or end event opens or closes.
#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Paragraph,
    Heading(u8),
    Quote,
    List(Option<u64>),
    Item,
    Emphasis,
    Strong,
    Strikethrough,
    Link(String),
}

impl Kind {
    fn is_inline(&self) -> bool {
        matches!(
            self,
            Kind::Emphasis | Kind::Strong | Kind::Strikethrough | Kind::Link(_)
        )
    }
}

/// An open container while the tree is built.
#[derive(Debug)]
enum Open {
    /// The document, a block quote or a list item.
    Blocks(Kind, Vec<Block>),
    /// A list and its items so far.
    List(Option<u64>, Vec<Vec<Block>>),
    /// A paragraph or heading.
    Leaf(Kind, Vec<Inline>),
    /// Emphasis, strong, strikethrough or a link.
    Span(Kind, Vec<Inline>),
}

/// Builds the tree from start/end events that need not be balanced (HTML
/// rarely is): content outside a paragraph opens one, a block closes the
/// paragraph it interrupts, an end without its start is ignored, and an
/// end closes whatever it encloses.
struct Tree {
    stack: Vec<Open>,
}

impl Tree {
    fn new() -> Self {
        Tree {
            stack: vec![Open::Blocks(Kind::Paragraph, Vec::new())],
        }
    }

    fn finish(mut self) -> Vec<Block> {
        while self.stack.len() > 1 {
            self.close_top();
        }
        match self.stack.pop() {
            Some(Open::Blocks(_, blocks)) => blocks,
            _ => Vec::new(),
        }
    }

    fn kind_of(open: &Open) -> Option<&Kind> {
        match open {
            Open::Blocks(k, _) | Open::Leaf(k, _) | Open::Span(k, _) => Some(k),
            Open::List(..) => None,
        }
    }

    /// Closes the innermost container, handing what it holds to its parent.
    fn close_top(&mut self) {
        let Some(top) = self.stack.pop() else { return };
        match top {
            Open::Span(kind, inlines) => {
                let inline = match kind {
                    Kind::Emphasis => Inline::Emphasis(inlines),
                    Kind::Strong => Inline::Strong(inlines),
                    Kind::Strikethrough => Inline::Strikethrough(inlines),
                    Kind::Link(url) => Inline::Link(url, inlines),
                    _ => return,
                };
                self.inline(inline);
            }
            Open::Leaf(kind, inlines) => {
                if inlines.iter().all(is_blank) {
                    return;
                }
                let block = match kind {
                    Kind::Heading(level) => Block::Heading(level, inlines),
                    _ => Block::Paragraph(inlines),
                };
                self.block(block);
            }
            Open::Blocks(Kind::Quote, blocks) => {
                if !blocks.is_empty() {
                    self.block(Block::Quote(blocks));
                }
            }
            Open::Blocks(_, blocks) => {
                // A list item.
                if let Some(Open::List(_, items)) = self.stack.last_mut() {
                    items.push(blocks);
                }
            }
            Open::List(start, items) => {
                let items: Vec<_> = items.into_iter().filter(|i| !i.is_empty()).collect();
                if !items.is_empty() {
                    self.block(Block::List { start, items });
                }
            }
        }
    }

    /// Adds a finished block where blocks can go.
    fn block(&mut self, block: Block) {
        self.close_inline_content();
        if matches!(self.stack.last(), Some(Open::List(..))) {
            self.stack.push(Open::Blocks(Kind::Item, Vec::new()));
        }
        if let Some(Open::Blocks(_, blocks)) = self.stack.last_mut() {
            blocks.push(block);
        }
    }

    /// Closes any open paragraph (and spans in it).
    fn close_inline_content(&mut self) {
        while matches!(self.stack.last(), Some(Open::Span(..) | Open::Leaf(..))) {
            self.close_top();
        }
    }

    /// Adds inline content, opening a paragraph when none is open.
    fn inline(&mut self, inline: Inline) {
        if !matches!(self.stack.last(), Some(Open::Span(..) | Open::Leaf(..))) {
            if is_blank(&inline) {
                return;
            }
            self.start(Kind::Paragraph);
        }
        if let Some(Open::Span(_, inlines) | Open::Leaf(_, inlines)) = self.stack.last_mut() {
            inlines.push(inline);
        }
    }

    fn start(&mut self, kind: Kind) {
        if kind.is_inline() {
            if !matches!(self.stack.last(), Some(Open::Span(..) | Open::Leaf(..))) {
                self.start(Kind::Paragraph);
            }
            self.stack.push(Open::Span(kind, Vec::new()));
            return;
        }
        self.close_inline_content();
        match kind {
            Kind::Item => {
                if !matches!(self.stack.last(), Some(Open::List(..))) {
                    self.stack.push(Open::List(None, Vec::new()));
                }
                self.stack.push(Open::Blocks(Kind::Item, Vec::new()));
            }
            Kind::List(start) => {
                if matches!(self.stack.last(), Some(Open::List(..))) {
                    self.stack.push(Open::Blocks(Kind::Item, Vec::new()));
                }
                self.stack.push(Open::List(start, Vec::new()));
            }
            Kind::Quote => {
                if matches!(self.stack.last(), Some(Open::List(..))) {
                    self.stack.push(Open::Blocks(Kind::Item, Vec::new()));
                }
                self.stack.push(Open::Blocks(Kind::Quote, Vec::new()));
            }
            leaf => {
                if matches!(self.stack.last(), Some(Open::List(..))) {
                    self.stack.push(Open::Blocks(Kind::Item, Vec::new()));
                }
                self.stack.push(Open::Leaf(leaf, Vec::new()));
            }
        }
    }

    fn end(&mut self, kind: &Kind) {
        let matches = |open: &Open| match (open, kind) {
            (Open::List(..), Kind::List(_)) => true,
            (open, kind) => match (Self::kind_of(open), kind) {
                (Some(Kind::Link(_)), Kind::Link(_)) => true,
                (Some(Kind::List(_)), Kind::List(_)) => true,
                (Some(a), b) => a == b,
                (None, _) => false,
            },
        };
        // The bottom of the stack is the document itself.
        let Some(position) = self.stack.iter().skip(1).rposition(matches) else {
            return;
        };
        while self.stack.len() > position + 1 {
            self.close_top();
        }
    }
}

fn is_blank(inline: &Inline) -> bool {
    match inline {
        Inline::Text(t) => t.trim().is_empty(),
        Inline::SoftBreak | Inline::HardBreak => true,
        _ => false,
    }
}

// ---------------------------------------------------------------------
// Parsing: CommonMark, with HTML mapped tag by tag.

fn parse(text: &str) -> Vec<Block> {
    let mut tree = Tree::new();
    let mut html = Html::default();
    let mut code_block: Option<String> = None;
    let mut html_block: Option<String> = None;
    // Where the text of an HTML capture (`<code>`, `<pre>`, `<script>`)
    // began, when CommonMark parses what follows its start tag: that text
    // is taken from the source as written, not as CommonMark read it (which
    // would eat `*`, `#` and blank lines), and whether it is inside an
    // HTML block CommonMark began meanwhile.
    let mut raw: Option<usize> = None;
    let mut raw_in_block = false;
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let events = TextMergeWithOffset::new(Parser::new_ext(text, options).into_offset_iter());
    for (event, range) in events {
        if let Some(start) = raw {
            match &event {
                Event::Start(Tag::HtmlBlock) => raw_in_block = true,
                Event::End(TagEnd::HtmlBlock) => raw_in_block = false,
                Event::Html(t) | Event::InlineHtml(t) if html.closes_capture(t) => {
                    html.feed(
                        text.get(start..range.start).unwrap_or_default(),
                        true,
                        &mut tree,
                    );
                    raw = None;
                    if std::mem::take(&mut raw_in_block) {
                        html_block = Some(t.to_string());
                    } else {
                        html.feed(t, false, &mut tree);
                    }
                }
                _ => {}
            }
            if raw.is_some() || html_block.is_some() {
                continue;
            }
        } else if let Some(code) = &mut code_block {
            match event {
                Event::End(TagEnd::CodeBlock) => {
                    let code = code_block.take().unwrap_or_default();
                    tree.block(Block::Code(code));
                }
                Event::Text(t) | Event::Html(t) | Event::InlineHtml(t) | Event::Code(t) => {
                    code.push_str(&t);
                }
                _ => {}
            }
            continue;
        } else if let Some(buffer) = &mut html_block {
            match event {
                Event::End(TagEnd::HtmlBlock) => {
                    let block = html_block.take().unwrap_or_default();
                    html.feed(&block, true, &mut tree);
                }
                Event::Html(t) | Event::Text(t) => buffer.push_str(&t),
                _ => {}
            }
        } else {
            markdown_event(
                event,
                &mut tree,
                &mut html,
                &mut code_block,
                &mut html_block,
            );
        }
        if raw.is_none() && html_block.is_none() && html.capturing() {
            raw = Some(range.end);
        }
    }
    if let Some(code) = code_block {
        tree.block(Block::Code(code));
    }
    if let Some(start) = raw {
        html.feed(text.get(start..).unwrap_or_default(), true, &mut tree);
    }
    if let Some(block) = html_block {
        html.feed(&block, true, &mut tree);
    }
    html.finish(&mut tree);
    tree.finish()
}

/// One CommonMark event outside code blocks, HTML blocks and captures.
fn markdown_event(
    event: Event<'_>,
    tree: &mut Tree,
    html: &mut Html,
    code_block: &mut Option<String>,
    html_block: &mut Option<String>,
) {
    match event {
        Event::Start(Tag::HtmlBlock) => *html_block = Some(String::new()),
        // An indented or fenced block, whatever its language: text.
        Event::Start(Tag::CodeBlock(_)) => *code_block = Some(String::new()),
        Event::Html(t) | Event::InlineHtml(t) => html.feed(&t, false, tree),
        Event::Start(tag) => {
            if let Some(kind) = markdown_kind(&tag, html) {
                tree.start(kind);
            }
        }
        Event::End(tag) => match tag {
            TagEnd::TableCell | TagEnd::Image => {}
            TagEnd::TableHead | TagEnd::TableRow => {
                html.cells = 0;
                tree.end(&Kind::Paragraph);
            }
            other => {
                if let Some(kind) = markdown_end_kind(&other) {
                    tree.end(&kind);
                }
            }
        },
        Event::Text(t) => html.text(&t, false, tree),
        Event::Code(t) => tree.inline(Inline::Code(t.into_string())),
        Event::SoftBreak => tree.inline(Inline::SoftBreak),
        Event::HardBreak => tree.inline(Inline::HardBreak),
        Event::Rule => tree.block(Block::Rule),
        Event::TaskListMarker(done) => {
            tree.inline(Inline::Text(if done { "[x] " } else { "[ ] " }.to_owned()))
        }
        Event::FootnoteReference(name) => tree.inline(Inline::Text(format!("[^{name}]"))),
        Event::InlineMath(t) | Event::DisplayMath(t) => tree.inline(Inline::Code(t.into_string())),
    }
}

/// The tree kind of a CommonMark start tag (`None` for the ones that only
/// shape their content, such as tables).
fn markdown_kind(tag: &Tag<'_>, html: &mut Html) -> Option<Kind> {
    Some(match tag {
        Tag::Paragraph => Kind::Paragraph,
        Tag::Heading { level, .. } => Kind::Heading(*level as u8),
        Tag::BlockQuote(_) => Kind::Quote,
        Tag::List(start) => Kind::List(*start),
        Tag::Item => Kind::Item,
        Tag::Emphasis => Kind::Emphasis,
        Tag::Strong => Kind::Strong,
        Tag::Strikethrough => Kind::Strikethrough,
        Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } => {
            Kind::Link(dest_url.to_string())
        }
        Tag::TableHead | Tag::TableRow => {
            html.cells = 0;
            Kind::Paragraph
        }
        Tag::TableCell => {
            html.cells += 1;
            html.pending_separator = html.cells > 1;
            return None;
        }
        _ => return None,
    })
}

fn markdown_end_kind(tag: &TagEnd) -> Option<Kind> {
    Some(match tag {
        TagEnd::Paragraph => Kind::Paragraph,
        TagEnd::Heading(level) => Kind::Heading(*level as u8),
        TagEnd::BlockQuote(_) => Kind::Quote,
        TagEnd::List(_) => Kind::List(None),
        TagEnd::Item => Kind::Item,
        TagEnd::Emphasis => Kind::Emphasis,
        TagEnd::Strong => Kind::Strong,
        TagEnd::Strikethrough => Kind::Strikethrough,
        TagEnd::Link => Kind::Link(String::new()),
        _ => return None,
    })
}

/// The HTML state carried across events: inline tags arrive one event at
/// a time, with CommonMark text between them.
#[derive(Default)]
struct Html {
    /// Inside `<code>` (and its kin): its text so far, and the tag's name.
    code: Option<(String, String)>,
    /// Inside `<pre>`: its text so far.
    pre: Option<String>,
    /// Inside `<script>`/`<style>`/`<head>`: dropped.
    dropped: Option<String>,
    /// A label (`Note:`) for the next inline content of a note.
    label: Option<&'static str>,
    /// Cells seen in the current table row.
    cells: usize,
    /// A cell separator is due before the next inline content.
    pending_separator: bool,
}

impl Html {
    fn capturing(&self) -> bool {
        self.code.is_some() || self.pre.is_some() || self.dropped.is_some()
    }

    /// True when `html` closes the capture in progress (`</code>`, `</pre>`, ...).
    fn closes_capture(&self, html: &str) -> bool {
        let name = match (&self.code, &self.pre, &self.dropped) {
            (Some((_, tag)), _, _) => tag.as_str(),
            (_, Some(_), _) => "pre",
            (_, _, Some(tag)) => tag.as_str(),
            _ => return false,
        };
        html.to_ascii_lowercase().contains(&format!("</{name}"))
    }

    /// Feeds HTML: a whole block (`block`), or one inline tag.
    fn feed(&mut self, html: &str, block: bool, tree: &mut Tree) {
        let emitter = html5gum::DefaultEmitter::<usize>::new_with_span();
        for token in html5gum::Tokenizer::new_with_emitter(html, emitter).flatten() {
            // A tag as written (html5gum lowercases names), for tags that
            // are text: unknown ones, and any inside code.
            let source =
                |span: &html5gum::Span<usize>| html.get(span.start..span.end).unwrap_or_default();
            match token {
                html5gum::Token::StartTag(tag) => {
                    let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                    let attr = |key: &str| {
                        tag.attributes
                            .get(key.as_bytes())
                            .map(|v| String::from_utf8_lossy(&v.value).into_owned())
                    };
                    let literal = source(&tag.span);
                    self.tag(&name, true, tag.self_closing, &attr, literal, tree);
                }
                html5gum::Token::EndTag(tag) => {
                    let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                    self.tag(
                        &name,
                        false,
                        false,
                        &|_: &str| None,
                        source(&tag.span),
                        tree,
                    );
                }
                html5gum::Token::String(text) => {
                    self.text(&String::from_utf8_lossy(&text.value), block, tree)
                }
                _ => {}
            }
        }
    }

    /// Text: into the capture in progress, or into the tree. HTML text
    /// (`from_html`) has its whitespace collapsed, as HTML renders it.
    fn text(&mut self, text: &str, from_html: bool, tree: &mut Tree) {
        if let Some(pre) = &mut self.pre {
            pre.push_str(text);
            return;
        }
        if self.dropped.is_some() {
            return;
        }
        let text = if from_html {
            collapse(text)
        } else {
            text.to_owned()
        };
        if let Some((code, _)) = &mut self.code {
            code.push_str(&text);
            return;
        }
        if text.trim().is_empty() {
            if !text.is_empty() {
                tree.inline(Inline::Text(" ".to_owned()));
            }
            return;
        }
        self.before_inline(tree);
        tree.inline(Inline::Text(text));
    }

    fn before_inline(&mut self, tree: &mut Tree) {
        if std::mem::take(&mut self.pending_separator) {
            tree.inline(Inline::Text(" | ".to_owned()));
        }
        if let Some(label) = self.label.take() {
            tree.inline(Inline::Strong(vec![Inline::Text(label.to_owned())]));
            tree.inline(Inline::Text(" ".to_owned()));
        }
    }

    /// The mapping of HTML tags to the tree: every tag has a meaning here;
    /// unknown tags are text (AWS documentation writes XML elements such
    /// as `<Error>` without escaping them).
    fn tag(
        &mut self,
        name: &str,
        open: bool,
        self_closing: bool,
        attr: &dyn Fn(&str) -> Option<String>,
        literal: &str,
        tree: &mut Tree,
    ) {
        // Inside <pre>, only </pre> matters; inside code, only its end.
        if self.pre.is_some() {
            if name == "pre" && !open {
                let code = self.pre.take().unwrap_or_default();
                tree.block(Block::Code(code));
            }
            return;
        }
        if let Some(dropped) = &self.dropped {
            if !open && name == dropped {
                self.dropped = None;
            }
            return;
        }
        if let Some((code, tag)) = &mut self.code {
            if !open && name == tag {
                let code = std::mem::take(code);
                self.code = None;
                if !code.trim().is_empty() {
                    self.before_inline(tree);
                    tree.inline(Inline::Code(code.trim().to_owned()));
                }
            } else if !is_formatting(name) {
                code.push_str(literal);
            }
            return;
        }
        match (name, open) {
            (
                "p" | "div" | "section" | "article" | "header" | "footer" | "main" | "aside"
                | "fullname" | "dd" | "caption" | "figure" | "figcaption" | "center" | "body",
                true,
            ) => tree.start(Kind::Paragraph),
            (
                "p" | "div" | "section" | "article" | "header" | "footer" | "main" | "aside"
                | "fullname" | "dd" | "caption" | "figure" | "figcaption" | "center" | "body",
                false,
            ) => tree.end(&Kind::Paragraph),
            ("note" | "important" | "warning" | "tip" | "blockquote", true) => {
                tree.start(Kind::Quote);
                self.label = match name {
                    "note" => Some("Note:"),
                    "important" => Some("Important:"),
                    "warning" => Some("Warning:"),
                    "tip" => Some("Tip:"),
                    _ => None,
                };
            }
            ("note" | "important" | "warning" | "tip" | "blockquote", false) => {
                self.label = None;
                tree.end(&Kind::Quote)
            }
            ("h1" | "h2" | "h3" | "h4" | "h5" | "h6", true) => {
                tree.start(Kind::Heading(name.as_bytes()[1] - b'0'))
            }
            ("h1" | "h2" | "h3" | "h4" | "h5" | "h6", false) => {
                tree.end(&Kind::Heading(name.as_bytes()[1] - b'0'))
            }
            ("ul" | "dl", true) => tree.start(Kind::List(None)),
            ("ol", true) => {
                let start = attr("start")
                    .and_then(|s| s.trim().parse().ok())
                    .unwrap_or(1);
                tree.start(Kind::List(Some(start)))
            }
            ("ul" | "ol" | "dl", false) => tree.end(&Kind::List(None)),
            ("li", true) => tree.start(Kind::Item),
            ("li", false) => tree.end(&Kind::Item),
            ("dt", true) => {
                tree.start(Kind::Item);
                tree.start(Kind::Strong);
            }
            ("dt", false) => tree.end(&Kind::Strong),
            ("pre", true) => self.pre = Some(String::new()),
            ("code" | "tt" | "kbd" | "samp" | "var", true) if !self_closing => {
                self.code = Some((String::new(), name.to_owned()))
            }
            ("b" | "strong", true) => {
                self.before_inline(tree);
                tree.start(Kind::Strong)
            }
            ("b" | "strong", false) => tree.end(&Kind::Strong),
            ("i" | "em" | "cite" | "dfn", true) => {
                self.before_inline(tree);
                tree.start(Kind::Emphasis)
            }
            ("i" | "em" | "cite" | "dfn", false) => tree.end(&Kind::Emphasis),
            ("s" | "strike" | "del", true) => tree.start(Kind::Strikethrough),
            ("s" | "strike" | "del", false) => tree.end(&Kind::Strikethrough),
            ("a", true) => {
                if let Some(href) = attr("href") {
                    self.before_inline(tree);
                    tree.start(Kind::Link(href));
                }
            }
            ("a", false) => tree.end(&Kind::Link(String::new())),
            ("br", _) => tree.inline(Inline::HardBreak),
            ("hr", _) => tree.block(Block::Rule),
            ("img", true) => {
                if let Some(alt) = attr("alt").filter(|a| !a.trim().is_empty()) {
                    self.before_inline(tree);
                    tree.inline(Inline::Text(collapse(&alt)));
                }
            }
            ("tr", true) => {
                self.cells = 0;
                tree.start(Kind::Paragraph)
            }
            ("tr", false) => tree.end(&Kind::Paragraph),
            ("td" | "th", true) => {
                self.cells += 1;
                self.pending_separator = self.cells > 1;
            }
            ("script" | "style" | "head" | "title" | "template", true) if !self_closing => {
                self.dropped = Some(name.to_owned())
            }
            // Tags that only style or group their content.
            (
                "span" | "u" | "small" | "big" | "sup" | "sub" | "font" | "abbr" | "acronym"
                | "ins" | "mark" | "q" | "label" | "html" | "table" | "thead" | "tbody" | "tfoot"
                | "td" | "th" | "colgroup" | "col" | "nobr" | "wbr" | "code" | "tt" | "kbd"
                | "samp" | "var" | "script" | "style" | "head" | "title" | "template" | "meta"
                | "link" | "!doctype",
                _,
            ) => {}
            _ => {
                self.before_inline(tree);
                tree.inline(Inline::Text(literal.to_owned()));
            }
        }
    }

    /// Flushes a capture left open at the end of the text.
    fn finish(&mut self, tree: &mut Tree) {
        if let Some(pre) = self.pre.take() {
            tree.block(Block::Code(pre));
        }
        if let Some((code, _)) = self.code.take()
            && !code.trim().is_empty()
        {
            tree.inline(Inline::Code(code.trim().to_owned()));
        }
    }
}

/// Tags that only change how code text looks; inside `<code>` they vanish.
fn is_formatting(name: &str) -> bool {
    matches!(
        name,
        "b" | "strong"
            | "i"
            | "em"
            | "u"
            | "span"
            | "a"
            | "br"
            | "code"
            | "tt"
            | "var"
            | "samp"
            | "kbd"
            | "sup"
            | "sub"
            | "small"
    )
}

/// HTML whitespace: every run becomes one space.
fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            if !space {
                out.push(' ');
            }
            space = true;
        } else {
            out.push(c);
            space = false;
        }
    }
    out
}

// ---------------------------------------------------------------------
// Printing the tree as rustdoc CommonMark.

fn render_blocks(blocks: &[Block], out: &mut Vec<String>) {
    render_blocks_in(blocks, out, false);
}

/// Blocks one after the other, a blank line between them; in a list item
/// (`in_item`), a list right after a paragraph needs none, which keeps a
/// list with nested lists tight.
fn render_blocks_in(blocks: &[Block], out: &mut Vec<String>, in_item: bool) {
    let mut previous: Option<&Block> = None;
    for block in blocks {
        let mut lines = Vec::new();
        render_block(block, &mut lines);
        if lines.is_empty() {
            continue;
        }
        let nested_list = in_item
            && matches!(previous, Some(Block::Paragraph(_)))
            && matches!(block, Block::List { .. });
        if !out.is_empty() && !nested_list {
            out.push(String::new());
        }
        out.extend(lines);
        previous = Some(block);
    }
}

fn render_block(block: &Block, out: &mut Vec<String>) {
    match block {
        Block::Paragraph(inlines) => out.extend(paragraph_lines(inlines)),
        Block::Heading(level, inlines) => {
            let text = paragraph_lines(inlines).join(" ");
            if !text.is_empty() {
                out.push(format!(
                    "{} {text}",
                    "#".repeat(usize::from((*level).clamp(1, 6)))
                ));
            }
        }
        Block::Quote(blocks) => {
            let mut inner = Vec::new();
            render_blocks(blocks, &mut inner);
            out.extend(inner.into_iter().map(|l| {
                if l.is_empty() {
                    ">".to_owned()
                } else {
                    format!("> {l}")
                }
            }));
        }
        Block::List { start, items } => {
            let mut rendered: Vec<Vec<String>> = Vec::new();
            for item in items {
                let mut lines = Vec::new();
                render_blocks_in(item, &mut lines, true);
                if !lines.is_empty() {
                    rendered.push(lines);
                }
            }
            let loose = rendered.iter().any(|l| l.iter().any(String::is_empty));
            for (i, lines) in rendered.iter().enumerate() {
                let marker = match start {
                    Some(n) => format!("{}. ", n.saturating_add(i as u64)),
                    None => "- ".to_owned(),
                };
                let indent = " ".repeat(marker.len());
                if loose && i > 0 {
                    out.push(String::new());
                }
                for (j, line) in lines.iter().enumerate() {
                    out.push(match (j, line.is_empty()) {
                        (_, true) => String::new(),
                        (0, false) => format!("{marker}{line}"),
                        _ => format!("{indent}{line}"),
                    });
                }
            }
        }
        Block::Code(code) => {
            let code = code.trim_end_matches(['\n', '\r']);
            let code = code.trim_start_matches(['\n', '\r']);
            if code.trim().is_empty() {
                return;
            }
            let longest = longest_run(code, '`');
            let fence = "`".repeat(longest.max(2) + 1);
            out.push(format!("{fence}text"));
            out.extend(code.lines().map(|l| expand_tabs(l.trim_end())));
            out.push(fence);
        }
        Block::Rule => out.push("---".to_owned()),
    }
}

/// A line with its tabs expanded to the next multiple of four columns
/// (tabs in documentation render unpredictably, and clippy warns of them).
fn expand_tabs(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut column = 0;
    for c in line.chars() {
        if c == '\t' {
            let spaces = 4 - column % 4;
            out.extend(std::iter::repeat_n(' ', spaces));
            column += spaces;
        } else {
            out.push(c);
            column += 1;
        }
    }
    out
}

/// A paragraph's text, split at its line breaks, with line starts that
/// would begin a block escaped.
fn paragraph_lines(inlines: &[Inline]) -> Vec<String> {
    let text = render_inlines(inlines, false);
    text.split('\n')
        .map(|l| escape_line_start(l.trim()))
        .filter(|l| !l.is_empty())
        .collect()
}

fn render_inlines(inlines: &[Inline], in_link: bool) -> String {
    let mut out = String::new();
    for (i, inline) in inlines.iter().enumerate() {
        // What follows a delimiter run decides whether it closes.
        let next = match inlines.get(i + 1) {
            Some(Inline::Text(t)) => t.chars().next(),
            Some(Inline::SoftBreak | Inline::HardBreak) | None => Some(' '),
            Some(_) => Some('`'),
        };
        match inline {
            Inline::Text(t) => out.push_str(&escape_text(t, in_link)),
            Inline::Code(c) => out.push_str(&code_span(c)),
            Inline::Emphasis(inner) => delimited(&mut out, inner, ("*", "em"), next, in_link),
            Inline::Strong(inner) => delimited(&mut out, inner, ("**", "strong"), next, in_link),
            Inline::Strikethrough(inner) => {
                delimited(&mut out, inner, ("~~", "del"), next, in_link)
            }
            Inline::Link(url, inner) => {
                let text = render_inlines(inner, true);
                let text = text.trim();
                let plain_text: String = {
                    let mut p = String::new();
                    plain_inlines(inner, &mut p);
                    p
                };
                match link_url(url).filter(|_| !in_link) {
                    Some(encoded) if text.is_empty() || plain_text.trim() == url.trim() => {
                        out.push_str(&format!("<{encoded}>"))
                    }
                    Some(url) => out.push_str(&format!("[{text}]({url})")),
                    // The text alone, rendered as text (its URLs autolinked).
                    None => out.push_str(render_inlines(inner, in_link).trim()),
                }
            }
            Inline::SoftBreak => out.push('\n'),
            Inline::HardBreak => out.push_str("\\\n"),
        }
    }
    out
}

/// Emphasis, strong or strikethrough around `inner`. Whitespace at its
/// edges moves outside the delimiters (where CommonMark needs it). Where
/// CommonMark would not read the delimiters as such (punctuation inside
/// them next to a letter outside, as in `a**(b)**c`), the HTML element
/// says the same thing reliably.
fn delimited(
    out: &mut String,
    inner: &[Inline],
    (delimiter, element): (&str, &str),
    next: Option<char>,
    in_link: bool,
) {
    let text = render_inlines(inner, in_link);
    let trimmed = text.trim();
    if trimmed.is_empty() {
        out.push_str(&text);
        return;
    }
    if text.starts_with(char::is_whitespace) {
        out.push(' ');
    }
    let punctuation =
        |c: Option<char>| c.is_some_and(|c| !c.is_alphanumeric() && !c.is_whitespace());
    let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let before = if text.starts_with(char::is_whitespace) {
        Some(' ')
    } else {
        out.chars().last()
    };
    let after = if text.ends_with(char::is_whitespace) {
        Some(' ')
    } else {
        next
    };
    let opens = !(punctuation(trimmed.chars().next()) && word(before));
    let closes = !(punctuation(trimmed.chars().last()) && word(after));
    if opens && closes && !trimmed.contains('\n') {
        out.push_str(&format!("{delimiter}{trimmed}{delimiter}"));
    } else {
        out.push_str(&format!(
            "<{element}>{}</{element}>",
            trimmed.replace('\n', " ")
        ));
    }
    if text.ends_with(char::is_whitespace) {
        out.push(' ');
    }
}

fn longest_run(text: &str, c: char) -> usize {
    let (mut longest, mut run) = (0, 0);
    for ch in text.chars() {
        run = if ch == c { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    longest
}

/// Inline code whose text is kept as is: a fence longer than any run of
/// backticks inside, padded when the text starts or ends with one.
fn code_span(code: &str) -> String {
    let code = collapse(code);
    let code = code.trim();
    if code.is_empty() {
        return String::new();
    }
    let fence = "`".repeat(longest_run(code, '`') + 1);
    if code.starts_with('`') || code.ends_with('`') {
        format!("{fence} {code} {fence}")
    } else {
        format!("{fence}{code}{fence}")
    }
}

/// A link's URL when it is one rustdoc can link to: absolute `http`,
/// `https` or `mailto`, with spaces, angle brackets and parentheses
/// percent-encoded so they cannot end it early.
fn link_url(url: &str) -> Option<String> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    let scheme_ok = lower.starts_with("https://")
        || lower.starts_with("http://")
        || lower.starts_with("mailto:");
    let host_ok = url.split_once("//").is_none_or(|(_, rest)| {
        rest.chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '[')
    });
    if !scheme_ok || !host_ok || url.chars().any(char::is_control) {
        return None;
    }
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            '"' => out.push_str("%22"),
            '`' => out.push_str("%60"),
            c if c.is_whitespace() => out.push_str("%20"),
            c => out.push(c),
        }
    }
    Some(out)
}

/// Escapes what CommonMark or rustdoc would read as markup in plain text,
/// and turns bare URLs into autolinks (rustdoc warns about bare ones).
fn escape_text(text: &str, in_link: bool) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let chars: Vec<char> = text
        .chars()
        .map(|c| if c == '\t' { ' ' } else { c })
        .collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if !in_link && (c == 'h' || c == 'H') && starts_url(&chars[i..]) {
            let url: String = chars[i..]
                .iter()
                .take_while(|c| !c.is_whitespace() && !matches!(c, '<' | '>' | '"' | '`' | '\''))
                .collect();
            let url = trim_url(&url);
            let len = url.chars().count();
            match link_url(url) {
                Some(encoded) => out.push_str(&format!("<{encoded}>")),
                None => out.push_str(&escape_text(url, true)),
            }
            i += len;
            continue;
        }
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1).copied();
        match c {
            '\\' | '`' | '*' | '[' | ']' | '<' | '>' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '_' => {
                let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
                if !(word(prev) && word(next)) {
                    out.push('\\');
                }
                out.push('_');
            }
            '&' if entity_like(&chars[i + 1..]) => out.push_str("\\&"),
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

fn starts_url(chars: &[char]) -> bool {
    let head: String = chars
        .iter()
        .take(8)
        .collect::<String>()
        .to_ascii_lowercase();
    head.starts_with("https://") || head.starts_with("http://")
}

/// A URL found in text ends before trailing punctuation, and before a `)`
/// it did not open.
fn trim_url(url: &str) -> &str {
    let mut url = url.trim_end_matches(['.', ',', ';', ':', '!', '?']);
    while url.ends_with(')') && url.matches('(').count() < url.matches(')').count() {
        url = url[..url.len() - 1].trim_end_matches(['.', ',', ';', ':', '!', '?']);
    }
    url
}

/// `name;` or `#123;` after an `&`, which CommonMark would decode as an entity.
fn entity_like(rest: &[char]) -> bool {
    let body: Vec<&char> = rest
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || **c == '#')
        .collect();
    !body.is_empty() && rest.get(body.len()) == Some(&';')
}

/// Escapes a line start that CommonMark would read as a block marker: a
/// heading, list item, block quote, setext underline or thematic break.
fn escape_line_start(line: &str) -> String {
    let mut chars = line.chars();
    match chars.next() {
        Some('#' | '=' | '+' | '-') => format!("\\{line}"),
        Some(c) if c.is_ascii_digit() => {
            let digits = line.chars().take_while(char::is_ascii_digit).count();
            let rest = &line[digits..];
            if digits <= 9
                && (rest.starts_with(". ") || rest.starts_with(") ") || rest == "." || rest == ")")
            {
                format!("{}\\{}", &line[..digits], rest)
            } else {
                line.to_owned()
            }
        }
        _ => line.to_owned(),
    }
}

// ---------------------------------------------------------------------
// Plain text (for descriptions).

fn plain_block(block: &Block, out: &mut String) {
    match block {
        Block::Paragraph(inlines) | Block::Heading(_, inlines) => {
            plain_inlines(inlines, out);
            out.push(' ');
        }
        Block::Quote(blocks) => blocks.iter().for_each(|b| plain_block(b, out)),
        Block::List { items, .. } => items.iter().flatten().for_each(|b| plain_block(b, out)),
        Block::Code(_) | Block::Rule => {}
    }
}

fn plain_inlines(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text(t) | Inline::Code(t) => out.push_str(t),
            Inline::Emphasis(inner)
            | Inline::Strong(inner)
            | Inline::Strikethrough(inner)
            | Inline::Link(_, inner) => plain_inlines(inner, out),
            Inline::SoftBreak | Inline::HardBreak => out.push(' '),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> String {
        rustdoc_lines(text).join("\n")
    }

    #[test]
    fn markdown_is_kept_but_made_safe() {
        assert_eq!(
            doc("Gets a [thing] by <id>."),
            " Gets a \\[thing\\] by \\<id\\>."
        );
        assert_eq!(
            doc("See [the docs](https://example.com)."),
            " See [the docs](https://example.com)."
        );
        assert_eq!(
            doc("Visit https://example.com."),
            " Visit <https://example.com>."
        );
        assert_eq!(doc("Use `Vec<T>` here"), " Use `Vec<T>` here");
        assert_eq!(
            doc("a\n\n\n    indented"),
            " a\n\n ```text\n indented\n ```"
        );
        assert_eq!(doc("a_b and _c_ and *d*"), " a_b and *c* and *d*");
    }

    #[test]
    fn code_blocks_keep_their_lines_and_text() {
        let text = "Example:\n\n```\nlet x = a <b> c;\nlet y = [z];\n```\n";
        assert_eq!(
            doc(text),
            " Example:\n\n ```text\n let x = a <b> c;\n let y = [z];\n ```"
        );
        assert_eq!(
            doc("```rust\nfn main() {}\n```"),
            " ```text\n fn main() {}\n ```"
        );
        assert_eq!(
            doc("<p>Run:</p><pre><code>aws s3 ls &lt;bucket&gt;\n  --recursive</code></pre>"),
            " Run:\n\n ```text\n aws s3 ls <bucket>\n   --recursive\n ```"
        );
        assert_eq!(
            doc("```\nuses ``` inside\n```"),
            " ````text\n uses ``` inside\n ````"
        );
    }

    #[test]
    fn aws_html_becomes_markdown() {
        let html = "<p>Returns the <code>Foo</code> for a <a href=\"https://x.y/z\">bucket</a>.</p> <ul><li><p>One &amp; two</p></li><li>Three</li></ul>";
        assert_eq!(
            doc(html),
            " Returns the `Foo` for a [bucket](https://x.y/z).\n\n - One & two\n - Three"
        );
        assert_eq!(doc("<p></p>"), "");
        assert_eq!(doc("<p> </p><p/>"), "");
        assert_eq!(
            doc("<note><p>Careful with <code><Tag></code> elements.</p></note>"),
            " > **Note:** Careful with `<Tag>` elements."
        );
        assert_eq!(doc("<p>An <Error> element</p>"), " An \\<Error\\> element");
        assert_eq!(
            doc("<ol><li>first</li><li>second<ul><li>inner</li></ul></li></ol>"),
            " 1. first\n 2. second\n    - inner"
        );
        assert_eq!(doc("<p>a <b>bold.</b> b</p>"), " a **bold.** b");
        assert_eq!(doc("<p>a<b>(bold)</b>b</p>"), " a<strong>(bold)</strong>b");
    }

    #[test]
    fn invalid_links_become_text() {
        assert_eq!(doc("<a href=\"/relative\">here</a>"), " here");
        assert_eq!(doc("[x](#anchor) and [y](foo.html)"), " x and y");
        assert_eq!(
            doc("<a href=\"https://a.b/c d(e)\">t</a>"),
            " [t](https://a.b/c%20d%28e%29)"
        );
        assert_eq!(doc("<a href=\"https://a.b\"></a>"), " <https://a.b>");
        assert_eq!(doc("<a href=\"#x\">https://a.b</a>"), " <https://a.b>");
        assert_eq!(
            doc("See https://x.example/a?b=1&amp;c=2 and https://x.example/_p."),
            " See <https://x.example/a?b=1&c=2> and <https://x.example/_p>."
        );
    }

    #[test]
    fn line_starts_that_would_become_blocks_are_escaped() {
        assert_eq!(
            doc("<p>a<br>- b<br># c<br>1. d</p>"),
            " a\\\n \\- b\\\n \\# c\\\n 1\\. d"
        );
        // In CommonMark input those are blocks already, and stay blocks.
        assert_eq!(doc("a\n- b"), " a\n\n - b");
    }

    #[test]
    fn summaries_are_one_plain_sentence_without_the_title() {
        assert_eq!(
            summary(
                "<fullname>Amazon DynamoDB</fullname> <p>Amazon DynamoDB is a fully managed\n   NoSQL database. It is fast.</p>",
                "Amazon DynamoDB"
            ),
            "Amazon DynamoDB is a fully managed NoSQL database"
        );
        assert_eq!(
            summary("The *weather* service.", "Weather"),
            "The weather service"
        );
        assert_eq!(summary("Chat rooms. More.", "Chat"), "Chat rooms");
    }
}
