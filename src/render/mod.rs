//! Stage 3, render: document plans to PDF bytes.
//!
//! Takes the typst markup a publication module wrote (see `publications`),
//! compiles it in a [`world::DocumentWorld`] and exports a tagged PDF/UA-1
//! file with fixed dates and identifiers, so the same inputs give the same
//! bytes.

pub mod world;

use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use world::DocumentWorld;

/// Stack of each typesetting thread: typst recurses deeply (nested lists,
/// quotes, footnotes), more than the 2 MiB a spawned thread gets by default.
const TYPESET_STACK: usize = 64 * 1024 * 1024;

/// Threads that typeset: their own rayon pool (typst parallelises inside
/// a document with rayon) on threads with the stack typst needs.
///
/// Each lane owns its pool: with one pool shared, a short document queued
/// its internal jobs behind the long synthesis and waited for it (measured:
/// a 23-page document took 15 s instead of 0.7 s). So `watch` typesets the
/// edited contribution in one lane while the synthesis catches up in
/// another, and `build-package` gives each of its workers one.
pub struct Lane {
    pool: rayon::ThreadPool,
}

impl Lane {
    pub fn new(name: &str, threads: usize) -> Self {
        Self::with_priority(name, threads, false)
    }

    /// A lane whose threads yield the cores to every other lane (`watch`'s
    /// catch-up: the synthesis typesets while the editor's own PDF, typeset
    /// at the same time, takes the cores it needs).
    pub fn background(name: &str, threads: usize) -> Self {
        Self::with_priority(name, threads, true)
    }

    fn with_priority(name: &str, threads: usize, background: bool) -> Self {
        let name = name.to_string();
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads.max(1))
            .stack_size(TYPESET_STACK)
            .thread_name(move |index| format!("emn-pub-{name}-{index}"))
            .start_handler(move |_| {
                if background {
                    lower_this_threads_priority();
                }
            })
            .build()
            .expect("typesetting threads start");
        Self { pool }
    }

    /// Runs `f` in the lane and waits for its result.
    pub fn run<R: Send>(&self, f: impl FnOnce() -> R + Send) -> R {
        self.pool.install(f)
    }
}

/// Gives the calling thread the lowest share of the cores when others
/// want them (Linux: a thread's own nice value).
fn lower_this_threads_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority on the calling thread's id changes only its
    // scheduling weight; a failure leaves it as it was.
    unsafe {
        let thread = libc::syscall(libc::SYS_gettid) as libc::id_t;
        libc::setpriority(libc::PRIO_PROCESS, thread, 19);
    }
}

/// Runs `f` on every item, one item per core at a time, taking items in
/// order (callers put the longest documents first), and returns results in
/// the items' order. Each worker typesets in a [`Lane`] of its own.
pub fn parallel_map<T: Send, R: Send>(items: Vec<T>, f: impl Fn(T) -> R + Sync) -> Vec<R> {
    let f = &f;
    let count = items.len();
    let queue = &std::sync::Mutex::new(items.into_iter().enumerate());
    let results_cell = std::sync::Mutex::new((0..count).map(|_| None).collect::<Vec<Option<R>>>());
    let results = &results_cell;
    let workers = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2).min(count.max(1));
    std::thread::scope(|scope| {
        for index in 0..workers {
            let work = move || {
                let lane = Lane::new(&format!("typeset-{index}"), 1);
                loop {
                    let next = queue.lock().unwrap_or_else(|p| p.into_inner()).next();
                    let Some((position, item)) = next else { break };
                    let result = lane.run(|| f(item));
                    results.lock().unwrap_or_else(|p| p.into_inner())[position] = Some(result);
                }
            };
            std::thread::Builder::new()
                .name(format!("emn-pub-worker-{index}"))
                .spawn_scoped(scope, work)
                .expect("typesetting threads start");
        }
    });
    results_cell
        .into_inner()
        .unwrap_or_else(|p| p.into_inner())
        .into_iter()
        .map(|r| r.expect("every item was processed"))
        .collect()
}

/// One typst session for a package: the package folder typst may read, its
/// fonts, its identifier and the date every document of the run shares.
/// `build-package`, the image probes of `validate` and `watch` all typeset
/// through one, so a document is typeset the same way whoever asks.
#[derive(Clone)]
pub struct Session {
    root: std::path::PathBuf,
    package_id: String,
    fonts: std::sync::Arc<crate::fonts::FontSet>,
    date: (i32, u8, u8),
}

