//! A deterministic generator of large study packages for benchmarks: 29
//! countries, about `words` words each (paragraphs, lists, GFM tables,
//! footnotes, links; Czech diacritics in CZ), statistics for every country
//! and year, a Czech summary. Same seed, same package.

use std::fmt::Write as _;
use std::path::Path;

/// The 29 countries: the 26 EMN members and three observers.
pub const COUNTRIES: [&str; 29] = [
    "BE", "BG", "CZ", "DE", "EE", "IE", "EL", "ES", "FR", "HR", "IT", "CY", "LV", "LT", "LU", "HU", "MT", "NL", "AT",
    "PL", "PT", "RO", "SI", "SK", "FI", "SE", "NO", "GE", "MD",
];

const WORDS: &[&str] = &[
    "migration",
    "labour",
    "shortage",
    "permit",
    "residence",
    "employer",
    "authority",
    "application",
    "procedure",
    "integration",
    "worker",
    "qualification",
    "recognition",
    "sector",
    "policy",
    "reform",
    "agency",
    "ministry",
    "national",
    "regional",
    "quota",
    "salary",
    "threshold",
    "visa",
    "family",
    "reunification",
    "asylum",
    "protection",
    "return",
    "cooperation",
    "programme",
    "evaluation",
    "stakeholder",
    "survey",
    "statistics",
    "increase",
    "decrease",
    "digital",
    "platform",
    "language",
    "training",
    "housing",
    "health",
    "construction",
    "agriculture",
    "tourism",
    "manufacturing",
    "information",
    "technology",
    "seasonal",
    "highly",
    "skilled",
    "temporary",
    "permanent",
    "single",
    "application",
    "processing",
    "time",
    "waiting",
    "embassy",
    "consulate",
    "legislation",
    "amendment",
    "directive",
];

const CZECH: &[&str] = &[
    "zaměstnanecká karta",
    "kvalifikovaný zaměstnanec",
    "Ministerstvo vnitra",
    "žádost o pobyt",
    "úřad práce",
    "pracovní povolení",
    "cizinecká policie",
    "řízení o žádosti",
    "nedostatkové profese",
    "příslušný úřad",
];

/// xorshift64*: small, fast and deterministic.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
}

fn sentence(rng: &mut Rng, czech: bool, out: &mut String) -> usize {
    let length = 12 + rng.below(14);
    for i in 0..length {
        let word =
            if czech && rng.below(6) == 0 { CZECH[rng.below(CZECH.len())] } else { WORDS[rng.below(WORDS.len())] };
        if i == 0 {
            let mut chars = word.chars();
            let first = chars.next().unwrap().to_uppercase().collect::<String>();
            out.push_str(&first);
            out.push_str(chars.as_str());
        } else {
            out.push(' ');
            out.push_str(word);
        }
    }
    out.push_str(". ");
    length
}

fn paragraph(rng: &mut Rng, czech: bool, out: &mut String) -> usize {
    let mut words = 0;
    for _ in 0..3 + rng.below(4) {
        words += sentence(rng, czech, out);
    }
    out.push_str("\n\n");
    words
}

/// An answer of about `target` words with the GFM features editors use.
fn answer(rng: &mut Rng, czech: bool, target: usize, footnote: &mut usize, out: &mut String) {
    let mut words = 0;
    let mut part = 0;
    while words < target {
        match part % 5 {
            1 => {
                for _ in 0..4 {
                    out.push_str("- ");
                    words += sentence(rng, czech, out);
                    out.push('\n');
                }
                out.push('\n');
            }
            3 => {
                out.push_str("| Measure | Authority | Applications | Change |\n|:--|:--|--:|:-:|\n");
                for _ in 0..4 {
                    let _ = writeln!(
                        out,
                        "| {} {} | {} | {} | {}% |",
                        WORDS[rng.below(WORDS.len())],
                        WORDS[rng.below(WORDS.len())],
                        WORDS[rng.below(WORDS.len())],
                        rng.below(90_000),
                        rng.below(40)
                    );
                    words += 6;
                }
                out.push('\n');
            }
            4 => {
                *footnote += 1;
                words += paragraph(rng, czech, out).saturating_sub(0);
                let _ = write!(
                    out,
                    "See the [annual report](https://home-affairs.ec.europa.eu/networks/european-migration-network-emn_en)[^f{footnote}].\n\n[^f{footnote}]: Source: national statistics office, table {}.\n\n",
                    rng.below(100)
                );
                words += 8;
            }
            _ => words += paragraph(rng, czech, out),
        }
        part += 1;
    }
}

