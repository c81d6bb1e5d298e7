/* Situation map layer: open incidents by type (colour and letter), priority (ring) and status
   (a waiting call pulses; one left waiting beyond the acknowledgement norm flashes), probable
   duplicates linked to their original, the selected one highlighted and on top. Incidents
   sit in a pane above the units', so a unit never hides an incident. */
(function () {
  "use strict";
  const base = window.saqshyMap;
  const ops = window.saqshyOps;
  const { map, escapeHtml } = base;
  const { config, text, incidents, types, statuses, OPEN, MOVING } = ops;
  const incidentsLayer = L.layerGroup().addTo(map);
  const linksLayer = L.layerGroup().addTo(map);
  const links = new Map(); // duplicate id -> polyline to its original

  function late(p) {
    return p.status === "new" && Date.now() - new Date(p.reported_at).getTime() > config.ackSeconds * 1000;
  }

  function incidentIcon(p) {
    const type = types[p.type] || { colour: "#737373", mark: "?" };
    const classes = [`inc p${Number(p.priority)} st-${escapeHtml(p.status)}`];
    if (p.duplicate_of) classes.push("dup");
    if (p.is_exercise) classes.push("exercise-marker");
    if (p.id === ops.selected) classes.push("selected");
    if (late(p)) classes.push("late");
    return L.divIcon({
      className: "incident-icon",
      html: `<span class="${classes.join(" ")}" style="background:${type.colour}"` +
        ` data-incident-id="${Number(p.id)}" data-status="${escapeHtml(p.status)}"` +
        `${p.is_exercise ? " data-exercise" : ""}>${escapeHtml(type.mark)}</span>`,
      iconSize: [26, 26],
      iconAnchor: [13, 13],
    });
  }

  function zIndex(p) { return (p.id === ops.selected ? 10000 : 0) + 100 * (5 - p.priority); }

  function restyle(id) {
    const known = incidents.get(id);
    if (!known) return;
    known.marker.setIcon(incidentIcon(known.data));
    known.marker.setZIndexOffset(zIndex(known.data));
    known.late = late(known.data);
  }

  function upsertIncident(p) {
    const known = incidents.get(p.id);
    if (!OPEN.includes(p.status)) {
      removeIncident(p.id);
      return;
    }
    const data = known ? { ...known.data, ...p } : p;
    if (known) {
      known.marker.setLatLng([data.lat, data.lon]);
      known.data = data;
      restyle(data.id);
    } else {
      const marker = L.marker([data.lat, data.lon], {
        icon: incidentIcon(data), pane: base.pane("incidents"), keyboard: false, zIndexOffset: zIndex(data),
      }).on("click", () => ops.select(data.id));
      marker.bindTooltip(() => {
        const now = incidents.get(data.id).data;
        const mark = now.is_exercise ? ` · ${escapeHtml(text.exercise)}` : "";
        return `#${Number(data.id)} ${escapeHtml(ops.label(types, now.type))}${mark}`;
      });
      incidentsLayer.addLayer(marker);
      incidents.set(data.id, { data, marker, late: late(data) });
    }
    linkDuplicate(data);
  }

  function removeIncident(id) {
    const known = incidents.get(id);
    if (known) incidentsLayer.removeLayer(known.marker);
    incidents.delete(id);
    const link = links.get(id);
    if (link) { linksLayer.removeLayer(link); links.delete(id); }
    ops.emit("incident-removed", id);
  }

  function linkDuplicate(p) {
    const old = links.get(p.id);
    if (old) { linksLayer.removeLayer(old); links.delete(p.id); }
    const original = p.duplicate_of && incidents.get(p.duplicate_of);
    if (!original) return;
    const line = L.polyline([[p.lat, p.lon], [original.data.lat, original.data.lon]], {
      color: "#444", weight: 2, dashArray: "4 4", interactive: false,
    });
    linksLayer.addLayer(line);
    links.set(p.id, line);
  }

  function counted() {
    document.getElementById("map").dataset.incidents = String(incidents.size);
  }

  ops.upsertIncident = (p) => { upsertIncident(p); counted(); };

  ops.loadIncidents = async function loadIncidents() {
    if (!config.seeIncidents) return;
    const open = await base.fetchAll(config.incidentsUrl);
    if (!open) throw new Error("incidents not loaded");
    const seen = new Set(open.map((p) => p.id));
    [...incidents.keys()].filter((id) => !seen.has(id)).forEach(removeIncident);
    open.forEach(upsertIncident);
    incidents.forEach((i) => linkDuplicate(i.data));
    counted();
    incidents.forEach((i) => { if (MOVING.includes(i.data.status)) ops.drawRoutes(i.data); });
  };

  /* The selection and the acknowledgement norm restyle markers. */
  ops.on("select", ({ before, after }) => { restyle(before); restyle(after); });
  setInterval(() => incidents.forEach((i, id) => { if (i.late !== late(i.data)) restyle(id); }), 1000);

  base.onChange("incident", (message) => {
    const before = incidents.get(message.id);
    const was = before ? before.data.status : null;
    if (message.op === "deleted") removeIncident(message.id);
    else upsertIncident(message.data);
    counted();
    if (message.data && MOVING.includes(message.data.status) && was !== message.data.status) {
      ops.drawRoutes(message.data);
    }
    ops.emit("incident", { message, was });
    const type = message.data ? ops.label(types, message.data.type) : "";
    const mark = message.data && message.data.is_exercise ? ` · ${text.exercise}` : "";
    base.addToFeed(message, `${text.incident} #${message.id} ${type} · ${message.data ? ops.label(statuses, message.data.status) : ""}${mark}`);
  });

  const box = document.getElementById("layer-incidents");
  if (box) {
    box.addEventListener("change", () => [incidentsLayer, linksLayer].forEach((layer) => {
      if (box.checked) map.addLayer(layer); else map.removeLayer(layer);
    }));
  }
  base.layer({ id: "incidents", box: "layer-incidents", night: true, visible: () => map.hasLayer(incidentsLayer) });
})();
