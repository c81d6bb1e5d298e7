/* The small scripts of the ordinary pages, kept out of the templates so the
   Content-Security-Policy can forbid inline script. Each finds its element and reads its data
   from a json_script block or data- attributes; text reaches the page only as text. */
(function () {
  "use strict";
  const data = (id) => JSON.parse(document.getElementById(id).textContent);
  const TILES = "/tiles/{z}/{x}/{y}.mvt";

  // The labelled vector basemap (situation/basemap.js, loaded by the page's template).
  function tiles(map, url) {
    window.saqshyBasemap.create(map, { tilesUrl: url || TILES, tilesMaxDataZoom: 15, maxZoom: 19 });
  }

  function facilityMap(box) {
    const here = [parseFloat(box.dataset.lat), parseFloat(box.dataset.lon)];
    const map = L.map(box).setView(here, 16);
    tiles(map);
    const footprint = data("footprint");
    if (footprint) L.geoJSON(footprint, { style: { color: box.dataset.colour, weight: 2 } }).addTo(map);
    L.circleMarker(here, { radius: 7, color: "#fff", fillColor: box.dataset.colour, fillOpacity: 1 }).addTo(map);
    return map;
  }

  function hydrantMap(box) {
    const here = [parseFloat(box.dataset.lat), parseFloat(box.dataset.lon)];
    const map = L.map(box).setView(here, 17);
    tiles(map);
    L.circleMarker(here, { radius: 8, color: "#fff", fillColor: box.dataset.colour, fillOpacity: 1 }).addTo(map);
    return map;
  }

  function patrolMap(box) {
    const stops = data("patrol-stops-data");
    const map = L.map(box).setView([parseFloat(box.dataset.lat), parseFloat(box.dataset.lon)], 12);
    tiles(map);
    const colours = ["#2166ac", "#d73027", "#1a9850", "#762a83", "#e08214", "#01665e", "#c51b7d", "#4d4d4d"];
    const crews = [...new Set(stops.map((s) => s.crew))];
    const bounds = [];
    for (const stop of stops) {
      const colour = colours[crews.indexOf(stop.crew) % colours.length];
      const tip = document.createElement("span");
      tip.textContent = `${stop.crew} #${stop.order} ${stop.arrive}–${stop.leave}${stop.address ? ` · ${stop.address}` : ""}`;
      L.circleMarker([stop.lat, stop.lon], { radius: 6, color: "#fff", weight: 1, fillColor: colour, fillOpacity: 0.9 })
        .bindTooltip(tip).addTo(map);
      bounds.push([stop.lat, stop.lon]);
    }
    if (bounds.length) map.fitBounds(bounds, { padding: [20, 20] });
    return map;
  }

  function locationPicker(box) {
    const lat = document.getElementById("id_lat"), lon = document.getElementById("id_lon");
    const config = data("picker-config");
    const centre = config.centre || [48.0, 67.0];
    const start = [parseFloat(lat.value) || centre[0], parseFloat(lon.value) || centre[1]];
    const map = L.map(box).setView(start, config.centre ? 12 : 5);
    tiles(map, config.tiles);
    /* A drawn pin (.pin-icon in app.css): Leaflet's default image path is lost behind hashed static names. */
    const pin = (here) => L.marker(here, { icon: L.divIcon({ className: "pin-icon", iconSize: [20, 20] }) }).addTo(map);
    let marker = lat.value && lon.value ? pin(start) : null;
    map.on("click", (e) => {
      lat.value = e.latlng.lat.toFixed(6);
      lon.value = e.latlng.lng.toFixed(6);
      if (marker) marker.setLatLng(e.latlng); else marker = pin(e.latlng);
    });
    // Typed or filled in (an address picked in the search field): the marker follows.
    const follow = () => {
      const here = [parseFloat(lat.value), parseFloat(lon.value)];
      if (!Number.isFinite(here[0]) || !Number.isFinite(here[1])) return;
      if (marker) marker.setLatLng(here); else marker = pin(here);
      map.setView(here, Math.max(map.getZoom(), 16));
    };
    lat.addEventListener("change", follow);
    lon.addEventListener("change", follow);
    return map;
  }

  // Charts take their text and grid colours from the theme (app.css) and follow its changes.
  const charts = [];
  function chartColours() {
    const style = getComputedStyle(document.documentElement);
    Chart.defaults.color = style.getPropertyValue("--muted").trim() || "#666";
    Chart.defaults.borderColor = style.getPropertyValue("--line").trim() || "rgba(0,0,0,.1)";
    return [style.getPropertyValue("--accent").trim() || "#0b4f8a", style.getPropertyValue("--danger").trim() || "#d73027"];
  }
  document.addEventListener("saqshy:theme", () => {
    if (typeof Chart === "undefined") return;
    const palette = chartColours();
    for (const chart of charts) {
      chart.data.datasets.forEach((set, i) => {
        if (chart.config.type === "line") set.borderColor = palette[i % palette.length];
        else set.backgroundColor = palette[i % palette.length];
      });
      for (const scale of Object.values(chart.options.scales || {})) {
        if (scale.ticks) scale.ticks.color = Chart.defaults.color;
        if (scale.grid) scale.grid.color = Chart.defaults.borderColor;
        if (scale.title) scale.title.color = Chart.defaults.color;
      }
      if (chart.options.plugins && chart.options.plugins.legend && chart.options.plugins.legend.labels) {
        chart.options.plugins.legend.labels.color = Chart.defaults.color;
      }
      chart.update();
    }
  });

  function burndownChart(canvas) {
    const points = data("burndown-data");
    const palette = chartColours();
    return new Chart(canvas, {
      type: "line",
      data: { labels: points.map((p) => p.day), datasets: [{ data: points.map((p) => p.remaining), borderColor: palette[0], fill: false, tension: 0.1 }] },
      options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true } }, animation: false },
    });
  }

  function responseChart(canvas) {
    const chart = data("chart-data");
    const colours = chartColours();
    return new Chart(canvas, {
      type: "bar",
      data: { labels: chart.hours, datasets: chart.series.map((s, i) => ({ label: s.label, data: s.median.map((v) => v === null ? null : v / 60), backgroundColor: colours[i % colours.length] })) },
      options: { animation: false, scales: { y: { beginAtZero: true, title: { display: true, text: canvas.dataset.unit } } } },
    });
  }

  function planRunProgress(box) {
    if (box.dataset.finished === "1") return;
    const bar = document.getElementById("run-bar"), message = document.getElementById("run-message"), status = document.getElementById("run-status");
    async function poll() {
      try {
        const response = await fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" } });
        const run = await response.json();
        bar.value = run.progress; message.textContent = run.message; status.textContent = run.status_label;
        if (run.finished) { window.location.reload(); return; }
      } catch (error) { /* the next poll tries again */ }
      setTimeout(poll, 2000);
    }
    setTimeout(poll, 1000);
  }

  function printButton(button) {
    button.addEventListener("click", () => window.print());
  }

  // A select that sends its form as soon as a choice is made (the button stays for no-JS).
  // A select that submits its form on change: the form's own button (there for pages
  // without script) is then not needed.
  function autosubmit(select) {
    select.addEventListener("change", () => select.form.submit());
    const button = select.form.querySelector("button[type=submit]");
    if (button) button.hidden = true;
  }

  const WIDGETS = {
    autosubmit: autosubmit,
    "facility-map": facilityMap,
    "hydrant-map": hydrantMap,
    "patrol-map": patrolMap,
    "location-picker": locationPicker,
    "burndown-chart": burndownChart,
    "response-chart": responseChart,
    "plan-run-progress": planRunProgress,
    print: printButton,
  };

  function start() {
    for (const element of document.querySelectorAll("[data-widget]")) {
      const widget = WIDGETS[element.dataset.widget];
      const needsLeaflet = element.dataset.widget.endsWith("-map") || element.dataset.widget === "location-picker";
      const needsChart = element.dataset.widget.endsWith("-chart");
      if (!widget || (needsLeaflet && typeof L === "undefined") || (needsChart && typeof Chart === "undefined")) continue;
      const made = widget(element);
      if (made && typeof Chart !== "undefined" && made instanceof Chart) charts.push(made);
      else if (made) element.leafletMap = made; // lets a test open the map's tooltips
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