impl Session {
    pub fn new(package: &crate::load::Package, date: crate::dates::Date) -> Self {
        Self {
            root: package.root.clone(),
            package_id: package.manifest.id.get_ref().clone(),
            fonts: package.fonts.clone(),
            date: date.tuple(),
        }
    }

    fn job<'a>(&'a self, name: &'a str, markup: String) -> RenderJob<'a> {
        RenderJob {
            name,
            markup,
            root: &self.root,
            date: self.date,
            package_id: &self.package_id,
            fonts: self.fonts.clone(),
        }
    }

    /// Typesets a publication into the file the bundle holds, within its
    /// page limit (typst chose the setting that fits; more pages is an
    /// error saying what to shorten). Outside a [`Lane`] it runs in one of
    /// its own on every core, never on the caller's stack.
    /// `kept` reuses the document's typst source of an earlier round.
    pub fn typeset(
        &self,
        publication: &crate::write::typst::Markup,
        kept: Option<&mut KeptSources>,
    ) -> Result<crate::output::BundleFile, RenderError> {
        self.typeset_with(publication, kept, AfterLayout::KeepCache)
    }

    /// Typesets the last document of a run (the synthesis of a build),
    /// when nothing typeset after it reuses typst's cache: the document's
    /// cache is freed between layout and PDF export, so the two never take
    /// memory together. `freed` is called then: the export needs one core,
    /// and a short document can take the other.
    pub fn typeset_last(
        &self,
        publication: &crate::write::typst::Markup,
        freed: &(dyn Fn() + Sync),
    ) -> Result<crate::output::BundleFile, RenderError> {
        self.typeset_with(publication, None, AfterLayout::FreeCache(freed))
    }

    /// Like [`Session::typeset`], giving up before the PDF export (`None`)
    /// when `stale` says by then that a newer version is wanted (`watch`:
    /// a save made while the synthesis was laid out).
    /// With `trim`, typst's cache entries the layout did not use (older
    /// versions) are freed before the export, which needs memory of its own.
    pub fn typeset_unless_stale(
        &self,
        publication: &crate::write::typst::Markup,
        kept: &mut KeptSources,
        stale: &(dyn Fn() -> bool + Sync),
        trim: bool,
    ) -> Result<Option<crate::output::BundleFile>, RenderError> {
        match self.typeset_with(publication, Some(kept), AfterLayout::ExportUnless(stale, trim)) {
            Err(error) if error.abandoned => Ok(None),
            result => result.map(Some),
        }
    }

    fn typeset_with(
        &self,
        publication: &crate::write::typst::Markup,
        kept: Option<&mut KeptSources>,
        after_layout: AfterLayout,
    ) -> Result<crate::output::BundleFile, RenderError> {
        if rayon::current_thread_index().is_none() {
            // Alone (the synthesis, last of a build): on every core, as
            // typst lays its page runs out in parallel.
            let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
            return Lane::new("typeset", cores).run(|| self.typeset_with(publication, kept, after_layout));
        }
        let job = self.job(&publication.name, publication.markup.clone());
        let pdf = render_guarded(job, kept, after_layout)?;
        if timings_wanted() {
            eprintln!(
                "{}: {} pages, typeset {:?}, export {:?}",
                publication.path, pdf.pages, pdf.typeset_time, pdf.export_time
            );
        }
        if let Some(limit) = &publication.page_limit
            && pdf.pages > limit.pages
        {
            let messages = vec![limit.exceeded(pdf.pages)];
            return Err(RenderError { document: publication.path.clone(), messages, abandoned: false });
        }
        Ok(crate::output::BundleFile {
            path: publication.path.clone(),
            fitted: pdf.fitted,
            bytes: pdf.bytes,
            kind: publication.kind,
            country: publication.country.clone(),
            pages: Some(pdf.pages),
            warnings: pdf.warnings,
        })
    }

    /// Typesets throwaway markup (an image probe, in a lane) and says only
    /// whether typst accepted it.
    fn accepts(&self, name: &str, markup: String) -> Result<(), RenderError> {
        render_guarded(self.job(name, markup), None, AfterLayout::KeepCache).map(|_| ())
    }
}

/// Whether `EMN_PUB_TIMINGS` asks for each stage's time on standard error.
pub fn timings_wanted() -> bool {
    std::env::var_os("EMN_PUB_TIMINGS").is_some()
}

