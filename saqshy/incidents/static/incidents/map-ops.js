/* The incidents app's part of the situation map, shared by its layer modules (units, routes,
   incidents, the desk, call attention, keys): the configuration and words, the incidents and
   units known to the page, and a small event bus between the modules. Loaded first of them. */
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("ops-config").textContent);
  const text = JSON.parse(document.getElementById("ops-i18n").textContent);
  const byValue = (list) => Object.fromEntries((list || []).map((item) => [item.value, item]));
  const handlers = {};

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

  /* A server-rendered partial (already escaped by Django's templates) as nodes. */
  async function partial(url) {
    const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } });
    if (!response.ok) return null;
    const holder = document.createElement("template");
    holder.innerHTML = await response.text();
    return holder.content.firstElementChild;
  }

  window.saqshyOps = {
    config,
    text,
    types: byValue(config.types),
    priorities: byValue(config.priorities),
    statuses: byValue(config.statuses),
    unitKinds: byValue(config.unitKinds),
    unitStatuses: byValue(config.unitStatuses),
    OPEN: ["new", "dispatched", "en_route", "on_scene"],
    MOVING: ["dispatched", "en_route"],
    incidents: new Map(), // id -> {data, marker}
    units: new Map(), // id -> {data, marker}
    selected: null,
    label(table, value) { return (table[value] || { label: value }).label; },
    send,
    problem,
    partial,
    on(name, fn) { (handlers[name] = handlers[name] || []).push(fn); },
    emit(name, detail) { (handlers[name] || []).forEach((fn) => fn(detail)); },
  };
})();
