//! When what is typeset: a whole build on every core within memory, the
//! fitted publications first and the data files beside ([`all_cores`]);
//! a `watch` round one document after another in its lane, unchanged
//! documents kept ([`in_turn`]).

use std::collections::BTreeSet;

use super::editions::{Fits, data_files};
use super::{RunError, Selection, Wanted};
use crate::bundle::Sink;
use crate::dates::Date;
use crate::load::Package;
use crate::output::{BundleFile, FileKind};
use crate::publications::Publication;
use crate::render::{self, RenderError, Session};
use crate::write::typst::Markup;

/// What a run made: the markup typeset, the files made, every path of
/// the run's bundle.
type Output = (Vec<Markup>, Vec<BundleFile>, BTreeSet<String>);

/// A whole build's work after planning: `plans` typeset (see
/// [`typeset_all`]), the fitted ones first, while the other editions
/// `wanted` selects are made beside them (the annex CSV and workbook, the
/// Word drafts with their map pictures, the web pages, `sources/`), each
/// file handed to the sink as soon as it is made.
pub fn all_cores(
    request: &super::Request,
    planned: &[Publication],
    plans: Vec<Markup>,
    wanted: Wanted,
    schedule: (bool, Afterwards),
    made: AsMade,
) -> Result<Output, RunError> {
    let (package, options) = (request.package, &request.options);
    let (fast, afterwards) = schedule;
    let typeset: Vec<(String, FileKind)> = plans.iter().map(|p| (p.path.clone(), p.kind)).collect();
    let fitted_paths: BTreeSet<&str> = planned.iter().filter(|p| p.doc.is_fitted()).map(|p| p.path.as_str()).collect();
    let (fitted, plans): (Vec<Markup>, Vec<Markup>) =
        plans.into_iter().partition(|plan| fitted_paths.contains(plan.path.as_str()));
    let (mut rendered, (fitted, data)) = std::thread::scope(|scope| {
        // The fitted publications (short) first on this side, so their
        // other editions show the setting typst chose; the rest is
        // typeset meanwhile.
        let data = scope.spawn(|| {
            let (fitted, fits) = typeset_fitted(package, options.date, fitted, made);
            let files = data_files(package, options, planned, &typeset, &fits, request.selection, wanted);
            let files: anyhow::Result<Vec<BundleFile>> = files.map(|f| f.into_iter().map(BundleFile::data).collect());
            if let (Ok(files), Some(sink)) = (&files, made.sink) {
                files.iter().for_each(|f| sink.put(f, None));
            }
            (fitted, files)
        });
        let rendered = typeset_all(package, plans, options.date, fast, made, afterwards);
        (rendered, data.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
    });
    rendered.extend(fitted);
    let mut files = data.map_err(RunError::Io)?;
    let mut markup = Vec::new();
    for (plan, file) in rendered {
        files.push(file.map_err(RunError::Render)?);
        markup.push(plan);
    }
    let paths = files.iter().map(|f| f.path.clone()).collect();
    Ok((markup, files, paths))
}

/// A `watch` round's work after planning (see [`super::InTurn`]); `None`
/// when it went stale.
pub fn in_turn(
    request: &super::Request,
    planned: &[Publication],
    plans: Vec<Markup>,
    wanted: Wanted,
    turn: super::InTurn,
    sink: &dyn Sink,
) -> Result<Option<Output>, RunError> {
    let (package, options) = (request.package, &request.options);
    let super::InTurn { lane, kept, stale, trim, progress } = turn;
    if let Selection::Everything = request.selection {
        kept.retain(&plans.iter().map(|p| p.name.clone()).collect());
    }
    let typeset: Vec<(String, FileKind)> = plans.iter().map(|p| (p.path.clone(), p.kind)).collect();
    let mut paths: BTreeSet<String> = typeset.iter().map(|(path, _)| path.clone()).collect();
    // The synthesis first (the longest, and what an editor reads next),
    // then the others shortest first.
    let mut plans: Vec<Markup> = plans.into_iter().filter(|p| !sink.holds_typeset(&p.path, &p.markup)).collect();
    plans.sort_by_key(|plan| (plan.kind != FileKind::SynthesisReportDraft, plan.markup.len()));
    let session = Session::new(package, options.date);
    let (mut markup, mut files, mut fits) = (Vec::new(), Vec::new(), Fits::new());
    for (index, plan) in plans.into_iter().enumerate() {
        if stale() {
            return Ok(None);
        }
        progress(&format!("typesetting {}", plan.path));
        // typst's cache is trimmed once a round, after the first layout
        // (the synthesis) and before its export: entries this round did
        // not use are older versions. Not when a save stopped the round
        // before any layout (it used nothing: the synthesis's cache would
        // age out), and not twice (the second would free this round's).
        let trim = trim && index == 0;
        let typeset = || session.typeset_unless_stale(&plan, kept, &stale, trim);
        let Some(file) = lane.run(typeset).map_err(RunError::Render)? else { return Ok(None) };
        fits.extend(file.fitted.map(|fit| (file.path.clone(), fit)));
        sink.put(&file, Some(&plan.markup));
        files.push(file);
        markup.push(plan);
    }
    // The web pages, Word drafts and data files after the PDFs, not beside
    // them: the synthesis's cache, its export and these together would
    // take more memory than a watch may.
    let data =
        data_files(package, options, planned, &typeset, &fits, request.selection, wanted).map_err(RunError::Io)?;
    for file in data {
        if stale() {
            return Ok(None);
        }
        paths.insert(file.path.clone());
        if !sink.holds(&file) {
            let file = BundleFile::data(file);
            sink.put(&file, None);
            files.push(file);
        }
    }
    Ok((!stale()).then_some((markup, files, paths)))
}

/// Typesets the fitted publications (the Inform, the Flash): them, and the
/// setting typst chose for each, by path.
fn typeset_fitted(package: &Package, date: Date, fitted: Vec<Markup>, made: AsMade) -> (Vec<Typeset>, Fits) {
    let session = Session::new(package, date);
    let fitted = render::parallel_map(fitted, |plan| {
        let file = session.typeset(&plan, None);
        made.typeset(&plan, &file);
        (plan, file)
    });
    let fits =
        fitted.iter().filter_map(|(plan, file)| Some((plan.path.clone(), file.as_ref().ok()?.fitted?))).collect();
    (fitted, fits)
}

/// A document's markup and what typesetting it gave.
pub type Typeset = (Markup, Result<BundleFile, RenderError>);

/// What a build does with each file as soon as it is made, in the thread
/// that made it: moves the progress bar on, and hands the file to the
/// build's sink (the zip compresses it beside the rest of the build, the
/// folder writes it).
#[derive(Clone, Copy, Default)]
pub struct AsMade<'a> {
    pub bar: Option<&'a indicatif::ProgressBar>,
    pub sink: Option<&'a dyn Sink>,
}
impl AsMade<'_> {
    fn typeset(&self, publication: &Markup, typeset: &Result<BundleFile, RenderError>) {
        if let Some(bar) = self.bar {
            bar.inc(1);
            bar.set_message(publication.path.clone());
        }
        if let (Ok(typeset), Some(sink)) = (typeset, self.sink) {
            sink.put(typeset, Some(&publication.markup));
        }
    }
}

