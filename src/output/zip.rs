//! Zips whose bytes depend only on their entries and a date.

use std::io::Write;

use anyhow::{Context, Result};
use zip::write::SimpleFileOptions;

use crate::dates::Date;

/// Writes `entries` as a zip whose bytes depend on nothing but the entries
/// and `date`: a fixed time stamp, Unix permissions and so the same "made
/// by" system on every platform (Windows would otherwise record its own).
pub fn write_zip<W: std::io::Write + std::io::Seek>(writer: W, entries: &[(&str, &[u8])], date: Date) -> Result<()> {
    write_zip_with(writer, entries, date, &Compressed::default())
}

/// Entries compressed ahead of their zip, each as soon as its file is made,
/// beside the rest of a build: compressing a large bundle at the end took
/// half a second while one core had nothing else to do.
#[derive(Default)]
pub struct Compressed {
    /// By path: a zip holding that one entry.
    entries: std::sync::Mutex<std::collections::HashMap<String, Vec<u8>>>,
}

impl Compressed {
    /// Compresses `bytes` as the entry `path` of a zip dated `date`.
    pub fn add(&self, path: &str, bytes: &[u8], date: Date) {
        if let Ok(zip) = zip_of_one(path, bytes, entry_options(date)) {
            self.entries.lock().unwrap_or_else(|p| p.into_inner()).insert(path.to_string(), zip);
        }
    }
}

/// [`write_zip`], copying the entries `ahead` holds for the same bytes and
/// date; the others are compressed on every core, each on its own, and
/// all copied in the entries' order, so the zip is the same either way.
pub fn write_zip_with<W: std::io::Write + std::io::Seek>(
    writer: W,
    entries: &[(&str, &[u8])],
    date: Date,
    ahead: &Compressed,
) -> Result<()> {
    use rayon::prelude::*;
    let options = entry_options(date);
    let mut ahead = std::mem::take(&mut *ahead.entries.lock().unwrap_or_else(|p| p.into_inner()));
    let ahead: Vec<Option<Vec<u8>>> = entries.iter().map(|(path, _)| ahead.remove(*path)).collect();
    let compressed: Vec<Result<Vec<u8>>> = entries
        .par_iter()
        .zip(ahead)
        .map(|((path, bytes), ahead)| match ahead {
            Some(zip) if holds(&zip, bytes, date) => Ok(zip),
            _ => zip_of_one(path, bytes, options),
        })
        .collect();
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

/// The options of every entry: the date's time stamp, Unix permissions.
fn entry_options(date: Date) -> SimpleFileOptions {
    SimpleFileOptions::default().last_modified_time(timestamp(date)).system(zip::System::Unix).unix_permissions(0o644)
}

fn timestamp(date: Date) -> zip::DateTime {
    zip::DateTime::from_date_and_time(date.year.clamp(1980, 2107) as u16, date.month, date.day, 0, 0, 0)
        .unwrap_or_default()
}

/// Whether the one-entry `zip` holds `bytes` (its size and checksum) dated
/// `date`: a file changed after it was compressed ahead is compressed again.
fn holds(zip: &[u8], bytes: &[u8], date: Date) -> bool {
    let Ok(mut archive) = zip::ZipArchive::new(std::io::Cursor::new(zip)) else { return false };
    let Ok(entry) = archive.by_index_raw(0) else { return false };
    entry.size() == bytes.len() as u64
        && entry.crc32() == crc32fast::hash(bytes)
        && entry.last_modified() == Some(timestamp(date))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn zip_bytes(entries: &[(&str, &[u8])], date: Date, ahead: &Compressed) -> Vec<u8> {
        let mut out = std::io::Cursor::new(Vec::new());
        write_zip_with(&mut out, entries, date, ahead).unwrap();
        out.into_inner()
    }

    #[test]
    fn entries_compressed_ahead_give_the_same_zip_and_a_changed_file_is_compressed_again() {
        let date = Date::new(2026, 12, 3);
        let entries: &[(&str, &[u8])] = &[("a.pdf", b"%PDF the current text"), ("b.html", b"<p>page</p>")];
        let plain = zip_bytes(entries, date, &Compressed::default());

        let ahead = Compressed::default();
        ahead.add("a.pdf", b"%PDF the current text", date);
        ahead.add("b.html", b"<p>page</p>", date);
        assert_eq!(zip_bytes(entries, date, &ahead), plain, "copied entries make the same bytes");

        // Compressed ahead from bytes (or a date) that changed since: not used.
        let stale = Compressed::default();
        stale.add("a.pdf", b"%PDF an earlier text", date);
        stale.add("b.html", b"<p>page</p>", Date::new(2025, 1, 1));
        let zip = zip_bytes(entries, date, &stale);
        assert_eq!(zip, plain);
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
        let mut text = String::new();
        std::io::Read::read_to_string(&mut archive.by_name("a.pdf").unwrap(), &mut text).unwrap();
        assert_eq!(text, "%PDF the current text");
    }
}
