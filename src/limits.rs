//! Every limit on what a package may hold, in one place: each keeps a
//! hostile or oversized input from exhausting memory or time, and each is a
//! `validate` diagnostic naming the file and the limit (never a crash).
//! Figures in the comments are what the unbounded input cost when measured.

// Text files (Markdown, TOML, CSV).

/// Largest text file read, in bytes.
pub const MAX_TEXT_BYTES: usize = 8 * 1024 * 1024;

/// Longest line accepted in a text file, in bytes.
pub const MAX_LINE_BYTES: usize = 1024 * 1024;

// Statistics.

/// Largest statistics file read, in bytes.
pub const MAX_STATISTICS_BYTES: usize = 64 * 1024 * 1024;

/// Largest magnitude accepted: no statistics office publishes more, and
/// sums of larger values overflow to infinity.
pub const MAX_MAGNITUDE: f64 = 1e15;

// Fonts.

/// Largest font file read (a CJK face is 16-20 MB).
pub const MAX_FONT_BYTES: u64 = 64 * 1024 * 1024;

/// Most faces a font collection may hold (the CJK collections hold 10).
pub const MAX_FONT_FACES: u32 = 64;

/// Most characters the character maps of one face may claim, summed over
/// its subtables: every Unicode scalar value four times over. Coverage is
/// computed character by character (by typst too), so a map whose groups
/// each claim all of Unicode took 4 GB.
pub const MAX_CLAIMED_CHARACTERS: u64 = 4 * 0x11_0000;

// Images.

/// Largest image accepted, in bytes.
pub const MAX_IMAGE_BYTES: u64 = 20 * 1024 * 1024;

/// Most pixels a raster image may have (about 8000 × 5000): decoded, a
/// 30000 × 30000 image of 3.5 MB took 6.9 GB.
pub const MAX_IMAGE_PIXELS: u64 = 40_000_000;

/// Most filter primitives (`feGaussianBlur`, …) an SVG may have: each is
/// rasterised when drawn; 200 nested blurs in 27 KB took 65 s in validate
/// and aborted the build.
pub const MAX_SVG_FILTERS: usize = 64;

/// Most elements an SVG may have once every `<use>` is expanded: `<use>`
/// of `<use>` grows exponentially in a few kilobytes.
pub const MAX_SVG_ELEMENTS: u64 = 200_000;

/// Longest link target that becomes a link (PDF, Word, web): a URL of
/// 8,000 bytes validated and then failed the build.
pub const MAX_LINK_BYTES: usize = 2048;

// Templates.

/// Most questions a template may ask: every one is a heading in every
/// national PDF and a part of the synthesis per country; 10,000 questions
/// validated in 8 s and then aborted the build at 7.1 GB.
pub const MAX_TEMPLATE_QUESTIONS: usize = 400;

/// Most statistics tables a template may have.
pub const MAX_TEMPLATE_TABLES: usize = 100;

// What typst may read.

/// Largest file typst may read from the package (images), in bytes.
pub const MAX_TYPST_FILE_BYTES: u64 = 20 * 1024 * 1024;

// Workbooks (xlsx, ods).

/// Most bytes one part of a zipped workbook may unpack to.
pub const MAX_WORKBOOK_PART_BYTES: u64 = 64 * 1024 * 1024;

/// Most bytes all its parts may unpack to together.
pub const MAX_WORKBOOK_UNPACKED_BYTES: u64 = 256 * 1024 * 1024;

/// Most cells a sheet's box (first to last used cell) may span: the reader
/// allocates the whole box before a value is seen (one cell at XFD1048576
/// asked for 549 GB). Eurostat's largest tables are far below it.
pub const MAX_SHEET_CELLS: u64 = 4_000_000;

/// Most shared strings a workbook may declare (the reader reserves them).
pub const MAX_SHARED_STRINGS: u64 = 4_000_000;

// Word files (`import-docx`).

/// Largest Word file read.
pub const MAX_DOCX_BYTES: u64 = 200 * 1024 * 1024;

/// Largest part inside it (its text, a picture) once unpacked.
pub const MAX_DOCX_PART_BYTES: u64 = 64 * 1024 * 1024;

/// Deepest element nesting the Word reader follows: Word writes a dozen
/// levels; 10,000 nested content controls would exhaust the stack of a
/// reader that walks them.
pub const MAX_DOCX_DEPTH: usize = 200;

// Markdown.

