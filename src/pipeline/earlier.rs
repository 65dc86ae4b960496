//! The earlier edition `--since` names, loaded from the bundle's sources.

use std::path::Path;

use crate::load;
use crate::output::{DataFile, FileKind};
use crate::publications::changes::Earlier;

/// The earlier edition in the bundle `since` (`--since`), loaded from the
/// sources it carries (checked against its manifest); with `carried`,
/// the edition a bundle built `--since` compared with, as it carries it
/// (a rebuild). A bundle of another package or kind than the one in
/// `root` is refused. The error says what is wrong with it.
pub fn load_earlier(since: &Path, root: &Path, edition: load::Edition, carried: bool) -> Result<Earlier, String> {
    let shown = since.display();
    let file_name =
        || since.file_name().map_or_else(|| since.display().to_string(), |n| n.to_string_lossy().into_owned());
    let (unpacked, name) = if carried {
        load::archive::compared(since)
            .map_err(|e| format!("--since: {e}"))?
            .ok_or_else(|| format!("{shown} was not built --since another bundle"))?
    } else {
        (load::archive::unpacked(since).map_err(|e| format!("--since: {e}"))?, file_name())
    };
    if let Some((id, kind)) = package_identity(root) {
        let (old_id, old_kind) = (&unpacked.manifest.package, &unpacked.manifest.kind);
        if old_kind != kind.name() || *old_id != id {
            return Err(format!(
                "--since {shown} is a bundle of the {old_kind} `{}`, and this package is the {} `{}` (hint: compare with an earlier bundle of this package)",
                crate::diagnostic::shown_text(old_id),
                kind.name(),
                crate::diagnostic::shown_text(&id)
            ));
        }
    }
    let loaded = load::load(unpacked.path()).map_err(|e| format!("--since {shown}: {e}"))?;
    let mut package =
        loaded.package.ok_or_else(|| format!("--since {shown}: the sources it carries do not load as a package"))?;
    // Compared as this edition prints it: the public report shows no
    // restricted word of the old edition either.
    super::for_edition(&mut package, edition);
    // The network edition carries what it compared with, so that it
    // rebuilds with the same report; the public one carries no sources.
    let carried = match edition {
        load::Edition::Network => carried_files(&unpacked, &name),
        load::Edition::Public => Vec::new(),
    };
    Ok(Earlier { package, name, built: unpacked.manifest.build_date.clone(), carried })
}

/// The earlier bundle's manifest, sources and file name as a bundle built
/// `--since` carries them ([`load::archive::COMPARED`]).
fn carried_files(unpacked: &load::archive::Unpacked, name: &str) -> Vec<DataFile> {
    use load::archive::{COMPARED, COMPARED_NAME};
    let file = |path: String, bytes: Vec<u8>| DataFile { path, kind: FileKind::Source, bytes };
    let mut files = vec![
        file(COMPARED.manifest.to_string(), unpacked.manifest_bytes.clone()),
        file(COMPARED_NAME.to_string(), format!("{name}\n").into_bytes()),
    ];
    files.extend(
        unpacked.sources.iter().map(|(path, bytes)| file(format!("{}{path}", COMPARED.sources), bytes.clone())),
    );
    files
}

/// The id and kind `emn.toml` in `root` gives, when it reads.
fn package_identity(root: &Path) -> Option<(String, load::PackageKind)> {
    let bytes = crate::sandbox::read(root, load::manifest::FILE, crate::limits::MAX_TEXT_BYTES as u64).ok()?;
    let (manifest, _) = load::manifest::parse(std::str::from_utf8(&bytes).ok()?);
    let manifest = manifest?;
    Some((manifest.id.get_ref().clone(), manifest.kind))
}
