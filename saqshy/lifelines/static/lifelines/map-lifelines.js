/* Situation map layer: utility sites coloured by state, and the service areas of sites with
   an open outage, with the estimated people affected. Reloads on every site, alert or outage
   change and after every (re)connect. */
(function () {
  "use strict";
  const base = window.saqshyMap;
  const { map, escapeHtml } = base;
  // What LifelinesConfig's MapLayer(config=…) said for this user: in the page's ops-config.
  const config = JSON.parse(document.getElementById("ops-config").textContent);
  const URL = config.lifelinesUrl;
  if (!URL) return;
  const layer = L.layerGroup().addTo(map);
  const labels = config.lifelinesText || {};
  let count = 0;

  function draw(f) {
    const p = f.properties;
    const at = [f.geometry.coordinates[1], f.geometry.coordinates[0]];
    if (p.area) {
      L.geoJSON(p.area, { pane: base.pane("areas"), style: { color: "#d73027", weight: 2, fillOpacity: 0.2 } })
        .bindTooltip(`${escapeHtml(p.name)}: ${Number(p.outage_people || 0)} ${escapeHtml(labels.people || "")}`)
        .addTo(layer);
    }
    L.circleMarker(at, { radius: 7, color: "#fff", weight: 1.5, fillColor: p.colour, fillOpacity: 0.95, keyboard: false, pane: base.pane("places") })
      .bindPopup(() => `<strong>${escapeHtml(p.name)}</strong><br>${escapeHtml(p.kind_label)} · ${escapeHtml(p.state_label)}` +
        (p.outage ? `<br><a href="/lifelines/outages/${Number(p.outage)}/">${escapeHtml(labels.outage || "")}</a>` : "") +
        `<br><a href="/lifelines/sites/${Number(f.id)}/">${escapeHtml(labels.details || "")}</a>`)
      .addTo(layer);
    count += 1;
  }

  async function load() {
    const page = await base.getJson(URL);
    if (!page) return;
    layer.clearLayers();
    count = 0;
    page.features.forEach(draw);
    const counter = document.getElementById("lifelines-count");
    if (counter) counter.textContent = count;
  }

  ["outage", "alert", "utilitysite"].forEach((topic) => base.onChange(topic, (message) => {
    load();
    if (topic === "outage") base.addToFeed(message);
  }));
  const box = document.getElementById("layer-lifelines");
  if (box) box.addEventListener("change", () => { if (box.checked) map.addLayer(layer); else map.removeLayer(layer); });
  base.layer({ id: "lifelines", box: "layer-lifelines", night: false, visible: () => map.hasLayer(layer) });
  base.onSync(load);
})();
