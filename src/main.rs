//! The `emn-pub` binary: parse arguments, run, exit with the SPEC's code.

use clap::Parser;

fn main() {
    emn_pub::render::bound_heap_arenas();
    emn_pub::interrupt::install();
    let cli = emn_pub::cli::Cli::parse();
    let trace = std::env::var_os("EMN_PUB_TYPST_TRACE");
    if trace.is_some() {
        typst_timing::enable();
    }
    let code = emn_pub::cli::run(cli);
    if let Some(trace) = trace {
        emn_pub::render::write_typst_trace(std::path::Path::new(&trace));
    }
    std::process::exit(code);
}
