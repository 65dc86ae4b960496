//! Font files in a package's fonts/: refused before their tables are read
//! when they claim too much, else added to the font set typst uses.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let font = emn_pub::fonts::PackageFont { path: "fonts/x.ttf".into(), bytes: bytes.to_vec() };
    let (fonts, _) = emn_pub::fonts::FontSet::with_package(&[font]);
    let _ = fonts.covers("Ž字");
});
