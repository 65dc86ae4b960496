//! Pictures as Word stores them: PNG, JPEG and GIF as they are, WebP as
//! PNG, SVG as itself with a PNG drawn beside it (bounded: an SVG the load
//! rules refuse is not drawn, the PNG is at most 1,600 px a side).

/// A picture to embed: its bytes as Word can show them (PNG, JPEG or
/// GIF), an optional SVG original, its size in pixels and its alt text.
pub struct Picture {
    pub raster: Vec<u8>,
    pub extension: &'static str,
    pub svg: Option<Vec<u8>>,
    pub width: u32,
    pub height: u32,
}

/// The PNG Word shows for a picture's bytes, as the drafts draw it (an SVG
/// the load-time cost rules refuse is not drawn): width and height in
/// pixels. For the fuzz target of this path and its regression tests.
pub fn fallback_raster(bytes: &[u8]) -> Option<(u32, u32)> {
    if crate::load::paths::svg_cost_refusal(bytes).is_some() {
        return None;
    }
    let picture = picture_of(bytes, None)?;
    let decoded = image::load_from_memory(&picture.raster).ok()?;
    Some((decoded.width(), decoded.height()))
}

/// The largest side of the PNG drawn beside an SVG, in pixels: what the
/// page shows (at most a text width), whatever size the SVG declares.
const MAX_RASTER_SIDE: f32 = 1600.0;

/// A picture as Word stores it: PNG, JPEG and GIF as they are; WebP as
/// PNG; SVG as itself with a PNG rendering beside it. `source` is the
/// package folder and the SVG's path in it, for pictures the SVG links;
/// without it (a map the tool drew) the SVG links nothing.
pub fn picture_of(bytes: &[u8], source: Option<(&std::path::Path, &str)>) -> Option<Picture> {
    // By content, as typst decides: a PNG with `<svg` in a text chunk is a
    // PNG, an SVG after a long comment or gzipped (SVGZ) is an SVG.
    let is_svg = match crate::load::paths::sniff_image(&bytes[..bytes.len().min(4096)]) {
        Some(kind) => kind == crate::load::paths::ImageKind::Svg,
        None => looks_like_svg(bytes),
    };
    if is_svg {
        let options = svg_options(source);
        let tree = resvg::usvg::Tree::from_data(bytes, &options).ok()?;
        let size = tree.size();
        let (declared_width, declared_height) = (size.width().max(1e-3), size.height().max(1e-3));
        // At most 1,200 pixels across and 1,600 down: sharp enough on a page
        // half wide, about 100 KB for a map.
        let scale = (1200.0 / declared_width).min(MAX_RASTER_SIDE / declared_height).min(2.0);
        let width = ((declared_width * scale) as u32).clamp(1, MAX_RASTER_SIDE as u32);
        let height = ((declared_height * scale) as u32).clamp(1, MAX_RASTER_SIDE as u32);
        let mut pixmap = resvg::tiny_skia::Pixmap::new(width, height)?;
        resvg::render(&tree, resvg::tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut());
        let int_size = size.to_int_size();
        return Some(Picture {
            raster: pixmap.encode_png().ok()?,
            extension: "png",
            svg: Some(bytes.to_vec()),
            width: int_size.width(),
            height: int_size.height(),
        });
    }
    let format = image::guess_format(bytes).ok()?;
    let (width, height) =
        image::ImageReader::with_format(std::io::Cursor::new(bytes), format).into_dimensions().ok()?;
    let (raster, extension) = match format {
        image::ImageFormat::Png => (bytes.to_vec(), "png"),
        image::ImageFormat::Jpeg => (bytes.to_vec(), "jpeg"),
        image::ImageFormat::Gif => (bytes.to_vec(), "gif"),
        _ => {
            let decoded = image::load_from_memory_with_format(bytes, format).ok()?;
            let mut png = Vec::new();
            decoded.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png).ok()?;
            (png, "png")
        }
    };
    Some(Picture { raster, extension, svg: None, width, height })
}

fn looks_like_svg(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_lowercase();
    head.contains("<svg")
}

/// usvg's options for an SVG of the package: a picture it links is read
/// through the package sandbox beside the SVG (as typst reads it), never
/// against the working directory; nested SVGs link nothing.
fn svg_options<'a>(source: Option<(&'a std::path::Path, &'a str)>) -> resvg::usvg::Options<'a> {
    use resvg::usvg::{ImageHrefResolver, ImageKind, Options};
    let resolve_string: resvg::usvg::ImageHrefStringResolverFn<'a> = match source {
        None => Box::new(|_, _| None),
        Some((root, file)) => Box::new(move |href: &str, options: &Options| {
            let relative = crate::load::paths::resolve(file, href)?;
            let bytes =
                std::sync::Arc::new(crate::sandbox::read(root, &relative, crate::limits::MAX_IMAGE_BYTES).ok()?);
            match crate::load::paths::sniff_image(&bytes[..bytes.len().min(4096)])? {
                crate::load::paths::ImageKind::Png => Some(ImageKind::PNG(bytes)),
                crate::load::paths::ImageKind::Jpeg => Some(ImageKind::JPEG(bytes)),
                crate::load::paths::ImageKind::Gif => Some(ImageKind::GIF(bytes)),
                crate::load::paths::ImageKind::Webp => Some(ImageKind::WEBP(bytes)),
                crate::load::paths::ImageKind::Svg => {
                    resvg::usvg::Tree::from_data_nested(&bytes, options).ok().map(ImageKind::SVG)
                }
            }
        }),
    };
    Options {
        resources_dir: None,
        image_href_resolver: ImageHrefResolver {
            resolve_data: ImageHrefResolver::default_data_resolver(),
            resolve_string,
        },
        ..Options::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn costly_svgs_draw_within_bounds_or_not_at_all() {
        let tall =
            br#"<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1e9"><rect width="1" height="1e9"/></svg>"#;
        let (width, height) = fallback_raster(tall).expect("drawn");
        assert!(width <= 1600 && height <= 1600, "{width} x {height}");
        let mut uses = String::from(
            r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><defs><rect id="u0" width="1" height="1"/>"#,
        );
        for i in 1..=30 {
            uses.push_str(&format!(r##"<g id="u{i}"><use xlink:href="#u{0}"/><use xlink:href="#u{0}"/></g>"##, i - 1));
        }
        uses.push_str(r##"</defs><use xlink:href="#u30"/></svg>"##);
        assert_eq!(fallback_raster(uses.as_bytes()), None, "a <use> bomb is refused");
        let blur: String =
            (0..100).map(|i| format!(r#"<filter id="f{i}"><feGaussianBlur stdDeviation="9"/></filter>"#)).collect();
        let blurred =
            format!(r#"<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"><defs>{blur}</defs></svg>"#);
        assert_eq!(fallback_raster(blurred.as_bytes()), None, "100 filters are refused");
        let comment =
            format!("<!-- {} --><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4\" height=\"2\"/>", "x".repeat(600));
        assert!(fallback_raster(comment.as_bytes()).is_some(), "an SVG after a long comment is an SVG");
    }

    #[test]
    fn an_svg_gets_a_png_beside_it() {
        let svg = br##"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="#003399"/></svg>"##;
        let picture = picture_of(svg, None).expect("an SVG is a picture");
        assert_eq!((picture.width, picture.height), (40, 20));
        assert!(picture.raster.starts_with(b"\x89PNG"));
        assert!(picture.svg.is_some());
    }
}
