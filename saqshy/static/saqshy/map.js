/* The situation map's core: the Leaflet map and its panes, the live WebSocket and the
   snapshot-then-catch-up sync, the feed of recent changes, and the layer registry with the
   "night" preset. Every layer (facilities, events, outlets, incidents, units, routes,
   forecast, patrols, …) is a small module of its own app, declared in that app's
   MapLayer(scripts=…) and loaded after this file; it talks to the core through
   window.saqshyMap:

     map                     the Leaflet map
     config, text            the page's map configuration and words (json_script blocks)
     escapeHtml, getJson, getAll, fetchAll
     placesInView(spec)      a layer of many places: all of them, or what is in view (below)
     viewBox(pad)            the view as ?bbox=, widened by pad (0.1: a tenth) of its size
     onSync(load)            load() runs after every (re)connect, before buffered changes apply
     onChange(topic, fn)     fn(message) for every live change of that topic ("*": every one);
                             the same messages are also dispatched as "saqshy:change" events
     addToFeed(message, label)
     layer({id, night, box, visible})  declares a toggleable layer: `box` is its checkbox id;
                             `night` whether the night preset keeps it (true) or hides it
                             (false); visible() whether it is on the map now
     visibleLayers()         the ids of the declared layers on the map now
     pane(name)              the pane of a kind of thing: "areas" < "routes" < "places" <
                             "units" < "incidents" (units never hide incidents; the selected
                             incident is raised within its pane)
*/
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("map-config").textContent);
  const text = JSON.parse(document.getElementById("map-i18n").textContent);
  const { escapeHtml } = window.saqshyHtml;
  const mapBox = document.getElementById("map");

  /* keyboard: false on the map keeps arrow keys for the desk; the container itself stays
     reachable by Tab for panning with the mouse's stand-ins (+/−). */
  const map = L.map("map", { preferCanvas: true, zoomControl: true })
    .setView([config.start.lat, config.start.lon], config.start.zoom);

  /* Basemap: our own vector tiles (situation/basemap.js, loaded before this file). */
  window.saqshyBasemap.create(map, config);

  /* Panes, bottom to top. Leaflet's own: tiles 200, overlay 400, markers 600, tooltips 650. */
  const PANES = { areas: 380, routes: 420, places: 590, units: 610, incidents: 640 };
  Object.entries(PANES).forEach(([name, z]) => {
    const pane = map.createPane(`saqshy-${name}`);
    pane.style.zIndex = String(z);
  });
  function pane(name) { return `saqshy-${name}`; }

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

  /* Every page of a list, or null if any page failed (an incomplete list must not be taken
     for the whole: what is missing from it would be removed from the map). */
  async function fetchAll(url) {
    const rows = [];
    while (url) {
      const page = await getJson(url);
      if (!page) return null;
      rows.push(...page.results);
      url = page.next;
    }
    return rows;
  }

  /* --- Layers of many places ---
     A layer whose list holds more than config.pointsLimit places in the user's scope (a
     national user's venues or events) shows what is in view: while the view holds more than
     that, a number per grid cell (the list's GET …/clusters/; a click zooms to the cell's
     places), and once it holds fewer, the places themselves (the list with ?bbox=), loaded
     again as the map moves. A smaller scope loads the whole list, as a regional map does.
     spec: { id, url, clustersUrl, label, colour, paneName, shift, load(url, isCurrent),
     clear(), shown(), loaded() }. load() replaces what the layer shows with the list at url
     (a rejected promise fails the snapshot, as a failed list always did); isCurrent() turns
     false once a newer load has begun. shift: [x, y] pixels by which the layer's numbers
     stand aside from another layer's in the same cell. The map's element carries
     data-<id>-mode: all, places or counts. */
  function withParams(url, params) {
    const target = new URL(url, location.origin);
    Object.entries(params).forEach(([key, value]) => target.searchParams.set(key, String(value)));
    return target.pathname + target.search;
  }

  /* The view as ?bbox= (minlon,minlat,maxlon,maxlat), widened by `pad` of its size, within
     the world's limits. */
  function viewBox(pad = 0.1) {
    const bounds = map.getBounds().pad(pad);
    const clamp = (value, limit) => Math.min(limit, Math.max(-limit, value));
    return [clamp(bounds.getWest(), 180), clamp(bounds.getSouth(), 90), clamp(bounds.getEast(), 180), clamp(bounds.getNorth(), 90)]
      .map((value) => value.toFixed(5)).join(",");
  }

  const SCOPE_RECOUNT_MS = 10 * 60 * 1000;

  function placesInView(spec) {
    const counts = L.layerGroup();
    let wide = null; // whether the scope holds more than the limit; null: ask at the next load
    let askedAt = 0; // when it was last asked (ms)
    let mode = "all"; // "all" (the whole list), "places" (those in view) or "counts"
    let total = 0;
    let current = 0;
    let timer = null;

    function bubble(cell) {
      const size = Math.round(24 + 8 * Math.log10(cell.count));
      const marker = L.marker([cell.lat, cell.lon], {
        pane: pane(spec.paneName),
        keyboard: false,
        icon: L.divIcon({
          className: "place-count",
          html: `<span style="background:${escapeHtml(spec.colour)}" data-count="${Number(cell.count)}">${Number(cell.count)}</span>`,
          iconSize: [size, size],
          /* Layers' numbers of the same cell sit side by side, not on top of each other. */
          iconAnchor: [size / 2 - (spec.shift || [0, 0])[0], size / 2 - (spec.shift || [0, 0])[1]],
        }),
      }).bindTooltip(`${escapeHtml(spec.label)}: ${Number(cell.count)} · ${escapeHtml(text.zoomInToSee)}`);
      marker.on("click", () => map.fitBounds([[cell.bbox[1], cell.bbox[0]], [cell.bbox[3], cell.bbox[2]]], { maxZoom: map.getZoom() + 4 }));
      return marker;
    }

    let later = null; // refreshWithin's timer
    let stale = false; // a change was left unasked while the layer was off
    function showCounts() {
      if (mode === "counts" && spec.shown()) map.addLayer(counts); else map.removeLayer(counts);
      if (stale && spec.shown()) refreshSoon();
    }

    async function refresh() {
      const mine = ++current;
      /* This asks the numbers now: a change waiting in refreshWithin is answered by it. */
      clearTimeout(later);
      later = null;
      stale = false;
      const isCurrent = () => mine === current;
      if (wide === null) {
        const head = await getJson(withParams(spec.url, { format: "json", page_size: 1, fields: "id" }));
        if (mine !== current) return;
        /* Not counted (a scope without this layer, a moment's error): the whole list, as
           before, which an unreadable list leaves empty without failing the snapshot. */
        wide = Boolean(head) && head.count > config.pointsLimit;
        if (head) askedAt = Date.now();
      }
      if (!wide) {
        mode = "all";
        mapBox.dataset[`${spec.id}Mode`] = mode;
        counts.clearLayers();
        showCounts();
        await spec.load(spec.url, isCurrent);
        if (isCurrent() && spec.loaded) spec.loaded();
        return;
      }
      const box = viewBox();
      const answer = await getJson(withParams(spec.clustersUrl, { bbox: box, zoom: map.getZoom() }));
      if (mine !== current) return;
      if (!answer) return; // the view's last picture stays until the next move or sync
      counts.clearLayers();
      total = answer.count;
      /* Few enough, or so spread out that every cell holds one: the places themselves. */
      const single = answer.results.every((cell) => cell.count === 1);
      mode = answer.count <= config.pointsLimit || single ? "places" : "counts";
      mapBox.dataset[`${spec.id}Mode`] = mode;
      if (mode === "counts") {
        spec.clear();
        answer.results.forEach((cell) => counts.addLayer(bubble(cell)));
      }
      showCounts();
      if (mode === "places") await spec.load(withParams(spec.url, { bbox: box }), isCurrent);
      if (isCurrent() && spec.loaded) spec.loaded();
    }

    function refreshSoon() {
      clearTimeout(timer);
      timer = setTimeout(() => refresh().catch(() => null), 300);
    }

    /* At most once in config.countsRefreshMs, however many changes arrive meanwhile: for
       changes that rarely change a cell's number (a unit's fix every few seconds), which
       would keep a refreshSoon() waiting for ever and ask the server too often. A layer
       switched off asks nothing until it is switched on again (showCounts). */
    function refreshWithin() {
      if (later !== null) return;
      later = setTimeout(() => {
        later = null;
        if (mode !== "counts") return;
        if (spec.shown()) refresh().catch(() => null); else stale = true;
      }, config.countsRefreshMs);
    }
    map.on("moveend", () => { if (wide) refreshSoon(); });
    return {
      /* A (re)connect's load. The scope may have grown or shrunk since the last, so its size
         is asked again, but not more than once in SCOPE_RECOUNT_MS: when a web process
         restarts, every map reconnects within seconds, and each would ask every layer's
         count again for a scope that did not change. */
      load() {
        if (Date.now() - askedAt > SCOPE_RECOUNT_MS) wide = null;
        return refresh();
      },
      refreshSoon,
      refreshWithin,
      showCounts,
      counting() { return mode === "counts"; },
      total() { return total; },
    };
  }

  /* --- Layers and the night preset --- */
  const layers = [];
  function layer(spec) { layers.push(spec); }
  const nightButton = document.getElementById("night-preset");
  let beforeNight = null; // the boxes' states before the preset, restored when it is undone
  function boxOf(spec) { return spec.box ? document.getElementById(spec.box) : null; }
  function setBox(box, checked) {
    if (!box || box.checked === checked) return;
    box.checked = checked;
    box.dispatchEvent(new Event("change", { bubbles: true }));
  }
  function night(on) {
    if (on) {
      beforeNight = layers.map((spec) => [spec, (boxOf(spec) || {}).checked]);
      layers.forEach((spec) => setBox(boxOf(spec), Boolean(spec.night)));
    } else if (beforeNight) {
      beforeNight.forEach(([spec, checked]) => setBox(boxOf(spec), Boolean(checked)));
      beforeNight = null;
    }
    if (nightButton) nightButton.setAttribute("aria-pressed", on ? "true" : "false");
    mapBox.dataset.preset = on ? "night" : "";
  }
  if (nightButton) nightButton.addEventListener("click", () => night(nightButton.getAttribute("aria-pressed") !== "true"));

  /* --- Live feed --- */
  function addToFeed(message, label) {
    const feed = document.getElementById("feed");
    const empty = document.getElementById("feed-empty");
    if (empty) empty.remove();
    const item = document.createElement("li");
    const when = document.createElement("span");
    when.className = "muted";
    when.textContent = window.saqshyFormat.timeSeconds(new Date());
    const what = label || (message.data && message.data.name ? message.data.name : `${message.topic} #${message.id}`);
    item.append(when, ` ${what} — ${text[message.op] || message.op}`);
    feed.prepend(item);
    while (feed.children.length > 30) feed.lastChild.remove();
  }

  const listeners = {};
  function onChange(topic, fn) { (listeners[topic] = listeners[topic] || []).push(fn); }
  function applyChange(message) {
    document.dispatchEvent(new CustomEvent("saqshy:change", { detail: message }));
    [...(listeners[message.topic] || []), ...(listeners["*"] || [])].forEach((fn) => fn(message));
  }

  /* Live picture: subscribe, load, catch up.
     The socket opens first; its "hello" carries the server time at which it joined its groups.
     Only then is the snapshot loaded (every layer registered with onSync), while change
     messages are buffered; afterwards the buffered messages sent after the hello are applied
     in order. Nothing committed between the load and the subscription is lost, and every
     (re)connect, or a change of the user's grants, repeats this. */
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

  function asOfText() { return asOf == null ? "–" : window.saqshyFormat.time(asOf); }

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
    await Promise.all(syncs.map((load) => load()));
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
    pending.filter((m) => !(m.at <= hello.at)).forEach((m) => { applyChange(m); advance(m.at); });
    showState("live");
    advance(hello.at);
  }

  function receive(message) {
    if (message.type === "changes") {
      /* Coalesced telemetry (unit positions): a batch of changes, each applied as its own. */
      (message.changes || []).forEach((change) => receive({ ...change, type: "change" }));
    } else if (message.type === "hello") {
      retry = 500;
      catchUp(message);
    } else if (message.type === "change") {
      if (buffer) buffer.push(message);
      else { applyChange(message); advance(message.at); }
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

  function visibleLayers() { return layers.filter((spec) => spec.visible && spec.visible()).map((spec) => spec.id); }

  window.saqshyMap = {
    map, config, text, escapeHtml, getJson, getAll, fetchAll, addToFeed, onSync, onChange, layer, pane, night, visibleLayers,
    placesInView, viewBox,
  };
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
