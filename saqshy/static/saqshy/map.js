/* The situation map: our own basemap (situation/basemap.js); facilities, mass events and pyrotechnics outlets;
   live changes over a WebSocket. */
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("map-config").textContent);
  const text = JSON.parse(document.getElementById("map-i18n").textContent);
  const kinds = Object.fromEntries(config.kinds.map((k) => [k.value, k]));
  const clearanceStyle = Object.fromEntries(config.clearance.map((c) => [c.value, c]));

  const map = L.map("map", { preferCanvas: true, zoomControl: true })
    .setView([config.start.lat, config.start.lon], config.start.zoom);
  window.saqshyBasemap.create(map, config);

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

  // Legend pieces built as nodes: labels and colours never pass through innerHTML.
  function swatch(colour) {
    const node = document.createElement("span");
    node.className = "swatch";
    node.style.background = colour;
    return node;
  }

  function muted(text) {
    const node = document.createElement("span");
    node.className = "muted";
    node.textContent = String(text);
    return node;
  }

  function renderLegend() {
    const legend = document.getElementById("legend");
    legend.innerHTML = "";
    if (byClearance) {
      config.clearance.forEach((c) => {
        const n = Object.values(clearance).filter((s) => s === c.value).length;
        const item = document.createElement("li");
        item.append(swatch(c.colour), c.label, " ", muted(n));
        legend.appendChild(item);
      });
    } else {
      config.kinds.filter((k) => counts[k.value] > 0).forEach((k) => {
        const item = document.createElement("li");
        const label = document.createElement("label");
        const box = document.createElement("input");
        box.type = "checkbox";
        box.checked = !hidden.has(k.value);
        box.addEventListener("change", (e) => toggleKind(k.value, e.target.checked));
        label.append(box, swatch(k.colour), k.label, " ", muted(counts[k.value]));
        item.appendChild(label);
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
      `${escapeHtml(window.saqshyFormat.dateTime(p.starts_at))}<br>${p.expected_attendance} ` +
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
    const when = window.saqshyFormat.timeSeconds(new Date());
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

  /* Live picture: subscribe, load, catch up.
     The socket opens first; its "hello" carries the server time at which it joined its groups.
     Only then is the snapshot loaded (every layer, and every layer registered with onSync),
     while change messages are buffered; afterwards the buffered messages sent after the hello
     are applied in order. Nothing committed between the load and the subscription is lost,
     and every (re)connect, or a change of the user's grants, repeats this. */
  const syncs = [];
  const live = document.getElementById("live");
  const liveLabel = live.querySelector(".live-text");
  const asOfLabel = document.getElementById("as-of");
  const staleBanner = document.getElementById("live-stale");
  const PING_EVERY = 20000;
  const PONG_WITHIN = 10000;
  let socket = null;
  let buffer = null; // change messages held while a snapshot loads
  let generation = 0; // the latest hello; an older snapshot's catch-up is dropped
  let asOf = null; // server time (ms) up to which the picture is known complete
  let retry = 500;
  let stopped = false;
  let loaded = false; // a snapshot has been shown at least once
  let pingTimer = null;
  let pongTimer = null;
  let reconnectTimer = null;

  const clock = (() => {
    const options = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
    try {
      return new Intl.DateTimeFormat(document.documentElement.lang || undefined, { ...options, timeZone: config.timeZone });
    } catch (e) {
      return new Intl.DateTimeFormat(undefined, options);
    }
  })();
  function asOfText() { return asOf == null ? "–" : clock.format(new Date(asOf)); }

  function showState(state) {
    /* state: "connecting" (the first attempt), "live" (subscribed and caught up), "lost"
       (reconnecting), "stopped" (the server refused: signed out or deactivated). */
    const isLive = state === "live";
    live.classList.toggle("on", isLive);
    live.classList.toggle("off", !isLive);
    liveLabel.textContent = isLive ? liveLabel.dataset.on : liveLabel.dataset.off;
    document.body.dataset.live = isLive ? "1" : "0";
    document.body.classList.toggle("live-stale", state === "lost" || state === "stopped");
    if (asOfLabel) asOfLabel.textContent = asOf == null ? "" : asOfLabel.dataset.template.replace("{time}", asOfText());
    if (staleBanner) {
      staleBanner.hidden = isLive || state === "connecting";
      const template = state === "stopped" ? staleBanner.dataset.stopped : staleBanner.dataset.lost;
      staleBanner.textContent = template.replace("{time}", asOfText());
    }
  }

  function advance(at) {
    if (typeof at === "number" && (asOf == null || at > asOf)) asOf = at;
    document.body.dataset.asOf = String(asOf);
    if (document.body.dataset.live === "1") showState("live");
  }

  function onSync(load) {
    syncs.push(load);
  }

  async function snapshot() {
    await Promise.all([loadFacilities(), loadClearance(), loadEvents(), loadOutlets(), ...syncs.map((load) => load())]);
    loaded = true;
  }

  async function catchUp(hello) {
    const mine = ++generation;
    buffer = [];
    try {
      await snapshot();
    } catch (e) {
      /* A failed load leaves the picture incomplete: drop the socket, the reconnect loads again. */
      if (mine === generation && socket) socket.close();
      return;
    }
    if (mine !== generation) return;
    const pending = buffer;
    buffer = null;
    asOf = Math.max(asOf || 0, hello.at);
    pending.filter((m) => !(m.at <= hello.at)).forEach((m) => { onChange(m); advance(m.at); });
    showState("live");
    advance(hello.at);
  }

  function receive(message) {
    if (message.type === "hello") {
      retry = 500;
      catchUp(message);
    } else if (message.type === "change") {
      if (buffer) buffer.push(message);
      else { onChange(message); advance(message.at); }
    } else if (message.type === "pong") {
      clearTimeout(pongTimer);
      if (!buffer) advance(message.at);
    }
  }

  function ping() {
    if (!socket || socket.readyState !== WebSocket.OPEN) return;
    socket.send(JSON.stringify({ type: "ping" }));
    clearTimeout(pongTimer);
    const waiting = socket;
    /* A silent connection is a lost one; a dead network may delay its close event for minutes. */
    pongTimer = setTimeout(() => { lost(waiting, 1006); waiting.close(); }, PONG_WITHIN);
  }

  function lost(current, code) {
    if (socket !== current) return;
    socket = null;
    buffer = null;
    generation += 1;
    clearInterval(pingTimer);
    clearTimeout(pongTimer);
    /* 4401: the session ended; 4403: the account was deactivated. Retrying cannot help. */
    stopped = code === 4401 || code === 4403;
    showState(stopped ? "stopped" : "lost");
    if (stopped) return;
    /* Back off, but never beyond a few seconds: a dispatcher's picture must come back soon
       after the network does. The jitter spreads the reconnects of many maps. */
    reconnectTimer = setTimeout(connect, retry * (0.5 + Math.random() / 2));
    retry = Math.min(retry * 1.6, 4000);
  }

  function connect() {
    clearTimeout(reconnectTimer);
    if (stopped || (socket && socket.readyState <= WebSocket.OPEN)) return;
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const current = new WebSocket(`${scheme}://${location.host}${config.socketPath}`);
    socket = current;
    current.onmessage = (event) => { if (socket === current) receive(JSON.parse(event.data)); };
    current.onclose = (event) => lost(current, event.code);
    current.onopen = () => {
      clearInterval(pingTimer);
      pingTimer = setInterval(ping, PING_EVERY);
    };
  }

  /* Back online, or back to a hidden tab: try at once instead of waiting out the back-off. */
  window.addEventListener("online", () => { retry = 500; connect(); });
  document.addEventListener("visibilitychange", () => { if (!document.hidden) connect(); });

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

  window.saqshyMap = { map, markers, events, outlets, addToFeed, escapeHtml, getJson, getAll, onSync };
  /* Subscribe once every script has registered its layers; should the socket not come up, load
     the snapshot anyway and show it as stale until it does. */
  function start() {
    showState("connecting");
    connect();
    setTimeout(() => {
      if (document.body.dataset.live === "1") return;
      if (!stopped) showState("lost");
      if (!loaded) snapshot().catch(() => null); // the next hello loads it again
    }, 3000);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
