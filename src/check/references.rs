//! Rules over what a document points at: images and links inside the
//! package, images Markdown did not read, raw HTML.

use super::*;

pub(super) fn check_references(package: &Package, document: &Document, out: &mut Vec<Diagnostic>) {
    let file = document.file.as_str();
    crate::load::for_each_reference(document, &mut |inline| {
        let (url, target, is_image, pos) = match inline {
            Inline::Image { url, target, alt, pos } => {
                if crate::fonts::visible(alt).trim().is_empty() {
                    out.push(
                        Diagnostic::error("missing-alt-text", file, format!("image {url} has no alt text"))
                            .at(pos.line, pos.column)
                            .with_hint(
                                "describe the image between the brackets: ![Asylum applications 2019-2023](...)",
                            ),
                    );
                }
                (url, target, true, pos)
            }
            Inline::Link { url, target, pos, .. } => (url, target, false, pos),
            _ => return,
        };
        let relative = match target {
            Target::Remote => {
                if !is_image && url.len() > crate::limits::MAX_LINK_BYTES {
                    out.push(
                        Diagnostic::warning(
                            "long-link",
                            file,
                            format!(
                                "the link target is {} bytes long (at most {} become links): its text is printed without the link",
                                url.len(),
                                crate::limits::MAX_LINK_BYTES
                            ),
                        )
                        .at(pos.line, pos.column)
                        .with_hint("link to the page itself rather than to a search result or a tracking URL"),
                    );
                }
                if is_image {
                    out.push(
                        Diagnostic::error("remote-image", file, format!("image {url} is not a file of the package"))
                            .at(pos.line, pos.column)
                            .with_hint("download the image into assets/ and refer to it with a relative path"),
                    );
                }
                return;
            }
            Target::Outside => {
                let code = if is_image { "image-outside-package" } else { "broken-link" };
                out.push(
                    Diagnostic::error(code, file, format!("{url} points outside the package folder"))
                        .at(pos.line, pos.column)
                        .with_hint("keep referenced files inside the package, e.g. in assets/"),
                );
                return;
            }
            Target::Local(relative) => relative,
        };
        let facts = package.referenced.get(relative).cloned().unwrap_or(FileFacts::Missing);
        let problem = reference_problem(url, relative, facts.clone(), is_image);
        if let Some((code, message)) = problem {
            let hint = match (&facts, Target::of(crate::load::ROOT_FILE, url)) {
                (FileFacts::Missing, Target::Local(from_root))
                    if matches!(package.referenced.get(&from_root), Some(FileFacts::File { .. })) =>
                {
                    let up = "../".repeat(file.matches('/').count());
                    format!(
                        "paths are relative to this Markdown file, not to the package folder: write `{up}{from_root}`"
                    )
                }
                _ if code == "bad-link-target" => {
                    "link to the page on the web instead, or save the file as PDF and link that".to_string()
                }
                _ if code == "bad-image" && relative.to_ascii_lowercase().contains(".svg") => {
                    "export the picture again as plain SVG or PNG (no scripts, links or embedded HTML)".to_string()
                }
                _ => "check the path: it is relative to this Markdown file".to_string(),
            };
            out.push(Diagnostic::error(code, file, message).at(pos.line, pos.column).with_hint(hint));
        }
    });
}

