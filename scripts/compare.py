"""emn-pub beside pandoc + typst on one generated package, in one run, on
every core:

1. pandoc (Markdown -> typst) + typst for the 29 national PDFs only, as many
   documents at a time as there are cores;
2. emn-pub build-package producing the whole bundle (national PDFs, the
   synthesis, Inform, Flash, annex, summary, Word, web pages, data files).

The two alternate for ROUNDS rounds, so both meet the same load on a shared
machine; each round prints both, then the medians and emn-pub's peak memory.

Needs `pip install pypandoc_binary typst` (pandoc 3.x; typst 0.15 through
its Python binding, as the typst CLI cannot be installed here) and a release
build of emn-pub. Usage: python3 scripts/compare.py [WORDS] [ROUNDS] [OTHER]
where OTHER is another emn-pub binary (an earlier build, say) that each
round also runs, right after this one, so the two meet the same load.
"""
import concurrent.futures
import os
import statistics
import subprocess
import sys
import tempfile
import time

import pypandoc

repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
words = sys.argv[1] if len(sys.argv) > 1 else "8000"
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
other = sys.argv[3] if len(sys.argv) > 3 else None
cores = os.cpu_count() or 2
emn_pub = os.path.join(repo, "target", "release", "emn-pub")
work = tempfile.mkdtemp(prefix="emn-compare-")
package = os.path.join(work, "package")
subprocess.run(["cargo", "run", "--release", "--quiet", "--example", "generate_package", "--", package, "2025", words], check=True, cwd=repo)
pandoc = pypandoc.get_pandoc_path()
contributions = sorted(os.listdir(os.path.join(package, "contributions")))
# typst through its Python binding, one process per document as the CLI would be.
TYPST = "import sys, typst; typst.compile(sys.argv[1], output=sys.argv[2])"


def one_contribution(name, out):
    source = os.path.join(package, "contributions", name)
    typ = os.path.join(out, name.replace(".md", ".typ"))
    subprocess.run([pandoc, "--from", "gfm+yaml_metadata_block", "--to", "typst", "--standalone", source, "-o", typ], check=True)
    subprocess.run([sys.executable, "-c", TYPST, typ, typ.replace(".typ", ".pdf")], check=True)


def peer(round_index):
    out = os.path.join(work, f"peer-{round_index}")
    os.makedirs(out)
    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=cores) as pool:
        list(pool.map(lambda name: one_contribution(name, out), contributions))
    return time.perf_counter() - started


def emn(round_index, binary=emn_pub):
    started = time.perf_counter()
    child = subprocess.Popen([binary, "-q", "build-package", package, "--out", os.path.join(work, f"bundle-{round_index}.zip")])
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    if status != 0:
        sys.exit(f"emn-pub build-package failed ({status})")
    return elapsed, usage.ru_maxrss / 1024  # KiB -> MiB


peer_times, emn_times, peaks, other_times = [], [], [], []
print(f"package: {len(contributions)} contributions of about {words} words; {cores} cores")
for index in range(rounds):
    peer_time = peer(index)
    emn_time, peak = emn(index)
    peer_times.append(peer_time)
    emn_times.append(emn_time)
    peaks.append(peak)
    line = (f"round {index + 1}: pandoc + typst, {len(contributions)} national PDFs: {peer_time:6.2f} s   "
            f"emn-pub, whole bundle: {emn_time:6.2f} s ({emn_time / peer_time:.2f}x), peak {peak:.0f} MiB")
    if other:
        other_time, other_peak = emn(index, other)
        other_times.append(other_time)
        line += f"   {other}: {other_time:6.2f} s ({other_time / peer_time:.2f}x), peak {other_peak:.0f} MiB"
    print(line, flush=True)
peer_median, emn_median = statistics.median(peer_times), statistics.median(emn_times)
print(f"median: pandoc + typst {peer_median:.2f} s, emn-pub {emn_median:.2f} s ({emn_median / peer_median:.2f}x); "
      f"emn-pub's peak memory {max(peaks):.0f} MiB")
if other:
    other_median = statistics.median(other_times)
    print(f"median of {other}: {other_median:.2f} s ({other_median / peer_median:.2f}x)")
