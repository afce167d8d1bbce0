//! XML for generated protocol code: restXml bodies, and the responses of
//! awsQuery and ec2Query.
//!
//! Smithy's XML forms (spec: "XML bindings") use elements, attributes and
//! text only, so a body is read into a small [`Element`] tree (quick-xml
//! does the parsing and unescaping) and generated deserializers walk it;
//! serializers build a tree and [`to_body`] writes it. Mixed content keeps
//! only its text. Element names are matched by local name unless the model
//! names a prefix (`@xmlName("xsi:type")`), and nesting is bounded before
//! anything recurses. Like the JSON and CBOR modules, this is for generated
//! code and hidden from the docs.

use std::borrow::Cow;

use base64::Engine as _;
use quick_xml::events::{BytesEnd, BytesStart, BytesText, Event};

use crate::{BigDecimal, BigInteger, Blob, DateTime, TimestampFormat};

/// A value did not have the expected form.
pub type DeError = String;

/// A parsed body, as generated code names it in every codec.
pub type Value = Element;

/// How deep elements may nest in a body (serde_json's recursion limit).
const MAX_DEPTH: usize = 128;

/// An XML element: its name as written (with any prefix), attributes,
/// child elements and text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Element {
    name: String,
    attributes: Vec<(String, String)>,
    children: Vec<Element>,
    text: String,
}

impl Element {
    /// An element without attributes, children or text.
    pub fn new(name: impl Into<String>) -> Element {
        Element {
            name: name.into(),
            ..Element::default()
        }
    }

    /// An element holding `text`.
    pub fn leaf(name: impl Into<String>, text: impl Into<String>) -> Element {
        Element {
            name: name.into(),
            text: text.into(),
            ..Element::default()
        }
    }

    /// The name as written, with any prefix.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The name without its prefix.
    pub fn local_name(&self) -> &str {
        local(&self.name)
    }

    /// True when this element is called `name`: the same local name, or,
    /// when `name` has a prefix, the same name.
    pub fn is(&self, name: &str) -> bool {
        if name.contains(':') {
            self.name == name
        } else {
            self.local_name() == name
        }
    }

    /// Sets an attribute (`xmlns`, `xmlns:prefix` or a member's).
    pub fn set_attribute(&mut self, name: impl Into<String>, value: impl Into<String>) {
        let name = name.into();
        let value = value.into();
        match self.attributes.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = value,
            None => self.attributes.push((name, value)),
        }
    }

    /// Appends a child element.
    pub fn push(&mut self, child: Element) {
        self.children.push(child);
    }

    /// Sets the text.
    pub fn set_text(&mut self, text: impl Into<String>) {
        self.text = text.into();
    }

    /// The value of an attribute, matched as [`Element::is`] matches names.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, _)| {
                if name.contains(':') {
                    n == name
                } else {
                    !n.contains(':') && n == name
                }
            })
            .map(|(_, v)| v.as_str())
    }

    /// The attributes, in order, as `(name, value)`.
    pub fn attribute_pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.attributes
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The child elements, in order.
    pub fn children(&self) -> std::slice::Iter<'_, Element> {
        self.children.iter()
    }

    /// The first child called `name`.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.is(name))
    }

    /// The text directly inside the element.
    pub fn text(&self) -> &str {
        &self.text
    }
}

fn local(name: &str) -> &str {
    name.rsplit_once(':').map_or(name, |(_, l)| l)
}

/// `element` with a namespace attribute (`xmlns` or `xmlns:<prefix>`).
pub fn namespaced(mut element: Element, attribute: &str, uri: &str) -> Element {
    element.set_attribute(attribute, uri);
    element
}

/// The first child called `name`, which must be there (a map entry's key
/// or value).
pub fn required_child<'e>(element: &'e Element, name: &str) -> Result<&'e Element, DeError> {
    element
        .child(name)
        .ok_or_else(|| format!("`{}` has no `{name}`", element.name()))
}

/// The text of an attribute as an element of its own, so attribute values
/// are read with the same functions as elements.
pub fn attribute_value(element: &Element, name: &str) -> Option<Element> {
    element.attribute(name).map(|v| Element::leaf(name, v))
}

/// `element` as the one child of a nameless wrapper, so a body whose root
/// is a member (`@s3UnwrappedXmlOutput`) reads like one that wraps it.
pub fn wrapped(element: Element) -> Element {
    let mut wrapper = Element::default();
    wrapper.push(element);
    wrapper
}

/// An element without name, attributes, children or text.
static EMPTY: Element = Element {
    name: String::new(),
    attributes: Vec::new(),
    children: Vec::new(),
    text: String::new(),
};

