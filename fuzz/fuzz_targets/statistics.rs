//! Statistics files: CSV, TSV and SDMX sniffing, decoding (UTF-8, UTF-16,
//! Windows-1250), numbers, periods and flags.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let _ = emn_pub::load::statistics::read("statistics/data.csv", bytes);
});
