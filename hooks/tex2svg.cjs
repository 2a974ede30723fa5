// TeX -> SVG at build time, for hooks/build_math.py: MathJax 3 (npm `mathjax-full`), no browser.
//
// Reads one JSON array per line on stdin, [{"tex": "...", "display": true}, ...], and writes one
// JSON array per line on stdout, [{"html": "<mjx-container ...>"} | {"error": "..."}, ...].
// Run once per build; each line is one page. `--css` prints the stylesheet the output needs.
//
// The output is an SVG (glyphs as paths, `currentColor`, so it follows the light/dark theme) plus
// the formula as hidden MathML for screen readers (MathJax's assistive-mml).

"use strict";

const readline = require("readline");
const { mathjax } = require("mathjax-full/js/mathjax.js");
const { TeX } = require("mathjax-full/js/input/tex.js");
const { SVG } = require("mathjax-full/js/output/svg.js");
const { liteAdaptor } = require("mathjax-full/js/adaptors/liteAdaptor.js");
const { RegisterHTMLHandler } = require("mathjax-full/js/handlers/html.js");
const { AssistiveMmlHandler } = require("mathjax-full/js/a11y/assistive-mml.js");
const { AllPackages } = require("mathjax-full/js/input/tex/AllPackages.js");

// Without `noerrors`/`noundefined`, a TeX error throws (formatError) instead of rendering red.
const SKIP = new Set(["autoload", "require", "noerrors", "noundefined", "bussproofs"]);

const adaptor = liteAdaptor();
AssistiveMmlHandler(RegisterHTMLHandler(adaptor));
const tex = new TeX({
  packages: AllPackages.filter((name) => !SKIP.has(name)),
  formatError: (jax, error) => {
    throw error;
  },
});
// fontCache "none": every formula carries its own paths, so no ids can clash within a page.
const svg = new SVG({ fontCache: "none" });
const html = mathjax.document("", { InputJax: tex, OutputJax: svg });

function render(item) {
  try {
    const node = html.convert(item.tex, {
      display: Boolean(item.display),
      em: 16,
      ex: 8,
      containerWidth: 80 * 16,
    });
    return { html: adaptor.outerHTML(node) };
  } catch (error) {
    return { error: String(error && error.message ? error.message : error) };
  }
}

if (process.argv.includes("--css")) {
  process.stdout.write(adaptor.textContent(svg.styleSheet(html)) + "\n");
} else {
  const lines = readline.createInterface({ input: process.stdin, terminal: false });
  lines.on("line", (line) => {
    const items = JSON.parse(line);
    process.stdout.write(JSON.stringify(items.map(render)) + "\n");
  });
}
