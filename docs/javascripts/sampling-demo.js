/* Inverse transform sampling in the page: drag u in (0, 1) through a quantile function.
 *
 * The math mirrors dlpapers.mdn.sampling, with the same names in camelCase: uniform(n, seed),
 * bisectIcdf(distribution, u) (60 halvings of mean ± 40 standard deviations), quantile(distribution,
 * u) (the closed-form icdf where there is one, else bisection) and inverseTransformSample. The two
 * targets and their parameters come from dlpapers.mdn.sampling.demo_targets(), written into the
 * page at build time (hooks/sampling_demo.py) as <script id="sampling-targets">.
 * The uniform numbers come from mulberry32 (a small seeded generator), not from PyTorch's stream,
 * so the samples differ from the notebook's; their distribution does not.
 */
(() => {
  "use strict";

  // ---- the math -------------------------------------------------------------------------------

  /** mulberry32: a 32-bit seeded generator of numbers in [0, 1). */
  function mulberry32(seed) {
    let a = seed >>> 0;
    return () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  /** n draws from Uniform(0, 1), from a generator (a function) or a seed. */
  function uniform(n, seedOrRandom = 0) {
    const random = typeof seedOrRandom === "function" ? seedOrRandom : mulberry32(seedOrRandom);
    const u = new Float64Array(n);
    for (let i = 0; i < n; i += 1) {
      let value = random();
      while (value === 0) value = random(); // the open interval: F⁻¹(0) is -∞
      u[i] = value;
    }
    return u;
  }

  /** The standard normal CDF Φ(z), to double precision (Hart 1968, as in W. J. Cody's tables). */
  function normalCdf(z) {
    const a = Math.abs(z);
    let tail = 0;
    if (a < 37) {
      const e = Math.exp(-a * a / 2);
      if (a < 7.07106781186547) {
        let n = 3.52624965998911e-2 * a + 0.700383064443688;
        n = n * a + 6.37396220353165;
        n = n * a + 33.912866078383;
        n = n * a + 112.079291497871;
        n = n * a + 221.213596169931;
        n = n * a + 220.206867912376;
        let d = 8.83883476483184e-2 * a + 1.75566716318264;
        d = d * a + 16.064177579207;
        d = d * a + 86.7807322029461;
        d = d * a + 296.564248779674;
        d = d * a + 637.333633378831;
        d = d * a + 793.826512519948;
        d = d * a + 440.413735824752;
        tail = e * n / d;
      } else {
        let d = a + 0.65;
        d = a + 4 / d;
        d = a + 3 / d;
        d = a + 2 / d;
        d = a + 1 / d;
        tail = e / d / 2.506628274631;
      }
    }
    return z > 0 ? 1 - tail : tail;
  }

  /** Exponential(rate): density rate·e^(-rate·x), CDF 1 - e^(-rate·x), icdf -ln(1-u)/rate. */
  function exponential(rate) {
    return {
      mean: 1 / rate,
      stddev: 1 / rate,
      lower: 0, // the left end of the support
      density: (x) => (x < 0 ? 0 : rate * Math.exp(-rate * x)),
      cdf: (x) => (x < 0 ? 0 : -Math.expm1(-rate * x)),
      icdf: (u) => -Math.log1p(-u) / rate,
    };
  }

  /** Σ_k weights[k]·Normal(means[k], stds[k]): no icdf, so quantile() bisects its CDF. */
  function twoModeMixture(weights, means, stds) {
    const k = weights.length;
    let mean = 0;
    let second = 0;
    for (let i = 0; i < k; i += 1) {
      mean += weights[i] * means[i];
      second += weights[i] * (stds[i] ** 2 + means[i] ** 2);
    }
    const sum = (term) => (x) => { // plain loops: the CDF runs 60 times per sample
      let total = 0;
      for (let i = 0; i < k; i += 1) total += weights[i] * term((x - means[i]) / stds[i], stds[i]);
      return total;
    };
    return {
      mean,
      stddev: Math.sqrt(second - mean * mean),
      density: sum((z, std) => Math.exp(-0.5 * z * z) / (std * Math.sqrt(2 * Math.PI))),
      cdf: sum(normalCdf),
    };
  }

  /** Invert distribution.cdf at u by halving [low, high] `iterations` times. */
  function bisectIcdf(distribution, u, low, high, iterations = 60) {
    if (!(u > 0 && u < 1)) throw new RangeError("u must lie strictly between 0 and 1");
    let lo = low ?? distribution.mean - 40 * distribution.stddev;
    let hi = high ?? distribution.mean + 40 * distribution.stddev;
    for (let i = 0; i < iterations; i += 1) {
      const mid = (lo + hi) / 2;
      if (distribution.cdf(mid) < u) lo = mid;
      else hi = mid;
    }
    return (lo + hi) / 2;
  }

  /** The quantile function F⁻¹(u): the distribution's icdf, else bisection on its CDF. */
  function quantile(distribution, u) {
    return distribution.icdf ? distribution.icdf(u) : bisectIcdf(distribution, u);
  }

  /** n samples F⁻¹(U) from uniform numbers alone. */
  function inverseTransformSample(distribution, n, seedOrRandom = 0) {
    return uniform(n, seedOrRandom).map((u) => quantile(distribution, u));
  }

  // ---- the page -------------------------------------------------------------------------------

  const SEED = 0;
  const BINS = 40;
  const CDF_HEIGHT = 210;
  const SVG = "http://www.w3.org/2000/svg";
  const root = document.querySelector('[data-demo-root="sampling"]');
  const data = document.getElementById("sampling-targets");
  if (!root || !data) return;

  const params = JSON.parse(data.textContent);
  const targets = {
    exponential: exponential(params.exponential.rate),
    mixture: twoModeMixture(params.mixture.weights, params.mixture.means, params.mixture.stds),
  };
  const lang = document.documentElement.lang || "en";
  const formats = {};
  const fmt = (value, digits) => {
    formats[digits] ??= new Intl.NumberFormat(lang, {
      minimumFractionDigits: digits, maximumFractionDigits: digits,
    });
    return formats[digits].format(value);
  };
  const short = new Intl.NumberFormat(lang, { maximumFractionDigits: 3 });

  const slider = root.querySelector('[data-demo="sampling-u"]');
  const output = root.querySelector('[data-demo-output="sampling-x"]');
  const summary = root.querySelector('[data-demo-output="sampling-summary"]');
  const cdfBox = root.querySelector('[data-demo-plot="cdf"]');
  const histBox = root.querySelector('[data-demo="sampling-histogram"]');
  const radios = [...root.querySelectorAll('input[name="sampling-target"]')];

  // Parameters in the labels, formatted in the page's language.
  const mixtureText = params.mixture.weights.map((w, i) => `${short.format(w)}·N(${
    short.format(params.mixture.means[i])}, ${short.format(params.mixture.stds[i])}²)`).join(" + ");
  root.querySelectorAll('[data-demo-param="exponential"]').forEach((span) => {
    span.textContent = `λ = ${short.format(params.exponential.rate)}`;
  });
  root.querySelectorAll('[data-demo-param="mixture"]').forEach((span) => {
    span.textContent = mixtureText;
  });

  const state = { name: "exponential", counts: new Array(BINS).fill(0), n: 0, sum: 0, random: null };

  function range(target) {
    const lo = quantile(target, 0.001);
    const hi = quantile(target, 0.999);
    const pad = 0.04 * (hi - lo);
    return [target.lower ?? lo - pad, hi + pad];
  }

  function resetSamples() {
    state.counts = new Array(BINS).fill(0);
    state.n = 0;
    state.sum = 0;
    state.random = mulberry32(SEED); // the same seed each time: the same samples each time
  }

  function draw(n) {
    const target = targets[state.name];
    const [lo, hi] = range(target);
    const width = (hi - lo) / BINS;
    for (const x of inverseTransformSample(target, n, state.random)) {
      const bin = Math.floor((x - lo) / width);
      if (bin >= 0 && bin < BINS) state.counts[bin] += 1;
      state.sum += x;
    }
    state.n += n;
  }

  function el(name, attrs, parent) {
    const node = document.createElementNS(SVG, name);
    for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
    if (parent) parent.appendChild(node);
    return node;
  }

  function ticks(lo, hi, count) {
    const raw = (hi - lo) / count;
    const power = 10 ** Math.floor(Math.log10(raw));
    const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw);
    const out = [];
    for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-9; t += step) out.push(t);
    return out;
  }

  function frame(box, height) {
    box.replaceChildren();
    const width = Math.max(box.clientWidth, 240);
    const svg = el("svg", { width, height, viewBox: `0 0 ${width} ${height}`, "aria-hidden": "true",
      focusable: "false" }, box);
    return { svg, width, height, left: 40, right: width - 10, top: 10, bottom: height - 26 };
  }

  function axes(f, sx, lo, hi, yTicks, sy, yFormat) {
    el("line", { x1: f.left, x2: f.right, y1: f.bottom, y2: f.bottom, class: "sd-axis" }, f.svg);
    el("text", { x: f.right, y: f.bottom - 6, class: "sd-label", "text-anchor": "end" }, f.svg)
      .textContent = "x";
    el("line", { x1: f.left, x2: f.left, y1: f.top, y2: f.bottom, class: "sd-axis" }, f.svg);
    for (const t of ticks(lo, hi, f.width < 420 ? 4 : 8)) {
      el("line", { x1: sx(t), x2: sx(t), y1: f.bottom, y2: f.bottom + 4, class: "sd-axis" }, f.svg);
      el("text", { x: sx(t), y: f.bottom + 17, class: "sd-tick", "text-anchor": "middle" }, f.svg)
        .textContent = short.format(t);
    }
    for (const t of yTicks) {
      el("line", { x1: f.left - 4, x2: f.left, y1: sy(t), y2: sy(t), class: "sd-axis" }, f.svg);
      el("text", { x: f.left - 7, y: sy(t) + 4, class: "sd-tick", "text-anchor": "end" }, f.svg)
        .textContent = yFormat(t);
    }
  }

  function curve(fn, sx, sy, lo, hi, width) {
    const steps = Math.max(100, Math.round(width));
    let d = "";
    for (let i = 0; i <= steps; i += 1) {
      const x = lo + (hi - lo) * i / steps;
      d += `${i ? "L" : "M"}${sx(x).toFixed(1)},${sy(fn(x)).toFixed(1)}`;
    }
    return d;
  }

  function render() {
    const target = targets[state.name];
    const u = Number(slider.value);
    const x = quantile(target, u);
    const [lo, hi] = range(target);

    // The CDF, u on the vertical axis, and the way from u to x.
    const c = frame(cdfBox, CDF_HEIGHT);
    const sx = (v) => c.left + (v - lo) / (hi - lo) * (c.right - c.left);
    const su = (v) => c.bottom - v * (c.bottom - c.top);
    axes(c, sx, lo, hi, [0, 0.5, 1], su, (t) => short.format(t));
    el("text", { x: 4, y: c.top + 10, class: "sd-label" }, c.svg).textContent = "u";
    el("path", { d: curve(target.cdf, sx, su, lo, hi, c.width), class: "sd-curve" }, c.svg);
    el("path", { d: `M${c.left},${su(u)}H${sx(x)}V${c.bottom - 1}`, class: "sd-guide" }, c.svg);
    el("path", { d: `M${sx(x) - 5},${c.bottom - 9}L${sx(x)},${c.bottom - 1}L${sx(x) + 5},${
      c.bottom - 9}`, class: "sd-guide" }, c.svg);
    el("circle", { cx: c.left, cy: su(u), r: 4, class: "sd-dot" }, c.svg);
    el("circle", { cx: sx(x), cy: su(u), r: 3.5, class: "sd-dot" }, c.svg);

    // The density, the histogram of the samples drawn so far, and x marked on both.
    const h = frame(histBox, 190);
    const peak = Math.max(...Array.from({ length: 200 }, (_, i) => target.density(lo + (hi - lo) * i / 199)));
    const binWidth = (hi - lo) / BINS;
    const heights = state.counts.map((count) => (state.n ? count / (state.n * binWidth) : 0));
    const top = 1.1 * Math.max(peak, ...heights);
    const sy = (v) => h.bottom - v / top * (h.bottom - h.top);
    axes(h, sx, lo, hi, ticks(0, top, 3), sy, (t) => short.format(t));
    const bars = el("g", { class: "sd-bars" }, h.svg);
    heights.forEach((value, i) => {
      if (!value) return;
      const x0 = sx(lo + i * binWidth);
      el("rect", { x: x0, y: sy(value), width: Math.max(sx(lo + (i + 1) * binWidth) - x0 - 1, 1),
        height: h.bottom - sy(value) }, bars);
    });
    el("path", { d: curve(target.density, sx, sy, lo, hi, h.width), class: "sd-curve" }, h.svg);
    el("line", { x1: sx(x), x2: sx(x), y1: h.top, y2: h.bottom, class: "sd-guide sd-dashed" }, h.svg);
    el("text", { x: 4, y: h.top + 10, class: "sd-label" }, h.svg).textContent = "p(x)";

    const mean = state.n ? state.sum / state.n : NaN;
    histBox.dataset.count = String(state.n);
    histBox.dataset.filledBins = String(state.counts.filter(Boolean).length);
    histBox.dataset.mean = state.n ? String(mean) : "";
    histBox.dataset.trueMean = String(target.mean);
    summary.textContent = state.n
      ? summary.dataset.template
        .replace("{n}", fmt(state.n, 0)).replace("{mean}", fmt(mean, 3))
        .replace("{true}", fmt(target.mean, 3))
      : summary.dataset.empty.replace("{true}", fmt(target.mean, 3));

    output.dataset.x = String(x);
    output.dataset.u = String(u);
    output.textContent = `u = ${fmt(u, 3)} → x = F⁻¹(u) = ${fmt(x, 3)}`;
    slider.setAttribute("aria-valuetext", `u = ${fmt(u, 3)}, x = ${fmt(x, 3)}`);
  }

  // u from a pointer on the CDF plot: its height, snapped to the slider's step.
  function fromPointer(event) {
    const box = cdfBox.getBoundingClientRect();
    const fraction = (CDF_HEIGHT - 26 - (event.clientY - box.top)) / (CDF_HEIGHT - 36);
    const step = Number(slider.step);
    const u = Math.round(fraction / step) * step;
    slider.value = String(Math.min(Number(slider.max), Math.max(Number(slider.min), u)));
    render();
  }

  slider.addEventListener("input", render);
  cdfBox.addEventListener("pointerdown", (event) => {
    cdfBox.setPointerCapture(event.pointerId);
    fromPointer(event);
  });
  cdfBox.addEventListener("pointermove", (event) => {
    if (cdfBox.hasPointerCapture(event.pointerId)) fromPointer(event);
  });
  radios.forEach((radio) => radio.addEventListener("change", () => {
    state.name = radio.value;
    resetSamples();
    render();
  }));
  root.querySelectorAll("[data-demo-draw]").forEach((button) => button.addEventListener("click", () => {
    draw(Number(button.dataset.demoDraw));
    render();
  }));
  root.querySelector("[data-demo-reset]").addEventListener("click", () => {
    resetSamples();
    render();
  });
  new ResizeObserver(() => render()).observe(cdfBox);

  state.name = (radios.find((r) => r.checked) || radios[0]).value;
  resetSamples();
  root.hidden = false;
  render();

  // For the browser tests and the curious: the same functions as dlpapers.mdn.sampling.
  window.samplingDemo = { uniform, bisectIcdf, quantile, inverseTransformSample, targets };
})();
