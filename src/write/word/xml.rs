//! The one way a Word part is written: quick-xml's writer, which escapes
//! every text and attribute value, so no text of a package ends up as
//! markup of a part.

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

/// An XML part being written.
pub struct Xml(quick_xml::Writer<Vec<u8>>);

impl Xml {
    pub fn new() -> Self {
        Self(quick_xml::Writer::new(Vec::new()))
    }

    /// A part: its declaration, then what `body` writes.
    pub fn part(body: impl FnOnce(&mut Xml)) -> Vec<u8> {
        let mut xml = Xml::new();
        xml.declaration();
        body(&mut xml);
        xml.into_bytes()
    }

    // Writing to memory cannot fail: the results are dropped.
    pub fn open(&mut self, name: &str, attributes: &[(&str, &str)]) {
        let _ = self.0.write_event(Event::Start(BytesStart::new(name).with_attributes(attributes.iter().copied())));
    }

    pub fn close(&mut self, name: &str) {
        let _ = self.0.write_event(Event::End(BytesEnd::new(name)));
    }

    pub fn empty(&mut self, name: &str, attributes: &[(&str, &str)]) {
        let _ = self.0.write_event(Event::Empty(BytesStart::new(name).with_attributes(attributes.iter().copied())));
    }

    /// `<name attributes>` around what `inner` writes.
    pub fn element(&mut self, name: &str, attributes: &[(&str, &str)], inner: impl FnOnce(&mut Xml)) {
        self.open(name, attributes);
        inner(self);
        self.close(name);
    }

    /// Text without the control characters XML 1.0 cannot hold.
    pub fn text(&mut self, text: &str) {
        let clean: String = text
            .chars()
            .map(|c| if matches!(c, '\t' | '\n' | '\r') { ' ' } else { c })
            .filter(|&c| !((c as u32) < 0x20 || matches!(c, '\u{FFFE}' | '\u{FFFF}')))
            .collect();
        let _ = self.0.write_event(Event::Text(BytesText::new(&clean)));
    }

    /// A fixed fragment of the layout (the styles), read and written again
    /// event by event, so it goes through the writer like the rest.
    pub fn copy(&mut self, fragment: &'static str) {
        let mut reader = quick_xml::Reader::from_str(fragment);
        loop {
            match reader.read_event() {
                Ok(Event::Eof) | Err(_) => break,
                // The line breaks between its elements are the source's, not the part's.
                Ok(Event::Text(text)) if AsRef::<str>::as_ref(&text).trim().is_empty() => {}
                Ok(event) => {
                    let _ = self.0.write_event(event);
                }
            }
        }
    }

    /// What another writer wrote (the body, written apart from its notes).
    pub fn append(&mut self, other: Xml) {
        self.0.get_mut().extend(other.into_bytes());
    }

    pub fn declaration(&mut self) {
        let _ = self.0.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), Some("yes"))));
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.0.into_inner()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_attributes_are_escaped_and_control_characters_dropped() {
        let mut xml = Xml::new();
        xml.element("t", &[("v", "\"<&>")], |xml| xml.text("a < b & \"c\"\u{1}"));
        let written = String::from_utf8(xml.into_bytes()).unwrap();
        assert_eq!(written, "<t v=\"&quot;&lt;&amp;&gt;\">a &lt; b &amp; &quot;c&quot;</t>");
    }

    #[test]
    fn a_copied_fragment_is_written_as_it_reads() {
        let mut xml = Xml::new();
        xml.copy("<a x=\"1\"><b/>text</a>");
        assert_eq!(String::from_utf8(xml.into_bytes()).unwrap(), "<a x=\"1\"><b/>text</a>");
    }
}
