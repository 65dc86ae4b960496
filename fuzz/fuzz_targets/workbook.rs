//! Excel and OpenDocument workbooks, bounded before calamine reads them.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let _ = emn_pub::load::workbook::read("statistics/data.xlsx", bytes);
});