/// The first child called `name`, or an empty element when there is none
/// (an awsQuery response's `<OpResult>`, absent when the output is empty).
pub fn child_or_empty<'e>(element: &'e Element, name: &str) -> &'e Element {
    element.child(name).unwrap_or(&EMPTY)
}

/// An empty element: what an error body that is not XML reads as.
pub fn null() -> Element {
    Element::default()
}

fn syntax(e: impl std::fmt::Display) -> DeError {
    format!("the body is not valid XML: {e}")
}

/// True for an XML name (XML 1.0 § 2.3, `Name`), ASCII punctuation
/// checked and other non-ASCII characters allowed as name characters.
fn is_name(name: &str) -> bool {
    let mut chars = name.chars();
    let start = |c: char| c.is_alphabetic() || c == '_' || c == ':' || !c.is_ascii();
    chars.next().is_some_and(start)
        && chars.all(|c| start(c) || c.is_ascii_digit() || c == '-' || c == '.')
}

fn start_element(start: &BytesStart<'_>) -> Result<Element, DeError> {
    let name = start.name().as_ref().to_owned();
    if !is_name(&name) {
        return Err(syntax(format!("`{name}` is not an element name")));
    }
    let mut element = Element::new(name);
    for attribute in start.attributes() {
        let attribute = attribute.map_err(syntax)?;
        let key = attribute.key.as_ref().to_owned();
        if !is_name(&key) {
            return Err(syntax(format!("`{key}` is not an attribute name")));
        }
        let value = attribute
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(syntax)?;
        element.attributes.push((key, value.into_owned()));
    }
    Ok(element)
}

/// Parses a body into its root element. A body without an element (empty,
/// or only a declaration) is an element without a name.
pub fn parse_body(body: &[u8]) -> Result<Element, DeError> {
    let text = std::str::from_utf8(body).map_err(|_| "the body is not valid UTF-8".to_owned())?;
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    // Open elements, innermost last.
    let mut open: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let event = reader.read_event().map_err(syntax)?;
        match event {
            Event::Start(start) => {
                if root.is_some() {
                    return Err(syntax("more than one root element"));
                }
                if open.len() >= MAX_DEPTH {
                    return Err(format!("elements nest deeper than {MAX_DEPTH}"));
                }
                open.push(start_element(&start)?);
            }
            Event::Empty(start) => {
                let element = start_element(&start)?;
                match open.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None if root.is_none() => root = Some(element),
                    None => return Err(syntax("more than one root element")),
                }
            }
            Event::End(_) => {
                let element = open.pop().ok_or_else(|| syntax("an unmatched end tag"))?;
                match open.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None => root = Some(element),
                }
            }
            Event::Text(text) => {
                let content = text.xml10_content();
                match open.last_mut() {
                    Some(element) => element.text.push_str(&content),
                    None if content.trim().is_empty() => {}
                    None => return Err(syntax("text outside the root element")),
                }
            }
            Event::CData(data) => {
                let data = data.xml10_content();
                match open.last_mut() {
                    Some(element) => element.text.push_str(&data),
                    None => return Err(syntax("CDATA outside the root element")),
                }
            }
            Event::GeneralRef(reference) => {
                let resolved: Cow<'_, str> = match reference.resolve_char_ref().map_err(syntax)? {
                    Some(c) => Cow::Owned(c.to_string()),
                    None => {
                        let name: &str = &reference;
                        Cow::Borrowed(
                            quick_xml::escape::resolve_predefined_entity(name)
                                .ok_or_else(|| syntax(format!("unknown entity &{name};")))?,
                        )
                    }
                };
                match open.last_mut() {
                    Some(element) => element.text.push_str(&resolved),
                    None => return Err(syntax("a reference outside the root element")),
                }
            }
            Event::Eof => break,
            // Declarations, comments, processing instructions and DTDs
            // carry no values.
            Event::Decl(_) | Event::Comment(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    if !open.is_empty() {
        return Err(syntax("the body ends inside an element"));
    }
    Ok(root.unwrap_or_default())
}

/// Writes an element (and everything inside it) as a body.
pub fn to_body(element: &Element) -> bytes::Bytes {
    let mut writer = quick_xml::Writer::new(Vec::new());
    write(&mut writer, element);
    bytes::Bytes::from(writer.into_inner())
}

