/* What the three demos share (loaded only on demo pages, see hooks/demos.py).
 *
 * - loadRuntime(): onnxruntime-web's WebAssembly build, served from the site, loaded on demand;
 * - session(name) / json(name): a model or a data file from assets/demos/, fetched once;
 * - whenVisible(element, start): start() once, when the element nears the viewport (the small
 *   JSON data); whenUsed(element, start): once, when the reader first points at, touches or
 *   focuses it (the runtime and the model), so the page itself stays light;
 * - number(), percent(): numbers in the page's language (Intl.NumberFormat);
 * - colors(), onThemeChange(): the Material palette's CSS variables, for drawing on canvases;
 * - text(key): the demos' few generated strings, in the page's language.
 */
(function () {
  "use strict";

  var body = document.body;
  var lang = document.documentElement.lang || "ko";
  var assets = body.getAttribute("data-demo-assets") || "";
  var runtimeUrl = body.getAttribute("data-demo-runtime") || "";
  var runtime = null;
  var sessions = {};
  var files = {};

  var TEXT = {
    ko: {
      loading: "모델을 불러오는 중…",
      ready: "준비되었습니다.",
      failed: "모델을 불러오지 못했습니다: ",
      draw: "숫자를 그려 보세요.",
      prediction: "예측",
      sample: "테스트 숫자",
      label: "정답",
      code: "잠재 코드",
      prior: "사전 분포에서 뽑은 점",
    },
    en: {
      loading: "Loading the model…",
      ready: "Ready.",
      failed: "The model could not be loaded: ",
      draw: "Draw a digit.",
      prediction: "Prediction",
      sample: "Test digit",
      label: "label",
      code: "Latent code",
      prior: "Drawn from the prior",
    },
  };

  function text(key) {
    var table = TEXT[lang.slice(0, 2)] || TEXT.en;
    return table[key];
  }

  function loadRuntime() {
    if (!runtime) {
      runtime = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = runtimeUrl + "ort.wasm.min.js";
        script.onload = function () {
          var ort = window.ort;
          ort.env.wasm.wasmPaths = new URL(runtimeUrl, location.href).href;
          ort.env.wasm.numThreads = 1; // threads need cross-origin isolation; the models are tiny
          ort.env.wasm.proxy = false;
          resolve(ort);
        };
        script.onerror = function () { reject(new Error(script.src)); };
        document.head.appendChild(script);
      });
    }
    return runtime;
  }

  function session(name) {
    if (!sessions[name]) {
      sessions[name] = loadRuntime().then(function (ort) {
        return ort.InferenceSession.create(assets + name, { executionProviders: ["wasm"] });
      });
    }
    return sessions[name];
  }

  function json(name) {
    if (!files[name]) {
      files[name] = fetch(assets + name).then(function (response) {
        if (!response.ok) throw new Error(name + ": HTTP " + response.status);
        return response.json();
      });
    }
    return files[name];
  }

  /* Call start() once, when the element comes within 200 px of the viewport. */
  function whenVisible(element, start) {
    if (!("IntersectionObserver" in window)) { start(); return; }
    var observer = new IntersectionObserver(function (entries) {
      if (!entries.some(function (entry) { return entry.isIntersecting; })) return;
      observer.disconnect();
      start();
    }, { rootMargin: "200px" });
    observer.observe(element);
  }

  /* Call start() once, when the reader first points at, touches, clicks or focuses the element:
   * the runtime (about 3.5 MB over the wire) is not fetched by a reader who only scrolls past. */
  var USE = ["pointerover", "pointerdown", "touchstart", "focusin", "keydown"];
  function whenUsed(element, start) {
    var started = false;
    function go() {
      if (started) return;
      started = true;
      USE.forEach(function (type) { element.removeEventListener(type, go, true); });
      start();
    }
    USE.forEach(function (type) { element.addEventListener(type, go, true); });
  }

  var formats = {};
  function number(value, digits) {
    var key = "n" + digits;
    if (!formats[key]) {
      formats[key] = new Intl.NumberFormat(lang, {
        minimumFractionDigits: digits, maximumFractionDigits: digits,
      });
    }
    return formats[key].format(value);
  }

  function percent(value, digits) {
    var key = "p" + digits;
    if (!formats[key]) {
      formats[key] = new Intl.NumberFormat(lang, {
        style: "percent", minimumFractionDigits: digits, maximumFractionDigits: digits,
      });
    }
    return formats[key].format(value);
  }

  function colors() {
    var style = getComputedStyle(body);
    function read(name, fallback) { return style.getPropertyValue(name).trim() || fallback; }
    return {
      fg: read("--md-default-fg-color", "rgba(0,0,0,0.87)"),
      light: read("--md-default-fg-color--light", "rgba(0,0,0,0.54)"),
      lighter: read("--md-default-fg-color--lighter", "rgba(0,0,0,0.32)"),
      lightest: read("--md-default-fg-color--lightest", "rgba(0,0,0,0.07)"),
      bg: read("--md-default-bg-color", "#fff"),
      accent: read("--md-accent-fg-color", "#526cfe"),
      primary: read("--md-primary-fg-color", "#4051b5"),
      dark: body.getAttribute("data-md-color-scheme") === "slate",
    };
  }

  function onThemeChange(callback) {
    new MutationObserver(callback).observe(body, {
      attributes: true, attributeFilter: ["data-md-color-scheme", "data-md-color-primary"],
    });
  }

  /* A canvas drawn at the device's pixel ratio; returns its 2-D context in CSS pixels. */
  function sharp(canvas) {
    var ratio = window.devicePixelRatio || 1;
    var width = canvas.clientWidth || canvas.width, height = canvas.clientHeight || canvas.height;
    if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
    }
    var context = canvas.getContext("2d");
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    return { context: context, width: width, height: height };
  }

  /* Ten label colours that read on white and on Material's slate (Okabe-Ito + four more). */
  var LABELS = ["#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2",
                "#d55e00", "#cc79a7", "#8c8c8c", "#9467bd", "#17becf"];

  window.dlpapersDemos = {
    lang: lang, text: text, loadRuntime: loadRuntime, session: session, json: json,
    whenVisible: whenVisible, whenUsed: whenUsed, number: number, percent: percent, colors: colors,
    onThemeChange: onThemeChange, sharp: sharp, LABELS: LABELS,
  };
})();
