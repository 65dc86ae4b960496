//! The command line: arguments (clap derive) and one `match` that dispatches
//! to the library. Results go to stdout, diagnostics and progress to stderr.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::commands::build::BuildOptions;
use crate::commands::validate::{ReportFormat, ValidateOptions};
use crate::commands::watch::WatchOptions;
use crate::commands::{self, fail, print_output};
use crate::load::{self, PackageKind};

pub use crate::commands::exit;

/// `emn-pub --version`: the version, the commit it was built from and that
/// commit's date (not the build's, so a rebuild gives the same binary).
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("EMN_PUB_COMMIT"),
    ", committed ",
    env!("EMN_PUB_BUILD_DATE"),
    ")"
);

/// Turns EMN package folders (Markdown contributions, CSV statistics) into
/// accessible PDF bundles.
#[derive(Debug, Parser)]
#[command(name = "emn-pub", version = VERSION, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Print only errors.
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scaffold a package folder with emn.toml.
    Init(InitArgs),
    /// Write contributions/CC.md with one heading per template question.
    NewContribution(NewContributionArgs),
    /// Check everything and print every problem at once.
    Validate(ValidateArgs),
    /// Validate, then render every publication and write the bundle.
    ///
    /// DIR is a package folder, or a bundle zip that build-package wrote: the
    /// bundle is then rebuilt from the sources it carries (checked against its
    /// manifest), by default into BUNDLE-rebuilt.zip beside it.
    BuildPackage(BuildArgs),
    /// List the built-in templates, or print one as TOML to start your own.
    Templates(TemplatesArgs),
    /// Build into an unpacked folder and keep it current while files are saved (Ctrl-C ends).
    Watch(WatchArgs),
    /// Turn an NCP's Word contribution (.docx) into contributions/CC.md.
    ImportDocx(ImportDocxArgs),
    /// Print a shell completion script (e.g. `emn-pub completions bash > ~/.local/share/bash-completion/completions/emn-pub`).
    Completions(CompletionsArgs),
    /// Print the manual page (roff), e.g. `emn-pub man > emn-pub.1`.
    Man,
}

#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, clap::Args)]
pub struct ImportDocxArgs {
    /// The Word file (.docx).
    pub file: PathBuf,
    /// The package folder.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// The EMN country code of the contribution (EL for Greece).
    #[arg(long)]
    pub country: String,
    /// Replace an existing contributions/CC.md.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, clap::Args)]
pub struct WatchArgs {
    /// The package folder.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Where the unpacked bundle goes (default: DIR/dist/<id>/).
    #[arg(long, value_name = "D")]
    pub out_dir: Option<PathBuf>,
    /// Also keep changes.pdf current: what changed since this earlier bundle.
    #[arg(long, value_name = "OLD.zip")]
    pub since: Option<PathBuf>,
    /// Which edition to build: the network's (everything, restricted text marked) or the public one.
    #[arg(long, value_enum, default_value_t = EditionArg::Network)]
    pub edition: EditionArg,
}

/// `--edition`: see `publications::dissemination`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum EditionArg {
    /// Everything, with what is for the EMN network only marked as such (the default: the bundle is the network's working material).
    Network,
    /// Only what may be published: restricted answers replaced by a notice, no sources/, drafts refused.
    Public,
}

