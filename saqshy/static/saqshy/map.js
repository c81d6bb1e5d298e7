/* The situation map: our own basemap tiles; facilities, mass events and pyrotechnics outlets;
   live changes over a WebSocket. */
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("map-config").textContent);
  const text = JSON.parse(document.getElementById("map-i18n").textContent);
  const kinds = Object.fromEntries(config.kinds.map((k) => [k.value, k]));
  const clearanceStyle = Object.fromEntries(config.clearance.map((c) => [c.value, c]));

  const map = L.map("map", { preferCanvas: true, zoomControl: true })
    .setView([config.start.lat, config.start.lon], config.start.zoom);
  L.tileLayer(config.tilesUrl, {
    maxZoom: config.maxZoom,
    attribution: "© OpenStreetMap contributors (ODbL)",
  }).addTo(map);

  const cluster = L.markerClusterGroup({ chunkedLoading: true, disableClusteringAtZoom: 17 });
  map.addLayer(cluster);
  const eventsLayer = L.layerGroup().addTo(map);
  const outletsLayer = L.layerGroup().addTo(map);
  const markers = new Map();
  const events = new Map();
  const outlets = new Map();
  const hidden = new Set();
  const counts = {};
  let clearance = {};
  let byClearance = false;

  const { escapeHtml } = window.saqshyHtml;

  async function getJson(url) {
    const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/geo+json, application/json" } });
    if (!response.ok) return null;
    return response.json();
  }

  async function getAll(url, each) {
    while (url) {
      const page = await getJson(url);
      if (!page) return;
      page.features.forEach(each);
      url = page.next;
    }
  }

  /* Facilities */
  function facilityColour(p) {
    if (byClearance) return (clearanceStyle[clearance[p.id]] || clearanceStyle.never || {}).colour || "#777";
    return (kinds[p.kind] || {}).colour || "#777";
  }

  function facilityPopup(p) {
    const kind = kinds[p.kind] || { label: p.kind };
    const cap = p.capacity ? `<br>${escapeHtml(text.capacity)}: ${p.capacity}` : "";
    const state = clearance[p.id] ? `<br>${escapeHtml((clearanceStyle[clearance[p.id]] || {}).label)}` : "";
    return `<strong>${escapeHtml(p.name || kind.label)}</strong><br>${escapeHtml(kind.label)}` +
      `${cap}${state}<br><a href="/facilities/${p.id}/">${escapeHtml(text.details)}</a>`;
  }

  function upsert(p) {
    let marker = markers.get(p.id);
    if (marker) {
      counts[marker.options.kind] -= 1;
      cluster.removeLayer(marker);
    }
    marker = L.circleMarker([p.lat, p.lon], {
      radius: 7, color: "#fff", weight: 1.5, fillColor: facilityColour(p), fillOpacity: 0.95, kind: p.kind,
    }).bindPopup(() => facilityPopup(p));
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

  function recolour() {
    markers.forEach((marker) => marker.setStyle({ fillColor: facilityColour(marker.feature.properties) }));
    cluster.refreshClusters();
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
    if (byClearance) {
      config.clearance.forEach((c) => {
        const n = Object.values(clearance).filter((s) => s === c.value).length;
        const item = document.createElement("li");
        item.innerHTML = `<span class="swatch" style="background:${c.colour}"></span>${escapeHtml(c.label)} <span class="muted">${n}</span>`;
        legend.appendChild(item);
      });
    } else {
      config.kinds.filter((k) => counts[k.value] > 0).forEach((k) => {
        const item = document.createElement("li");
        item.innerHTML = `<label><input type="checkbox" ${hidden.has(k.value) ? "" : "checked"}>` +
          `<span class="swatch" style="background:${k.colour}"></span>${escapeHtml(k.label)}` +
          ` <span class="muted">${counts[k.value]}</span></label>`;
        item.querySelector("input").addEventListener("change", (e) => toggleKind(k.value, e.target.checked));
        legend.appendChild(item);
      });
    }
    document.getElementById("facility-count").textContent = markers.size;
    document.getElementById("map").dataset.markers = String(markers.size);
  }

  function toggleKind(kind, visible) {
    if (visible) hidden.delete(kind); else hidden.add(kind);
    const layers = [...markers.values()].filter((m) => m.options.kind === kind);
    if (visible) cluster.addLayers(layers); else cluster.removeLayers(layers);
  }

  async function loadFacilities() {
    cluster.clearLayers();
    markers.clear();
    Object.keys(counts).forEach((k) => delete counts[k]);
    await getAll(config.facilitiesUrl, (f) => upsert(fromFeature(f)));
    renderLegend();
  }

  let clearanceTimer = null;
  async function loadClearance() {
    clearance = (await getJson(config.clearanceUrl)) || {};
    if (byClearance) recolour();
    renderLegend();
  }
  function reloadClearanceSoon() {
    /* A clearance change can unblock or block events too; bursts (an inspection with several
       violations, an import) are folded into one reload. */
    clearTimeout(clearanceTimer);
    clearanceTimer = setTimeout(() => { loadClearance(); loadEvents(); }, 400);
  }

  /* Mass events */
  function eventState(p) {
    const failing = (p.gates || []).filter((g) => !g.passed).length;
    if (p.status === "approved" || p.status === "held") return { colour: "#1a9850", failing };
    if (failing) return { colour: "#d73027", failing };
    return { colour: "#3182bd", failing };
  }

  function upsertEvent(f) {
    const p = f.properties;
    const old = events.get(f.id);
    if (old) eventsLayer.removeLayer(old);
    if (p.status === "cancelled" || p.status === "rejected") { events.delete(f.id); return; }
    const state = eventState(p);
    const marker = L.marker([f.geometry.coordinates[1], f.geometry.coordinates[0]], {
      icon: L.divIcon({
        className: "event-icon",
        html: `<span style="background:${state.colour}" data-status="${escapeHtml(p.status)}">★</span>`,
        iconSize: [18, 18],
      }),
    }).bindPopup(() => `<strong>${escapeHtml(p.name)}</strong><br>${escapeHtml(text.event)} · ` +
      `${escapeHtml(new Date(p.starts_at).toLocaleString())}<br>${p.expected_attendance} ` +
      `${state.failing ? `<br><span style="color:#d73027">✗ ${state.failing} ${escapeHtml(text.gatesFail)}</span>` : ""}` +
      `<br><a href="/events/${f.id}/">${escapeHtml(text.details)}</a>`);
    events.set(f.id, marker);
    eventsLayer.addLayer(marker);
    document.getElementById("events-count").textContent = events.size;
  }

  async function loadEvents() {
    eventsLayer.clearLayers();
    events.clear();
    await getAll(config.eventsUrl, upsertEvent);
    document.getElementById("events-count").textContent = events.size;
  }

  async function refreshEvent(id) {
    const feature = await getJson(config.eventUrl.replace("{id}", id));
    if (feature) upsertEvent(feature);
  }

  /* Pyrotechnics outlets */
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
      `<br><a href="/pyrotechnics/outlets/${f.id}/">${escapeHtml(text.details)}</a>`);
    outlets.set(f.id, marker);
    outletsLayer.addLayer(marker);
    document.getElementById("outlets-count").textContent = outlets.size;
  }

  async function loadOutlets() {
    outletsLayer.clearLayers();
    outlets.clear();
    await getAll(config.outletsUrl, upsertOutlet);
    document.getElementById("outlets-count").textContent = outlets.size;
  }

  /* Live feed */
  function addToFeed(message, label) {
    const feed = document.getElementById("feed");
    const empty = document.getElementById("feed-empty");
    if (empty) empty.remove();
    const item = document.createElement("li");
    const when = new Date().toLocaleTimeString();
    const what = label || (message.data && message.data.name ? message.data.name : `${message.topic} #${message.id}`);
    item.innerHTML = `<span class="muted">${when}</span> ${escapeHtml(what)} — ${escapeHtml(text[message.op] || message.op)}`;
    feed.prepend(item);
    while (feed.children.length > 30) feed.lastChild.remove();
  }

  function onChange(message) {
    /* Other layers (incidents and units, ops.js) listen for the same messages. */
    document.dispatchEvent(new CustomEvent("saqshy:change", { detail: message }));
    if (message.topic === "facility") {
      if (message.op === "reloaded") loadFacilities();
      else if (message.op === "deleted") remove(message.id);
      else upsert(message.data);
      renderLegend();
    } else if (message.topic === "gathering") {
      if (message.op === "reloaded") loadEvents();
      else if (message.op === "deleted") { const m = events.get(message.id); if (m) eventsLayer.removeLayer(m); events.delete(message.id); }
      else refreshEvent(message.id);
    } else if (message.topic === "clearance") {
      reloadClearanceSoon();
    } else if (message.topic === "outlet") {
      loadOutlets();
    } else {
      return;
    }
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

  document.getElementById("by-clearance").addEventListener("change", (e) => {
    byClearance = e.target.checked;
    recolour();
    renderLegend();
  });
  document.getElementById("layer-events").addEventListener("change", (e) => {
    if (e.target.checked) map.addLayer(eventsLayer); else map.removeLayer(eventsLayer);
  });
  document.getElementById("layer-outlets").addEventListener("change", (e) => {
    if (e.target.checked) map.addLayer(outletsLayer); else map.removeLayer(outletsLayer);
  });

  window.saqshyMap = { map, markers, events, outlets, addToFeed, escapeHtml, getJson, getAll };
  Promise.all([loadFacilities(), loadClearance(), loadEvents(), loadOutlets()]).then(connect);
})();
