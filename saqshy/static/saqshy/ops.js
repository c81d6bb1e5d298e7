/* The operations layers of the situation map: open incidents (by type and priority, with
   probable duplicates linked), units (by kind and status, moving), the incident queue, the
   selected incident's recommendations and dispatch, and the routes of dispatched units.
   Everything goes through the same API as any other client; live changes arrive from map.js's
   WebSocket as "saqshy:change" events, and map.js calls syncOps to reload the open incidents
   and the units after every (re)connect. */
(function () {
  "use strict";
  const base = window.saqshyMap;
  const config = JSON.parse(document.getElementById("ops-config").textContent);
  const text = JSON.parse(document.getElementById("ops-i18n").textContent);
  const { map, escapeHtml } = base;
  const byValue = (list) => Object.fromEntries(list.map((item) => [item.value, item]));
  const types = byValue(config.types);
  const priorities = byValue(config.priorities);
  const statuses = byValue(config.statuses);
  const unitKinds = byValue(config.unitKinds);
  const unitStatuses = byValue(config.unitStatuses);
  const OPEN = ["new", "dispatched", "en_route", "on_scene"];
  const MOVING = ["dispatched", "en_route"];
  const SHOW_PER_KIND = 3;

  const incidentsLayer = L.layerGroup().addTo(map);
  const linksLayer = L.layerGroup().addTo(map);
  const routesLayer = L.layerGroup().addTo(map);
  const unitsLayer = L.layerGroup().addTo(map);
  const svg = L.svg(); // routes as SVG paths (the rest of the map draws on a canvas)
  const incidents = new Map(); // id -> {data, marker}
  const units = new Map(); // id -> {data, marker}
  const routes = new Map(); // unit id -> {incident, line}
  const links = new Map(); // duplicate id -> polyline to its original
  let selected = null;

  function label(table, value) {
    return (table[value] || { label: value }).label;
  }

  async function send(url, body) {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": config.csrfToken },
      body: JSON.stringify(body || {}),
    });
    let payload = null;
    try { payload = await response.json(); } catch (e) { payload = null; }
    return { ok: response.ok, status: response.status, payload };
  }

  function problem(payload) {
    if (!payload) return text.error;
    if (payload.detail) return payload.detail;
    return Object.entries(payload).map(([k, v]) => `${k}: ${[].concat(v).join(" ")}`).join("; ") || text.error;
  }

  function ageText(iso) {
    const minutes = Math.max(0, Math.round((Date.now() - new Date(iso).getTime()) / 60000));
    return `${minutes} ${text.minutes}`;
  }

  /* Incidents */
  function incidentIcon(p) {
    const type = types[p.type] || { colour: "#737373", mark: "?" };
    const dup = p.duplicate_of ? " dup" : "";
    return L.divIcon({
      className: "incident-icon",
      html: `<span class="inc p${p.priority} st-${escapeHtml(p.status)}${dup}" style="background:${type.colour}"` +
        ` data-incident-id="${p.id}" data-status="${escapeHtml(p.status)}">${escapeHtml(type.mark)}</span>`,
      iconSize: [26, 26],
      iconAnchor: [13, 13],
    });
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
      known.marker.setIcon(incidentIcon(data));
      known.data = data;
    } else {
      const marker = L.marker([data.lat, data.lon], { icon: incidentIcon(data), zIndexOffset: 500 + 100 * (5 - data.priority) })
        .on("click", () => select(data.id));
      marker.bindTooltip(() => `#${data.id} ${escapeHtml(label(types, incidents.get(data.id).data.type))}`);
      incidentsLayer.addLayer(marker);
      incidents.set(data.id, { data, marker });
    }
    linkDuplicate(data);
  }

  function removeIncident(id) {
    const known = incidents.get(id);
    if (known) incidentsLayer.removeLayer(known.marker);
    incidents.delete(id);
    const link = links.get(id);
    if (link) { linksLayer.removeLayer(link); links.delete(id); }
    routes.forEach((route, unitId) => { if (route.incident === id) dropRoute(unitId); });
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

  function queueOrder(a, b) {
    const waiting = (p) => (p.status === "new" ? 0 : 1);
    return waiting(a) - waiting(b) || a.priority - b.priority ||
      new Date(a.reported_at) - new Date(b.reported_at);
  }

  function renderQueue() {
    const queue = document.getElementById("queue");
    if (!queue) return;
    const open = [...incidents.values()].map((i) => i.data).sort(queueOrder);
    queue.innerHTML = "";
    if (!open.length) {
      queue.innerHTML = `<li class="muted" id="queue-empty">${escapeHtml(queue.dataset.empty || "")}</li>`;
    }
    open.forEach((p) => {
      const item = document.createElement("li");
      const type = types[p.type] || { colour: "#737373", label: p.type };
      const dup = p.duplicate_of ? `<span class="dup-tag" title="${escapeHtml(text.duplicateOf)} #${p.duplicate_of}">${escapeHtml(text.dup)} #${p.duplicate_of}</span>` : "";
      item.innerHTML = `<button type="button" class="q-item${p.id === selected ? " selected" : ""}" data-incident-id="${p.id}" data-status="${escapeHtml(p.status)}">` +
        `<span class="prio p${p.priority}" title="${escapeHtml(text.priority)}">${p.priority}</span>` +
        `<span class="q-body"><strong style="color:${type.colour}">${escapeHtml(type.label)}</strong> ${dup}` +
        `<br><span class="small">${escapeHtml(p.address || `${p.lat.toFixed(4)}, ${p.lon.toFixed(4)}`)}</span></span>` +
        `<span class="q-side"><span class="st st-${escapeHtml(p.status)}">${escapeHtml(label(statuses, p.status))}</span>` +
        `<br><span class="small muted">${ageText(p.reported_at)}</span></span></button>`;
      item.querySelector("button").addEventListener("click", () => select(p.id));
      queue.appendChild(item);
    });
    document.getElementById("queue-count").textContent = open.length;
    const waiting = open.filter((p) => p.status === "new").length;
    document.getElementById("queue-new").textContent = waiting ? `${waiting} ⚠` : "";
    document.getElementById("map").dataset.incidents = String(open.length);
  }

  /* Every page of a list, or null if any page failed (an incomplete list must not be taken
     for the whole: what is missing from it would be removed from the map). */
  async function fetchAll(url) {
    const rows = [];
    while (url) {
      const page = await base.getJson(url);
      if (!page) return null;
      rows.push(...page.results);
      url = page.next;
    }
    return rows;
  }

  async function loadIncidents() {
    const open = await fetchAll(config.incidentsUrl);
    if (!open) throw new Error("incidents not loaded");
    const seen = new Set(open.map((p) => p.id));
    [...incidents.keys()].filter((id) => !seen.has(id)).forEach(removeIncident);
    open.forEach(upsertIncident);
    incidents.forEach((i) => linkDuplicate(i.data));
    renderQueue();
    incidents.forEach((i) => { if (MOVING.includes(i.data.status)) drawRoutes(i.data); });
  }

  /* Units */
  function unitIcon(u) {
    const kind = unitKinds[u.kind] || { colour: "#555", mark: "?" };
    const status = unitStatuses[u.status] || { colour: "#999" };
    return L.divIcon({
      className: "unit-icon",
      html: `<span class="unit st-${escapeHtml(u.status)}" style="background:${status.colour};border-color:${kind.colour}"` +
        ` data-unit-id="${u.id}" data-status="${escapeHtml(u.status)}">${escapeHtml(kind.mark)}</span>`,
      iconSize: [24, 18],
      iconAnchor: [12, 9],
    });
  }

  function unitTooltip(id) {
    const u = units.get(id).data;
    return `${escapeHtml(u.call_sign)} · ${escapeHtml(label(unitKinds, u.kind))} · ${escapeHtml(label(unitStatuses, u.status))}`;
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
      entry.marker = L.marker([data.lat, data.lon], { icon: unitIcon(data), zIndexOffset: 1000 })
        .bindTooltip(() => unitTooltip(u.id));
      unitsLayer.addLayer(entry.marker);
    }
    if (!MOVING.includes(data.status)) dropRoute(u.id);
    return statusChanged;
  }

  function renderUnitSummary() {
    const summary = document.getElementById("unit-summary");
    if (!summary) return;
    const counts = {};
    units.forEach((u) => { counts[u.data.status] = (counts[u.data.status] || 0) + 1; });
    summary.innerHTML = config.unitStatuses.filter((s) => counts[s.value]).map((s) =>
      `<li data-status="${s.value}"><span class="swatch" style="background:${s.colour}"></span>${escapeHtml(s.label)} <strong>${counts[s.value]}</strong></li>`).join("");
    document.getElementById("map").dataset.units = String(units.size);
  }

  function removeUnit(id) {
    const known = units.get(id);
    if (known && known.marker) unitsLayer.removeLayer(known.marker);
    units.delete(id);
    dropRoute(id);
  }

  async function loadUnits() {
    const all = await fetchAll(config.unitsUrl);
    if (!all) throw new Error("units not loaded");
    const seen = new Set(all.map((u) => u.id));
    [...units.keys()].filter((id) => !seen.has(id)).forEach(removeUnit);
    all.forEach(upsertUnit);
    renderUnitSummary();
  }

  /* Routes of dispatched units */
  function dropRoute(unitId) {
    const route = routes.get(unitId);
    if (!route) return;
    if (route.line) routesLayer.removeLayer(route.line);
    routes.delete(unitId);
  }

  async function drawRoute(unitId, incident) {
    const unit = units.get(unitId);
    if (!unit || unit.data.lat == null || routes.has(unitId)) return null;
    routes.set(unitId, { incident: incident.id, line: null });
    const query = new URLSearchParams({
      from: `${unit.data.lat},${unit.data.lon}`, to: `${incident.lat},${incident.lon}`, metric: "time",
    });
    const answer = await base.getJson(`${config.routeUrl}?${query}`);
    const route = routes.get(unitId);
    if (!route || route.incident !== incident.id) return null;
    if (!answer || !answer.geometry) { routes.delete(unitId); return null; }
    const kind = unitKinds[unit.data.kind] || { colour: "#333" };
    route.line = L.geoJSON(answer.geometry, {
      style: { color: kind.colour, weight: 4, opacity: 0.8, dashArray: "8 6", className: "route-line" },
      interactive: false,
      renderer: svg,
    });
    route.seconds = answer.seconds;
    routesLayer.addLayer(route.line);
    document.getElementById("map").dataset.routes = String(routesLayer.getLayers().length);
    return answer;
  }

  async function drawRoutes(incident) {
    const detail = incident.assignments ? incident : await base.getJson(config.incidentUrl.replace("{id}", incident.id));
    if (!detail) return;
    const known = incidents.get(detail.id);
    if (known) known.data = { ...known.data, assignments: detail.assignments };
    await Promise.all(detail.assignments.filter((a) => !a.released_at).map((a) => {
      const unit = units.get(a.unit);
      return unit && MOVING.includes(unit.data.status) ? drawRoute(a.unit, detail) : null;
    }));
  }

  /* The selected incident's card: facts, actions, recommendations, dispatch */
  function card() { return document.getElementById("incident-card"); }

  function closeCard() {
    selected = null;
    card().hidden = true;
    card().innerHTML = "";
    renderQueue();
  }

  async function select(id) {
    selected = id;
    const known = incidents.get(id);
    if (known) map.panTo([known.data.lat, known.data.lon]);
    renderQueue();
    await renderCard();
  }

  function candidateRow(c, checked) {
    const eta = c.eta_seconds == null ? "–" : `${Math.max(1, Math.round(c.eta_seconds / 60))} ${text.minutes}`;
    const km = c.meters == null ? "" : ` · ${(c.meters / 1000).toFixed(1)} ${text.km}`;
    const why = c.why_not ? `<span class="why">${escapeHtml(text[c.why_not] || c.why_not)}</span>` : "";
    const box = c.why_not ? "" : `<input type="checkbox" name="unit" value="${c.unit}" ${checked ? "checked" : ""}>`;
    return `<li><label class="cand" data-unit-id="${c.unit}" title="${escapeHtml(c.reason)}">${box}` +
      `<span class="cand-name"><strong>${escapeHtml(c.call_sign)}</strong> <span class="muted small">${escapeHtml(label(unitKinds, c.kind))} · ${escapeHtml(c.agency)}</span>` +
      `<br><span class="small">${escapeHtml(c.reason)}</span></span>` +
      `<span class="cand-eta">${escapeHtml(eta)}<span class="small muted">${escapeHtml(km)}</span>${why}</span></label></li>`;
  }

  /* The outcome of the dispatcher's last action on the card stays visible for a while, so a
     live refresh (the units' status arriving) does not wipe the confirmation or the refusal. */
  let lastMessage = null;
  async function renderCard(message) {
    const id = selected;
    if (id == null) return;
    if (message) lastMessage = { ...message, id, until: Date.now() + 15000 };
    else if (lastMessage && lastMessage.id === id && lastMessage.until > Date.now()) message = lastMessage;
    const detail = await base.getJson(config.incidentUrl.replace("{id}", id));
    if (selected !== id) return;
    const box = card();
    if (!detail) { closeCard(); return; }
    const type = types[detail.type] || { colour: "#737373", label: detail.type_name };
    const active = detail.assignments.filter((a) => !a.released_at);
    const next = (config.transitions[detail.status] || []).filter((s) => s !== "dispatched");
    const dup = detail.duplicate_of
      ? `<p class="dup-note">${escapeHtml(text.duplicateOf)} <a href="#" data-select="${detail.duplicate_of}">#${detail.duplicate_of}</a></p>` : "";
    box.dataset.incidentId = String(detail.id);
    box.dataset.status = detail.status;
    box.innerHTML =
      `<div class="card-head"><span class="prio p${detail.priority}">${detail.priority}</span>` +
      `<strong style="color:${type.colour}">#${detail.id} ${escapeHtml(detail.type_name || type.label)}</strong>` +
      `<button type="button" class="x" title="${escapeHtml(text.close)}" aria-label="${escapeHtml(text.close)}">×</button></div>` +
      `<p class="small"><span class="st st-${escapeHtml(detail.status)}" id="card-status">${escapeHtml(label(statuses, detail.status))}</span> · ` +
      `${escapeHtml(window.saqshyFormat.time(detail.reported_at))} (${ageText(detail.reported_at)} ${escapeHtml(text.ago)})</p>` +
      `<p>${escapeHtml(detail.address || "")}${detail.description ? `<br><span class="small">${escapeHtml(detail.description)}</span>` : ""}</p>` +
      dup +
      (message ? `<p class="card-msg ${message.ok ? "ok" : "bad"}" role="status">${escapeHtml(message.text)}</p>` : "") +
      (active.length ? `<p class="small"><strong>${escapeHtml(text.assigned)}:</strong> ` +
        active.map((a) => {
          const unit = units.get(a.unit);
          const st = unit ? unit.data.status : "";
          return `<span class="assigned" data-unit-id="${a.unit}" data-status="${escapeHtml(st)}">${escapeHtml(a.call_sign)} <span class="muted">(${escapeHtml(label(unitStatuses, st))})</span></span>`;
        }).join(", ") + "</p>" : "") +
      (config.canDispatch && next.length ? `<div class="card-actions">` + next.map((s) =>
        `<button type="button" data-advance="${s}" class="${s === "closed" || s === "cancelled" ? "final" : ""}">${escapeHtml(text.actions[s] || label(statuses, s))}</button>`).join("") + "</div>" : "") +
      `<div id="recommendations"></div>` +
      `<p class="small"><a href="${config.incidentPage.replace("{id}", detail.id)}">${escapeHtml(text.details)}</a></p>`;
    box.hidden = false;
    box.querySelector(".x").addEventListener("click", closeCard);
    box.querySelectorAll("[data-select]").forEach((a) => a.addEventListener("click", (e) => {
      e.preventDefault(); select(Number(a.dataset.select));
    }));
    box.querySelectorAll("[data-advance]").forEach((button) => button.addEventListener("click", () => advance(detail, button)));
    if (OPEN.includes(detail.status)) drawRoutes(detail);
    if (config.canDispatch && OPEN.includes(detail.status) && detail.status !== "on_scene") {
      await renderRecommendations(detail);
    }
  }

  async function renderRecommendations(detail) {
    const holder = document.getElementById("recommendations");
    if (!holder) return;
    holder.innerHTML = `<p class="muted small">${escapeHtml(text.loading)}</p>`;
    const result = await base.getJson(config.recommendationsUrl.replace("{id}", detail.id));
    if (selected !== detail.id || !document.getElementById("recommendations")) return;
    if (!result) { holder.innerHTML = ""; return; }
    const missing = Object.entries(result.missing || {});
    /* The suggested units and the next few of each kind up front; the rest folded away. */
    const shown = [];
    const more = [];
    const perKind = {};
    result.recommended.forEach((c) => {
      perKind[c.kind] = (perKind[c.kind] || 0) + 1;
      (c.suggested || perKind[c.kind] <= SHOW_PER_KIND ? shown : more).push(c);
    });
    holder.innerHTML =
      `<h4>${escapeHtml(text.recommended)}</h4>` +
      (result.recommended.length
        ? `<form class="cands" id="dispatch-form"><ol class="cand-list">${shown.map((c) => candidateRow(c, c.suggested)).join("")}</ol>` +
          (more.length ? `<details><summary>${escapeHtml(text.more)} (${more.length})</summary><ol class="cand-list">${more.map((c) => candidateRow(c, false)).join("")}</ol></details>` : "") +
          `<button type="submit" class="primary" id="dispatch-button">${escapeHtml(text.dispatch)}</button></form>`
        : `<p class="muted small">${escapeHtml(text.noUnits)}</p>`) +
      (missing.length ? `<p class="small bad">${escapeHtml(text.missing)}: ${missing.map(([k, n]) => `${n} × ${escapeHtml(label(unitKinds, k))}`).join(", ")}</p>` : "") +
      (result.others.length ? `<details><summary>${escapeHtml(text.others)} (${result.others.length})</summary>` +
        `<ol class="cand-list others">${result.others.slice(0, 30).map((c) => candidateRow(c, false)).join("")}</ol></details>` : "");
    const form = document.getElementById("dispatch-form");
    if (form) form.addEventListener("submit", (e) => { e.preventDefault(); dispatchChosen(detail, form); });
  }

  async function dispatchChosen(detail, form) {
    const chosen = [...form.querySelectorAll("input[name=unit]:checked")].map((i) => Number(i.value));
    if (!chosen.length) return;
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    const answer = await send(config.dispatchUrl.replace("{id}", detail.id), { units: chosen });
    if (answer.ok) {
      upsertIncident(answer.payload);
      renderQueue();
      await drawRoutes(answer.payload);
      const names = answer.payload.assignments.filter((a) => chosen.includes(a.unit)).map((a) => a.call_sign);
      await renderCard({ ok: true, text: `${text.dispatched}: ${names.join(", ")}` });
      card().scrollIntoView({ block: "start" });
    } else {
      await renderCard({ ok: false, text: problem(answer.payload) });
      card().scrollIntoView({ block: "start" });
    }
  }

  async function advance(detail, button) {
    /* Closing or cancelling cannot be undone: the first click arms the button, the second sends. */
    if (button.classList.contains("final") && !button.classList.contains("armed")) {
      button.classList.add("armed");
      button.textContent = `${button.textContent} ✓?`;
      setTimeout(() => { if (button.isConnected) renderCard(); }, 5000);
      return;
    }
    button.disabled = true;
    const answer = await send(config.advanceUrl.replace("{id}", detail.id), { status: button.dataset.advance });
    if (answer.ok) {
      upsertIncident(answer.payload);
      renderQueue();
      if (!OPEN.includes(answer.payload.status)) { closeCard(); return; }
      await renderCard();
    } else {
      await renderCard({ ok: false, text: problem(answer.payload) });
    }
  }

  /* Live changes */
  let cardTimer = null;
  function refreshCardSoon() {
    clearTimeout(cardTimer);
    cardTimer = setTimeout(() => renderCard(), 400);
  }

  document.addEventListener("saqshy:change", (event) => {
    const message = event.detail;
    if (message.topic === "incident") {
      const before = incidents.get(message.id);
      const was = before ? before.data.status : null;
      if (message.op === "deleted") removeIncident(message.id);
      else upsertIncident(message.data);
      renderQueue();
      if (message.data && MOVING.includes(message.data.status) && was !== message.data.status) {
        drawRoutes(message.data);
      }
      if (message.id === selected) {
        if (!incidents.has(message.id)) closeCard(); else refreshCardSoon();
      }
      const type = message.data ? label(types, message.data.type) : "";
      base.addToFeed(message, `${text.incident} #${message.id} ${type} · ${message.data ? label(statuses, message.data.status) : ""}`);
    } else if (message.topic === "unit") {
      let changed = false;
      if (message.op === "deleted") {
        removeUnit(message.id);
        changed = true;
      } else {
        changed = upsertUnit(message.data);
      }
      if (changed) {
        renderUnitSummary();
        if (selected != null) refreshCardSoon();
        if (message.data) {
          base.addToFeed(message, `${text.unit} ${message.data.call_sign} · ${label(unitStatuses, message.data.status)}`);
        }
      }
    }
  });

  function toggle(id, layers) {
    const box = document.getElementById(id);
    if (!box) return;
    box.addEventListener("change", () => layers.forEach((layer) => {
      if (box.checked) map.addLayer(layer); else map.removeLayer(layer);
    }));
  }
  toggle("layer-incidents", [incidentsLayer, linksLayer, routesLayer]);
  toggle("layer-units", [unitsLayer]);

  /* Hotspot forecast: the region's latest forecast as a heat layer of grid cells, loaded on demand. */
  const forecastLayer = L.layerGroup();
  let forecastLoaded = false;
  async function loadForecast() {
    forecastLoaded = true;
    const info = document.getElementById("forecast-info");
    const list = await base.getJson(config.forecastsUrl);
    const latest = list && list.results && list.results[0];
    if (!latest) { info.textContent = text.noForecast; return; }
    const cells = await base.getJson(config.forecastCellsUrl.replace("{id}", latest.id));
    if (!cells || !cells.features.length) return;
    const top = cells.features[0].properties.score || 1;
    L.geoJSON(cells, {
      interactive: false,
      style: (f) => {
        const share = Math.min(1, f.properties.score / top);
        return { stroke: false, fillColor: share > 0.5 ? "#b10026" : share > 0.2 ? "#fc4e2a" : "#feb24c", fillOpacity: 0.25 + 0.45 * share };
      },
    }).addTo(forecastLayer);
    info.textContent = `${latest.model_name}, ${text.trainedUntil} ${latest.trained_until}`;
    document.getElementById("map").dataset.forecastCells = String(cells.features.length);
  }
  const forecastBox = document.getElementById("layer-forecast");
  if (forecastBox) {
    forecastBox.addEventListener("change", () => {
      if (forecastBox.checked) {
        map.addLayer(forecastLayer);
        if (!forecastLoaded) loadForecast();
      } else {
        map.removeLayer(forecastLayer);
      }
    });
  }

  /* Patrol plan: the region's latest plan, each crew's stops in order as a numbered route. */
  const patrolLayer = L.layerGroup();
  const CREW_COLOURS = ["#2166ac", "#1b7837", "#762a83", "#b35806", "#01665e", "#8c510a", "#c51b7d", "#4d4d4d"];
  let patrolLoaded = false;
  async function loadPatrols() {
    patrolLoaded = true;
    const info = document.getElementById("patrol-info");
    const list = await base.getJson(config.patrolPlansUrl);
    const plan = list && list.results && list.results[0];
    if (!plan) { info.textContent = text.noPatrolPlan; return; }
    const stops = await base.getJson(config.patrolStopsUrl.replace("{id}", plan.id));
    if (!stops) return;
    const crews = new Map();
    stops.forEach((s) => { if (!crews.has(s.crew)) crews.set(s.crew, []); crews.get(s.crew).push(s); });
    const time = (iso) => window.saqshyFormat.time(iso);
    /* Stops only, coloured by crew; clicking a stop draws that crew's night in order (all
       routes at once would cover the city in lines). */
    const route = L.layerGroup().addTo(patrolLayer);
    [...crews.entries()].forEach(([crew, rows], n) => {
      const colour = CREW_COLOURS[n % CREW_COLOURS.length];
      rows.sort((a, b) => a.order - b.order);
      const show = () => {
        route.clearLayers();
        L.polyline(rows.map((r) => [r.lat, r.lon]), { color: colour, weight: 3, opacity: 0.85, interactive: false }).addTo(route);
        rows.forEach((r) => L.marker([r.lat, r.lon], {
          icon: L.divIcon({ className: "stop-icon", html: `<span style="background:${colour}">${r.order}</span>`, iconSize: [18, 18] }),
          interactive: false,
        }).addTo(route));
      };
      rows.forEach((r) => {
        L.circleMarker([r.lat, r.lon], { radius: 5, color: "#fff", weight: 1, fillColor: colour, fillOpacity: 0.95 })
          .bindTooltip(`${escapeHtml(crew)} · ${escapeHtml(text.stop)} ${r.order} · ${time(r.arrive_at)}–${time(r.leave_at)}`)
          .on("click", show)
          .addTo(patrolLayer);
      });
    });
    info.innerHTML = `<a href="${config.patrolSheetUrl.replace("{id}", plan.id)}">${escapeHtml(plan.name)}</a>`;
    document.getElementById("map").dataset.patrolStops = String(stops.length);
  }
  const patrolBox = document.getElementById("layer-patrols");
  if (patrolBox) {
    patrolBox.addEventListener("change", () => {
      if (patrolBox.checked) {
        map.addLayer(patrolLayer);
        if (!patrolLoaded) loadPatrols();
      } else {
        map.removeLayer(patrolLayer);
      }
    });
  }

  const queue = document.getElementById("queue");
  if (queue) queue.dataset.empty = (document.getElementById("queue-empty") || {}).textContent || "";
  setInterval(renderQueue, 30000);
  window.saqshyOps = { incidents, units, routes, select };

  /* The open incidents and the units as they are now, replacing what the map shows; map.js
     runs this after every (re)connect, then applies the changes that arrived meanwhile. */
  let firstSync = true;
  async function syncOps() {
    if (config.seeUnits) await loadUnits();
    if (config.seeIncidents) await loadIncidents();
    if (selected != null) refreshCardSoon(); // the card re-reads its incident, closed or not
    document.getElementById("map").dataset.opsLoaded = "1";
    if (!firstSync) return;
    firstSync = false;
    /* "Show on the map" links from the incident pages: /?incident=ID */
    const wanted = Number(new URLSearchParams(location.search).get("incident"));
    if (wanted && config.seeIncidents) {
      const known = incidents.get(wanted);
      if (known) map.setView([known.data.lat, known.data.lon], 16);
      select(wanted);
    }
  }
  base.onSync(syncOps);
})();
