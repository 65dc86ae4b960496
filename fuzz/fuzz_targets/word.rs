//! Word files as import-docx reads them, mapped to the study template.
#![no_main]
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

fn template() -> &'static emn_pub::load::Template {
    static TEMPLATE: OnceLock<emn_pub::load::Template> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let text = emn_pub::load::template::built_in("study-generic").expect("built in");
        emn_pub::load::template::parse("study-generic", text).0.expect("the built-in template parses")
    })
}

fuzz_target!(|bytes: &[u8]| {
    let _ = emn_pub::docx::to_markdown(bytes, template());
});
