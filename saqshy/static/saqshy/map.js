/* The situation map: our own basemap tiles, facility markers, live changes over a WebSocket. */
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("map-config").textContent);
  const text = JSON.parse(document.getElementById("map-i18n").textContent);
  const kinds = Object.fromEntries(config.kinds.map((k) => [k.value, k]));

  const map = L.map("map", { preferCanvas: true, zoomControl: true })
    .setView([config.start.lat, config.start.lon], config.start.zoom);
  L.tileLayer(config.tilesUrl, {
    maxZoom: config.maxZoom,
    attribution: "© OpenStreetMap contributors (ODbL)",
  }).addTo(map);

  const cluster = L.markerClusterGroup({ chunkedLoading: true, disableClusteringAtZoom: 17 });
  map.addLayer(cluster);
  const markers = new Map();
  const hidden = new Set();
  const counts = {};

  function escapeHtml(value) {
    return String(value ?? "").replace(/[&<>"']/g, (c) => ({
      "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;",
    })[c]);
  }

  function popup(p) {
    const kind = kinds[p.kind] || { label: p.kind };
    const cap = p.capacity ? `<br>${escapeHtml(text.capacity)}: ${p.capacity}` : "";
    return `<strong>${escapeHtml(p.name || kind.label)}</strong><br>${escapeHtml(kind.label)}` +
      `${cap}<br><a href="/facilities/${p.id}/">${escapeHtml(text.details)}</a>`;
  }

  function upsert(p) {
    const colour = (kinds[p.kind] || {}).colour || "#777";
    let marker = markers.get(p.id);
    if (marker) {
      counts[marker.options.kind] -= 1;
      cluster.removeLayer(marker);
    }
    marker = L.circleMarker([p.lat, p.lon], {
      radius: 7, color: "#fff", weight: 1.5, fillColor: colour, fillOpacity: 0.95, kind: p.kind,
    }).bindPopup(popup(p));
    marker.feature = { properties: p };
    markers.set(p.id, marker);
    counts[p.kind] = (counts[p.kind] || 0) + 1;
    if (!hidden.has(p.kind)) cluster.addLayer(marker);
    return marker;
  }

  function remove(id) {
    const marker = markers.get(id);
    if (!marker) return;
    counts[marker.options.kind] -= 1;
    cluster.removeLayer(marker);
    markers.delete(id);
  }

  function fromFeature(f) {
    return {
      id: f.id, kind: f.properties.kind, name: f.properties.display_name,
      capacity: f.properties.capacity, lat: f.geometry.coordinates[1], lon: f.geometry.coordinates[0],
    };
  }

  function renderLegend() {
    const legend = document.getElementById("legend");
    legend.innerHTML = "";
    config.kinds.filter((k) => counts[k.value] > 0).forEach((k) => {
      const item = document.createElement("li");
      item.innerHTML = `<label><input type="checkbox" ${hidden.has(k.value) ? "" : "checked"}>` +
        `<span class="swatch" style="background:${k.colour}"></span>${escapeHtml(k.label)}` +
        ` <span class="muted">${counts[k.value]}</span></label>`;
      item.querySelector("input").addEventListener("change", (e) => toggleKind(k.value, e.target.checked));
      legend.appendChild(item);
    });
    document.getElementById("facility-count").textContent = markers.size;
    document.getElementById("map").dataset.markers = String(markers.size);
  }

  function toggleKind(kind, visible) {
    if (visible) hidden.delete(kind); else hidden.add(kind);
    const layers = [...markers.values()].filter((m) => m.options.kind === kind);
    if (visible) cluster.addLayers(layers); else cluster.removeLayers(layers);
  }

  async function loadAll() {
    cluster.clearLayers();
    markers.clear();
    Object.keys(counts).forEach((k) => delete counts[k]);
    let url = config.facilitiesUrl;
    while (url) {
      const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/geo+json" } });
      if (!response.ok) break;
      const page = await response.json();
      page.features.forEach((f) => upsert(fromFeature(f)));
      url = page.next;
    }
    renderLegend();
  }

  function addToFeed(message) {
    const feed = document.getElementById("feed");
    const empty = document.getElementById("feed-empty");
    if (empty) empty.remove();
    const item = document.createElement("li");
    const when = new Date().toLocaleTimeString();
    const what = message.data && message.data.name ? message.data.name : `#${message.id}`;
    item.innerHTML = `<span class="muted">${when}</span> ${escapeHtml(what)} — ${escapeHtml(text[message.op] || message.op)}`;
    feed.prepend(item);
    while (feed.children.length > 30) feed.lastChild.remove();
  }

  function onChange(message) {
    if (message.topic !== "facility") return;
    if (message.op === "reloaded") loadAll();
    else if (message.op === "deleted") remove(message.id);
    else upsert(message.data);
    renderLegend();
    addToFeed(message);
  }

  let retry = 1000;
  function connect() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const socket = new WebSocket(`${scheme}://${location.host}${config.socketPath}`);
    const live = document.getElementById("live");
    const label = live.querySelector(".live-text");
    socket.onopen = () => { retry = 1000; };
    socket.onmessage = (event) => {
      const message = JSON.parse(event.data);
      if (message.type === "hello") {
        live.classList.replace("off", "on");
        label.textContent = label.dataset.on;
        document.body.dataset.live = "1";
      } else if (message.type === "change") {
        onChange(message);
      }
    };
    socket.onclose = () => {
      live.classList.replace("on", "off");
      label.textContent = label.dataset.off;
      document.body.dataset.live = "0";
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 30000);
    };
  }

  window.saqshyMap = { map, markers };
  loadAll().then(connect);
})();