/// Writes a package of 29 countries × about `words` words into `dir`.
pub fn generate(dir: &Path, seed: u64, words: usize) -> std::io::Result<()> {
    std::fs::create_dir_all(dir.join("contributions"))?;
    std::fs::create_dir_all(dir.join("statistics"))?;
    let mut manifest = String::from(
        "[package]\nid = \"benchmark\"\nkind = \"study\"\ntitle = \"Benchmark study: labour shortages and migration\"\ntemplate = \"study-generic\"\nreference-period = \"2019-2023\"\ncountries = [",
    );
    manifest.push_str(&COUNTRIES.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(", "));
    manifest.push_str("]\n");
    std::fs::write(dir.join("emn.toml"), manifest)?;
    let questions = [
        ("Q1.1", "yes-no"),
        ("Q1.2", "text"),
        ("Q2.1", "choice"),
        ("Q2.2", "text"),
        ("Q3.1", "yes-no"),
        ("Q3.2", "text"),
    ];
    let mut rng = Rng::new(seed);
    for country in COUNTRIES {
        let czech = country == "CZ";
        let mut out = format!(
            "---\ncountry: {country}\nncp: EMN National Contact Point {country}\nstatus: final\ndate: 2025-05-{:02}\nlanguage: en\n---\n\n# Key findings\n\n",
            1 + rng.below(28)
        );
        let mut footnote = 0;
        answer(&mut rng, czech, words.saturating_sub(4 * 1250 + 3 * 300).max(words / 12), &mut footnote, &mut out);
        for (id, kind) in questions {
            // The id alone: the PDFs print the template's question (no stale-heading).
            let _ = write!(out, "## {id}\n\n");
            match kind {
                "yes-no" => out.push_str(if rng.below(3) == 0 { "**No.** " } else { "**Yes.** " }),
                "choice" => out.push_str(["Ministry of the Interior. ", "Migration agency. ", "Other. "][rng.below(3)]),
                _ => {}
            }
            // The text answers carry most of the words, as in real
            // contributions, within the template's word limits.
            let share = if kind == "text" { (words * 3 / 12).min(1250) } else { (words / 24).min(300) };
            answer(&mut rng, czech, share, &mut footnote, &mut out);
        }
        std::fs::write(dir.join(format!("contributions/{country}.md")), out)?;
    }
    let mut tidy = String::from("indicator,country,year,value,flag\n");
    let mut sdmx =
        String::from("DATAFLOW,LAST UPDATE,freq,citizen,sex,applicant,age,unit,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG\n");
    for country in COUNTRIES {
        for year in 2019..=2023 {
            let _ = writeln!(
                tidy,
                "first_permits_remunerated,{country},{year},{},{}",
                1000 + rng.below(90_000),
                if year == 2023 { "p" } else { "" }
            );
            let _ = writeln!(
                sdmx,
                "ESTAT:MIGR_ASYAPPCTZA(1.0),19/03/25 23:00:00,A,EXT_EU27_2020,T,FRST,TOTAL,PER,{country},{year},{},",
                rng.below(300_000)
            );
        }
    }
    std::fs::write(dir.join("statistics/permits.csv"), tidy)?;
    std::fs::write(dir.join("statistics/estat_migr_asyappctza.csv"), sdmx)?;
    let mut summary = String::from("---\nlanguage: cs\n---\n\n# Shrnutí\n\n");
    for _ in 0..8 {
        for _ in 0..5 {
            for _ in 0..12 {
                summary.push_str(CZECH[rng.below(CZECH.len())]);
                summary.push_str([" a ", " v ", " s ", " k ", ", "][rng.below(5)]);
            }
            summary.push_str("z roku 2023. ");
        }
        summary.push_str("\n\n");
    }
    std::fs::write(dir.join("summary-cs.md"), summary)
}
