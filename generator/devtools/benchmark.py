"""Performance and scale: how the build grows with the size of the knowledge base.

    python -m generator.devtools.benchmark [--sizes 1,5,20,50] [--runs 3] [--runs-at 50=1] [--preview-sizes 1]

Size 1 is data/ as it is; size N adds N-1 synthetic copies of the real review (generator/devtools/synthetic.py),
so the site holds N reviews of the same shape. For each size it measures, in a temporary copy of the
project (mkdocs.yml + content/ + the data folder):

- the full `mkdocs build --strict` (subprocess), with the peak memory of the build and its workers;
- the generator's own time inside that build (load + validate + render, and every other hook of the
  plugin), as the plugin reports it at the end of the build; and, once, the time to import the plugin
  (pydantic and the schema) on top of what MkDocs imports anyway;
- a plain `mkdocs build` of the same generated Markdown with only the `search` plugin: the floor;
- HTML bytes per page and the size of the search index;
- optionally (`--preview-sizes`) the preview latency of `mkdocs serve --livereload`: the time from
  changing one figure in a trials file to the served page showing it.

It prints a table and a last line `BENCH_JSON {...}` with every figure. Every subprocess and wait
has a timeout; servers listen on 127.0.0.1 only. Nothing outside the temporary folder is written.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import html
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent.parent  # the project
sys.path.insert(0, str(ROOT))

from generator.devtools.synthetic import write_synthetic  # noqa: E402
from generator.loader import load  # noqa: E402
from generator.schema import Value  # noqa: E402
from generator.values import format_value  # noqa: E402

ENV = dict(
    os.environ,
    NO_MKDOCS_2_WARNING="1",
    SOURCE_DATE_EPOCH="1700000000",
    PYTHONDONTWRITEBYTECODE="1",
)


class BenchError(RuntimeError):
    pass


# --- helpers -------------------------------------------------------------------------------------


def stats(samples: list[float]) -> dict[str, Any]:
    return {
        "median": round(statistics.median(samples), 4),
        "min": round(min(samples), 4),
        "max": round(max(samples), 4),
        "runs": [round(s, 4) for s in samples],
    }


class TreeMemory(threading.Thread):
    """Samples every 50 ms the resident memory of a process and all its descendants, summed (the
    generator's worker processes included; pages they share with their parent count twice, so this is
    an upper bound). Linux /proc only: `peak` stays None elsewhere."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.stop = pid, threading.Event()
        self.peak: int | None = None

    def _tree(self, pid: int) -> list[int]:
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            return [pid]
        return [pid] + [p for child in children for p in self._tree(int(child))]

    @staticmethod
    def _rss_kib(pid: int) -> int:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        except (OSError, ValueError):
            pass
        return 0

    def run(self) -> None:
        while not self.stop.is_set():
            total = sum(self._rss_kib(pid) for pid in self._tree(self.pid))
            if total:
                self.peak = max(self.peak or 0, total)
            self.stop.wait(0.05)


