/* Situation map layer: closed and restricted highway segments as coloured lines, with a popup
   (name, status, reason, since, expected reopening). Reloads on every segment change and
   after every (re)connect. */
(function () {
  "use strict";
  const base = window.saqshyMap;
  const { map, escapeHtml } = base;
  // What RoadsConfig's MapLayer(config=…) said for this user: in the page's ops-config.
  const config = JSON.parse(document.getElementById("ops-config").textContent);
  const URL = config.roadsUrl;
  if (!URL) return;
  const layer = L.layerGroup().addTo(map);
  const svg = L.svg({ pane: base.pane("routes") }); // closures as SVG paths (few, and clickable)
  const labels = config.roadsText || {};
  let count = 0;

  function popup(f) {
    const p = f.properties;
    const rows = [
      [labels.reason, p.reason_label + (p.restriction_label ? ` · ${p.restriction_label}` : "")],
      [labels.since, p.since],
      [labels.reopening, p.expected_reopening],
    ].filter((row) => row[1]);
    return `<strong>${escapeHtml(p.title)}</strong><br>${escapeHtml(p.status_label)}` +
      rows.map(([label, value]) => `<br>${escapeHtml(label || "")}: ${escapeHtml(value)}`).join("") +
      `<br><a href="/roads/${Number(f.id)}/">${escapeHtml(labels.details || "")}</a>`;
  }

  function draw(f) {
    if (!f.geometry || f.properties.status === "open") return;
    L.geoJSON(f, {
      pane: base.pane("routes"),
      renderer: svg,
      style: { color: f.properties.colour, weight: 6, opacity: 0.9, className: "road-closure", dashArray: f.properties.status === "restricted" ? "8 6" : null },
    }).bindPopup(() => popup(f)).addTo(layer);
    count += 1;
  }

  async function load() {
    const page = await base.getJson(URL);
    if (!page) return;
    layer.clearLayers();
    count = 0;
    (page.features || []).forEach(draw);
    const counter = document.getElementById("roads-count");
    if (counter) counter.textContent = count;
  }

  base.onChange("segment", (message) => {
    load();
    if (message.data && message.data.title) base.addToFeed(message, message.data.title);
  });
  const box = document.getElementById("layer-roads");
  if (box) box.addEventListener("change", () => { if (box.checked) map.addLayer(layer); else map.removeLayer(layer); });
  base.layer({ id: "roads", box: "layer-roads", night: false, visible: () => map.hasLayer(layer) });
  base.onSync(load);
})();
