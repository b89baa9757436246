/* Charts of the dashboard and the public report pages.
 *
 * Each <canvas data-chart="ID"> is drawn from the JSON of <script id="ID"
 * type="application/json"> (written by Django's json_script). No inline script:
 * the Content-Security-Policy forbids them. The same numbers are in a table next to
 * every chart, so nothing is lost when scripts are off or the page is printed.
 * Buttons with data-action="print" open the print dialog. */
(function () {
  "use strict";

  var COLOURS = ["#0b4f8a", "#e07b00", "#2a9d8f", "#8e44ad", "#c0392b", "#7f8c8d"];
  var numberFormat = new Intl.NumberFormat("vi-VN");

  function readData(id) {
    var node = document.getElementById(id);
    if (!node) { return null; }
    try { return JSON.parse(node.textContent); } catch (e) { return null; }
  }

  // The value axis starts at zero and shows 1.300, not 1300; the category axis keeps
  // Chart.js's own labels (years, states).
  function scales(spec) {
    var value = {
      beginAtZero: true,
      ticks: { callback: function (v) { return numberFormat.format(v); } }
    };
    return spec.horizontal ? { x: value } : { y: value };
  }

  function draw(canvas) {
    var spec = readData(canvas.getAttribute("data-chart"));
    if (!spec || typeof window.Chart === "undefined") { return; }
    var datasets = spec.datasets.map(function (set, index) {
      var colour = COLOURS[index % COLOURS.length];
      return {
        label: set.label,
        data: set.data,
        backgroundColor: colour,
        borderColor: colour,
        borderWidth: 1
      };
    });
    new window.Chart(canvas, {
      type: spec.type || "bar",
      data: { labels: spec.labels, datasets: datasets },
      options: {
        indexAxis: spec.horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: {
          legend: { position: "bottom" },
          tooltip: {
            callbacks: {
              label: function (ctx) {
                var value = ctx.parsed[spec.horizontal ? "x" : "y"];
                return ctx.dataset.label + ": " + numberFormat.format(value);
              }
            }
          }
        },
        scales: scales(spec)
      }
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("canvas[data-chart]"), draw);
    Array.prototype.forEach.call(document.querySelectorAll("[data-action=print]"), function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