def run(cmd: list[str], cwd: Path, timeout: float) -> tuple[float, int | None, str]:
    """Run a command in its own process group; (wall seconds, peak memory in KiB or None, output)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=cwd, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True
    )
    memory = TreeMemory(proc.pid)
    if Path("/proc/self/status").exists():
        memory.start()
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=30)
        raise BenchError(f"timed out after {timeout:.0f} s: {' '.join(cmd)}") from None
    finally:
        memory.stop.set()
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise BenchError(f"exit {proc.returncode}: {' '.join(cmd)}\n{out[-4000:]}")
    return elapsed, memory.peak, out


#: the plugin's report at the end of a build, e.g. "85 pages generated from data/ (1 review, 1 process) in 0.21 s"
REPORT = re.compile(r"(\d+) pages generated from \S+ \((\d+) reviews?, (\d+) process(?:es)?\) in ([0-9.]+) s")


def generator_report(output: str) -> tuple[int, int, float]:
    """(pages, reviews, seconds) from the output of `mkdocs build`."""
    found = REPORT.findall(output)
    if len(found) != 1:
        raise BenchError(f"expected one generator report in the build output, got {len(found)}\n{output[-3000:]}")
    pages, reviews, _, seconds = found[0]
    return int(pages), int(reviews), float(seconds)


def plugin_import_s(runs: int) -> dict[str, Any]:
    """Seconds to import the plugin in a fresh interpreter that has already imported MkDocs and Material."""
    code = (
        "import time, mkdocs.commands.build, mkdocs.config.defaults, markdown, material.plugins.search.plugin\n"
        "start = time.perf_counter()\nimport generator.plugin\nprint(time.perf_counter() - start)"
    )
    samples = []
    for _ in range(runs):
        _, _, out = run([sys.executable, "-c", code], ROOT, 120)
        samples.append(float(out.split()[-1]))
    return stats(samples)


def make_data(dest: Path, size: int, seed: int) -> None:
    """data/ as it is plus size-1 synthetic copies of the real review."""
    shutil.copytree(ROOT / "data", dest)
    if size > 1:
        write_synthetic(dest, size - 1, seed)


def make_project(dest: Path, size: int, seed: int) -> Path:
    """Like tests/conftest.py's make_project: mkdocs.yml, content/ and a data/ of the given size."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(ROOT / "content", dest / "content")
    make_data(dest / "data", size, seed)
    return dest


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml: `!ENV [NAME, default]` becomes the default, `!!python/name:` a string."""


def _env_tag(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    if isinstance(node, yaml.SequenceNode):
        items = loader.construct_sequence(node)
        return items[-1] if items else None
    return None


_ConfigLoader.add_constructor("!ENV", _env_tag)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: suffix)


def plain_config(project: Path, docs: str, site: str) -> Path:
    """A copy of mkdocs.yml whose plugins are only `search`, reading `docs` and writing `site`."""
    config = yaml.load((project / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_ConfigLoader)
    plugins = config.get("plugins") or []
    search = [p for p in plugins if p == "search" or (isinstance(p, dict) and "search" in p)]
    config["plugins"] = search or ["search"]
    config["docs_dir"] = docs
    config["site_dir"] = site
    config["strict"] = False  # the floor: no plugin adds the nav, so MkDocs may warn about it
    path = project / "mkdocs-plain.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def site_figures(site: Path) -> dict[str, int]:
    pages = [p for p in site.rglob("*.html") if p.name != "404.html"]
    total = sum(p.stat().st_size for p in pages)
    index = site / "search" / "search_index.json"
    return {
        "html_files": len(pages),
        "html_bytes_total": total,
        "html_bytes_per_page": round(total / len(pages)) if pages else 0,
        "search_index_bytes": index.stat().st_size if index.exists() else 0,
    }


def asset_sizes() -> dict[str, Any]:
    files = {}
    assets = ROOT / "generator" / "assets"
    for path in sorted([*assets.glob("*.js"), *assets.glob("*.css")]):
        data = path.read_bytes()
        files[path.name] = {"bytes": len(data), "gzip_bytes": len(gzip.compress(data, compresslevel=9, mtime=0))}
    return {
        "files": files,
        "total_bytes": sum(f["bytes"] for f in files.values()),
        "total_gzip_bytes": sum(f["gzip_bytes"] for f in files.values()),
    }


# --- preview latency -------------------------------------------------------------------------------


def serve_args() -> list[str]:
    """The arguments `make serve` passes (read from the Makefile), so the figure is what users see."""
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    found = re.search(r"^SERVE_ARGS := (.*)$", text, re.M)
    return found.group(1).split() if found else ["--livereload"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (OSError, urllib.error.URLError):
        return ""


def wait_for(condition: Any, timeout: float, interval: float = 0.05) -> float | None:
    """Seconds until condition() holds, polling every `interval`; None on timeout."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if condition():
            return time.perf_counter() - start
        time.sleep(interval)
    return None


