/* A utility site's telemetry of the last day: one line per parameter (times via saqshyFormat). */
(function () {
  "use strict";
  const canvas = document.getElementById("lifelines-chart");
  const source = document.getElementById("lifelines-series");
  if (!canvas || !source || !window.Chart) return;
  const series = JSON.parse(source.textContent);
  const palette = ["#d7301f", "#0b4f8a", "#1a9850", "#fe9929", "#7b3294", "#525252"];
  const format = window.saqshyFormat;
  const datasets = Object.keys(series).sort().map((parameter, i) => ({
    label: parameter,
    data: series[parameter].map((p) => ({ x: Date.parse(p.at), y: p.value })),
    borderColor: palette[i % palette.length],
    pointRadius: 0,
    fill: false,
    tension: 0.1,
  }));
  new Chart(canvas, {
    type: "line",
    data: { datasets },
    options: {
      animation: false,
      parsing: false,
      scales: {
        x: {
          type: "linear",
          ticks: { callback: (value) => (format ? format.time(new Date(value)) : "") },
        },
      },
      plugins: {
        tooltip: {
          callbacks: { title: (items) => (items.length && format ? format.dateTime(new Date(items[0].parsed.x)) : "") },
        },
      },
    },
  });
})();
