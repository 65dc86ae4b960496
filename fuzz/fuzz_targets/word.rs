//! See `emn_pub::fuzzing::word`: the body lives in the library, so the
//! ordinary build compiles it and a unit test runs it over this target's seeds.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| emn_pub::fuzzing::word(bytes));
