//! The `emn-pub` binary: parse arguments, run, exit with the SPEC's code.

use clap::Parser;

fn main() {
    let cli = emn_pub::cli::Cli::parse();
    std::process::exit(emn_pub::cli::run(cli));
}
