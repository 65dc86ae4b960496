"""Checks every Word document of a bundle as an editor's programs open it:
python-docx reads it (headings in Word's heading styles, alt text on every
picture) and LibreOffice converts it to PDF headless. Exit 1 on any failure."""
import pathlib
import subprocess
import sys
import tempfile
import zipfile

import docx

failed = 0
with zipfile.ZipFile(sys.argv[1]) as bundle, tempfile.TemporaryDirectory() as folder:
    for name in sorted(n for n in bundle.namelist() if n.endswith(".docx")):
        path = pathlib.Path(folder) / pathlib.Path(name).name
        path.write_bytes(bundle.read(name))
        document = docx.Document(str(path))
        headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
        alts = [shape._inline.docPr.get("descr", "") for shape in document.inline_shapes]
        problems = []
        if not headings:
            problems.append("no paragraph in Word's heading styles")
        if any(not alt.strip() for alt in alts):
            problems.append("a picture without alt text")
        converted = subprocess.run(
            ["soffice", "--headless", "--convert-to", "pdf", "--outdir", folder, str(path)],
            capture_output=True, text=True, timeout=300,
        )
        pdf = path.with_suffix(".pdf")
        if converted.returncode != 0 or not pdf.exists() or pdf.stat().st_size == 0:
            problems.append(f"LibreOffice could not convert it: {converted.stderr.strip()}")
        status = "ok" if not problems else "FAILED: " + "; ".join(problems)
        print(f"{name}: {len(headings)} headings, {len(alts)} pictures, LibreOffice PDF {status}")
        failed += bool(problems)
sys.exit(1 if failed else 0)
