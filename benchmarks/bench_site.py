"""The built site on a phone: Lighthouse (mobile preset) on one page of each type, both languages.

Builds the site (or takes one: ``--site DIR`` or ``DLPAPERS_SITE=DIR``), serves it from
127.0.0.1 with gzip and a 10-minute cache, as GitHub Pages does, runs Lighthouse 12.2.3 (installed
by ``make install`` into ``.venv/node_modules``) in Debian's Chromium on the home page, a Q&A page,
a theory page, a notebook page and an API page in Korean and English, ``--runs`` times each
(default 3), and prints ONE JSON object: per page, from the median run, the four category
scores, the transfer size (bytes over the wire, gzip), LCP, TBT and the audits that failed in
the accessibility, best-practices and SEO categories, plus every run's performance score and
blocking time, to show how much they vary.

    python benchmarks/bench_site.py                      # build into a temporary folder first
    python benchmarks/bench_site.py --site site/         # measure a site you built
    python benchmarks/bench_site.py --pages qa --reports out/   # one page type, keep the reports

Scores depend on the machine: Lighthouse simulates a slow phone (4x CPU slowdown) from what it
observes, so a busy CPU gives a lower performance score and a longer blocking time.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# `make install` puts the npm packages into the virtual environment: .venv/node_modules.
LIGHTHOUSE = next(
    (path for path in (Path(sys.prefix) / "node_modules/.bin/lighthouse",
                       ROOT / ".venv/node_modules/.bin/lighthouse") if path.exists()),
    ROOT / ".venv/node_modules/.bin/lighthouse",
)
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PAGES = {
    "home": "",
    "qa": "office-hour/qa/first-papers/",
    "theory-vit": "assignments/vit/",
    "notebook-vit": "assignments/vit/notebook/",
    "api-vit": "reference/vit/",
}
LANGUAGES = {"ko": "", "en": "en/"}
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map", ".ipynb")
TARGETS = {
    "performance": 95,
    "accessibility": 100,
    "best-practices": 100,
    "seo": 100,
    "text_page_bytes": 250_000,
    "notebook_page_bytes": 600_000,
}


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files over HTTP/1.1 with keep-alive, gzip for text, ``max-age=600`` (GitHub Pages)."""

    protocol_version = "HTTP/1.1"

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the redirect to the trailing slash
            path = path / "index.html"
        accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not path.is_file() or not accepts_gzip or path.suffix not in COMPRESSIBLE:
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return _Body(body)

    def end_headers(self):
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def log_message(self, *args):
        pass


class _Body:
    """A file-like object over bytes, for ``copyfile``."""

    def __init__(self, data: bytes):
        self.data, self.done = data, False

    def read(self, n: int = -1) -> bytes:
        if self.done:
            return b""
        self.done = True
        return self.data

    def close(self):
        pass


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(GzipHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def build(folder: Path) -> Path:
    site = folder / "site"
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(site)],
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": "http://127.0.0.1:8000/"},
        check=True,
    )
    return site


def lighthouse(url: str, out: Path) -> dict:
    subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={out}",
            f"--only-categories={','.join(CATEGORIES)}",
            "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        ],
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        check=True,
    )
    report = json.loads(out.read_text())
    audits = report["audits"]
    failed = {}
    for category in CATEGORIES[1:]:
        ids = [
            ref["id"]
            for ref in report["categories"][category]["auditRefs"]
            if ref["weight"] > 0 and (audits[ref["id"]]["score"] is not None)
            and audits[ref["id"]]["score"] < 1
        ]
        if ids:
            failed[category] = ids
    return {
        **{c: round(100 * report["categories"][c]["score"]) for c in CATEGORIES},
        "transfer_bytes": round(audits["total-byte-weight"]["numericValue"]),
        "lcp_ms": round(audits["largest-contentful-paint"]["numericValue"]),
        "tbt_ms": round(audits["total-blocking-time"]["numericValue"]),
        "failed_audits": failed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=os.environ.get("DLPAPERS_SITE"),
                        help="a built site to measure (default: build one)")
    parser.add_argument("--pages", nargs="*", default=list(PAGES), choices=list(PAGES))
    parser.add_argument("--reports", type=Path, help="keep Lighthouse's JSON reports here")
    parser.add_argument("--runs", type=int, default=3,
                        help="Lighthouse runs per page; the median run is reported (default 3)")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        sys.exit(f"{LIGHTHOUSE} is missing: run `make install` (needs npm)")
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(args.site) if args.site else build(Path(tmp))
        server, base = serve(site)
        results = {}
        try:
            for language, prefix in LANGUAGES.items():
                for name in args.pages:
                    key = f"{name}-{language}"
                    url = base + prefix + PAGES[name]
                    folder = args.reports or Path(tmp)
                    folder.mkdir(parents=True, exist_ok=True)
                    runs = [lighthouse(url, folder / f"{key}-{run}.json")
                            for run in range(args.runs)]
                    # Lighthouse's own advice for a noisy machine: several runs, the median one.
                    runs.sort(key=lambda row: (row["performance"], -row["tbt_ms"]))
                    results[key] = {**runs[len(runs) // 2],
                                    "performance_runs": [row["performance"] for row in runs],
                                    "tbt_ms_runs": sorted(row["tbt_ms"] for row in runs)}
        finally:
            server.shutdown()
    def meets(key: str, row: dict) -> bool:
        limit = TARGETS["notebook_page_bytes" if key.startswith("notebook") else "text_page_bytes"]
        return row["transfer_bytes"] <= limit and all(row[c] >= TARGETS[c] for c in CATEGORIES)

    print(json.dumps({
        "lighthouse": "12.2.3",
        "preset": "mobile (default), simulated throttling",
        "runs_per_page": args.runs,
        "targets": TARGETS,
        "pages": results,
        "all_targets_met": all(meets(key, row) for key, row in results.items()),
    }, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
