#!/usr/bin/env python3
"""The web edition of bundles, checked by the field's own tools.

For every page under html/ of each bundle zip given: the W3C Nu HTML
Checker (vnu.jar) reports no error, and axe-core (WCAG 2.0/2.1/2.2 A and AA
rules and best practices) no violation in Chromium at 1280 px and at
320 px; at 320 px no page scrolls sideways and every table caption lies
within the screen; no page asks for anything
outside the bundle. Screenshots at phone width go to --shots.

usage: web-check.py --vnu VNU.jar --axe axe.min.js [--shots DIR] BUNDLE.zip...
"""
import argparse
import pathlib
import subprocess
import sys
import tempfile
import zipfile

from playwright.sync_api import sync_playwright

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--vnu", required=True)
    parser.add_argument("--axe", required=True)
    parser.add_argument("--shots")
    parser.add_argument("bundles", nargs="+")
    args = parser.parse_args()
    axe = pathlib.Path(args.axe).read_text()
    failures = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS)
        for number, bundle in enumerate(args.bundles):
            folder = pathlib.Path(tmp) / str(number)
            with zipfile.ZipFile(bundle) as archive:
                archive.extractall(folder)
            pages = sorted((folder / "html").rglob("*.html"))
            if not pages:
                failures.append(f"{bundle}: no web pages")
                continue
            checked = subprocess.run(
                ["java", "-jar", args.vnu, "--errors-only", "--skip-non-html", str(folder / "html")],
                capture_output=True, text=True,
            )
            if checked.returncode != 0:
                failures.append(f"{bundle}: vnu: {checked.stderr.strip()}")
            for width in (1280, 320):
                context = browser.new_context(viewport={"width": width, "height": 900})
                page = context.new_page()
                outside = []

                def refuse(route, outside=outside):
                    url = route.request.url
                    if url.startswith("file://" + str(folder)) or url.startswith("data:"):
                        route.continue_()
                    else:
                        outside.append(url)
                        route.abort()

                page.route("**/*", refuse)
                for html in pages:
                    name = f"{bundle}:{html.relative_to(folder)}@{width}px"
                    page.goto(html.as_uri())
                    page.add_script_tag(content=axe)
                    result = page.evaluate(
                        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS
                    )
                    for violation in result["violations"]:
                        targets = [n["target"] for n in violation["nodes"][:3]]
                        failures.append(f"{name}: axe {violation['id']} ({violation['impact']}): {targets}")
                    if width == 320:
                        wide = page.evaluate("document.documentElement.scrollWidth")
                        if wide > 320:
                            failures.append(f"{name}: scrolls sideways ({wide} px wide)")
                        # Every table caption within the screen, even over a
                        # table that scrolls in its own box.
                        cut = page.evaluate(
                            "() => [...document.querySelectorAll('caption')].filter(c => {"
                            " const r = c.getBoundingClientRect(); return r.left < -0.5 || r.right > 320.5 })"
                            ".map(c => c.textContent.slice(0, 50))"
                        )
                        for caption in cut:
                            failures.append(f"{name}: caption {caption!r} runs off the screen")
                        if args.shots and number == 0:
                            shot = pathlib.Path(args.shots) / (str(html.relative_to(folder / "html")).replace("/", "-") + ".png")
                            shot.parent.mkdir(parents=True, exist_ok=True)
                            page.screenshot(path=str(shot), full_page=False)
                    print(f"{name}: checked", flush=True)
                if outside:
                    failures.append(f"{bundle}@{width}px: requests outside the bundle: {sorted(set(outside))[:5]}")
                context.close()
        browser.close()
    for failure in failures:
        print("FAIL", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
