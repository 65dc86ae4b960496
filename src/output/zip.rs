//! Zips whose bytes depend only on their entries and a date.

use std::io::Write;

use anyhow::{Context, Result};
use zip::write::SimpleFileOptions;

use crate::dates::Date;

/// Writes `entries` as a zip whose bytes depend on nothing but the entries
/// and `date`: a fixed time stamp, Unix permissions and so the same "made
/// by" system on every platform (Windows would otherwise record its own).
///
/// Each entry is compressed on its own, on every core, and the zip then
/// copies the compressed bytes in the entries' order: compressing the
/// bundle one entry after another was the last second of a build with one
/// core idle.
pub fn write_zip<W: std::io::Write + std::io::Seek>(writer: W, entries: &[(&str, &[u8])], date: Date) -> Result<()> {
    use rayon::prelude::*;
    let timestamp =
        zip::DateTime::from_date_and_time(date.year.clamp(1980, 2107) as u16, date.month, date.day, 0, 0, 0)
            .unwrap_or_default();
    let options =
        SimpleFileOptions::default().last_modified_time(timestamp).system(zip::System::Unix).unix_permissions(0o644);
    let compressed: Vec<Result<Vec<u8>>> =
        entries.par_iter().map(|(path, bytes)| zip_of_one(path, bytes, options)).collect();
    let mut zip = zip::ZipWriter::new(writer);
    for ((path, _), one) in entries.iter().zip(compressed) {
        let copy = || -> Result<()> {
            let mut archive = zip::ZipArchive::new(std::io::Cursor::new(one?))?;
            zip.raw_copy_file(archive.by_index_raw(0)?)?;
            Ok(())
        };
        copy().with_context(|| format!("cannot add {path} to the zip"))?;
    }
    zip.finish().context("cannot finish the zip")?;
    Ok(())
}

/// A zip holding `bytes` as its one entry, `path`; files that are zips or
/// compressed images already are stored as they are (deflating a Word
/// file gained 0.2 % and took as long as a PDF three times its size).
fn zip_of_one(path: &str, bytes: &[u8], options: SimpleFileOptions) -> Result<Vec<u8>> {
    let compressed_already = [".docx", ".xlsx", ".zip", ".png", ".jpg", ".jpeg", ".gif", ".webp"]
        .iter()
        .any(|extension| path.to_ascii_lowercase().ends_with(extension));
    let method = if compressed_already { zip::CompressionMethod::Stored } else { zip::CompressionMethod::Deflated };
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::with_capacity(bytes.len() / 2 + 256)));
    zip.start_file(path, options.compression_method(method))?;
    zip.write_all(bytes)?;
    Ok(zip.finish()?.into_inner())
}

/// A zip written by another library (the annex workbook) rewritten entry
/// by entry through [`write_zip`], so its bytes are the same on every system.
pub fn normalise_zip(bytes: &[u8], date: Date) -> Result<Vec<u8>> {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).context("not a zip")?;
    let mut entries = Vec::with_capacity(archive.len());
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index)?;
        let mut content = Vec::new();
        entry.read_to_end(&mut content)?;
        let name = entry.name()?.into_owned();
        entries.push((name, content));
    }
    let entries: Vec<(&str, &[u8])> =
        entries.iter().map(|(name, content)| (name.as_str(), content.as_slice())).collect();
    let mut out = std::io::Cursor::new(Vec::new());
    write_zip(&mut out, &entries, date)?;
    Ok(out.into_inner())
}
