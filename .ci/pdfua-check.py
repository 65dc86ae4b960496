"""Checks every PDF of a bundle with an independent PDF/UA-1 and PDF/A-2a
validator (the `page-validation` package from PyPI). Exit 1 on any failure."""
import io
import sys
import zipfile

import page

failed = 0
with zipfile.ZipFile(sys.argv[1]) as bundle:
    for name in sorted(n for n in bundle.namelist() if n.endswith(".pdf")):
        data = bundle.read(name)
        for profile in (page.ValidationProfile.PDF_UA_1, page.ValidationProfile.PDF_A_2A):
            report = page.validate_pdf_bytes(data, profile=profile)
            status = "ok" if report.is_compliant else "FAILED"
            print(f"{name}: {profile.value} {status}")
            for failure in report.failures:
                print(f"  {failure.rule_id}: {failure.message}")
            failed += not report.is_compliant
sys.exit(1 if failed else 0)
