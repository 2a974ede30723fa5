/* ViT demo: draw a digit, see the 8x8 image the model gets, its class probabilities and the
 * class token's attention rollout (assets/demos/vit.onnx, made by dlpapers.vit.export).
 *
 * Preprocessing follows the digits data (UCI optdigits, which scikit-learn ships): the strokes
 * are scaled into a 32x32 bitmap, each 4x4 block's "on" pixels are counted (0..16), and the
 * model sees count / 16, as dlpapers.data.digits divides by 16.
 *
 * Test hook: window.dlpapersDemos.vit.predict(pixels) runs 64 values in [0, 1] (row-major) and
 * resolves to {probabilities, rollout}.
 */
(function () {
  "use strict";

  var demos = window.dlpapersDemos;
  var root = document.querySelector('[data-demo-root="vit"]');
  if (!demos || !root) return;

  var pad = root.querySelector('[data-demo="vit-draw"]');
  var input = root.querySelector('[data-demo-output="input"]');
  var prediction = root.querySelector('[data-demo-output="prediction"]');
  var list = root.querySelector('[data-demo-output="probabilities"]');
  var status = root.querySelector('[data-demo-output="status"]');
  var gridToggle = root.querySelector('[data-demo-action="grid"]');
  var rolloutToggle = root.querySelector('[data-demo-action="rollout"]');

  var PEN = 0.075;      // stroke width on the pad, as a fraction of its side
  var BITMAP = 32;      // optdigits' bitmap side; 4x4 blocks give the 8x8 counts
  var strokes = [];     // strokes of {x, y} in [0, 1]
  var drawing = false;
  var cursor = { x: 0.5, y: 0.5, down: false, shown: false }; // the keyboard pen
  var counts = new Float32Array(64);
  var sampleIndex = -1, samples = null;
  var result = null;    // {probabilities, rollout} of the current counts
  var session = null, busy = false, dirty = false;

  /* ---------- the bars, built once ---------- */
  var bars = [];
  for (var k = 0; k < 10; k++) {
    var item = document.createElement("li");
    item.innerHTML = '<span class="dl-demo__digit"></span><span class="dl-demo__bar" ' +
      'aria-hidden="true"><span></span></span><span class="dl-demo__value"></span>';
    item.querySelector(".dl-demo__digit").textContent = demos.number(k, 0);
    list.appendChild(item);
    bars.push(item);
  }

  /* ---------- preprocessing: strokes -> 0..16 counts ---------- */
  var bitmap = document.createElement("canvas");
  bitmap.width = bitmap.height = BITMAP;
  var bitmapContext = bitmap.getContext("2d", { willReadFrequently: true });

  function rasterize() {
    var points = [].concat.apply([], strokes);
    var out = new Float32Array(64);
    if (!points.length) return out;
    var xs = points.map(function (p) { return p.x; }), ys = points.map(function (p) { return p.y; });
    var minX = Math.min.apply(null, xs), maxX = Math.max.apply(null, xs);
    var minY = Math.min.apply(null, ys), maxY = Math.max.apply(null, ys);
    var width = 3.5;  // pen width in bitmap pixels: about one 4x4 block, as in the data
    var scale = (BITMAP - width - 1) / Math.max(maxX - minX, maxY - minY, 1e-3);
    var offsetX = BITMAP / 2 - scale * (minX + maxX) / 2;
    var offsetY = BITMAP / 2 - scale * (minY + maxY) / 2;
    var c = bitmapContext;
    c.clearRect(0, 0, BITMAP, BITMAP);
    c.lineWidth = width;
    c.lineCap = c.lineJoin = "round";
    c.strokeStyle = c.fillStyle = "#000";
    strokes.forEach(function (stroke) {
      if (!stroke.length) return;
      c.beginPath();
      c.moveTo(offsetX + scale * stroke[0].x, offsetY + scale * stroke[0].y);
      stroke.forEach(function (p) { c.lineTo(offsetX + scale * p.x, offsetY + scale * p.y); });
      if (stroke.length === 1) c.lineTo(offsetX + scale * stroke[0].x + 0.01, offsetY + scale * stroke[0].y);
      c.stroke();
    });
    var alpha = c.getImageData(0, 0, BITMAP, BITMAP).data;
    for (var y = 0; y < BITMAP; y++) {
      for (var x = 0; x < BITMAP; x++) {
        if (alpha[(y * BITMAP + x) * 4 + 3] >= 128) out[(y >> 2) * 8 + (x >> 2)] += 1;
      }
    }
    return out;
  }

  /* ---------- drawing ---------- */
  function drawPad() {
    var s = demos.sharp(pad), c = s.context, colors = demos.colors();
    c.clearRect(0, 0, s.width, s.height);
    if (sampleIndex >= 0 && !strokes.length) {  // a test digit: its 8x8 counts, enlarged
      var cell = s.width / 8;
      for (var i = 0; i < 64; i++) {
        c.globalAlpha = counts[i] / 16;
        c.fillStyle = colors.fg;
        c.fillRect((i % 8) * cell, Math.floor(i / 8) * cell, cell + 0.5, cell + 0.5);
      }
      c.globalAlpha = 1;
    }
    c.strokeStyle = colors.fg;
    c.lineWidth = PEN * s.width;
    c.lineCap = c.lineJoin = "round";
    strokes.forEach(function (stroke) {
      c.beginPath();
      stroke.forEach(function (p, j) {
        if (j) c.lineTo(p.x * s.width, p.y * s.height); else c.moveTo(p.x * s.width, p.y * s.height);
      });
      if (stroke.length === 1) c.lineTo(stroke[0].x * s.width + 0.1, stroke[0].y * s.height);
      c.stroke();
    });
    if (cursor.shown) {
      c.beginPath();
      c.lineWidth = 2;
      c.strokeStyle = colors.accent;
      c.arc(cursor.x * s.width, cursor.y * s.height, PEN * s.width * (cursor.down ? 0.5 : 0.9), 0, 2 * Math.PI);
      c.stroke();
    }
  }

  function drawInput() {
    var s = demos.sharp(input), c = s.context, colors = demos.colors();
    var cell = s.width / 8;
    c.clearRect(0, 0, s.width, s.height);
    c.fillStyle = colors.fg;
    for (var i = 0; i < 64; i++) {
      c.globalAlpha = counts[i] / 16;
      c.fillRect((i % 8) * cell, Math.floor(i / 8) * cell, cell + 0.5, cell + 0.5);
    }
    c.globalAlpha = 1;
    if (result && rolloutToggle.checked) {
      // min-max scaled: the residual path makes every rollout fairly flat, the spread is the news
      var most = Math.max.apply(null, result.rollout), least = Math.min.apply(null, result.rollout);
      c.fillStyle = colors.dark ? "#ffb74d" : "#e65100";
      result.rollout.forEach(function (value, p) {
        c.globalAlpha = 0.65 * (value - least) / Math.max(most - least, 1e-9);
        c.fillRect((p % 4) * 2 * cell, Math.floor(p / 4) * 2 * cell, 2 * cell, 2 * cell);
      });
      c.globalAlpha = 1;
    }
    c.strokeStyle = colors.lighter;
    c.lineWidth = 1;
    c.strokeRect(0.5, 0.5, s.width - 1, s.height - 1);
    if (gridToggle.checked) {
      c.strokeStyle = colors.accent;
      c.setLineDash([4, 3]);
      c.beginPath();
      for (var g = 1; g < 4; g++) {
        c.moveTo(g * 2 * cell, 0); c.lineTo(g * 2 * cell, s.height);
        c.moveTo(0, g * 2 * cell); c.lineTo(s.width, g * 2 * cell);
      }
      c.stroke();
      c.setLineDash([]);
    }
    input.setAttribute("data-sum", String(counts.reduce(function (a, b) { return a + b; }, 0)));
  }

  function showResult() {
    if (!result) {
      prediction.textContent = demos.text("draw");
      prediction.removeAttribute("data-class");
      bars.forEach(function (bar) {
        bar.querySelector(".dl-demo__bar span").style.width = "0";
        bar.querySelector(".dl-demo__value").textContent = "";
        bar.classList.remove("dl-demo__best");
      });
      return;
    }
    var p = result.probabilities, best = 0;
    for (var k = 1; k < 10; k++) if (p[k] > p[best]) best = k;
    prediction.setAttribute("data-class", String(best));
    var label = sampleIndex >= 0 && !strokes.length ? " · " + demos.text("sample") + ", " +
      demos.text("label") + " " + demos.number(samples.labels[sampleIndex], 0) : "";
    prediction.textContent = demos.text("prediction") + ": " + demos.number(best, 0) + " (" +
      demos.percent(p[best], 1) + ")" + label;
    bars.forEach(function (bar, k) {
      bar.querySelector(".dl-demo__bar span").style.width = (100 * p[k]).toFixed(1) + "%";
      bar.querySelector(".dl-demo__value").textContent = demos.percent(p[k], 1);
      bar.classList.toggle("dl-demo__best", k === best);
    });
  }

  /* ---------- inference ---------- */
  function predict(pixels) {
    return demos.session("vit.onnx").then(function (s) {
      var ort = window.ort;
      var started = performance.now();
      var tensor = new ort.Tensor("float32", Float32Array.from(pixels), [1, 1, 8, 8]);
      return s.run({ pixels: tensor }).then(function (out) {
        api.lastMs = performance.now() - started;
        return {
          probabilities: Array.from(out.probabilities.data),
          rollout: Array.from(out.rollout.data),
        };
      });
    });
  }

  function update() {
    dirty = true;
    if (busy || !session) return;
    busy = true;
    (function loop() {
      if (!dirty) { busy = false; return; }
      dirty = false;
      var empty = !counts.some(function (v) { return v > 0; });
      if (empty) { result = null; showResult(); drawInput(); loop(); return; }
      predict(Array.from(counts, function (v) { return v / 16; })).then(function (out) {
        result = out;
        api.runs += 1;
        showResult();
        drawInput();
        loop();
      }, function (error) { busy = false; status.textContent = demos.text("failed") + error.message; });
    })();
  }

  function changed() {
    counts = rasterize();
    drawPad();
    drawInput();
    update();
  }

  /* ---------- pointer (mouse, pen, touch) ---------- */
  function point(event) {
    var box = pad.getBoundingClientRect();
    return { x: (event.clientX - box.left) / box.width, y: (event.clientY - box.top) / box.height };
  }
  pad.addEventListener("pointerdown", function (event) {
    event.preventDefault();
    pad.setPointerCapture(event.pointerId);
    if (sampleIndex >= 0) { sampleIndex = -1; strokes = []; }
    drawing = true;
    cursor.shown = false;
    strokes.push([point(event)]);
    changed();
  });
  pad.addEventListener("pointermove", function (event) {
    if (!drawing) return;
    strokes[strokes.length - 1].push(point(event));
    changed();
  });
  function stop() { drawing = false; }
  pad.addEventListener("pointerup", stop);
  pad.addEventListener("pointercancel", stop);

  /* ---------- keyboard pen: arrows move, Space lifts or lowers it ---------- */
  pad.addEventListener("keydown", function (event) {
    var step = event.shiftKey ? 0.01 : 0.04, moves = {
      ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step],
    };
    if (event.key === " " || event.key === "Enter") {
      event.preventDefault();
      cursor.down = !cursor.down;
      if (cursor.down) {
        if (sampleIndex >= 0) { sampleIndex = -1; strokes = []; }
        strokes.push([{ x: cursor.x, y: cursor.y }]);
      }
    } else if (moves[event.key]) {
      event.preventDefault();
      cursor.x = Math.min(0.97, Math.max(0.03, cursor.x + moves[event.key][0]));
      cursor.y = Math.min(0.97, Math.max(0.03, cursor.y + moves[event.key][1]));
      if (cursor.down) strokes[strokes.length - 1].push({ x: cursor.x, y: cursor.y });
    } else if (event.key === "Escape" || event.key === "Delete") {
      clear();
      return;
    } else {
      return;
    }
    cursor.shown = true;
    changed();
  });
  pad.addEventListener("blur", function () { cursor.shown = false; drawPad(); });

  /* ---------- buttons ---------- */
  function clear() {
    strokes = [];
    sampleIndex = -1;
    cursor.down = false;
    changed();
  }
  var pendingSample = false;
  function nextSample() {
    if (!samples || !session) { pendingSample = true; return; }
    pendingSample = false;
    sampleIndex = (sampleIndex + 1) % samples.labels.length;
    strokes = [];
    counts = Float32Array.from(samples.counts[sampleIndex]);
    drawPad();
    drawInput();
    update();
  }
  root.querySelector('[data-demo-action="clear"]').addEventListener("click", clear);
  root.querySelector('[data-demo-action="sample"]').addEventListener("click", nextSample);
  gridToggle.addEventListener("change", drawInput);
  rolloutToggle.addEventListener("change", drawInput);

  /* ---------- start: the digits when in view, the runtime and model when first used ---------- */
  var api = {
    predict: predict, runs: 0, lastMs: null, samples: function () { return samples; },
    idle: function () { return !busy; },
    ready: new Promise(function (resolve) {
      demos.whenVisible(root, function () {
        demos.json("vit-digits.json").then(function (loaded) { samples = loaded; });
      });
      demos.whenUsed(root, function () {
        status.textContent = demos.text("loading");
        Promise.all([demos.session("vit.onnx"), demos.json("vit-digits.json")]).then(function (loaded) {
          session = loaded[0];
          samples = loaded[1];
          root.setAttribute("data-demo-ready", "true");
          status.textContent = demos.text("ready");
          if (pendingSample) nextSample();
          update();
          resolve();
        }, function (error) { status.textContent = demos.text("failed") + error.message; });
      });
    }),
  };
  demos.vit = api;

  demos.onThemeChange(function () { drawPad(); drawInput(); });
  window.addEventListener("resize", function () { drawPad(); drawInput(); });
  drawPad();
  drawInput();
  showResult();
})();