/// What a whole build keeps of typst's cache for the longest document.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Afterwards {
    /// Nothing follows (`build-package`): its cache is freed before the
    /// PDF export, which keeps the build's peak memory low.
    Done,
    /// Rebuilds follow (`watch`): its cache is kept, so a save lays out
    /// again only the page runs it changed.
    Rebuilds,
}

/// Typesets publications on every core within memory, largest first.
///
/// The largest document (the synthesis, which repeats every answer) is
/// typeset last and alone, after typst's cache of the others is freed;
/// `fast` typesets it beside the others instead, which holds both caches at
/// once (benchmark: 6.3 s and 0.91 GB by default, 5.9 s and 1.6 GB with
/// `--fast`). When nothing follows, the shortest documents wait for the core
/// its PDF export leaves free. Results come in the order typeset.
pub fn typeset_all(
    package: &Package,
    mut plans: Vec<Markup>,
    date: Date,
    fast: bool,
    made: AsMade,
    afterwards: Afterwards,
) -> Vec<Typeset> {
    plans.sort_by_key(|p| std::cmp::Reverse(p.markup.len()));
    let longest = (!fast && !plans.is_empty()).then(|| plans.remove(0));
    let held = match (&longest, afterwards) {
        (Some(longest), Afterwards::Done) => shortest_within(&mut plans, longest.markup.len() / EXPORT_SHARE),
        _ => Vec::new(),
    };
    let session = Session::new(package, date);
    let render_one = |publication: Markup| {
        let file = session.typeset(&publication, None);
        made.typeset(&publication, &file);
        if !fast {
            // Keep the cache to what the documents in progress still use.
            render::evict_cache(CACHE_AGE);
        }
        (publication, file)
    };
    let mut rendered = render::parallel_map(plans, render_one);
    if let Some(longest) = longest {
        render::release_all_memory();
        let file = match afterwards {
            Afterwards::Done => {
                let (file, beside) = beside_the_export(&session, &longest, held, &render_one, made);
                rendered.extend(beside);
                file
            }
            Afterwards::Rebuilds => {
                let file = session.typeset(&longest, None);
                made.typeset(&longest, &file);
                file
            }
        };
        rendered.push((longest, file));
    }
    rendered
}

