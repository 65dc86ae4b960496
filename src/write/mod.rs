//! Stage 4, write: each planned document in a format. Each writer receives
//! the same [`crate::publications::document::Doc`] and decides only how it
//! looks; escaping is each writer's security boundary.
//! - [`typst`]: markup for `templates/layout.typ`, typeset to PDF by `render`;
//! - [`word`]: an editable `.docx` (the synthesis draft, the compilation);
//! - [`html`]: an accessible web page of every publication, and the
//!   bundle's index page.
//!
//! The annex's CSV and workbook are data writers of the same plan's tables
//! (`publications::annex`, `publications::workbook`).

pub mod escape;
pub mod html;
pub mod typst;
pub mod word;
