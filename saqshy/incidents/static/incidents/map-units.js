/* Situation map layer: units by kind (letters, border colour) and status (fill), above
   everything but incidents; the unit summary, units at work before the available ones. */
(function () {
  "use strict";
  const base = window.saqshyMap;
  const ops = window.saqshyOps;
  const { map, escapeHtml } = base;
  const { config, text, units, unitKinds, unitStatuses, MOVING } = ops;
  const unitsLayer = L.layerGroup().addTo(map);
  const AT_WORK_FIRST = ["on_scene", "en_route", "dispatched", "returning", "available", "out_of_service"];

  function unitIcon(u) {
    const kind = unitKinds[u.kind] || { colour: "#555", mark: "?" };
    const status = unitStatuses[u.status] || { colour: "#999" };
    return L.divIcon({
      className: "unit-icon",
      html: `<span class="unit st-${escapeHtml(u.status)}" style="background:${status.colour};border-color:${kind.colour}"` +
        ` data-unit-id="${Number(u.id)}" data-status="${escapeHtml(u.status)}">${escapeHtml(kind.mark)}</span>`,
      iconSize: [24, 18],
      iconAnchor: [12, 9],
    });
  }

  function unitTooltip(id) {
    const u = units.get(id).data;
    return `${escapeHtml(u.call_sign)} · ${escapeHtml(ops.label(unitKinds, u.kind))} · ${escapeHtml(ops.label(unitStatuses, u.status))}`;
  }

  function upsertUnit(u) {
    const known = units.get(u.id);
    const data = known ? { ...known.data, ...u } : u;
    const statusChanged = !known || known.data.status !== data.status;
    if (known) known.data = data; else units.set(u.id, { data, marker: null });
    const entry = units.get(u.id);
    if (data.lat == null || data.lon == null) {
      if (entry.marker) { unitsLayer.removeLayer(entry.marker); entry.marker = null; }
    } else if (entry.marker) {
      entry.marker.setLatLng([data.lat, data.lon]);
      if (statusChanged) entry.marker.setIcon(unitIcon(data));
    } else {
      entry.marker = L.marker([data.lat, data.lon], { icon: unitIcon(data), pane: base.pane("units"), keyboard: false })
        .bindTooltip(() => unitTooltip(u.id));
      unitsLayer.addLayer(entry.marker);
    }
    if (!MOVING.includes(data.status)) ops.emit("unit-still", u.id);
    return statusChanged;
  }

  function renderUnitSummary() {
    const summary = document.getElementById("unit-summary");
    if (!summary) return;
    if (places.counting()) {
      const item = document.createElement("li");
      const n = document.createElement("strong");
      n.textContent = String(places.total());
      item.append(n, ` · ${base.text.zoomInToSee}`);
      summary.replaceChildren(item);
      document.getElementById("map").dataset.units = "0";
      return;
    }
    const counts = {};
    units.forEach((u) => { counts[u.data.status] = (counts[u.data.status] || 0) + 1; });
    const order = (s) => { const i = AT_WORK_FIRST.indexOf(s.value); return i < 0 ? 99 : i; };
    summary.replaceChildren(...[...config.unitStatuses].sort((a, b) => order(a) - order(b))
      .filter((s) => counts[s.value]).map((s) => {
        const item = document.createElement("li");
        item.dataset.status = s.value;
        const swatch = document.createElement("span");
        swatch.className = "swatch";
        swatch.style.background = s.colour;
        const n = document.createElement("strong");
        n.textContent = String(counts[s.value]);
        item.append(swatch, `${s.label} `, n);
        return item;
      }));
    document.getElementById("map").dataset.units = String(units.size);
  }

  function removeUnit(id) {
    const known = units.get(id);
    if (known && known.marker) unitsLayer.removeLayer(known.marker);
    units.delete(id);
    ops.emit("unit-still", id);
  }

  /* The units in scope, replacing what the map shows; a national scope's thousands as counts
     per cell until the view holds few enough (map.js, placesInView). */
  const places = base.placesInView({
    id: "units", url: config.unitsUrl, clustersUrl: config.unitsClustersUrl,
    label: base.text.units, colour: "#2f7d4f", paneName: "units", shift: [22, 14],
    async load(url, isCurrent) {
      const all = await base.fetchAll(url);
      if (!all) throw new Error("units not loaded");
      if (!isCurrent()) return;
      const seen = new Set(all.map((u) => u.id));
      [...units.keys()].filter((id) => !seen.has(id)).forEach(removeUnit);
      all.forEach(upsertUnit);
    },
    clear: () => [...units.keys()].forEach(removeUnit),
    shown: () => map.hasLayer(unitsLayer),
    loaded: () => renderUnitSummary(),
  });

  ops.loadUnits = async function loadUnits() {
    if (!config.seeUnits) return;
    await places.load();
  };

  base.onChange("unit", (message) => {
    if (places.counting()) {
      /* Counts per cell: a unit added or removed changes them, so they are asked again at
         once; a move or a new status seldom changes a cell's number, so those ask at most
         once in a while (map.js, refreshWithin). */
      if (message.op === "created" || message.op === "deleted") places.refreshSoon();
      else places.refreshWithin();
      return;
    }
    if (message.op === "moved") {
      /* A coalesced position fix: only a newer one moves a unit this map already shows. */
      const known = units.get(message.id);
      const fix = message.data || {};
      if (known && !(known.data.position_at && fix.position_at && Date.parse(fix.position_at) <= Date.parse(known.data.position_at))) upsertUnit(fix);
      return;
    }
    const changed = message.op === "deleted" ? (removeUnit(message.id), true) : upsertUnit(message.data);
    if (!changed) return;
    renderUnitSummary();
    ops.emit("unit", message);
    if (message.data) {
      base.addToFeed(message, `${text.unit} ${message.data.call_sign} · ${ops.label(unitStatuses, message.data.status)}`);
    }
  });

  const box = document.getElementById("layer-units");
  if (box) box.addEventListener("change", () => { if (box.checked) map.addLayer(unitsLayer); else map.removeLayer(unitsLayer); places.showCounts(); });
  base.layer({ id: "units", box: "layer-units", night: true, visible: () => map.hasLayer(unitsLayer) });
})();
