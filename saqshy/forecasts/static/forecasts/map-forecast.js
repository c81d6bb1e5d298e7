/* Situation map layer: the region's latest hotspot forecast as a heat layer of grid cells,
   loaded on demand. */
(function () {
  "use strict";
  const base = window.saqshyMap;
  const { map } = base;
  const config = JSON.parse(document.getElementById("ops-config").textContent);
  const text = JSON.parse(document.getElementById("ops-i18n").textContent);
  const box = document.getElementById("layer-forecast");
  if (!box) return;
  const forecastLayer = L.layerGroup();
  let loaded = false;

  async function loadForecast() {
    loaded = true;
    const info = document.getElementById("forecast-info");
    const list = await base.getJson(config.forecastsUrl);
    const latest = list && list.results && list.results[0];
    if (!latest) { info.textContent = text.noForecast; return; }
    const cells = await base.getJson(config.forecastCellsUrl.replace("{id}", latest.id));
    if (!cells || !cells.features.length) return;
    const top = cells.features[0].properties.score || 1;
    L.geoJSON(cells, {
      interactive: false,
      pane: base.pane("areas"),
      style: (f) => {
        const share = Math.min(1, f.properties.score / top);
        return { stroke: false, fillColor: share > 0.5 ? "#b10026" : share > 0.2 ? "#fc4e2a" : "#feb24c", fillOpacity: 0.25 + 0.45 * share };
      },
    }).addTo(forecastLayer);
    info.textContent = `${latest.model_name}, ${text.trainedUntil} ${latest.trained_until}`;
    document.getElementById("map").dataset.forecastCells = String(cells.features.length);
  }

  box.addEventListener("change", () => {
    if (box.checked) {
      map.addLayer(forecastLayer);
      if (!loaded) loadForecast();
    } else {
      map.removeLayer(forecastLayer);
    }
  });
  base.layer({ id: "forecast", box: "layer-forecast", night: false, visible: () => map.hasLayer(forecastLayer) });
})();