def pick_figure(data: Path) -> tuple[Path, str, str, int, Value]:
    """A percentage outcome of a trial, written inline and not used as a quiz's or table's answer.

    Returns (file, review id, trial id, line of its `value:`, the Value)."""
    review = next(iter(sorted((data).glob("blinatumomab/review.y*ml"))), None)
    folder = review.parent if review else sorted(p for p in data.iterdir() if p.is_dir())[0]
    rid = (yaml.safe_load(review.read_text(encoding="utf-8")) or {})["review"]["id"] if review else folder.name
    everything = "\n".join(p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*.y*ml")))
    for path in sorted(folder.rglob("*.y*ml")):
        doc, _ = load(path)
        if doc is None or not isinstance(doc.data, dict) or not isinstance(doc.data.get("trials"), list):
            continue
        for t, trial in enumerate(doc.data["trials"]):
            for o, outcome in enumerate(trial.get("outcomes") or []):
                raw = outcome.get("value") if isinstance(outcome, dict) else None
                if not isinstance(raw, dict) or raw.get("unit") != "%" or "value" not in raw or "count" in raw:
                    continue
                ref = f"{trial['id']}/{outcome.get('id')}"
                if re.search(rf"figure:\s*{re.escape(ref)}\b", everything):
                    continue  # a quiz's numeric answer: changing it could break the answer's range
                line = doc.line_of(("trials", t, "outcomes", o, "value"))
                if re.search(r"value:\s*\{\s*value:\s*[-0-9.]+", doc.text.splitlines()[line - 1]):
                    return path, rid, trial["id"], line, Value(**raw)
    raise BenchError(f"no inline percentage outcome to edit in {folder}")


def preview_latency(project: Path, edits: int, timeout: float) -> dict[str, Any]:
    path, rid, trial, line, value = pick_figure(project / "data")
    port = free_port()
    url = f"http://127.0.0.1:{port}/{rid}/trials/{trial}/"
    log_path = project / "serve.log"
    original = path.read_text(encoding="utf-8")
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}", *serve_args()],
            cwd=project,
            env=ENV,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        shown = html.escape(format_value(value), quote=False)
        startup = wait_for(lambda: shown in fetch(url), timeout, interval=0.2)
        if startup is None:
            raise BenchError(f"{url} was not served within {timeout:.0f} s\n{log_path.read_text()[-3000:]}")
        latencies, figures = [], []
        candidates = [round(value.value + d * step, 1) for step in range(1, 60) for d in (0.1, -0.1)]
        lines = original.splitlines(keepends=True)
        for _ in range(edits):
            page = fetch(url)
            new = next(
                c
                for c in candidates
                if 0 <= c <= 100
                and c not in figures
                and html.escape(format_value(Value(value=c, unit="%"))) not in page
            )
            figures.append(new)
            expect = html.escape(format_value(Value(value=new, unit="%")), quote=False)
            edited = list(lines)
            edited[line - 1] = re.sub(r"(\{\s*value:\s*)[-0-9.]+", rf"\g<1>{new:g}", edited[line - 1], count=1)
            path.write_text("".join(edited), encoding="utf-8")
            took = wait_for(lambda expect=expect: expect in fetch(url), timeout)
            if took is None:
                raise BenchError(
                    f"{expect} did not show on {url} within {timeout:.0f} s\n{log_path.read_text()[-3000:]}"
                )
            latencies.append(took)
        return {
            "page": url.split(str(port), 1)[1],
            "file": str(path.relative_to(project)),
            "line": line,
            "figures": [format_value(value)] + [format_value(Value(value=f, unit="%")) for f in figures],
            "startup_s": round(startup, 3),
            "latency_s": stats(latencies),
        }
    finally:
        path.write_text(original, encoding="utf-8")
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=20)


# --- one size --------------------------------------------------------------------------------------