/// The bounds on what a package holds in all: the files its Markdown links
/// or shows (at the reference that goes past [`MAX_LINKED_BYTES`]), and
/// every file it holds (what a bundle's `sources/` may unpack to).
///
/// [`MAX_LINKED_BYTES`]: crate::limits::MAX_LINKED_BYTES
pub(super) fn check_package_bytes(package: &Package, out: &mut Vec<Diagnostic>) {
    use crate::limits::{MAX_LINKED_BYTES, MAX_PACKAGE_BYTES};
    let megabytes = |bytes: u64| bytes.div_ceil(1024 * 1024);
    let file_bytes = |facts: &FileFacts| match facts {
        FileFacts::File { bytes, .. } => Some(*bytes),
        _ => None,
    };
    let total: u64 = package.referenced.values().filter_map(file_bytes).fold(0, u64::saturating_add);
    if total > MAX_LINKED_BYTES {
        // In the order load carried them: the first file past the bound.
        let mut sum = 0u64;
        let over = package.referenced.iter().find_map(|(path, facts)| {
            sum = sum.saturating_add(file_bytes(facts)?);
            (sum > MAX_LINKED_BYTES).then_some(path)
        });
        let mut place = None;
        for document in package.documents() {
            crate::load::for_each_reference(document, &mut |inline| {
                if let Inline::Image { target: Target::Local(path), pos, .. }
                | Inline::Link { target: Target::Local(path), pos, .. } = inline
                    && Some(path) == over
                    && place.is_none()
                {
                    place = Some((document.file.clone(), *pos));
                }
            });
        }
        let (file, line, column) = place.map_or((manifest::FILE.to_string(), 1, 1), |(f, p)| (f, p.line, p.column));
        out.push(
            Diagnostic::error(
                "package-too-large",
                &file,
                format!(
                    "the files the package links or shows hold {} MB together, more than the {} MB a bundle carries; {} goes past that bound",
                    megabytes(total),
                    megabytes(MAX_LINKED_BYTES),
                    over.map_or("a file", String::as_str)
                ),
            )
            .at(line, column)
            .with_hint("make the pictures smaller (a PNG or JPEG as wide as a page is a few hundred KB), or link large documents on the web"),
        );
    }
    let held: u64 = package.sources.values().map(|s| s.bytes).fold(0, u64::saturating_add);
    if held > MAX_PACKAGE_BYTES {
        out.push(
            Diagnostic::error(
                "package-too-large",
                manifest::FILE,
                format!(
                    "the package's files hold {} MB together, more than the {} MB a bundle may carry",
                    megabytes(held),
                    megabytes(MAX_PACKAGE_BYTES)
                ),
            )
            .with_hint("keep only the statistics the template's tables use, and split very large files"),
        );
    }
}

/// What is wrong with a local link or image target, given what the disk
/// says about it: `(code, message)`.
fn reference_problem(url: &str, relative: &str, facts: FileFacts, is_image: bool) -> Option<(&'static str, String)> {
    match (facts, is_image) {
        (FileFacts::Outside, true) => {
            Some(("image-outside-package", format!("{url} leads outside the package folder (through a link)")))
        }
        (FileFacts::Outside, false) => Some(("broken-link", format!("{url} leads outside the package folder"))),
        (FileFacts::Unreadable(why), _) => Some(("unreadable-file", format!("cannot read {relative} ({why})"))),
        (FileFacts::NotRegular, _) => Some((
            if is_image { "bad-image" } else { "broken-link" },
            format!("{relative} is not a regular file (a FIFO, socket or device)"),
        )),
        (FileFacts::Missing | FileFacts::Directory, true) => {
            Some(("missing-image", format!("image {relative} does not exist")))
        }
        (FileFacts::Missing, false) => Some(("broken-link", format!("link target {relative} does not exist"))),
        (FileFacts::File { image: None, .. }, true) => {
            Some(("bad-image", format!("{relative} is not a PNG, JPEG, GIF, WebP or SVG image")))
        }
        (FileFacts::File { image: Some(paths::ImageFacts { refused: Some(why), .. }), .. }, true) => {
            Some(("bad-image", format!("the image {relative} cannot be used: {why}")))
        }
        (FileFacts::File { image: Some(paths::ImageFacts { pixels: Some(pixels), .. }), .. }, true)
            if pixels > crate::limits::MAX_IMAGE_PIXELS =>
        {
            let size = if pixels == u64::MAX { "an unreadable size".to_string() } else { format!("{pixels} pixels") };
            Some((
                "bad-image",
                format!(
                    "{relative} has {size} (the limit is {} pixels, about 8000 × 5000)",
                    crate::limits::MAX_IMAGE_PIXELS
                ),
            ))
        }
        (FileFacts::File { unlinkable: Some(why), .. }, false) => Some(("bad-link-target", why)),
        (FileFacts::File { bytes, .. }, true) if bytes > crate::limits::MAX_IMAGE_BYTES => Some((
            "bad-image",
            format!("{relative} is {bytes} bytes (the limit is {} bytes)", crate::limits::MAX_IMAGE_BYTES),
        )),
        _ => None,
    }
}