impl From<EditionArg> for load::Edition {
    fn from(edition: EditionArg) -> Self {
        match edition {
            EditionArg::Network => load::Edition::Network,
            EditionArg::Public => load::Edition::Public,
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct TemplatesArgs {
    /// A built-in template to print as TOML (e.g. `study-generic`).
    pub name: Option<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum KindArg {
    Study,
    AnnualReport,
    AdHocQuery,
    Bulletin,
    SituationalReport,
}

impl From<KindArg> for PackageKind {
    fn from(kind: KindArg) -> Self {
        match kind {
            KindArg::Study => PackageKind::Study,
            KindArg::AnnualReport => PackageKind::AnnualReport,
            KindArg::AdHocQuery => PackageKind::AdHocQuery,
            KindArg::Bulletin => PackageKind::Bulletin,
            KindArg::SituationalReport => PackageKind::SituationalReport,
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// The folder to create.
    pub dir: PathBuf,
    /// The kind of package.
    #[arg(long, value_enum)]
    pub kind: KindArg,
    /// A built-in template name or a path to a template .toml file.
    #[arg(long)]
    pub template: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct NewContributionArgs {
    /// The package folder.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// The EMN country code (EL for Greece).
    #[arg(long)]
    pub country: String,
    /// The language the NCP writes in (an ISO 639 code: cs, de, en …): the
    /// headings in it where the template gives them, and `language:` set.
    #[arg(long, default_value = "en")]
    pub language: String,
    /// Write the contribution as a Word document to fill in instead
    /// (word-templates/CC.docx), which `import-docx` reads back.
    #[arg(long)]
    pub docx: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum, Default)]
pub enum Format {
    #[default]
    Human,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct ValidateArgs {
    /// The package folder.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// How to print the diagnostics.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// Treat warnings as errors.
    #[arg(long)]
    pub deny_warnings: bool,
}

#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// The package folder, or a bundle zip to rebuild from its sources.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Where to write the bundle (default: DIR/dist/<id>.zip).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Build only these files, comma-separated: kinds of file, country codes (CZ) or bundle paths (national/CZ.pdf).
    #[arg(long, value_delimiter = ',', value_name = "FILES", long_help = only_help())]
    pub only: Option<Vec<String>>,
    /// Build despite errors, marking every gap visibly in the PDFs.
    #[arg(long)]
    pub allow_incomplete: bool,
    /// Typeset the synthesis beside the other publications: 5.9 s instead of 6.3 s on the benchmark of 29 long contributions, but 1.6 GB of memory instead of 0.9 GB.
    #[arg(long)]
    pub fast: bool,
    /// Also write `changes.pdf`: what changed since this earlier bundle (a zip build-package wrote).
    #[arg(long, value_name = "OLD.zip")]
    pub since: Option<PathBuf>,
    /// Also write the generated typst sources and assets to DIR (for `typst compile --root DIR`).
    #[arg(long, value_name = "DIR")]
    pub keep_sources: Option<PathBuf>,
    /// Which edition to build: the network's (everything, restricted text marked) or the public one.
    #[arg(long, value_enum, default_value_t = EditionArg::Network)]
    pub edition: EditionArg,
}

/// `--only`'s long help: the kinds of file by the names the bundle's
/// manifest uses, so the help cannot fall behind them.
fn only_help() -> String {
    format!(
        "Build only these files, comma-separated: kinds of file ({}), country codes (CZ), bundle paths \
         (national/CZ.pdf, synthesis-report-draft.docx) or their folders (national).",
        crate::output::FileKind::every_name().join(", ")
    )
}

/// Runs a command and returns the exit code.
pub fn run(cli: Cli) -> i32 {
    match cli.command {
        Command::Init(args) => init(&args, cli.quiet),
        Command::NewContribution(args) => new_contribution(&args, cli.quiet),
        Command::Validate(args) => commands::validate::run(&ValidateOptions {
            dir: args.dir,
            format: match args.format {
                Format::Human => ReportFormat::Human,
                Format::Json => ReportFormat::Json,
            },
            deny_warnings: args.deny_warnings,
            quiet: cli.quiet,
        }),
        Command::ImportDocx(args) => import_docx(&args, cli.quiet),
        Command::Watch(args) => match source_date_epoch() {
            Ok(source_date_epoch) => commands::watch::run(
                &args.dir,
                &WatchOptions {
                    out_dir: args.out_dir,
                    quiet: cli.quiet,
                    source_date_epoch,
                    since: args.since,
                    edition: args.edition.into(),
                },
            ),
            Err(code) => code,
        },
        Command::BuildPackage(args) => match source_date_epoch() {
            Ok(source_date_epoch) => {
                let options = BuildOptions {
                    out: args.out,
                    only: args.only,
                    allow_incomplete: args.allow_incomplete,
                    source_date_epoch,
                    progress: !cli.quiet,
                    keep_sources: args.keep_sources,
                    since: args.since,
                    since_carried: false,
                    fast: args.fast,
                    edition: args.edition.into(),
                };
                commands::build::run(&args.dir, &options, cli.quiet)
            }
            Err(code) => code,
        },
        Command::Completions(args) => {
            let mut command = <Cli as clap::CommandFactory>::command();
            let mut script = Vec::new();
            clap_complete::generate(args.shell, &mut command, "emn-pub", &mut script);
            print_output(&script, exit::OK)
        }
        Command::Man => {
            let command = <Cli as clap::CommandFactory>::command();
            let mut page = Vec::new();
            match clap_mangen::Man::new(command).render(&mut page) {
                Ok(()) => print_output(&page, exit::OK),
                Err(error) => fail(&error.into()),
            }
        }
        Command::Templates(args) => templates(args.name.as_deref()),
    }
}

/// `emn-pub init`: the files written, and what to do next.
fn init(args: &InitArgs, quiet: bool) -> i32 {
    match crate::scaffold::init(&args.dir, args.kind.into(), args.template.as_deref()) {
        Ok(written) => {
            if !quiet {
                for path in written {
                    println!("created {path}");
                }
                println!("next: emn-pub new-contribution {} --country CZ", args.dir.display());
            }
            exit::OK
        }
        Err(error) => fail(&error),
    }
}

/// `emn-pub new-contribution`: a Markdown file, or with `--docx` a Word
/// template, for one country.
fn new_contribution(args: &NewContributionArgs, quiet: bool) -> i32 {
    let written = if args.docx {
        crate::scaffold::new_contribution_docx(&args.dir, &args.country, &args.language)
    } else {
        crate::scaffold::new_contribution(&args.dir, &args.country, &args.language)
    };
    match written {
        Ok(path) => {
            if !quiet {
                println!("created {path}");
            }
            exit::OK
        }
        Err(error) => fail(&error),
    }
}

/// `SOURCE_DATE_EPOCH` of the environment, or the exit code of a bad one.
fn source_date_epoch() -> Result<Option<i64>, i32> {
    crate::dates::source_date_epoch().map_err(|message| {
        crate::commands::print_error(&message);
        exit::FAILURE
    })
}

/// `templates`: the built-in templates, a line each, or one as TOML.
fn templates(name: Option<&str>) -> i32 {
    match name {
        Some(name) => match load::template::built_in(name) {
            Some(text) => print_output(text.as_bytes(), exit::OK),
            None => {
                let names: Vec<&str> = load::template::BUILT_IN.iter().map(|(n, _)| *n).collect();
                eprintln!(
                    "error: `{}` is not a built-in template (hint: built-in templates: {})",
                    crate::diagnostic::shown_text(name),
                    names.join(", ")
                );
                exit::FAILURE
            }
        },
        None => {
            let templates: Vec<(&str, load::Template)> = load::template::BUILT_IN
                .iter()
                .filter_map(|(name, text)| Some((*name, load::template::parse(name, text).0?)))
                .collect();
            // Columns as wide as their longest entry, so none slips.
            let name_width = templates.iter().map(|(name, _)| name.len()).max().unwrap_or(0);
            let kind_width = templates.iter().map(|(_, t)| t.kind.name().len()).max().unwrap_or(0);
            let mut listing = String::new();
            for (name, template) in &templates {
                listing += &format!(
                    "{name:<name_width$}  {:<kind_width$}  {} ({}, {})\n",
                    template.kind.name(),
                    template.title,
                    crate::diagnostic::count(template.questions().count(), "question", "questions"),
                    crate::diagnostic::count(template.tables.len(), "table", "tables")
                );
            }
            print_output(listing.as_bytes(), exit::OK)
        }
    }
}

fn import_docx(args: &ImportDocxArgs, quiet: bool) -> i32 {
    match crate::docx::import(&args.file, &args.dir, &args.country, args.force) {
        Ok(imported) => {
            for line in &imported.report {
                eprintln!("warning: {}", crate::diagnostic::shown_text(line));
            }
            if !quiet {
                println!("created {}", imported.contribution.display());
                for image in &imported.images {
                    println!("created {}", image.display());
                }
                println!(
                    "{} answers imported ({}); next: emn-pub validate {}",
                    imported.answered.len(),
                    imported.answered.join(", "),
                    args.dir.display()
                );
            }
            exit::OK
        }
        Err(error) => fail(&error),
    }
}
