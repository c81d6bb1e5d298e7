/* Situation map layer of the cameras: each camera in service as a point and its watched area
   as a polygon coloured by its latest density against the norms (green, amber at the warning
   norm, red at the critical norm, grey without a recent reading). Every text comes from the
   page's ops-config (camerasText) and every value is escaped. Reloads on every camera change
   and every new reading (at most once a few seconds), and after every (re)connect. */
(function () {
  "use strict";
  const base = window.saqshyMap;
  const { map, escapeHtml } = base;
  const config = JSON.parse(document.getElementById("ops-config").textContent);
  const URL = config.camerasUrl;
  if (!URL) return;
  const words = config.camerasText || {};
  const layer = L.layerGroup().addTo(map);
  const RELOAD_MS = 3000;
  let timer = null;

  function popup(c) {
    const density = c.density === null || c.density === undefined
      ? escapeHtml(c.level_label)
      : `${Number(c.density).toFixed(2)} ${escapeHtml(words.density || "")} · ${Number(c.count)} ${escapeHtml(words.people || "")}`;
    return `<strong>${escapeHtml(c.name)}</strong><br>${escapeHtml(c.address)}` +
      (c.venue ? `<br>${escapeHtml(words.venue || "")}: ${escapeHtml(c.venue)}` : "") +
      `<br><span class="swatch" style="background:${escapeHtml(c.colour)}"></span>${density}` +
      (c.area_m2 ? `<br>${escapeHtml(words.area || "")}: ${Number(c.area_m2)}` : "") +
      `<br><a href="/cameras/${Number(c.id)}/">${escapeHtml(words.details || "")}</a>`;
  }

  function draw(c) {
    if (c.area) {
      L.geoJSON(c.area, { pane: base.pane("areas"), style: { color: c.colour, weight: 2, fillColor: c.colour, fillOpacity: 0.35 } })
        .bindPopup(() => popup(c)).addTo(layer);
    }
    L.circleMarker([c.lat, c.lon], { radius: 5, color: "#fff", weight: 1.5, fillColor: "#4d4d4d", fillOpacity: 0.95, keyboard: false, pane: base.pane("places") })
      .bindTooltip(`${escapeHtml(c.name)}`)
      .bindPopup(() => popup(c))
      .addTo(layer);
  }

  async function load() {
    const data = await base.getJson(URL);
    if (!data) return;
    layer.clearLayers();
    data.forEach(draw);
    const counter = document.getElementById("cameras-count");
    if (counter) counter.textContent = data.length;
  }

  function soon() {
    if (timer) return;
    timer = setTimeout(() => { timer = null; load(); }, RELOAD_MS);
  }

  base.onChange("camera", () => load());
  base.onChange("densityreading", soon);
  const box = document.getElementById("layer-cameras");
  if (box) box.addEventListener("change", () => { if (box.checked) map.addLayer(layer); else map.removeLayer(layer); });
  // Like the other areas on the map (roads, weather, alerts), the night preset hides it.
  base.layer({ id: "cameras", box: "layer-cameras", night: false, visible: () => map.hasLayer(layer) });
  base.onSync(load);
})();
