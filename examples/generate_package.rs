//! Writes a large generated study package, for benchmarks and for
//! measuring emn-pub against other tools:
//!
//! `cargo run --release --example generate_package -- DIR [SEED] [WORDS]`

#[path = "../benches/generate.rs"]
mod generate;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next() else {
        eprintln!("usage: generate_package DIR [SEED] [WORDS-PER-COUNTRY]");
        std::process::exit(2);
    };
    let seed = args.next().and_then(|s| s.parse().ok()).unwrap_or(2025);
    let words = args.next().and_then(|s| s.parse().ok()).unwrap_or(8000);
    if let Err(error) = generate::generate(std::path::Path::new(&dir), seed, words) {
        eprintln!("error: cannot write {dir} ({error})");
        std::process::exit(2);
    }
    println!("wrote {dir}: {} countries, about {words} words each", generate::COUNTRIES.len());
}
