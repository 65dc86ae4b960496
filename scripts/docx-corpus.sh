#!/bin/sh
# Gathers a public corpus of real Word files into ${1:-docx-corpus}: the
# Word test files of pandoc's and LibreOffice's sources (Debian's source
# packages; LibreOffice's are files from its bug reports, written by Word,
# LibreOffice and others) and of python-docx and PyDocX (PyPI). Used with
# scripts/docx-fidelity.py; nothing here is committed.
set -eu
out=${1:-docx-corpus}
mkdir -p "$out" && cd "$out"
debian=http://deb.debian.org/debian/pool/main
curl -sfL -o pandoc.tar.gz $debian/p/pandoc/pandoc_2.17.1.1.orig.tar.gz
curl -sfL -o libreoffice.tar.xz $debian/libr/libreoffice/libreoffice_7.4.7.orig.tar.xz
tar xzf pandoc.tar.gz --wildcards '*.docx'
tar xJf libreoffice.tar.xz --wildcards '*.docx'
python3 - <<'PY'
import json, urllib.parse, urllib.request
for name in ("python-docx", "PyDocX"):
    index = f"https://pypi.org/pypi/{name}/json"
    release = json.load(urllib.request.urlopen(index))
    sdist = next(u for u in release["urls"] if u["packagetype"] == "sdist")
    urllib.request.urlretrieve(urllib.parse.urljoin(index, sdist["url"]), sdist["filename"])
PY
for sdist in python_docx-*.tar.gz PyDocX-*.tar.gz; do tar xzf "$sdist" --wildcards '*.docx'; done
rm -f pandoc.tar.gz libreoffice.tar.xz python_docx-*.tar.gz PyDocX-*.tar.gz
find . -name '*.docx' | wc -l