def bench_size(size: int, runs: int, work: Path, args: argparse.Namespace) -> dict[str, Any]:
    base = work / f"size-{size}"
    load_before = [round(x, 2) for x in os.getloadavg()]
    project = make_project(base / "project", size, args.seed)
    log(f"size {size}: data ready in {project}")

    handwritten = len(list((project / "content").rglob("*.md")))
    build_times, gen_times, rss = [], [], []
    for _ in range(runs):
        elapsed, peak, out = run([sys.executable, "-m", "mkdocs", "build", "--strict"], project, args.timeout)
        pages, reviews, generator = generator_report(out)
        build_times.append(elapsed)
        gen_times.append(generator)
        if peak is not None:
            rss.append(peak)
    figures = site_figures(project / "site")
    log(
        f"size {size}: mkdocs build {statistics.median(build_times):.2f} s, of which the generator "
        f"{statistics.median(gen_times):.2f} s for {pages} generated pages"
    )

    plain_docs = base / "project" / "docs-plain"
    run([sys.executable, "-m", "generator", "--data", "data", "markdown", str(plain_docs)], project, args.timeout)
    for item in (project / "content").iterdir():
        target = plain_docs / item.name
        if item.is_dir():
            shutil.copytree(item, target)
        else:
            shutil.copy(item, target)
    config = plain_config(project, "docs-plain", "site-plain")
    plain_times = []
    for _ in range(runs):
        elapsed, _, _ = run(
            [sys.executable, "-m", "mkdocs", "build", "--quiet", "-f", str(config)], project, args.timeout
        )
        plain_times.append(elapsed)
    plain_figures = site_figures(project / "site-plain")
    log(f"size {size}: plain mkdocs build {statistics.median(plain_times):.2f} s")

    result: dict[str, Any] = {
        "size": size,
        "reviews": reviews,
        "pages": pages + handwritten,
        "generated_pages": pages,
        "runs": runs,
        "generator_s": stats(gen_times),
        "build_s": stats(build_times),
        "plain_build_s": stats(plain_times),
        "full_over_plain": round(statistics.median(build_times) / statistics.median(plain_times), 3),
        "generator_share": round(statistics.median(gen_times) / statistics.median(build_times), 4),
        "peak_rss_mib": round(max(rss) / 1024, 1) if rss else None,
        "peak_rss_source": "sum of VmRSS over the build's process tree, sampled every 50 ms",
        **figures,
        "plain_html_bytes_per_page": plain_figures["html_bytes_per_page"],
        "plain_search_index_bytes": plain_figures["search_index_bytes"],
        "generator_ms_per_page": round(1000 * statistics.median(gen_times) / (pages + handwritten), 3),
        "build_ms_per_page": round(1000 * statistics.median(build_times) / (pages + handwritten), 3),
        "plain_ms_per_page": round(1000 * statistics.median(plain_times) / (pages + handwritten), 3),
        "preview": None,
        # 1/5/15-minute load averages before and after: other work on the machine skews the times
        "load_average": {"before": load_before, "after": [round(x, 2) for x in os.getloadavg()]},
    }
    if size in args.preview_sizes:
        result["preview"] = preview_latency(project, args.edits, args.preview_timeout)
        log(f"size {size}: preview latency {result['preview']['latency_s']['median']:.2f} s")
    if not args.keep:
        shutil.rmtree(base, ignore_errors=True)
    return result


# --- report ----------------------------------------------------------------------------------------


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def fmt(s: dict[str, Any]) -> str:
    return f"{s['median']:.2f} ({s['min']:.2f}-{s['max']:.2f})"


