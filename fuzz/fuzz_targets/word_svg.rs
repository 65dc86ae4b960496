//! The Word drafts' picture path: any bytes as an SVG (or raster) picture,
//! through the load-time cost rules and resvg's rasteriser, bounded.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let _ = emn_pub::publications::word::fallback_raster(bytes);
});