/// Deeper nesting than this is kept as plain text.
pub const MAX_MARKDOWN_DEPTH: usize = 24;

// The Glossary.

/// Most rows a package's glossary may have (the EMN Glossary has about 500
/// concepts); rows beyond are refused, so the search stays fast.
pub const MAX_GLOSSARY_ROWS: usize = 20_000;

/// Longest definition printed in "Terms used".
pub const MAX_DEFINITION_CHARS: usize = 3_000;

/// Shortest stem a `*` may end: `a*` would flag every word starting with a.
pub const MIN_WILDCARD_STEM: usize = 3;

// What is printed: titles, headings, words, tables (checked by `validate`).

/// These keep typesetting within about 1 GiB on the largest input (a
/// 100,000-row table took 11.4 GB; a 900 KB title 3.6 GB). Titles (the
/// package's, the template's, its sections' and tables', flash questions,
/// front matter `title` and `ncp`): a line, not a paragraph.
pub const MAX_TITLE_CHARS: usize = 300;

/// Headings of the Markdown texts.
pub const MAX_HEADING_CHARS: usize = 1000;

/// The aim opens the one-page Flash: two or three sentences.
pub const MAX_AIM_CHARS: usize = 600;

/// A template question.
pub const MAX_QUESTION_CHARS: usize = 3000;

/// Most flash questions: the Flash is one page.
pub const MAX_FLASH_QUESTIONS: usize = 8;

/// Longest run of characters without a break opportunity: typst cannot
/// break it over lines, and at 16,384 characters the PDF refuses the string.
pub const MAX_WORD_CHARS: usize = 2000;

/// Rows and cells of one Markdown table (large data belongs in statistics).
pub const MAX_TABLE_ROWS: usize = 1000;

/// See [`MAX_TABLE_ROWS`].
pub const MAX_TABLE_CELLS: usize = 20_000;

/// Footnotes of one file: typst places each one on its page, and 10,000
/// took 14 s and 1.1 GB; a long contribution has a few hundred.
pub const MAX_FOOTNOTES: usize = 2000;

/// Most characters of one footnote: typst sets a note on its citation's
/// page and breaks a longer one across pages, and one of 400 KB took 40 s
/// to typeset; legal references run to a few hundred characters.
pub const MAX_FOOTNOTE_CHARS: usize = 8_000;

/// Most words of an editors' Inform: 8 pages, with headings and a table.
pub const MAX_INFORM_WORDS: usize = 3000;

/// Pages a situational report is set to fit ("a few pages").
pub const SITUATIONAL_PAGES: usize = 6;

/// Words that fit [`SITUATIONAL_PAGES`] when set compactly, beside the banner and
/// the key figures, counting each update as its words and
/// [`SITUATIONAL_UPDATE_WORDS`] for its heading, date and questions. Measured: 33
/// updates of 50 words and an eu.md of 300 (4,920) fill 6 pages, of 60
/// words (5,250) 7; 10 updates of 300 words (4,200) 5. `validate` warns
/// past it; the report is then set over more pages rather than not at
/// all, since it goes out with the updates it has.
pub const SITUATIONAL_WORDS: usize = 4_800;

/// The room an update's heading, date line and question kickers take, in words.
pub const SITUATIONAL_UPDATE_WORDS: usize = 90;

/// Most bytes the files a package's Markdown links or shows may hold
/// together (pictures and linked documents): the bundle carries them all in
/// `sources/`, and 60 pictures of 20 MB made a 1.2 GB bundle its own
/// rebuild refused. A study's pictures take a few megabytes.
pub const MAX_LINKED_BYTES: u64 = 100 * 1024 * 1024;

/// Most bytes all of a package's files may hold together: what a bundle's
/// `sources/` may unpack to, so whatever `validate` accepts rebuilds.
pub const MAX_PACKAGE_BYTES: u64 = MAX_SOURCES_UNPACKED_BYTES;

// Bundles read back (`build-package BUNDLE.zip`).

/// Largest bundle zip read: a bundle of 29 long contributions is about
/// 25 MB, its sources a few MB.
pub const MAX_BUNDLE_BYTES: u64 = 1024 * 1024 * 1024;

/// Most bytes a bundle's `sources/` may unpack to (a zip bomb stops here).
pub const MAX_SOURCES_UNPACKED_BYTES: u64 = 512 * 1024 * 1024;

/// Most files a bundle's `sources/` may hold.
pub const MAX_SOURCE_FILES: usize = 10_000;
