//! Namespace-tolerant lookups in OOXML: elements and attributes are matched
//! by local name, so transitional (`w:` = 2006/main) and strict OOXML, and
//! writers that pick other prefixes, read the same.

/// Whether `node` is an element with local name `name`.
pub fn is(node: roxmltree::Node, name: &str) -> bool {
    node.is_element() && node.tag_name().name() == name
}

/// The attribute with local name `name`, in any namespace.
pub fn attr<'a>(node: roxmltree::Node<'a, '_>, name: &str) -> Option<&'a str> {
    node.attributes().find(|a| a.name() == name).map(|a| a.value())
}

/// An attribute as a number.
pub fn int_attr<T: std::str::FromStr>(node: roxmltree::Node, name: &str) -> Option<T> {
    attr(node, name)?.trim().parse().ok()
}

/// The first child element with local name `name`.
pub fn child<'a, 'i>(node: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    node.children().find(|c| is(*c, name))
}

/// The child elements with local name `name`.
pub fn children<'a, 'i>(
    node: roxmltree::Node<'a, 'i>,
    name: &'static str,
) -> impl Iterator<Item = roxmltree::Node<'a, 'i>> {
    node.children().filter(move |c| is(*c, name))
}

/// A toggle property (`<w:b/>`, `<w:b w:val="0"/>`): on unless its value says off.
pub fn toggle(properties: Option<roxmltree::Node>, name: &str) -> bool {
    properties.and_then(|p| child(p, name)).is_some_and(|n| !matches!(attr(n, "val"), Some("0" | "false" | "off")))
}

/// How deep the elements of a parsed XML document nest, in one pass over
/// its nodes in document order (a parent comes before its children):
/// roxmltree parses without recursion, the readers that walk the tree
/// afterwards recurse.
pub fn depth(document: &roxmltree::Document) -> usize {
    let mut depths: Vec<u32> = Vec::new();
    let mut deepest = 0;
    for node in document.descendants() {
        let index = node.id().get_usize();
        let depth = node.parent().map_or(0, |parent| depths.get(parent.id().get_usize()).copied().unwrap_or(0) + 1);
        if depths.len() <= index {
            depths.resize(index + 1, 0);
        }
        depths[index] = depth;
        deepest = deepest.max(depth as usize);
    }
    deepest
}
