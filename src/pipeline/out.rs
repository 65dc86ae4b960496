//! Where a bundle goes, checked before anything is typeset.

use std::path::{Path, PathBuf};

use crate::load;

/// Where the bundle goes without `--out`: always inside `DIR/dist/`, named
/// by a checked package id; a build limited by `--only` never takes the
/// full bundle's name, so a partial zip cannot be mistaken for (or replace)
/// the package.
pub fn default_out(root: &Path, package_id: &str, partial: bool) -> Result<PathBuf, String> {
    if !load::manifest::is_file_name(package_id) {
        return Err(format!(
            "the package id `{package_id}` in emn.toml cannot name the bundle (hint: use letters, digits, `-`, `_` and `.`, or give --out FILE)"
        ));
    }
    let name = if partial { format!("{package_id}-partial.zip") } else { format!("{package_id}.zip") };
    let out = root.join("dist").join(name);
    crate::output::atomic::no_link_below(root, &out).map_err(|error| error.to_string())?;
    Ok(out)
}

/// `--out FILE` checked before anything is typeset: a regular file or
/// nothing (never a device, FIFO, folder or link, which the rename would
/// replace), and inside the package never reached through a linked folder.
pub fn checked_out(root: &Path, out: &Path) -> Result<PathBuf, String> {
    crate::output::atomic::replaceable(out).map_err(|error| error.to_string())?;
    if let (Ok(root), Ok(absolute)) = (std::path::absolute(root), std::path::absolute(out))
        && absolute.starts_with(&root)
    {
        crate::output::atomic::no_link_below(&root, &absolute).map_err(|error| error.to_string())?;
    }
    Ok(out.to_path_buf())
}