/// The synthesis's PDF export runs on one core (1.2 s on the benchmark):
/// documents with about this fraction of its markup fill the other. A
/// contribution typesets about 11 times slower per byte of markup than
/// the synthesis exports, short documents slower still (a fixed part per
/// document): with a tenth held back, they ran 0.9 s past the export.
const EXPORT_SHARE: usize = 15;

/// Takes the shortest documents off the end of `plans` (sorted longest
/// first) while their markup stays within `budget` bytes.
fn shortest_within(plans: &mut Vec<Markup>, budget: usize) -> Vec<Markup> {
    let mut used = 0;
    let mut keep = plans.len();
    while keep > 0 && used + plans[keep - 1].markup.len() <= budget {
        used += plans[keep - 1].markup.len();
        keep -= 1;
    }
    plans.split_off(keep)
}

/// Typesets `longest` with its cache freed before its export, and `held`
/// on another core from then on (or once `longest` is done, if it failed
/// before); this thread helps with what is left of `held` afterwards.
fn beside_the_export(
    session: &Session,
    longest: &Markup,
    held: Vec<Markup>,
    render_one: &(dyn Fn(Markup) -> Typeset + Sync),
    made: AsMade,
) -> (Result<BundleFile, RenderError>, Vec<Typeset>) {
    let queue = std::sync::Mutex::new(held.into_iter());
    let drain = |name: &str| {
        let next = || queue.lock().unwrap_or_else(|p| p.into_inner()).next();
        let lane = render::Lane::new(name, 1);
        std::iter::from_fn(|| next().map(|publication| lane.run(|| render_one(publication)))).collect::<Vec<_>>()
    };
    std::thread::scope(|scope| {
        let (freed, wait) = std::sync::mpsc::channel::<()>();
        let beside = scope.spawn(move || {
            // Either the cache is freed, or `longest` is over and the sender gone.
            let _ = wait.recv();
            drain("typeset-beside")
        });
        let file = session.typeset_last(longest, &|| {
            let _ = freed.send(());
        });
        drop(freed);
        made.typeset(longest, &file);
        let mut rendered = drain("typeset-after");
        rendered.extend(beside.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)));
        (file, rendered)
    })
}

/// How many documents' worth of typst cache entries survive between
/// documents (see `render::evict_cache`).
const CACHE_AGE: usize = 2;

#[cfg(test)]
mod tests {
    use super::*;

    fn markup(name: &str, bytes: usize) -> Markup {
        Markup {
            path: format!("{name}.pdf"),
            kind: FileKind::NationalContribution,
            country: None,
            name: name.into(),
            markup: "x".repeat(bytes),
            page_limit: None,
        }
    }

    #[test]
    fn the_shortest_documents_within_the_budget_wait_for_the_export() {
        let mut plans = vec![markup("a", 90), markup("b", 50), markup("c", 30), markup("d", 10)];
        let held = shortest_within(&mut plans, 45);
        let names = |plans: &[Markup]| plans.iter().map(|p| p.name.clone()).collect::<Vec<_>>();
        assert_eq!(names(&held), ["c", "d"]);
        assert_eq!(names(&plans), ["a", "b"]);
        // Nothing fits: nothing waits.
        let mut plans = vec![markup("a", 90)];
        assert!(shortest_within(&mut plans, 45).is_empty());
        assert_eq!(plans.len(), 1);
    }
}