def table(results: list[dict[str, Any]], assets: dict[str, Any], imports: dict[str, Any]) -> str:
    first = results[0]
    head = [
        "size",
        "reviews",
        "pages",
        "mkdocs build s",
        "generator s",
        "gen share",
        "plain build s",
        "full/plain",
        "peak RSS MiB",
        "HTML KiB/page",
        "search index KiB",
        "gen ms/page (rel)",
        "build ms/page (rel)",
    ]
    rows = []
    for r in results:
        rows.append(
            [
                str(r["size"]),
                str(r["reviews"]),
                str(r["pages"]),
                fmt(r["build_s"]),
                fmt(r["generator_s"]),
                f"{100 * r['generator_share']:.1f}%",
                fmt(r["plain_build_s"]),
                f"{r['full_over_plain']:.2f}",
                f"{r['peak_rss_mib']:.0f}" if r["peak_rss_mib"] is not None else "n/a",
                f"{r['html_bytes_per_page'] / 1024:.1f}",
                f"{r['search_index_bytes'] / 1024:.0f}",
                f"{r['generator_ms_per_page']:.2f} ({r['generator_per_page_rel']:.2f}x)",
                f"{r['build_ms_per_page']:.1f} ({r['build_per_page_rel']:.2f}x)",
            ]
        )
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(head)]
    lines = ["  ".join(h.rjust(w) for h, w in zip(head, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    lines.append("")
    lines.append(
        f"times: median (min-max) of the runs; generator = the plugin's own time inside the build, as it "
        f"reports it; gen share = generator / mkdocs build; rel = per-page cost / per-page cost at size "
        f"{first['size']}; plain = the same generated Markdown built by MkDocs with only the search plugin (the floor)"
    )
    lines.append(
        f"importing the plugin (pydantic, the schema) on top of MkDocs' own imports: {fmt(imports)} s, once per "
        "build, not counted as generator time above"
    )
    for r in results:
        p = r["preview"]
        if p:
            lat = p["latency_s"]
            lines.append(
                f"preview at size {r['size']}: serve start {p['startup_s']:.2f} s; edit of {p['file']}:{p['line']} "
                f"shown on {p['page']} after {fmt(lat)} s ({len(lat['runs'])} edits: {' -> '.join(p['figures'])})"
            )
    loads = "; ".join(
        f"size {r['size']}: {r['load_average']['before'][0]:.1f} -> {r['load_average']['after'][0]:.1f}"
        for r in results
    )
    lines.append(f"1-minute load average before -> after each size ({os.cpu_count()} CPUs): {loads}")
    parts = ", ".join(f"{n} {f['bytes']:,} B -> {f['gzip_bytes']:,} B" for n, f in assets["files"].items())
    lines.append(f"project JS+CSS: {assets['total_bytes']:,} B, gzipped {assets['total_gzip_bytes']:,} B ({parts})")
    return "\n".join(lines)


def parse_runs_at(text: str) -> dict[int, int]:
    out = {}
    for part in filter(None, text.split(",")):
        size, _, count = part.partition("=")
        out[int(size)] = int(count)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,5,20,50", help="comma-separated multiples of the real data (1 = as is)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per measurement")
    parser.add_argument("--runs-at", default="", help="fewer runs at some sizes, e.g. 20=2,50=1")
    parser.add_argument("--preview-sizes", default="1", help="sizes at which to measure preview latency ('' = none)")
    parser.add_argument("--edits", type=int, default=3, help="figure edits timed per preview measurement")
    parser.add_argument("--seed", type=int, default=0, help="seed of the synthetic copies")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds allowed for each subprocess")
    parser.add_argument("--preview-timeout", type=float, default=300, help="seconds allowed for each preview wait")
    parser.add_argument("--workdir", type=Path, help="where to build (default: a new temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the project copies")
    args = parser.parse_args(argv)
    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    if not sizes or sizes[0] < 1:
        parser.error("--sizes needs positive integers")
    args.preview_sizes = {int(s) for s in args.preview_sizes.split(",") if s.strip()}
    runs_at = parse_runs_at(args.runs_at)
    # SIGTERM unwinds like Ctrl-C, so the `finally` blocks stop servers and remove the work folder.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    work = Path(tempfile.mkdtemp(prefix="kb-bench-", dir=args.workdir))
    results = []
    try:
        for size in sizes:
            results.append(bench_size(size, max(1, runs_at.get(size, args.runs)), work, args))
    except BenchError as err:
        print(f"benchmark failed: {err}", file=sys.stderr)
        return 1
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            log(f"kept {work}")
    first = results[0]
    for r in results:
        r["generator_per_page_rel"] = round(r["generator_ms_per_page"] / first["generator_ms_per_page"], 3)
        r["build_per_page_rel"] = round(r["build_ms_per_page"] / first["build_ms_per_page"], 3)
    assets = asset_sizes()
    imports = plugin_import_s(max(3, args.runs))
    import mkdocs

    summary = {
        "python": platform.python_version(),
        "mkdocs": mkdocs.__version__,
        "cpus": os.cpu_count(),
        "seed": args.seed,
        "sizes": results,
        "assets": assets,
        "plugin_import_s": imports,
    }
    print(table(results, assets, imports))
    print("BENCH_JSON " + json.dumps(summary, sort_keys=True, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
