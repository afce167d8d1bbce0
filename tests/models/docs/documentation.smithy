$version: "2"

// A corpus of documentation as models write it: CommonMark of every kind,
// and HTML as AWS models embed it (well-formed or not). The generated
// crate must document without a single rustdoc warning and keep every
// code block; tests/tests/documentation.rs checks what the text became.
namespace tinsmith.docs

use aws.protocols#restJson1

/// <fullname>Amazon Example Service</fullname>
/// <p>Amazon Example Service is a <i>fully managed</i> service. See
/// <a href="https://docs.aws.amazon.com/example/latest/">the guide</a>.</p>
@restJson1
@title("Amazon Example Service")
service Documented {
    version: "2024-01-01"
    operations: [Describe]
}

@http(method: "POST", uri: "/describe")
operation Describe {
    input: DescribeInput
    output: DescribeOutput
}

/// Example:
///
/// ```
/// let x = a <b> c;
/// let y = vec![1, 2];
/// ```
@input
structure DescribeInput {
    /// Indented code keeps its lines:
    ///
    ///     fn main() {
    ///         println!("{}", [1][0]);
    ///     }
    ///
    /// and a fenced block in another language stays text:
    ///
    /// ```json
    /// {"a": [1, 2], "b": "<c>"}
    /// ```
    indented: String

    /// <p>Returns the <code>Foo</code> of a <a href="https://example.com/a b(c)">bucket</a>.</p>
    /// <ul> <li> <p>One &amp; two</p> </li> <li> <p>Three <code>List&lt;String&gt;</code></p>
    /// <ul><li><p>nested</p></li></ul></li> </ul>
    html: String

    /// <p></p>
    emptyParagraph: String

    /// <p> </p> <p/>
    blankHtml: String

    /// <p>Use <code><Tag></code> elements, not <Error> ones; an
    /// <unknown attr="x">element</unknown> is text.</p>
    literalTags: String

    /// <p>Unclosed <b>bold and <i>italic
    unclosed: String

    /// <note> <p>Careful: this <b>matters</b>.</p> </note> <important><p>Very.</p></important>
    notes: String

    /// <pre><code>aws example describe \
    ///   --name &lt;value&gt;
    ///   --json '{"a": [1]}'</code></pre>
    preformatted: String

    /// <p>Run <code>aws s3 cp</code> with ```` triple ``` backticks ```` inside.</p>
    backticks: String

    /// See [the docs](https://example.com/docs), [a relative link](../other.html),
    /// [an anchor](#section), [a reference][ref], <https://autolink.example.com>
    /// and a bare https://bare.example.com/path?q=1, (in parentheses https://p.example.com).
    /// Mail <mailto:someone@example.com>.
    ///
    /// [ref]: https://example.com/ref
    links: String

    /// Brackets [like this] and [[double]], generics Vec<T>, a | pipe,
    /// *stars*, _underscores_, snake_case_names, 2 * 3 = 6, &amp; &copy; &#169;,
    /// ~tildes~, and a backslash \ here.
    punctuation: String

    /// # A heading
    ///
    /// > A quote with `code` and a
    /// > second line.
    ///
    /// 1. first
    /// 2. second
    ///    - nested *emphasis*
    ///    - nested **strong.**
    ///
    /// | a | b |
    /// |---|---|
    /// | 1 | 2 |
    ///
    /// ---
    ///
    /// - [ ] a task
    /// - [x] done
    commonmark: String

    /// <h2>Heading</h2><dl><dt>Term</dt><dd>Definition <b>(bold)</b>text.</dd></dl>
    /// <table><tr><th>Name</th><th>Value</th></tr><tr><td>a</td><td>1</td></tr></table>
    /// <p>Line<br/>break, <img src="x.png" alt="an image"/>, <a>no href</a>, <a href="mailto:x@y.z">mail</a>.</p>
    /// <script>alert(1)</script><style>p {}</style>
    htmlBlocks: String

    /// <ol start="3"><li>three</li><li>four</li></ol>
    /// <p>Text after a list: 1. not a list, - not a bullet, # not a heading.</p>
    lists: String
}

/// Output with docs in every position.
@output
structure DescribeOutput {
    /// <p>The <code>status</code>:</p> <ul><li><code>OK</code></li><li><code>ERR</code></li></ul>
    status: Status

    /// A union.
    choice: Choice
}

/// <p>Statuses. See <a href="javascript:alert(1)">this</a>.</p>
enum Status {
    /// <p>All good.</p>
    OK

    /// <p></p>
    ERR
}

/// ```
/// union {}
/// ```
union Choice {
    /// <p>A <b>string</b>.</p>
    text: String

    /// Nothing [at all].
    nothing: Unit
}
