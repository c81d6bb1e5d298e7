/* The situation map's address layer: a search control (top left) that flies to a picked
   address and drops a marker there, and the address of any clicked point in a small popup.
   Uses only window.saqshyMap.map and window.saqshyGeocode (address.js). */
(function () {
  "use strict";
  const base = window.saqshyMap;
  const geocode = window.saqshyGeocode;
  const configNode = document.getElementById("ops-config");
  if (!base || !base.map || !geocode || !configNode) return;
  const config = JSON.parse(configNode.textContent).geocode;
  if (!config) return;
  const map = base.map;
  const text = config.text;
  let found = null;

  const Search = L.Control.extend({
    options: { position: "topleft" },
    onAdd() {
      const container = L.DomUtil.create("div", "geocode-control leaflet-bar");
      const input = L.DomUtil.create("input", "", container);
      input.type = "search";
      input.id = "geocode-map-search";
      input.placeholder = text.search;
      input.setAttribute("aria-label", text.search);
      L.DomEvent.disableClickPropagation(container);
      L.DomEvent.disableScrollPropagation(container);
      // Attach once the input is in the page (attach wraps it in a positioned box).
      setTimeout(() => geocode.attach(input, { region: "", kinds: config.kinds, onPick: show }), 0);
      return container;
    },
  });

  function show(result) {
    const here = [result.lat, result.lon];
    if (found) found.setLatLng(here); else found = L.marker(here, { title: result.label, icon: L.divIcon({ className: "pin-icon", iconSize: [20, 20] }) }).addTo(map);
    const label = document.createElement("strong");
    label.textContent = result.label;
    found.bindPopup(label).openPopup();
    map.flyTo(here, Math.max(map.getZoom(), result.kind === "address" ? 18 : 16), { duration: 0.6 });
  }

  function describe(answer) {
    const box = document.createElement("div");
    box.className = "geocode-popup";
    if (!answer) {
      box.textContent = text.nothing;
      return box;
    }
    const label = document.createElement("strong");
    label.textContent = answer.label;
    box.appendChild(label);
    if (answer.distance_m >= 15) {
      const away = document.createElement("div");
      away.className = "small muted";
      away.textContent = `${Math.round(answer.distance_m)} ${text.away}`;
      box.appendChild(away);
    }
    return box;
  }

  let asking = null;
  map.on("click", async (event) => {
    if (asking) asking.abort();
    asking = new AbortController();
    const { lat, lng } = event.latlng;
    const popup = L.popup({ className: "geocode-reverse" }).setLatLng(event.latlng);
    try {
      const answer = await geocode.reverse(lat.toFixed(6), lng.toFixed(6), { signal: asking.signal });
      popup.setContent(describe(answer)).openOn(map);
    } catch (error) {
      if (error.name !== "AbortError") popup.setContent(describe(null)).openOn(map);
    }
  });

  map.addControl(new Search());
})();
