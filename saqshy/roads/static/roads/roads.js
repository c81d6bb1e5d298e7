/* The roads pages' maps: a segment with the accident hotspots along it, and a planned route.
   Data comes from json_script blocks; nothing here is visible text. */
(function () {
  "use strict";
  const data = (id) => {
    const element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  };

  function base(box) {
    const map = L.map(box).setView([48.0, 67.0], 5);
    if (window.saqshyBasemap) window.saqshyBasemap.create(map, { tilesUrl: "/tiles/{z}/{x}/{y}.mvt", tilesMaxDataZoom: 15, maxZoom: 19 });
    return map;
  }

  function roadMap(box) {
    const feature = data("segment-feature");
    if (!feature) return null;
    const map = base(box);
    const line = L.geoJSON(feature, { style: { color: box.dataset.colour || "#1a9850", weight: 6, opacity: 0.9 } }).addTo(map);
    for (const spot of data("segment-hotspots") || []) {
      L.circleMarker([spot.lat, spot.lon], { radius: 7, color: "#fff", weight: 1, fillColor: "#b2182b", fillOpacity: 0.85 }).addTo(map);
    }
    map.fitBounds(line.getBounds(), { padding: [20, 20] });
    return map;
  }

  function routeMap(box) {
    const feature = data("route-feature");
    if (!feature) return null;
    const map = base(box);
    const line = L.geoJSON(feature, { style: { color: "#2166ac", weight: 5 } }).addTo(map);
    map.fitBounds(line.getBounds(), { padding: [20, 20] });
    return map;
  }

  const WIDGETS = { "road-map": roadMap, "route-map": routeMap };
  function start() {
    if (typeof L === "undefined") return;
    for (const element of document.querySelectorAll("[data-widget]")) {
      const widget = WIDGETS[element.dataset.widget];
      if (widget) {
        const made = widget(element);
        if (made) element.leafletMap = made;
      }
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
