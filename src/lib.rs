//! emn-pub: European Migration Network publication packages, from the
//! editors' Markdown and CSV files to a bundle of accessible PDFs.
//!
//! The pipeline has one module per stage, each handing a typed value to the
//! next: [`load`] (folder → `Package` + diagnostics), [`check`] (pure rules →
//! diagnostics), [`publications`] (package → typst document plans),
//! [`render`] (plans → PDF bytes, through the only typst `World`), and
//! [`bundle`] (zip + manifest, atomically). [`cli`] is a thin layer on top.

// Readers return a `Diagnostic` in `Err`; it is small beside the files read.
#![allow(clippy::result_large_err)]

pub mod bundle;
pub mod check;
pub mod cli;
pub mod commands;
pub mod countries;
pub mod dates;
pub mod diagnostic;
pub mod docx;
pub mod fonts;
pub mod limits;
pub mod load;
pub mod pipeline;
pub mod publications;
pub mod render;
pub mod sandbox;
pub mod scaffold;