/// typst's own timing of this run as a Chrome trace (`EMN_PUB_TYPST_TRACE`):
/// where a build's time goes, scope by scope and thread by thread.
pub fn write_typst_trace(path: &std::path::Path) {
    let written = std::fs::File::create(path)
        .map_err(|error| error.to_string())
        .and_then(|file| typst_timing::export_json(std::io::BufWriter::new(file), |_| (String::new(), 0)));
    if let Err(error) = written {
        eprintln!("emn-pub: the typst trace {} was not written: {error}", path.display());
    }
}

/// Frees typst's memoisation results not used in the last `age`
/// evictions (typst's cache is global to the process).
pub fn evict_cache(age: usize) {
    typst::comemo::evict(age);
}

/// A finished PDF.
#[derive(Debug, Clone)]
pub struct RenderedPdf {
    pub bytes: Vec<u8>,
    pub pages: usize,
    /// Time spent typesetting (typst compile) and writing the PDF.
    pub typeset_time: std::time::Duration,
    pub export_time: std::time::Duration,
    /// What typst warned about, placed in the Markdown where it can be.
    pub warnings: Vec<TypesetMessage>,
    /// The setting of a fitted body typst set.
    pub fitted: Option<crate::output::Fit>,
}

/// Why a document could not be typeset.
#[derive(Debug, Clone)]
pub struct RenderError {
    pub document: String,
    pub messages: Vec<String>,
    /// Given up as stale (see [`Session::typeset_unless_stale`]), not failed.
    pub abandoned: bool,
}

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot typeset {} ({})", self.document, self.messages.join("; "))?;
        if self.messages.iter().any(|m| m.contains("generated source")) {
            write!(f, " (hint: `--keep-sources DIR` writes the generated typst source to inspect)")?;
        }
        Ok(())
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
    /// The package's fonts (built-in and its own `fonts/`).
    pub fonts: std::sync::Arc<crate::fonts::FontSet>,
}

/// typst sources kept between rebuilds (`watch`): a document's new markup
/// replaces its kept source's text, so typst reparses only the stretch
/// that changed and its cache recognises the rest.
#[derive(Default)]
pub struct KeptSources {
    sources: std::collections::HashMap<String, typst::syntax::Source>,
}

impl KeptSources {
    fn take(&mut self, name: &str, markup: String) -> typst::syntax::Source {
        match self.sources.get_mut(name) {
            Some(source) => {
                if source.text() != markup {
                    edit_in_place(source, &markup);
                }
                source.clone()
            }
            None => {
                let source = world::main_source(name, markup);
                self.sources.insert(name.to_string(), source.clone());
                source
            }
        }
    }

    /// Keeps the source a plain [`render`] of `markup` used, so the next
    /// edit of the document is incremental (same text, same spans).
    pub fn remember(&mut self, name: &str, markup: &str) {
        self.sources.insert(name.to_string(), world::main_source(name, markup.to_string()));
    }

    /// Forgets the documents not in `names` (a contribution removed).
    pub fn retain(&mut self, names: &std::collections::BTreeSet<String>) {
        self.sources.retain(|name, _| names.contains(name));
    }
}

/// Turns `source` into `new` by editing each changed stretch of lines on
/// its own. typst's own `replace` edits one stretch from the first change
/// to the last: a save of one contribution changes the synthesis in several
/// places (the country's answers under every question, its row of a
/// table), and one stretch over all of them would be parsed again with new
/// spans, so typst would lay out the pages between them again too.
fn edit_in_place(source: &mut typst::syntax::Source, new: &str) {
    /// More stretches than this: one replacement costs no more.
    const MAX_EDITS: usize = 64;
    let old = source.text().to_string();
    let diff =
        similar::TextDiff::configure().timeout(std::time::Duration::from_millis(200)).diff_lines(old.as_str(), new);
    let starts = |text: &str| -> Vec<usize> {
        std::iter::once(0)
            .chain(text.split_inclusive('\n').scan(0, |at, line| {
                *at += line.len();
                Some(*at)
            }))
            .collect()
    };
    let (old_starts, new_starts) = (starts(&old), starts(new));
    // The diff's lines must be ours (a lone carriage return may split them otherwise).
    if diff.old_slices().len() + 1 != old_starts.len() || diff.new_slices().len() + 1 != new_starts.len() {
        source.replace(new);
        return;
    }
    let edits: Vec<(std::ops::Range<usize>, &str)> = diff
        .grouped_ops(0)
        .iter()
        .flatten()
        .filter(|op| op.tag() != similar::DiffTag::Equal)
        .map(|op| {
            let (from, to) = (op.old_range(), op.new_range());
            (old_starts[from.start]..old_starts[from.end], &new[new_starts[to.start]..new_starts[to.end]])
        })
        .collect();
    if edits.is_empty() || edits.len() > MAX_EDITS {
        source.replace(new);
        return;
    }
    // Last first: earlier offsets stay valid.
    for (range, with) in edits.into_iter().rev() {
        source.edit(range, with);
    }
    if source.text() != new {
        source.replace(new);
    }
}