/// `![alt](path)` that Markdown did not read as an image (a space or a
/// parenthesis in the path): it would be printed as those characters.
pub(super) fn check_unread_images(document: &Document, out: &mut Vec<Diagnostic>) {
    let mut image_lines = std::collections::BTreeSet::new();
    crate::load::for_each_reference(document, &mut |inline| {
        if let Inline::Image { pos, .. } = inline {
            image_lines.insert(pos.line);
        }
    });
    // Text that Markdown did not read as an image: `![…](…)` left in the
    // runs of one line of one paragraph (brackets may be runs of their own).
    let runs = document.runs.iter().filter(|run| run.kind != markdown::RunKind::Code);
    let mut lines: Vec<Vec<&markdown::TextRun>> = Vec::new();
    for run in runs {
        match lines.last_mut() {
            Some(line) if line[0].block == run.block && line[0].pos.line == run.pos.line => line.push(run),
            _ => lines.push(vec![run]),
        }
    }
    for line in lines {
        let joined: String = line.iter().map(|run| run.text.as_str()).collect();
        let Some(at) = joined.find("![") else { continue };
        if image_lines.contains(&line[0].pos.line) || !joined[at..].contains("](") {
            continue;
        }
        // The column of `![`: in the run it starts in.
        let mut before = at;
        let mut column = line[0].pos.column;
        for run in &line {
            if before < run.text.len() {
                column = run.pos.column + run.text[..before].chars().count();
                break;
            }
            before -= run.text.len();
        }
        out.push(
            Diagnostic::warning("unread-image", &document.file, "this looks like an image, but Markdown does not read it as one, so its characters are printed instead")
                .at(line[0].pos.line, column)
                .spanning(joined[at..].chars().count().min(80))
                .with_hint("a path with spaces or parentheses goes in angle brackets: ![Chart](<../assets/my chart (1).png>); or rename the file"),
        );
    }
}

pub(super) fn check_raw_html(document: &Document, out: &mut Vec<Diagnostic>) {
    let mut warn = |pos: markdown::Pos| {
        out.push(
            Diagnostic::warning("raw-html", &document.file, "raw HTML is shown as text, not interpreted")
                .at(pos.line, pos.column)
                .with_hint("use Markdown instead of HTML"),
        )
    };
    fn blocks_html(blocks: &[Block], warn: &mut dyn FnMut(markdown::Pos)) {
        for block in blocks {
            match block {
                Block::Html { pos, .. } => warn(*pos),
                Block::List { items, .. } => items.iter().for_each(|i| blocks_html(&i.blocks, warn)),
                Block::Quote(inner) => blocks_html(inner, warn),
                _ => {}
            }
        }
    }
    blocks_html(&document.body, &mut warn);
    markdown::for_each_inlines(&document.body, &mut |inlines| {
        markdown::walk_inlines(inlines, &mut |inline| {
            if let Inline::Html { pos, .. } = inline {
                warn(*pos)
            }
        })
    });
}

#[cfg(test)]
mod tests {
    use super::super::testing::{codes, contribution, package};
    use super::*;

    fn check_at(from: &str, to: &str) -> Vec<Diagnostic> {
        let (path, text) = contribution("AT", from, to);
        let package = package(&[(&path, &text)]);
        let document = &package.contributions.iter().find(|c| c.country() == "AT").unwrap().document;
        let mut out = Vec::new();
        check_references(&package, document, &mut out);
        check_unread_images(document, &mut out);
        check_raw_html(document, &mut out);
        out
    }

    #[test]
    fn images_need_a_description_and_a_file_of_the_package() {
        let found = check_at("# Key findings\n", "# Key findings\n\n![](../assets/cz-permits.svg)\n");
        assert_eq!(codes(&found), [("missing-alt-text", Some(11))]);
        let found = check_at("# Key findings\n", "# Key findings\n\n![Chart](https://example.org/chart.png)\n");
        assert_eq!(codes(&found), [("remote-image", Some(11))]);
    }

    #[test]
    fn raw_html_is_shown_as_text_and_said() {
        let found = check_at("# Key findings\n", "# Key findings\n\nSee <b>this</b>.\n");
        assert_eq!(codes(&found), [("raw-html", Some(11)), ("raw-html", Some(11))]);
    }
}
