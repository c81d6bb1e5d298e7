/* The indicator pages: the national choropleth with its sortable table, and one indicator's
   chart by day with last year's series. Data come from json_script blocks; every text goes
   into the page as text (textContent), never as HTML. */
(function () {
  "use strict";
  const data = (id) => {
    const node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  };
  const GREENS = ["#edf8e9", "#bae4b3", "#74c476", "#31a354", "#006d2c"];
  const REDS = ["#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15"];
  const NONE = "#d9d9d9";
  const format = (value, percent) => {
    const lang = document.documentElement.lang || undefined;
    const text = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(value);
    return percent ? `${text} %` : text;
  };

  // Classes over the distinct values, so that a few large values among many zeros still get
  // their own colour: up to five values each have a class; more are split into five quantiles.
  // ``edges`` are the classes' lower bounds; ``distinct`` the values, ascending.
  function classes(values) {
    const distinct = [...new Set(values.filter((v) => v !== null && v !== undefined))].sort((a, b) => a - b);
    if (!distinct.length) return { edges: [], distinct };
    if (distinct.length <= 5) return { edges: distinct, distinct };
    const edges = [];
    for (let i = 0; i < 5; i += 1) edges.push(distinct[Math.floor((i * distinct.length) / 5)]);
    return { edges: [...new Set(edges)], distinct };
  }

  function classOf(value, edges) {
    let index = 0;
    for (let i = 1; i < edges.length; i += 1) if (value >= edges[i]) index = i;
    return index;
  }

  function colourOf(value, edges, ramp) {
    if (value === null || value === undefined || !edges.length) return NONE;
    if (edges.length === 1) return ramp[0];
    return ramp[Math.round((classOf(value, edges) * (ramp.length - 1)) / (edges.length - 1))];
  }

  function legend(list, bins, ramp, percent) {
    const { edges, distinct } = bins;
    list.replaceChildren();
    edges.forEach((lower, i) => {
      const inClass = distinct.filter((v) => classOf(v, edges) === i);
      const upper = inClass[inClass.length - 1];
      const item = document.createElement("li");
      const swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.background = colourOf(lower, edges, ramp);
      item.append(swatch);
      item.append(document.createTextNode(lower === upper ? format(lower, percent) : `${format(lower, percent)} – ${format(upper, percent)}`));
      list.append(item);
    });
  }

  async function indicatorMap(box) {
    const config = data("indicator-map-data");
    const percent = config.unit === "share";
    const ramp = config.higherIsBetter ? GREENS : REDS;
    const byId = new Map(config.regions.map((r) => [r.id, r]));
    const bins = classes(config.regions.filter((r) => r.visible).map((r) => r.shown));
    const edges = bins.edges;
    legend(document.getElementById("choropleth-legend"), bins, ramp, percent);
    const map = L.map(box, { zoomSnap: 0.25, attributionControl: false }).setView([48, 67], 4);
    box.leafletMap = map;
    const response = await fetch(config.boundaries, { headers: { Accept: "application/json" } });
    if (!response.ok) return;
    const shapes = await response.json();
    const layer = L.geoJSON(shapes, {
      style: (feature) => {
        const region = byId.get(feature.properties.id);
        const value = region && region.visible ? region.shown : null;
        return { color: "#555", weight: 1, fillOpacity: 0.85, fillColor: colourOf(value, edges, ramp) };
      },
      onEachFeature: (feature, shape) => {
        const region = byId.get(feature.properties.id);
        if (!region) return;
        const tip = document.createElement("span");
        tip.textContent = region.visible ? `${region.name}: ${region.text}` : region.name;
        shape.bindTooltip(tip, { sticky: true });
        if (region.url) shape.on("click", () => { window.location.href = region.url; });
      },
    }).addTo(map);
    const bounds = layer.getBounds();
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [8, 8] });
  }

  function sortableTable(table) {
    const body = table.tBodies[0];
    for (const button of table.querySelectorAll("th button[data-sort]")) {
      button.addEventListener("click", () => {
        const header = button.closest("th");
        const ascending = header.getAttribute("aria-sort") !== "ascending";
        for (const th of table.querySelectorAll("th[aria-sort]")) th.removeAttribute("aria-sort");
        header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        const key = button.dataset.sort;
        const rows = [...body.rows];
        rows.sort((a, b) => {
          if (key === "name") return (ascending ? 1 : -1) * a.dataset.name.localeCompare(b.dataset.name);
          const x = a.dataset.value === "" ? null : parseFloat(a.dataset.value);
          const y = b.dataset.value === "" ? null : parseFloat(b.dataset.value);
          if (x === null && y === null) return 0;
          if (x === null) return 1;
          if (y === null) return -1;
          return ascending ? x - y : y - x;
        });
        body.append(...rows);
      });
    }
    body.addEventListener("click", (event) => {
      const row = event.target.closest("tr[data-href]");
      if (row && !event.target.closest("a")) window.location.href = row.dataset.href;
    });
  }

  function indicatorChart(canvas) {
    const chart = data("indicator-chart-data");
    const style = getComputedStyle(document.documentElement);
    const colours = [style.getPropertyValue("--accent").trim() || "#0b4f8a", "#969696"];
    Chart.defaults.color = style.getPropertyValue("--muted").trim() || "#666";
    Chart.defaults.borderColor = style.getPropertyValue("--line").trim() || "rgba(0,0,0,.1)";
    return new Chart(canvas, {
      type: chart.type,
      data: {
        labels: chart.labels,
        datasets: chart.series.map((series, i) => ({
          label: series.label,
          data: series.data,
          borderColor: colours[i],
          backgroundColor: colours[i],
          spanGaps: false,
          tension: 0.1,
        })),
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        scales: { y: { beginAtZero: true, suggestedMax: chart.percent ? 100 : undefined, title: { display: chart.percent, text: canvas.dataset.percent } } },
      },
    });
  }

  function start() {
    const box = document.getElementById("choropleth");
    if (box && typeof L !== "undefined") indicatorMap(box);
    const table = document.getElementById("region-table");
    if (table) sortableTable(table);
    const canvas = document.getElementById("indicator-chart");
    if (canvas && typeof Chart !== "undefined") indicatorChart(canvas);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
