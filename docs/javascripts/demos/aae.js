/* AAE demo: the 2-D latent plane with the test digits' codes (coloured by label) and draws from
 * the N(0, I) prior; the point under the pointer (or moved with the arrow keys) is decoded into
 * an 8x8 image by the trained decoder (assets/demos/aae-decoder.onnx, dlpapers.aae.export).
 *
 * Test hook: window.dlpapersDemos.aae.decode([z1, z2]) resolves to the 64 pixels in [0, 1].
 */
(function () {
  "use strict";

  var demos = window.dlpapersDemos;
  var root = document.querySelector('[data-demo-root="aae"]');
  if (!demos || !root) return;

  var plane = root.querySelector('[data-demo="aae-latent"]');
  var decoded = root.querySelector('[data-demo-output="decoded"]');
  var readout = root.querySelector('[data-demo-output="code"]');
  var status = root.querySelector('[data-demo-output="status"]');
  var legend = root.querySelector('[data-demo-output="legend"]');
  var codesToggle = root.querySelector('[data-demo-action="codes"]');
  var priorToggle = root.querySelector('[data-demo-action="prior-points"]');

  var latent = null, session = null, busy = false, dirty = false;
  var z = [0, 0], image = null, extent = 3;

  legend.innerHTML = "";
  for (var k = 0; k < 10; k++) {
    var item = document.createElement("li");
    item.innerHTML = '<span class="dl-demo__swatch" aria-hidden="true"></span>';
    item.firstChild.style.background = demos.LABELS[k];
    item.appendChild(document.createTextNode(demos.number(k, 0)));
    legend.appendChild(item);
  }

  /* ---------- drawing ---------- */
  function toPixel(s, value, vertical) {
    var unit = (value + extent) / (2 * extent);
    return vertical ? s.height * (1 - unit) : s.width * unit;
  }

  function drawPlane() {
    var s = demos.sharp(plane), c = s.context, colors = demos.colors();
    c.clearRect(0, 0, s.width, s.height);
    c.strokeStyle = colors.lightest;
    c.lineWidth = 1;
    c.beginPath();  // the axes through 0 and unit circles of the prior's density
    c.moveTo(toPixel(s, 0, false), 0); c.lineTo(toPixel(s, 0, false), s.height);
    c.moveTo(0, toPixel(s, 0, true)); c.lineTo(s.width, toPixel(s, 0, true));
    c.stroke();
    c.strokeStyle = colors.lighter;
    c.setLineDash([3, 3]);
    [1, 2].forEach(function (r) {
      c.beginPath();
      c.arc(toPixel(s, 0, false), toPixel(s, 0, true), r * s.width / (2 * extent), 0, 2 * Math.PI);
      c.stroke();
    });
    c.setLineDash([]);
    if (latent && priorToggle.checked) {
      c.strokeStyle = colors.lighter;
      c.lineWidth = 1;
      latent.prior.forEach(function (p) {
        var x = toPixel(s, p[0], false), y = toPixel(s, p[1], true);
        c.beginPath();
        c.moveTo(x - 2, y - 2); c.lineTo(x + 2, y + 2);
        c.moveTo(x - 2, y + 2); c.lineTo(x + 2, y - 2);
        c.stroke();
      });
    }
    if (latent && codesToggle.checked) {
      latent.codes.forEach(function (p, i) {
        c.fillStyle = demos.LABELS[latent.labels[i]];
        c.beginPath();
        c.arc(toPixel(s, p[0], false), toPixel(s, p[1], true), 2.6, 0, 2 * Math.PI);
        c.fill();
      });
    }
    var x = toPixel(s, z[0], false), y = toPixel(s, z[1], true);
    c.strokeStyle = colors.fg;
    c.lineWidth = 2;
    c.beginPath();
    c.arc(x, y, 7, 0, 2 * Math.PI);
    c.moveTo(x - 11, y); c.lineTo(x - 4, y); c.moveTo(x + 4, y); c.lineTo(x + 11, y);
    c.moveTo(x, y - 11); c.lineTo(x, y - 4); c.moveTo(x, y + 4); c.lineTo(x, y + 11);
    c.stroke();
  }

  function drawDecoded() {
    var s = demos.sharp(decoded), c = s.context, colors = demos.colors(), cell = s.width / 8;
    c.clearRect(0, 0, s.width, s.height);
    if (!image) return;
    c.fillStyle = colors.fg;
    for (var i = 0; i < 64; i++) {
      c.globalAlpha = Math.max(0, Math.min(1, image[i]));
      c.fillRect((i % 8) * cell, Math.floor(i / 8) * cell, cell + 0.5, cell + 0.5);
    }
    c.globalAlpha = 1;
    decoded.setAttribute("data-z", z[0].toFixed(3) + "," + z[1].toFixed(3));
  }

  function describe() {
    readout.textContent = demos.text("code") + " z = (" + demos.number(z[0], 2) + ", " +
      demos.number(z[1], 2) + ")";
  }

  /* ---------- inference ---------- */
  function decode(code) {
    return demos.session("aae-decoder.onnx").then(function (s) {
      var started = performance.now();
      var input = new window.ort.Tensor("float32", Float32Array.from(code), [1, 2]);
      return s.run({ codes: input }).then(function (out) {
        api.lastMs = performance.now() - started;
        return Array.from(out.images.data);
      });
    });
  }

  function moveTo(code) {
    z = [Math.max(-extent, Math.min(extent, code[0])), Math.max(-extent, Math.min(extent, code[1]))];
    drawPlane();
    describe();
    dirty = true;
    if (busy || !session) return;
    busy = true;
    (function loop() {
      if (!dirty) { busy = false; return; }
      dirty = false;
      decode(z).then(function (pixels) {
        image = pixels;
        api.runs += 1;
        drawDecoded();
        loop();
      }, function (error) { busy = false; status.textContent = demos.text("failed") + error.message; });
    })();
  }

  /* ---------- pointer and keys ---------- */
  function fromEvent(event) {
    var box = plane.getBoundingClientRect();
    return [(2 * (event.clientX - box.left) / box.width - 1) * extent,
            (1 - 2 * (event.clientY - box.top) / box.height) * extent];
  }
  var pressed = false;
  plane.addEventListener("pointerdown", function (event) {
    pressed = true;
    plane.setPointerCapture(event.pointerId);
    moveTo(fromEvent(event));
  });
  plane.addEventListener("pointermove", function (event) {
    if (event.pointerType === "mouse" || pressed) moveTo(fromEvent(event));
  });
  plane.addEventListener("pointerup", function () { pressed = false; });
  plane.addEventListener("pointercancel", function () { pressed = false; });
  plane.addEventListener("keydown", function (event) {
    var step = extent / (event.shiftKey ? 100 : 20), moves = {
      ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, step], ArrowDown: [0, -step],
    };
    if (moves[event.key]) {
      event.preventDefault();
      moveTo([z[0] + moves[event.key][0], z[1] + moves[event.key][1]]);
    } else if (event.key === "Home") {
      event.preventDefault();
      moveTo([0, 0]);
    }
  });

  function normal() {  // Box-Muller: one N(0, 1) draw
    var u = 1 - Math.random(), v = Math.random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
  root.querySelector('[data-demo-action="prior"]').addEventListener("click", function () {
    moveTo([normal(), normal()]);
  });
  codesToggle.addEventListener("change", drawPlane);
  priorToggle.addEventListener("change", drawPlane);

  var api = {
    decode: decode, runs: 0, lastMs: null, moveTo: moveTo, idle: function () { return !busy; },
    ready: new Promise(function (resolve) {
      demos.whenVisible(root, function () {
        demos.json("aae-latent.json").then(function (loaded) {
          latent = loaded;
          extent = latent.extent;
          drawPlane();
        }, function (error) { status.textContent = demos.text("failed") + error.message; });
      });
      demos.whenUsed(root, function () {
        status.textContent = demos.text("loading");
        Promise.all([demos.session("aae-decoder.onnx"), demos.json("aae-latent.json")]).then(function (loaded) {
          session = loaded[0];
          root.setAttribute("data-demo-ready", "true");
          status.textContent = demos.text("ready");
          moveTo(z);
          resolve();
        }, function (error) { status.textContent = demos.text("failed") + error.message; });
      });
    }),
  };
  demos.aae = api;

  demos.onThemeChange(function () { drawPlane(); drawDecoded(); });
  window.addEventListener("resize", function () { drawPlane(); drawDecoded(); });
  drawPlane();
  describe();
})();
