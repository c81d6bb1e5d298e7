/* Situation map layer: the areas of public alerts in force (written here or received from
   another agency's feed), coloured by severity, with the headline in the page's language.
   Reloads on every alert change and after every (re)connect. */
(function () {
  "use strict";
  const base = window.saqshyMap;
  const { map, escapeHtml } = base;
  const config = JSON.parse(document.getElementById("ops-config").textContent);
  const URL = config.alertsUrl;
  if (!URL) return;
  const layer = L.layerGroup().addTo(map);
  const labels = config.alertsText || {};
  const lang = (document.documentElement.lang || "ru").slice(0, 2);
  let count = 0;

  function popup(p) {
    const mark = p.is_exercise ? `<span class="badge exercise-badge">${escapeHtml(labels.exercise || "")}</span> ` : "";
    return `${mark}<strong>${escapeHtml(p.headline)}</strong><br>${escapeHtml(p.area)}<br>` +
      `${escapeHtml(p.severity_label)}` +
      (p.expires ? ` · ${escapeHtml(labels.until || "")} ${escapeHtml(p.expires)}` : "") +
      (p.received ? `<br><em>${escapeHtml(labels.received || "")}</em>` : "");
  }

  function draw(f) {
    const p = f.properties;
    if (f.geometry.type === "Point") {
      const at = [f.geometry.coordinates[1], f.geometry.coordinates[0]];
      L.circle(at, { radius: Number(p.radius_km || 1) * 1000, color: p.colour, weight: 2, dashArray: p.is_exercise ? "2 6" : null, fillOpacity: 0.15, pane: base.pane("areas") })
        .bindPopup(() => popup(p)).addTo(layer);
    } else {
      L.geoJSON(f.geometry, { pane: base.pane("areas"), style: { color: p.colour, weight: 2, dashArray: p.is_exercise ? "2 6" : "6 4", fillOpacity: 0.15 } })
        .bindPopup(() => popup(p)).addTo(layer);
    }
    count += 1;
  }

  async function load() {
    const page = await base.getJson(`${URL}?lang=${encodeURIComponent(lang)}`);
    if (!page) return;
    layer.clearLayers();
    count = 0;
    page.features.forEach(draw);
    const counter = document.getElementById("alerts-count");
    if (counter) counter.textContent = count;
  }

  base.onChange("alert", () => load());
  const box = document.getElementById("layer-alerts");
  if (box) box.addEventListener("change", () => { if (box.checked) map.addLayer(layer); else map.removeLayer(layer); });
  base.layer({ id: "alerts", box: "layer-alerts", night: false, visible: () => map.hasLayer(layer) });
  base.onSync(load);
})();
