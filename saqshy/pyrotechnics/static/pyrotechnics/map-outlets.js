/* Situation map layer: pyrotechnics outlets, ringed when their certificate expired. */
(function () {
  "use strict";
  const base = window.saqshyMap;
  const { map, config, text, escapeHtml } = base;
  const outletsLayer = L.layerGroup().addTo(map);
  const outlets = new Map();

  function count() { document.getElementById("outlets-count").textContent = outlets.size; }

  function upsertOutlet(f) {
    const p = f.properties;
    const old = outlets.get(f.id);
    if (old) outletsLayer.removeLayer(old);
    const expired = p.certificate_expired;
    const marker = L.circleMarker([f.geometry.coordinates[1], f.geometry.coordinates[0]], {
      radius: 6, color: expired ? "#a50026" : "#fff", weight: expired ? 3 : 1.5,
      fillColor: "#ff7f00", fillOpacity: 0.95,
    }).bindPopup(() => `<strong>${escapeHtml(p.name)}</strong><br>${escapeHtml(text.outlet)}` +
      `${expired ? `<br><span style="color:#a50026">${escapeHtml(text.expired)}</span>` : ""}` +
      `<br><a href="/pyrotechnics/outlets/${Number(f.id)}/">${escapeHtml(text.details)}</a>`);
    outlets.set(f.id, marker);
    outletsLayer.addLayer(marker);
    count();
  }

  async function loadOutlets() {
    outletsLayer.clearLayers();
    outlets.clear();
    await base.getAll(config.outletsUrl, upsertOutlet);
    count();
  }

  base.onChange("outlet", (message) => { loadOutlets(); base.addToFeed(message); });
  const box = document.getElementById("layer-outlets");
  box.addEventListener("change", () => { if (box.checked) map.addLayer(outletsLayer); else map.removeLayer(outletsLayer); });
  base.layer({ id: "outlets", box: "layer-outlets", night: false, visible: () => map.hasLayer(outletsLayer) });
  base.outlets = outlets;
  base.onSync(loadOutlets);
})();
