#!/usr/bin/env python3
"""How much of what pandoc reads from Word files reaches emn-pub's output.

For every .docx given (files, folders, or a text file listing them with @):
pandoc's reading of the body (its JSON tree: text, code, footnotes; not list
labels, alt texts or math) is split into words, and each word is looked for
in `contributions/DE.md` after `import-docx`, and in `national/DE.pdf` after
`build-package --only DE --allow-incomplete` (text by pdftotext, in its
default and its -raw reading order). A word counts as often as pandoc has
it. CJK words are left out: they need a font in `fonts/`.

    python3 scripts/docx-fidelity.py [--emn target/release/emn-pub] [--jobs 2] FILE|DIR|@LIST ...

Needs pandoc (pip install pypandoc_binary) and pdftotext (poppler-utils).
`scripts/docx-corpus.sh` gathers the public corpus the README's figures
come from.
"""
import argparse
import collections
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORD = re.compile(r"[^\W_]+")
CJK = re.compile(r"[\u3000-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")
BLOCKS = {"Para", "Plain", "Header", "CodeBlock", "BlockQuote", "OrderedList", "BulletList", "Table",
          "Div", "LineBlock", "DefinitionList", "Figure", "Note", "Cell", "Row"}


def pandoc_path():
    if shutil.which("pandoc"):
        return "pandoc"
    import pypandoc
    return pypandoc.get_pandoc_path()


def pandoc_text(node, out):
    """The text of pandoc's tree; blocks apart, inlines as they join."""
    if isinstance(node, dict):
        kind = node.get("t")
        if kind in ("Math", "RawInline", "RawBlock", "Image"):
            return
        if kind == "Str":
            out.append(node["c"])
            return
        if kind in ("Space", "SoftBreak", "LineBreak"):
            out.append(" ")
            return
        if kind in ("Code", "CodeBlock"):
            out.append(node["c"][1])
            return
        if kind in BLOCKS:
            out.append("\n")
        for value in node.values():
            pandoc_text(value, out)
        if kind in BLOCKS:
            out.append("\n")
    elif isinstance(node, list):
        for value in node:
            pandoc_text(value, out)


def words(text):
    # Format characters (a Persian zero-width non-joiner, a soft hyphen)
    # join; text extraction drops them.
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return [w.lower() for w in WORD.findall(text) if not CJK.search(w)]


def found(wanted, text):
    have = collections.Counter(words(text))
    need = collections.Counter(wanted)
    return sum(min(n, have[w]) for w, n in need.items()), dict((need - have).most_common(8))


def pdf_text(pdf, *mode):
    text = subprocess.run(["pdftotext", *mode, "-enc", "UTF-8", pdf, "-"], capture_output=True).stdout
    # A word hyphenated at a line end is one word.
    return re.sub(r"(\w)[-\u00ad]\n\s*(\w)", r"\1\2", text.decode("utf-8", "replace"))


def measure(path, emn, pandoc, package, markdown_only=False):
    result = {"file": path}
    read = subprocess.run([pandoc, "-f", "docx", "-t", "json", path], capture_output=True, timeout=300)
    if read.returncode != 0:
        result["skipped"] = "pandoc cannot read it"
        return result
    parts = []
    pandoc_text(json.loads(read.stdout)["blocks"], parts)
    wanted = words("".join(parts))
    result["words"] = len(wanted)
    work = tempfile.mkdtemp()
    try:
        folder = os.path.join(work, "package")
        shutil.copytree(package, folder)
        imported = subprocess.run([emn, "import-docx", path, folder, "--country", "DE", "--force", "-q"],
                                  capture_output=True, timeout=300)
        if imported.returncode not in (0, 1):
            result["error"] = imported.stderr.decode(errors="replace").strip()[-300:]
            return result
        with open(os.path.join(folder, "contributions", "DE.md"), encoding="utf-8") as markdown:
            result["markdown"], result["markdown_missing"] = found(wanted, markdown.read())
        if markdown_only:
            return result
        bundle = os.path.join(work, "bundle.zip")
        built = subprocess.run([emn, "build-package", folder, "--only", "DE", "--allow-incomplete", "--out", bundle, "-q"],
                               capture_output=True, timeout=600)
        if not os.path.exists(bundle):
            result["error"] = built.stderr.decode(errors="replace").strip()[-300:]
            return result
        pdf = os.path.join(work, "DE.pdf")
        with zipfile.ZipFile(bundle) as archive, open(pdf, "wb") as out:
            out.write(archive.read("national/DE.pdf"))
        result["pdf"], result["pdf_missing"] = found(wanted, pdf_text(pdf))
        result["pdf_raw"], _ = found(wanted, pdf_text(pdf, "-raw"))
        return result
    except subprocess.TimeoutExpired:
        result["error"] = "timed out"
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)


def inputs(arguments):
    for argument in arguments:
        if argument.startswith("@"):
            with open(argument[1:]) as listing:
                yield from (line.strip() for line in listing if line.strip())
        elif os.path.isdir(argument):
            for folder, _, names in os.walk(argument):
                yield from sorted(os.path.join(folder, n) for n in names if n.lower().endswith(".docx"))
        else:
            yield argument


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+")
    parser.add_argument("--emn", default=os.path.join(ROOT, "target", "release", "emn-pub"))
    parser.add_argument("--package", default=os.path.join(ROOT, "samples", "labour-shortages"))
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--json", help="write every file's figures here")
    parser.add_argument("--worst", type=int, default=10)
    parser.add_argument("--markdown-only", action="store_true", help="import only; no PDF is built")
    options = parser.parse_args()
    pandoc = pandoc_path()
    files = list(inputs(options.files))
    with ThreadPoolExecutor(options.jobs) as pool:
        results = list(pool.map(lambda f: measure(f, options.emn, pandoc, options.package, options.markdown_only), files))
    if options.json:
        with open(options.json, "w") as out:
            json.dump(results, out, indent=1, ensure_ascii=False)
    measured = [r for r in results if "words" in r]
    total = sum(r["words"] for r in measured) or 1
    share = lambda key: sum(r.get(key, 0) for r in measured) / total
    failed = [r for r in measured if "error" in r]
    print(f"{len(files)} files, {len(measured)} read by pandoc, {total} words")
    print(f"in contributions/DE.md: {share('markdown'):.2%}")
    if not options.markdown_only:
        print(f"in national/DE.pdf:     {share('pdf'):.2%} (pdftotext), {share('pdf_raw'):.2%} (pdftotext -raw)")
    print(f"no {'import' if options.markdown_only else 'national PDF'}: {len(failed)}")
    for r in failed:
        print(f"  {r['file']}: {r['error']}")
    key = "markdown" if options.markdown_only else "pdf"
    worst = sorted(measured, key=lambda r: r.get(key, 0) - r["words"])[: options.worst]
    for r in worst:
        if r.get(key, 0) < r["words"]:
            print(f"  {r['words'] - r.get(key, 0):5} words short: {r['file']} {r.get(key + '_missing', {})}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
