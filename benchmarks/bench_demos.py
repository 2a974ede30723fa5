"""The in-browser demos: what each demo page transfers, what loads lazily, and inference time.

Builds the site (or takes one: ``--site DIR`` or ``DLPAPERS_SITE=DIR``), serves it from
127.0.0.1 with gzip as GitHub Pages does (``bench_site.serve``), opens each demo page in
Debian's Chromium and prints ONE JSON object:

- ``before_interaction_bytes``: bytes over the wire (gzip, from Chromium's network log) after the
  page loaded and was scrolled to its end, before the demo was touched (target <= 300 KB);
- ``lazy_bytes``: what pointing at the demo then fetched (the runtime and the model);
- ``inference_ms``: median and 95th percentile of one model call from JavaScript (tensor in,
  ``session.run``, arrays out) over ``--runs`` calls: per stroke update (ViT), per pointer move
  (AAE), per slider step (MDN) (target < 20 ms);
- ``files``: raw and gzip sizes of the runtime files and of each demo's model and data.

    python benchmarks/bench_demos.py --site /tmp/site

Times depend on the machine and its load (this CPU is shared); sizes do not.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_site import build, serve  # noqa: E402  (a sibling script)

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
LANGUAGES = {"ko": "", "en": "en/"}
DEMOS = {
    "vit": "const d = vit.samples(); const px = d.counts[i % d.counts.length].map(v => v / 16);"
           " await vit.predict(px);",
    "aae": "await aae.decode([Math.cos(i) * 2, Math.sin(i) * 2]);",
    "mdn": "await mdn.mixture(-0.1 + (i % 121) * 0.01);",
}
TARGETS = {"before_interaction_bytes": 300_000, "inference_ms": 20}


def file_sizes(site: Path) -> dict:
    rows = {}
    for path in sorted((site / "assets" / "demos").rglob("*")):
        if path.is_file() and path.name != "LICENSE":
            data = path.read_bytes()
            rows[path.relative_to(site).as_posix()] = {
                "bytes": len(data), "gzip_bytes": len(gzip.compress(data, compresslevel=6))}
    return rows


def measure(browser, url: str, paper: str, runs: int) -> dict:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    urls, sizes = {}, {}
    cdp.on("Network.requestWillBeSent",
           lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]))
    cdp.on("Network.loadingFinished",
           lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
    page.goto(url, wait_until="networkidle")
    page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)
    before = dict(sizes)
    page.locator(f'[data-demo-root="{paper}"]').hover(position={"x": 4, "y": 4})
    page.wait_for_selector(f'[data-demo-root="{paper}"][data-demo-ready="true"]', timeout=120_000)
    page.wait_for_load_state("networkidle")
    lazy = {urls[key]: size for key, size in sizes.items() if key not in before}
    times = page.evaluate(f"""async () => {{
        const {{vit, aae, mdn}} = window.dlpapersDemos, times = [];
        for (let i = 0; i < {runs + 5}; i++) {{
            const start = performance.now();
            {DEMOS[paper]}
            if (i >= 5) times.push(performance.now() - start);  // 5 warm-up calls
        }}
        return times;
    }}""")
    context.close()
    short = {url.rsplit("/", 2)[-2] + "/" + url.rsplit("/", 1)[-1]: size
             for url, size in lazy.items()}
    return {
        "before_interaction_bytes": sum(before.values()),
        "before_interaction_requests": len(before),
        "lazy_bytes": sum(lazy.values()),
        "lazy": short,
        "inference_ms": {"median": round(statistics.median(times), 3),
                         "p95": round(sorted(times)[int(0.95 * len(times)) - 1], 3)},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=os.environ.get("DLPAPERS_SITE"),
                        help="a built site to measure (default: build one)")
    parser.add_argument("--runs", type=int, default=100, help="model calls timed per demo")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        site = Path(args.site) if args.site else build(Path(tmp))
        server, base = serve(site)
        pages = {}
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                            args=["--no-sandbox", "--disable-gpu"])
                for language, prefix in LANGUAGES.items():
                    for paper in DEMOS:
                        url = f"{base}{prefix}assignments/{paper}/demo/"
                        pages[f"{paper}-{language}"] = measure(browser, url, paper, args.runs)
                browser.close()
        finally:
            server.shutdown()
        files = file_sizes(site)
    print(json.dumps({
        "browser": "Debian chromium (headless), onnxruntime-web 1.30.0 wasm, 1 thread",
        "targets": TARGETS,
        "pages": pages,
        "files": files,
        "all_targets_met": all(
            row["before_interaction_bytes"] <= TARGETS["before_interaction_bytes"]
            and row["inference_ms"]["median"] < TARGETS["inference_ms"] for row in pages.values()),
    }, indent=1))


if __name__ == "__main__":
    main()
