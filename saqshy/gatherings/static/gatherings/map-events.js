/* Situation map layer: mass events from today, coloured by their gates. */
(function () {
  "use strict";
  const base = window.saqshyMap;
  const { map, config, text, escapeHtml } = base;
  const eventsLayer = L.layerGroup().addTo(map);
  const events = new Map();

  function eventState(p) {
    const failing = (p.gates || []).filter((g) => !g.passed).length;
    if (p.status === "approved" || p.status === "held") return { colour: "#1a9850", failing };
    if (failing) return { colour: "#d73027", failing };
    return { colour: "#3182bd", failing };
  }

  function count() { document.getElementById("events-count").textContent = places.counting() ? places.total() : events.size; }

  function upsertEvent(f) {
    const p = f.properties;
    const old = events.get(f.id);
    if (old) eventsLayer.removeLayer(old);
    if (p.status === "cancelled" || p.status === "rejected") { events.delete(f.id); count(); return; }
    const state = eventState(p);
    const marker = L.marker([f.geometry.coordinates[1], f.geometry.coordinates[0]], {
      pane: base.pane("places"),
      keyboard: false,
      icon: L.divIcon({
        className: "event-icon",
        html: `<span style="background:${state.colour}" data-status="${escapeHtml(p.status)}">★</span>`,
        iconSize: [18, 18],
      }),
    }).bindPopup(() => `<strong>${escapeHtml(p.name)}</strong><br>${escapeHtml(text.event)} · ` +
      `${escapeHtml(window.saqshyFormat.dateTime(p.starts_at))}<br>${escapeHtml(p.expected_attendance)} ` +
      `${state.failing ? `<br><span style="color:#d73027">✗ ${state.failing} ${escapeHtml(text.gatesFail)}</span>` : ""}` +
      `<br><a href="/events/${Number(f.id)}/">${escapeHtml(text.details)}</a>`);
    events.set(f.id, marker);
    eventsLayer.addLayer(marker);
    count();
  }

  function clearEvents() {
    eventsLayer.clearLayers();
    events.clear();
  }

  /* A national scope's events of the season: counts per cell at a wide view (map.js). */
  const places = base.placesInView({
    id: "events", url: config.eventsUrl, clustersUrl: config.eventsClustersUrl,
    label: text.events, colour: "#3182bd", paneName: "places", shift: [-22, 14],
    load: (url, isCurrent) => {
      clearEvents();
      return base.getAll(url, (f) => { if (isCurrent()) upsertEvent(f); });
    },
    clear: clearEvents, shown: () => map.hasLayer(eventsLayer), loaded: count,
  });

  function loadEvents() { return places.load(); }

  async function refreshEvent(id) {
    const feature = await base.getJson(config.eventUrl.replace("{id}", id));
    if (feature) upsertEvent(feature);
  }

  base.onChange("gathering", (message) => {
    if (message.op === "reloaded") loadEvents();
    else if (places.counting()) places.refreshSoon();
    else if (message.op === "deleted") {
      const m = events.get(message.id);
      if (m) eventsLayer.removeLayer(m);
      events.delete(message.id);
      count();
    } else refreshEvent(message.id);
    base.addToFeed(message);
  });
  /* A clearance change can unblock or block events: reload them, folded like the clearance. */
  let clearanceTimer = null;
  base.onChange("clearance", () => { clearTimeout(clearanceTimer); clearanceTimer = setTimeout(() => places.refreshSoon(), 400); });

  const box = document.getElementById("layer-events");
  box.addEventListener("change", () => { if (box.checked) map.addLayer(eventsLayer); else map.removeLayer(eventsLayer); places.showCounts(); });
  base.layer({ id: "events", box: "layer-events", night: false, visible: () => map.hasLayer(eventsLayer) });
  base.events = events;
  base.onSync(loadEvents);
})();