fn write(writer: &mut quick_xml::Writer<Vec<u8>>, element: &Element) {
    let mut start = BytesStart::new(element.name.as_str());
    for (name, value) in &element.attributes {
        start.push_attribute((name.as_str(), value.as_str()));
    }
    // Writing into a `Vec` cannot fail.
    let _ = writer.write_event(Event::Start(start));
    if !element.text.is_empty() {
        let _ = writer.write_event(Event::Text(BytesText::new(&element.text)));
    }
    for child in &element.children {
        write(writer, child);
    }
    let _ = writer.write_event(Event::End(BytesEnd::new(element.name.as_str())));
}

/// A string value.
pub fn de_string(element: &Element) -> Result<String, DeError> {
    Ok(element.text.clone())
}

fn trimmed(element: &Element) -> &str {
    element.text.trim()
}

/// A boolean.
pub fn de_bool(element: &Element) -> Result<bool, DeError> {
    match trimmed(element) {
        "true" => Ok(true),
        "false" => Ok(false),
        other => Err(format!("expected a boolean, found `{other}`")),
    }
}

/// An integer that must fit `T`.
pub fn de_int<T: TryFrom<i64>>(element: &Element) -> Result<T, DeError> {
    let text = trimmed(element);
    let n: i64 = text
        .parse()
        .map_err(|_| format!("expected an integer, found `{text}`"))?;
    T::try_from(n).map_err(|_| format!("integer {n} out of range"))
}

/// A float, with Smithy's text forms of non-finite values.
pub fn de_float(element: &Element) -> Result<f64, DeError> {
    crate::binding::parse_float(trimmed(element))
}

/// A base64 blob.
pub fn de_blob(element: &Element) -> Result<Blob, DeError> {
    base64::engine::general_purpose::STANDARD
        .decode(trimmed(element))
        .map(Blob::new)
        .map_err(|e| format!("invalid base64: {e}"))
}

/// A timestamp in the given format.
pub fn de_timestamp(element: &Element, format: TimestampFormat) -> Result<DateTime, DeError> {
    DateTime::parse(trimmed(element), format).map_err(|e| e.to_string())
}

/// A big integer.
pub fn de_big_integer(element: &Element) -> Result<BigInteger, DeError> {
    trimmed(element)
        .parse()
        .map_err(|e: crate::primitives::ParseBigNumberError| e.to_string())
}

/// A big decimal.
pub fn de_big_decimal(element: &Element) -> Result<BigDecimal, DeError> {
    trimmed(element)
        .parse()
        .map_err(|e: crate::primitives::ParseBigNumberError| e.to_string())
}

/// The text of a boolean.
pub fn fmt_bool(v: bool) -> String {
    v.to_string()
}

/// The text of an integer.
pub fn fmt_int(v: impl Into<i64>) -> String {
    v.into().to_string()
}

/// The text of a float, with Smithy's forms of non-finite values.
pub fn fmt_float(v: f64) -> String {
    crate::binding::fmt_float(v)
}

/// The text of a `float`, with its shortest `f32` digits.
pub fn fmt_f32(v: f32) -> String {
    crate::binding::fmt_f32(v)
}

/// The text of a blob: base64.
pub fn fmt_blob(v: &Blob) -> String {
    crate::binding::fmt_base64_bytes(v.as_bytes())
}

/// The text of a timestamp in the given format; epoch seconds for an
/// instant the format cannot express (a year past 9999).
pub fn fmt_timestamp(v: &DateTime, format: TimestampFormat) -> String {
    v.fmt(format)
        .or_else(|_| v.fmt(TimestampFormat::EpochSeconds))
        .unwrap_or_default()
}

/// The element of an error response that holds the error: `<Error>` at
/// the root (restXml with `noErrorWrapping`), inside `<ErrorResponse>`
/// (restXml, awsQuery), or inside `<Response><Errors>` (ec2Query); the
/// root when there is none.
pub fn error_element(root: &Element) -> &Element {
    if root.is("Error") {
        return root;
    }
    root.child("Error")
        .or_else(|| root.child("Errors").and_then(|e| e.child("Error")))
        .unwrap_or(root)
}

/// The error code of an XML error response: the `<Code>` of its error
/// element, sanitized to a shape name.
pub fn error_code(_response: &crate::transport::HttpResponse, body: &Element) -> Option<String> {
    error_element(body)
        .child("Code")
        .map(|c| crate::binding::sanitize_error_code(c.text()))
        .filter(|c| !c.is_empty())
        .map(str::to_owned)
}

/// The error message: the error element's `<Message>`, however it is cased.
pub fn error_message(body: &Element) -> Option<String> {
    error_element(body)
        .children()
        .find(|c| c.local_name().eq_ignore_ascii_case("message"))
        .map(|c| c.text().to_owned())
}

