/* MDN demo: pick the input t with a slider; the trained network (assets/demos/mdn.onnx, made by
 * dlpapers.mdn.export) predicts a Gaussian mixture over x, drawn with its weighted components
 * and the true p(x | t) of the data generator (intervals and height from mdn-data.json).
 *
 * Test hook: window.dlpapersDemos.mdn.mixture(t) resolves to {weights, loc, scale}.
 */
(function () {
  "use strict";

  var demos = window.dlpapersDemos;
  var root = document.querySelector('[data-demo-root="mdn"]');
  if (!demos || !root) return;

  var slider = root.querySelector('[data-demo="mdn-slider"]');
  var dataCanvas = root.querySelector('[data-demo-output="data"]');
  var densityCanvas = root.querySelector('[data-demo-output="density"]');
  var readout = root.querySelector('[data-demo-output="readout"]');
  var tValue = root.querySelector('[data-demo-output="t"]');
  var status = root.querySelector('[data-demo-output="status"]');
  var componentsToggle = root.querySelector('[data-demo-action="components"]');

  var X_RANGE = [-0.1, 1.1];
  var assets = null, session = null, mixture = null, busy = false, dirty = false;
  var COMPONENT_COLORS = demos.LABELS;

  function index() { return Number(slider.value); }
  function currentT() { return assets ? assets.slider[index()] : -0.1 + 0.01 * index(); }

  function gaussian(x, mean, sd) {
    var z = (x - mean) / sd;
    return Math.exp(-0.5 * z * z) / (sd * Math.sqrt(2 * Math.PI));
  }

  /* ---------- charts ---------- */
  function frame(canvas) {
    var s = demos.sharp(canvas);
    var margin = { left: 34, right: 10, top: 10, bottom: 26 };
    s.plot = {
      x: margin.left, y: margin.top,
      w: s.width - margin.left - margin.right, h: s.height - margin.top - margin.bottom,
    };
    s.context.clearRect(0, 0, s.width, s.height);
    return s;
  }

  function axes(s, xRange, yRange, xTicks, yTicks, xLabel, yLabel, colors) {
    var c = s.context, p = s.plot;
    c.strokeStyle = colors.lighter;
    c.fillStyle = colors.light;
    c.lineWidth = 1;
    c.font = "11px sans-serif";
    c.strokeRect(p.x + 0.5, p.y + 0.5, p.w, p.h);
    c.textAlign = "center";
    c.textBaseline = "top";
    xTicks.forEach(function (v) {
      var x = p.x + p.w * (v - xRange[0]) / (xRange[1] - xRange[0]);
      c.fillText(demos.number(v, 1), x, p.y + p.h + 3);
    });
    c.fillText(xLabel, p.x + p.w - 6, p.y + p.h + 14);
    c.textAlign = "right";
    c.textBaseline = "middle";
    yTicks.forEach(function (v) {
      var y = p.y + p.h - p.h * (v - yRange[0]) / (yRange[1] - yRange[0]);
      c.fillText(demos.number(v, yTicks[1] - yTicks[0] < 1 ? 1 : 0), p.x - 4, y);
    });
    c.textAlign = "left";
    c.textBaseline = "top";
    c.fillText(yLabel, p.x + 4, p.y + 3);
  }

  function drawData() {
    var s = frame(dataCanvas), c = s.context, p = s.plot, colors = demos.colors();
    var tRange = [-0.15, 1.15], xRange = [-0.05, 1.05];
    axes(s, tRange, xRange, [0, 0.5, 1], [0, 0.5, 1], "t", "x", colors);
    if (!assets) return;
    c.fillStyle = colors.light;
    c.globalAlpha = 0.5;
    for (var i = 0; i < assets.t.length; i++) {
      var px = p.x + p.w * (assets.t[i] - tRange[0]) / (tRange[1] - tRange[0]);
      var py = p.y + p.h - p.h * (assets.x[i] - xRange[0]) / (xRange[1] - xRange[0]);
      c.fillRect(px - 1, py - 1, 2, 2);
    }
    c.globalAlpha = 1;
    var lineX = p.x + p.w * (currentT() - tRange[0]) / (tRange[1] - tRange[0]);
    c.strokeStyle = colors.accent;
    c.lineWidth = 2;
    c.beginPath();
    c.moveTo(lineX, p.y);
    c.lineTo(lineX, p.y + p.h);
    c.stroke();
  }

  function drawDensity() {
    var s = frame(densityCanvas), c = s.context, p = s.plot, colors = demos.colors();
    var i = index(), n = 241, xs = [], total = [], parts = [];
    var height = assets ? assets.true_height[i] : 0;
    for (var j = 0; j < n; j++) xs.push(X_RANGE[0] + (X_RANGE[1] - X_RANGE[0]) * j / (n - 1));
    if (mixture) {
      mixture.weights.forEach(function () { parts.push([]); });
      xs.forEach(function (x, j) {
        total[j] = 0;
        mixture.weights.forEach(function (w, k) {
          var v = w * gaussian(x, mixture.loc[k], mixture.scale[k]);
          parts[k].push(v);
          total[j] += v;
        });
      });
    }
    var top = Math.max(height, Math.max.apply(null, total.length ? total : [1])) * 1.1;
    top = Math.max(1, Math.min(top, 30));
    var step = top > 10 ? 5 : top > 4 ? 2 : top > 2 ? 1 : 0.5, yTicks = [];
    for (var v = 0; v <= top; v += step) yTicks.push(v);
    axes(s, X_RANGE, [0, top], [0, 0.5, 1], yTicks, "x", "p(x | t)", colors);
    function X(x) { return p.x + p.w * (x - X_RANGE[0]) / (X_RANGE[1] - X_RANGE[0]); }
    function Y(y) { return p.y + p.h - p.h * Math.min(y, top) / top; }
    c.save();
    c.beginPath();
    c.rect(p.x, p.y, p.w, p.h);
    c.clip();
    if (assets) {  // the true density: flat on its intervals
      c.fillStyle = colors.dark ? "rgba(255, 183, 77, 0.28)" : "rgba(230, 81, 0, 0.18)";
      c.strokeStyle = colors.dark ? "#ffb74d" : "#e65100";
      c.lineWidth = 1.5;
      c.setLineDash([5, 3]);
      assets.true_intervals[i].forEach(function (interval) {
        c.fillRect(X(interval[0]), Y(height), X(interval[1]) - X(interval[0]), Y(0) - Y(height));
        c.strokeRect(X(interval[0]), Y(height), X(interval[1]) - X(interval[0]), Y(0) - Y(height));
      });
      c.setLineDash([]);
    }
    function curve(values, color, width) {
      c.strokeStyle = color;
      c.lineWidth = width;
      c.beginPath();
      values.forEach(function (value, j) {
        if (j) c.lineTo(X(xs[j]), Y(value)); else c.moveTo(X(xs[j]), Y(value));
      });
      c.stroke();
    }
    if (mixture && componentsToggle.checked) {
      parts.forEach(function (values, k) {
        if (mixture.weights[k] > 0.01) curve(values, COMPONENT_COLORS[k % 10], 1.2);
      });
    }
    if (mixture) curve(total, colors.fg, 2.5);
    c.restore();
    densityCanvas.setAttribute("data-t", String(currentT()));
  }

  function describe() {
    var t = currentT();
    tValue.textContent = demos.number(t, 2);
    slider.setAttribute("aria-valuetext", "t = " + demos.number(t, 2));
    if (!mixture || !assets) return;
    var order = mixture.weights.map(function (w, k) { return k; })
      .filter(function (k) { return mixture.weights[k] >= 0.05; })
      .sort(function (a, b) { return mixture.weights[b] - mixture.weights[a]; }).slice(0, 4);
    var parts = order.map(function (k) {
      return demos.percent(mixture.weights[k], 0) + " · x ≈ " + demos.number(mixture.loc[k], 2);
    });
    var branches = assets.true_intervals[index()].length;
    readout.textContent = readout.getAttribute(branches > 1 ? "data-two" : "data-one") + " " +
      readout.getAttribute("data-components") + " " + parts.join("; ");
  }

  /* ---------- inference ---------- */
  function run(t) {
    return demos.session("mdn.onnx").then(function (s) {
      var started = performance.now();
      var input = new window.ort.Tensor("float32", Float32Array.from([t]), [1, 1]);
      return s.run({ t: input }).then(function (out) {
        api.lastMs = performance.now() - started;
        return {
          weights: Array.from(out.weights.data), loc: Array.from(out.loc.data),
          scale: Array.from(out.scale.data),
        };
      });
    });
  }

  function update() {
    drawData();
    drawDensity();
    describe();
    dirty = true;
    if (busy || !session) return;
    busy = true;
    (function loop() {
      if (!dirty) { busy = false; return; }
      dirty = false;
      run(currentT()).then(function (out) {
        mixture = out;
        api.runs += 1;
        drawDensity();
        describe();
        loop();
      }, function (error) { busy = false; status.textContent = demos.text("failed") + error.message; });
    })();
  }

  slider.addEventListener("input", update);
  if (componentsToggle) componentsToggle.addEventListener("change", drawDensity);

  var api = {
    mixture: run, runs: 0, lastMs: null, idle: function () { return !busy; },
    ready: new Promise(function (resolve) {
      demos.whenVisible(root, function () {
        demos.json("mdn-data.json").then(function (loaded) {
          assets = loaded;
          slider.max = String(assets.slider.length - 1);
          update();
        }, function (error) { status.textContent = demos.text("failed") + error.message; });
      });
      demos.whenUsed(root, function () {
        status.textContent = demos.text("loading");
        Promise.all([demos.session("mdn.onnx"), demos.json("mdn-data.json")]).then(function (loaded) {
          session = loaded[0];
          assets = loaded[1];
          root.setAttribute("data-demo-ready", "true");
          status.textContent = demos.text("ready");
          update();
          resolve();
        }, function (error) { status.textContent = demos.text("failed") + error.message; });
      });
    }),
  };
  demos.mdn = api;

  demos.onThemeChange(function () { drawData(); drawDensity(); });
  window.addEventListener("resize", function () { drawData(); drawDensity(); });
  drawData();
  drawDensity();
  describe();
})();