/// Frees typst's cache entries older than the last round and hands the
/// memory back to the system, so a day of rebuilds stays bounded (without
/// `malloc_trim`, glibc keeps freed pages and the resident size only grows).
pub fn release_memory() {
    typst::comemo::evict(1);
    return_free_memory();
}

/// Frees typst's whole cache and hands the memory back to the system.
pub fn release_all_memory() {
    typst::comemo::evict(0);
    return_free_memory();
}

/// One malloc arena per core rather than glibc's eight: typesetting
/// threads come and go (a lane per document), and each arena kept its own
/// freed pages. Measured on the benchmark: `build-package` peaks 30 MiB
/// lower, `watch` after ten saves 97 MiB lower, at the same speed.
pub fn bound_heap_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        // SAFETY: mallopt only sets an allocator parameter, before the
        // threads that would use more arenas start.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, i32::try_from(cores).unwrap_or(i32::MAX));
        }
    }
}

fn return_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free heap pages to the system.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// What happens once a document is laid out.
#[derive(Clone, Copy)]
enum AfterLayout<'a> {
    /// The cache is kept (trimmed of what the layout did not use, when
    /// asked); the PDF is exported unless this says the document is stale
    /// by then.
    ExportUnless(&'a (dyn Fn() -> bool + Sync), bool),
    /// Kept for the next document or round (the usual case).
    KeepCache,
    /// Freed before the PDF export (then the function is called): the
    /// export needs only the laid-out pages, and on the benchmark's
    /// synthesis the cache and the export together were the build's peak
    /// (0.97 GB).
    FreeCache(&'a (dyn Fn() + Sync)),
}

/// Compiles and exports one document. A panic inside typst becomes an
/// error naming the document, never a crash of the whole build.
pub fn render(job: RenderJob) -> Result<RenderedPdf, RenderError> {
    render_guarded(job, None, AfterLayout::KeepCache)
}

fn render_guarded(
    job: RenderJob,
    kept: Option<&mut KeptSources>,
    after_layout: AfterLayout,
) -> Result<RenderedPdf, RenderError> {
    let document = job.name.to_string();
    let render = || render_unguarded(job, kept, after_layout);
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(render)).unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| panic.downcast_ref::<&str>().copied())
            .unwrap_or("unknown error");
        Err(RenderError { document, messages: vec![format!("the typesetter failed ({what})")], abandoned: false })
    })
}

fn render_unguarded(
    job: RenderJob,
    kept: Option<&mut KeptSources>,
    after_layout: AfterLayout,
) -> Result<RenderedPdf, RenderError> {
    let source = match kept {
        Some(kept) => kept.take(job.name, job.markup),
        None => world::main_source(job.name, job.markup),
    };
    let world = DocumentWorld::with_source(source, job.root, job.fonts.clone(), job.date);
    let error = |messages: Vec<String>| RenderError { document: job.name.to_string(), messages, abandoned: false };
    let started = std::time::Instant::now();
    let compiled = typst::compile::<PagedDocument>(&world);
    let warnings = compiled.warnings.iter().map(|warning| placed(&world, warning)).collect();
    let document = compiled.output.map_err(|diagnostics| error(describe(&world, &diagnostics)))?;
    let typeset_time = started.elapsed();
    let fitted = fitted_setting(&document);
    match after_layout {
        AfterLayout::FreeCache(freed) => {
            release_all_memory();
            freed();
        }
        AfterLayout::ExportUnless(stale, trim) => {
            // Stale first: trimming holds typst's cache for a while (0.4 s
            // after the synthesis), and the editor's save that made this
            // layout stale is typesetting through that cache right now.
            if stale() {
                return Err(RenderError { abandoned: true, ..error(vec!["a newer version is wanted".into()]) });
            }
            if trim {
                release_memory();
            }
        }
        AfterLayout::KeepCache => {}
    }
    let started = std::time::Instant::now();
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
    Ok(RenderedPdf {
        bytes,
        pages: document.pages().len(),
        typeset_time,
        export_time: started.elapsed(),
        warnings,
        fitted,
    })
}