/// What an XML error document carries beside its code and message:
/// nothing (typed details travel in the JSON and CBOR protocols).
pub fn error_extras(_body: &Element) -> crate::binding::ErrorExtras {
    crate::binding::ErrorExtras::default()
}

/// The request id an XML error body carries (`<RequestId>` beside the
/// error, `<RequestID>` in ec2Query's), for services that send none in a
/// header.
pub fn error_request_id(body: &Element) -> Option<String> {
    body.children()
        .chain(error_element(body).children())
        .find(|c| c.local_name().eq_ignore_ascii_case("requestid"))
        .map(|c| c.text().trim().to_owned())
}

/// Fills a modeled error's message member from [`error_message`] when the
/// body left it empty.
pub fn fill_message(slot: &mut impl crate::binding::MessageSlot, body: &Element) {
    slot.fill(error_message(body));
}

/// Prefixes a member name to an error from inside it.
pub fn at(member: &str, error: DeError) -> DeError {
    format!("{member}: {error}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_elements_attributes_text_and_references() {
        let root = parse_body(
            br#"<?xml version="1.0"?>
            <a:Root xmlns:a="urn:x" b="1 &amp; 2"><Name>x &lt;y&gt; &#65;<![CDATA[<z>]]></Name><Empty/></a:Root>"#,
        )
        .unwrap();
        assert_eq!(root.name(), "a:Root");
        assert!(root.is("Root") && root.is("a:Root") && !root.is("b:Root"));
        assert_eq!(root.attribute("b"), Some("1 & 2"));
        assert_eq!(root.child("Name").unwrap().text(), "x <y> A<z>");
        assert_eq!(root.child("Empty").unwrap().text(), "");
        assert_eq!(root.children().count(), 2);
    }

    #[test]
    fn rejects_what_is_not_one_well_formed_element() {
        for body in [
            &b"<a><=/></a>"[..],
            b"<a \0x=\"1\"/>",
            b"<1a/>",
            b"<a><b></a>",
            b"<a>",
            b"<a></a><b/>",
            b"text",
            b"<a>&nope;</a>",
            b"\xff",
        ] {
            assert!(parse_body(body).is_err(), "{body:?}");
        }
        assert_eq!(parse_body(b"  ").unwrap(), null());
        let deep = format!("{}{}", "<a>".repeat(200), "</a>".repeat(200));
        assert!(parse_body(deep.as_bytes()).unwrap_err().contains("deeper"));
    }

    #[test]
    fn writes_what_it_reads() {
        let mut root = Element::new("Root");
        root.set_attribute("xmlns", "https://example.com");
        root.set_attribute("attr", "a\"b<");
        root.push(Element::leaf("Text", "1 < 2 & \"3\""));
        root.push(Element::new("Empty"));
        let body = to_body(&root);
        assert_eq!(parse_body(&body).unwrap(), root);
    }

    #[test]
    fn finds_the_error_in_every_wrapping() {
        for body in [
            "<ErrorResponse><Error><Type>Sender</Type><Code>ns#Bad:http://x</Code><Message>m</Message></Error><RequestId>r</RequestId></ErrorResponse>",
            "<Error><Code>Bad</Code><message>m</message><RequestId>r</RequestId></Error>",
            "<Response><Errors><Error><Code>Bad</Code><Message>m</Message></Error></Errors><RequestID>r</RequestID></Response>",
        ] {
            let root = parse_body(body.as_bytes()).unwrap();
            assert!(error_element(&root).child("Code").is_some());
            assert_eq!(error_message(&root).as_deref(), Some("m"), "{body}");
            assert_eq!(error_request_id(&root).as_deref(), Some("r"), "{body}");
            assert_eq!(
                crate::binding::sanitize_error_code(
                    error_element(&root).child("Code").unwrap().text()
                ),
                "Bad"
            );
        }
    }

    #[test]
    fn reads_scalars() {
        let e = |t: &str| Element::leaf("v", t);
        assert!(de_bool(&e(" true ")).unwrap());
        assert!(de_bool(&e("yes")).is_err());
        assert_eq!(de_int::<i8>(&e("-12")).unwrap(), -12);
        assert!(de_int::<i8>(&e("300")).is_err());
        assert!(de_float(&e("NaN")).unwrap().is_nan());
        assert_eq!(de_blob(&e("aGk=")).unwrap(), Blob::from("hi"));
        assert_eq!(
            de_timestamp(&e("2000-01-02T20:34:56Z"), TimestampFormat::DateTime)
                .unwrap()
                .secs(),
            946845296
        );
    }
}
