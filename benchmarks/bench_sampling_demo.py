"""The inverse-transform-sampling demo page: its weight before any interaction, and its speed.

Serves a built site from 127.0.0.1 with gzip (``bench_site.serve``, as GitHub Pages would), opens
``assignments/mdn/sampling-demo/`` in each language in Debian's headless Chromium, and prints ONE
JSON object: the bytes over the wire until the page is idle (gzip; the largest files listed), and
per target the median time of one slider move (quantile, redraw of both plots, style and layout)
and of drawing 10,000 samples into the histogram, in milliseconds.

    python benchmarks/bench_sampling_demo.py --site /tmp/site   # a site you built
    python benchmarks/bench_sampling_demo.py                    # build one first

Times depend on the machine and on what else runs on it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_site import build, serve  # noqa: E402

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PATH = "assignments/mdn/sampling-demo/"
LANGUAGES = {"ko": "", "en": "en/"}
TARGETS = {"transfer_bytes_gzip": 300_000, "slider_move_ms": 20}
TIME_MOVES = """async (name) => {
    document.querySelector(`input[name="sampling-target"][value="${name}"]`).click();
    const slider = document.querySelector('[data-demo="sampling-u"]');
    const times = [];
    for (let i = 1; i <= 99; i += 1) {
        const start = performance.now();
        slider.value = String(i / 100);
        slider.dispatchEvent(new Event("input"));
        void document.body.offsetHeight;  // include the style and layout work
        times.push(performance.now() - start);
    }
    const button = document.querySelector('[data-demo-draw="10000"]');
    const draws = [];
    for (let i = 0; i < 5; i += 1) {
        const start = performance.now();
        button.click();
        void document.body.offsetHeight;
        draws.push(performance.now() - start);
    }
    return {times, draws};
}"""


def measure(browser, base: str, url: str) -> dict:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    responses = []
    page.on("requestfinished", lambda request: responses.append(request))
    page.goto(url, wait_until="networkidle")
    files = {}
    for request in responses:
        sizes = request.sizes()
        files[request.url.removeprefix(base)] = (
            sizes["responseBodySize"] + sizes["responseHeadersSize"])
    result = {"transfer_bytes_gzip": sum(files.values()), "requests": len(files),
              "largest": dict(sorted(files.items(), key=lambda kv: -kv[1])[:6])}
    for name in ("exponential", "mixture"):
        timing = page.evaluate(TIME_MOVES, name)
        result[name] = {"slider_move_ms_median": round(statistics.median(timing["times"]), 2),
                        "slider_move_ms_max": round(max(timing["times"]), 2),
                        "draw_10000_ms_median": round(statistics.median(timing["draws"]), 1)}
    page.close()
    return result


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=os.environ.get("DLPAPERS_SITE"),
                        help="a built site to measure (default: build one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(args.site) if args.site else build(Path(tmp))
        server, base = serve(site)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                            args=["--no-sandbox", "--disable-gpu"])
                pages = {language: measure(browser, base, base + prefix + PATH)
                         for language, prefix in LANGUAGES.items()}
                browser.close()
        finally:
            server.shutdown()
    print(json.dumps({
        "targets": TARGETS,
        "pages": pages,
        "all_targets_met": all(
            row["transfer_bytes_gzip"] <= TARGETS["transfer_bytes_gzip"]
            and all(row[t]["slider_move_ms_median"] <= TARGETS["slider_move_ms"]
                    for t in ("exponential", "mixture"))
            for row in pages.values()),
    }, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
