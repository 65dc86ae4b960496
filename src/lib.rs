//! emn-pub: European Migration Network publication packages, from the
//! editors' Markdown and CSV files to a bundle of accessible PDFs.
//!
//! The pipeline has one module per stage, each handing a typed value to the
//! next and importing no later stage: [`load`] (folder → `Package` +
//! diagnostics), [`check`] (pure rules → diagnostics), [`publications`]
//! (package → one format-neutral `Doc` per publication), [`write`] (each
//! `Doc` as typst markup and as Word), [`render`] (markup → PDF bytes,
//! through the only typst `World`), and [`bundle`] (zip + manifest,
//! atomically). Below the stages: [`output`] (file kinds, bundle files,
//! zips, atomic writes) and the small shared modules. [`commands`] runs
//! the stages; [`cli`] turns arguments into the commands' options.

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
pub mod fuzzing;
pub mod interrupt;
pub mod limits;
pub mod load;
pub mod numbers;
pub mod output;
pub mod pipeline;
pub mod publications;
pub mod render;
pub mod sandbox;
pub mod scaffold;
#[cfg(test)]
mod testing;
pub mod write;
