"""Side-by-side timing on one generated package, in one run:

1. pandoc (Markdown -> typst) + typst, one contribution after the other,
   producing only the 29 national PDFs;
2. typst alone compiling emn-pub's generated sources (--keep-sources) one
   after the other (emn-pub's overhead is measured against this);
3. emn-pub build-package producing the whole bundle.

Needs `pip install pypandoc_binary typst` (pandoc 3.x; typst 0.15 through
its Python binding, as the typst CLI cannot be installed here) and a release
build of emn-pub. Usage: python3 scripts/compare.py [WORDS]
"""
import os
import subprocess
import sys
import tempfile
import time

import pypandoc
import typst

repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
words = sys.argv[1] if len(sys.argv) > 1 else "8000"
emn_pub = os.path.join(repo, "target", "release", "emn-pub")
work = tempfile.mkdtemp(prefix="emn-compare-")
package = os.path.join(work, "package")
subprocess.run(["cargo", "run", "--release", "--quiet", "--example", "generate_package", "--", package, "2025", words], check=True, cwd=repo)
pandoc = pypandoc.get_pandoc_path()

# 1. pandoc + typst for the national PDFs only.
started = time.perf_counter()
contributions = sorted(os.listdir(os.path.join(package, "contributions")))
for name in contributions:
    source = os.path.join(package, "contributions", name)
    typ = os.path.join(work, name.replace(".md", ".typ"))
    subprocess.run([pandoc, "--from", "gfm+yaml_metadata_block", "--to", "typst", "--standalone", source, "-o", typ], check=True)
    typst.compile(typ, output=typ.replace(".typ", ".pdf"), root=work)
pandoc_typst = time.perf_counter() - started

# emn-pub, the whole bundle (first run in this process: no warm caches).
kept = os.path.join(work, "kept")
started = time.perf_counter()
subprocess.run([emn_pub, "-q", "build-package", package, "--out", os.path.join(work, "bundle.zip"), "--keep-sources", kept], check=True)
emn = time.perf_counter() - started

# 2. typst alone on emn-pub's generated sources, one after the other.
sources = sorted(f for f in os.listdir(os.path.join(kept, "__emn__")) if f != "layout.typ")
started = time.perf_counter()
for name in sources:
    typst.compile(os.path.join(kept, "__emn__", name), output=os.path.join(work, name + ".pdf"), root=kept)
typst_alone = time.perf_counter() - started

print(f"package: {len(contributions)} contributions of about {words} words")
print(f"pandoc + typst, 29 national PDFs only, sequential:   {pandoc_typst:7.2f} s")
print(f"typst alone, emn-pub's {len(sources)} generated sources, sequential: {typst_alone:7.2f} s")
print(f"emn-pub build-package, whole bundle ({len(sources)} PDFs + CSV):  {emn:7.2f} s")
print(f"emn-pub / typst alone: {emn / typst_alone:.2f}x; emn-pub / (pandoc + typst): {emn / pandoc_typst:.2f}x")
