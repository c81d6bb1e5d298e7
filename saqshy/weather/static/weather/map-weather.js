/* Situation map layer: active weather warnings, the road segments they name drawn in the
   level's colour (dashed while proposed), or the whole region shaded for a region-wide one.
   Reloads on every warning change and after every (re)connect. */
(function () {
  "use strict";
  const base = window.saqshyMap;
  const { map, escapeHtml } = base;
  // What WeatherConfig's MapLayer(config=…) said for this user: in the page's ops-config.
  const config = JSON.parse(document.getElementById("ops-config").textContent);
  const URL = config.weatherUrl;
  if (!URL) return;
  const layer = L.layerGroup().addTo(map);
  const labels = config.weatherText || {};
  let count = 0;

  function popup(p) {
    const where = p.segments ? `${escapeHtml(p.segments)}<br>` : "";
    return `<strong>${escapeHtml(p.kind)}</strong> · ${escapeHtml(p.level)}<br>` +
      `${escapeHtml(p.region)}<br>${where}${escapeHtml(p.starts)} – ${escapeHtml(p.ends)}<br>` +
      `${escapeHtml(p.status)}<br><a href="/weather/${Number(p.id)}/">${escapeHtml(labels.details || "")}</a>`;
  }

  function draw(f) {
    const p = f.properties;
    const lines = f.geometry.type.indexOf("Line") >= 0;
    const proposed = p.status_code === "proposed";
    const style = lines
      ? { color: p.colour, weight: 6, opacity: 0.9, dashArray: proposed ? "8 6" : null }
      : { color: p.colour, weight: 1, fillOpacity: 0.12, dashArray: "4 4" };
    L.geoJSON(f.geometry, { pane: base.pane(lines ? "routes" : "areas"), style: style })
      .bindTooltip(`${escapeHtml(p.kind)}: ${escapeHtml(labels.until || "")} ${escapeHtml(p.ends)}`)
      .bindPopup(() => popup(p))
      .addTo(layer);
    count += 1;
  }

  async function load() {
    const page = await base.getJson(URL);
    if (!page) return;
    layer.clearLayers();
    count = 0;
    page.features.forEach(draw);
    const counter = document.getElementById("weather-count");
    if (counter) counter.textContent = count;
  }

  base.onChange("weatherwarning", (message) => {
    load();
    base.addToFeed(message);
  });
  const box = document.getElementById("layer-weather");
  if (box) box.addEventListener("change", () => { if (box.checked) map.addLayer(layer); else map.removeLayer(layer); });
  base.layer({ id: "weather", box: "layer-weather", night: false, visible: () => map.hasLayer(layer) });
  base.onSync(load);
})();