/// Which setting of a fitted body typst set: the layout's `fit-pages`
/// marks the one it chose with `<emn-fit>`.
fn fitted_setting(document: &PagedDocument) -> Option<crate::output::Fit> {
    use typst::foundations::{Label, Value};
    use typst::introspection::Introspector as _;
    let label = Label::new(typst::utils::PicoStr::intern("emn-fit"))?;
    let marked = document.introspector().query_label(label).ok()?;
    match marked.get_by_name("value").ok()? {
        Value::Str(chosen) if chosen.as_str() == "compact" => Some(crate::output::Fit::Compact),
        Value::Str(chosen) if chosen.as_str() == "normal" => Some(crate::output::Fit::Normal),
        _ => None,
    }
}

/// Asks typst to typeset every image the package refers to, alone on a
/// page, exactly as the publications embed it, and returns what it refuses
/// (an SVG with a link to a file or URL, entities, a corrupt PNG) with why:
/// `load::load_with` records it in the image's facts, so `validate` reports
/// it and the publications leave it out. Images over the size or pixel
/// limits are not decoded at all.
pub fn image_refusals(package: &crate::load::Package) -> Vec<(String, String)> {
    let session = Session::new(package, crate::dates::Date::new(2000, 1, 1));
    let candidates: Vec<(String, &'static str)> = package
        .referenced
        .keys()
        .filter_map(|relative| Some((relative.clone(), package.embeddable_image(relative)?)))
        .collect();
    if candidates.is_empty() {
        return Vec::new();
    }
    Lane::new("probe", 1).run(|| {
        candidates
            .into_iter()
            .filter_map(|(relative, format)| {
                let markup = format!(
                    "#set document(title: \"image\")\n#set text(lang: \"en\")\n#set page(width: 10cm, height: 10cm)\n#image({}, format: \"{format}\", alt: \"image\", width: 100%)\n",
                    crate::write::escape::string_literal(&world::package_path(&relative))
                );
                let error = session.accepts("image-probe", markup).err()?;
                Some((relative, error.messages.join("; ")))
            })
            .collect()
    })
}

/// Typst diagnostics as lines: the message, where in the generated source, the hints.
fn describe(world: &DocumentWorld, diagnostics: &[typst::diag::SourceDiagnostic]) -> Vec<String> {
    diagnostics
        .iter()
        .filter(|d| d.severity == typst::diag::Severity::Error)
        .map(|d| placed(world, d).to_string())
        .collect()
}

pub use crate::output::TypesetMessage;

fn placed(world: &DocumentWorld, diagnostic: &typst::diag::SourceDiagnostic) -> TypesetMessage {
    use typst::WorldExt;
    let mut message = TypesetMessage {
        text: diagnostic.message.to_string(),
        source: None,
        generated_line: None,
        hints: diagnostic.hints.iter().map(|hint| hint.v.to_string()).collect(),
    };
    let source = world.main_source();
    if let Some(range) = world.range(diagnostic.span)
        && diagnostic.span.id() == Some(source.id())
    {
        message.source = crate::write::escape::markdown_source(source.text(), range.start);
        if message.source.is_none() {
            message.generated_line = source.lines().byte_to_line(range.start).map(|line| line + 1);
        }
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(markup: String) -> Result<RenderedPdf, RenderError> {
        let root = std::env::temp_dir();
        render(RenderJob {
            name: "test",
            markup,
            root: &root,
            date: (2025, 1, 1),
            package_id: "test",
            fonts: crate::fonts::FontSet::builtin(),
        })
    }

    const HEAD: &str = "#set document(title: \"t\")\n#set text(lang: \"en\")\n";

    #[test]
    fn typst_warnings_are_kept_and_placed_in_the_markdown() {
        let marker = crate::write::escape::source_marker("contributions/AT.md", 12);
        let pdf = job(format!("{HEAD}{marker}#text(font: \"No Such Font\")[Text]\n")).unwrap();
        assert_eq!(pdf.warnings.len(), 1, "{:?}", pdf.warnings);
        assert_eq!(pdf.warnings[0].source, Some(("contributions/AT.md".to_string(), 12)));
        assert!(pdf.warnings[0].to_string().contains("contributions/AT.md, near line 12"), "{}", pdf.warnings[0]);
    }

    #[test]
    fn typst_errors_name_the_markdown_line() {
        let marker = crate::write::escape::source_marker("contributions/AT.md", 40);
        let error = job(format!("{HEAD}{marker}#undefined-function()\n")).unwrap_err();
        assert!(error.to_string().contains("in contributions/AT.md, near line 40"), "{error}");
    }
}
