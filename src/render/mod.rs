//! Stage 3, render: document plans to PDF bytes.
//!
//! Takes the typst markup a publication module wrote (see `publications`),
//! compiles it in a [`world::DocumentWorld`] and exports a tagged PDF/UA-1
//! file with fixed dates and identifiers, so the same inputs give the same
//! bytes.

pub mod markup;
pub mod world;

use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use world::DocumentWorld;

/// Threads that typeset: typst recurses deeply (nested lists, quotes,
/// footnotes), more than the 2 MiB a spawned thread gets by default.
pub fn thread_pool() -> &'static rayon::ThreadPool {
    static POOL: std::sync::OnceLock<rayon::ThreadPool> = std::sync::OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .stack_size(64 * 1024 * 1024)
            .thread_name(|i| format!("emn-pub-typeset-{i}"))
            .build()
            .expect("typesetting threads start")
    })
}

/// A finished PDF.
#[derive(Debug, Clone)]
pub struct RenderedPdf {
    pub bytes: Vec<u8>,
    pub pages: usize,
}

/// Why a document could not be typeset.
#[derive(Debug, Clone)]
pub struct RenderError {
    pub document: String,
    pub messages: Vec<String>,
}

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot typeset {} ({})", self.document, self.messages.join("; "))
    }
}

impl std::error::Error for RenderError {}

/// How a document is rendered.
pub struct RenderJob<'a> {
    /// Unique name, e.g. `national-CZ`; also the PDF's stable identifier.
    pub name: &'a str,
    pub markup: String,
    pub root: &'a std::path::Path,
    pub date: (i32, u8, u8),
    /// Identifies the package, so identifiers differ between packages.
    pub package_id: &'a str,
}

/// Compiles and exports one document.
pub fn render(job: RenderJob) -> Result<RenderedPdf, RenderError> {
    let world = DocumentWorld::new(job.name, job.markup, job.root, job.date);
    let error = |messages: Vec<String>| RenderError { document: job.name.to_string(), messages };
    let document: PagedDocument =
        typst::compile(&world).output.map_err(|diagnostics| error(describe(&world, &diagnostics)))?;
    let (year, month, day) = job.date;
    let timestamp = Datetime::from_ymd_hms(year, month, day, 0, 0, 0).map(Timestamp::new_utc);
    let standards =
        PdfStandards::new(&[PdfStandard::Ua_1, PdfStandard::A_2a]).map_err(|e| error(vec![e.message().to_string()]))?;
    let options = PdfOptions {
        ident: Smart::Custom(format!("emn-pub/{}/{}", job.package_id, job.name)),
        timestamp,
        standards,
        tagged: true,
        ..PdfOptions::default()
    };
    let bytes = typst_pdf::pdf(&document, &options).map_err(|diagnostics| error(describe(&world, &diagnostics)))?;
    Ok(RenderedPdf { bytes, pages: document.pages().len() })
}

/// Typst diagnostics as lines: the message, where in the generated source, the hints.
fn describe(world: &DocumentWorld, diagnostics: &[typst::diag::SourceDiagnostic]) -> Vec<String> {
    use typst::WorldExt;
    diagnostics
        .iter()
        .filter(|d| d.severity == typst::diag::Severity::Error)
        .map(|d| {
            let mut text = d.message.to_string();
            if let Some(range) = world.range(d.span) {
                let source = world.main_source();
                if d.span.id() == Some(source.id())
                    && let Some(line) = source.lines().byte_to_line(range.start)
                {
                    text.push_str(&format!(" at line {} of the generated source", line + 1));
                }
            }
            for hint in &d.hints {
                text.push_str(&format!(" (hint: {})", hint.v));
            }
            text
        })
        .collect()
}
