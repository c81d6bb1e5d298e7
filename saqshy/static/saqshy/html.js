/* The one way our scripts put text into HTML: escapeHtml for a value, and the html`...`
   tagged template, which escapes every interpolated value unless it is already html`...`.
   Loaded before every other script of ours (window.saqshyHtml). */
(function () {
  "use strict";
  const ENTITIES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

  function escapeHtml(value) {
    return String(value ?? "").replace(/[&<>"']/g, (c) => ENTITIES[c]);
  }

  class SafeHtml {
    constructor(text) { this.text = text; }
    toString() { return this.text; }
  }

  function piece(value) {
    if (value instanceof SafeHtml) return value.text;
    if (Array.isArray(value)) return value.map(piece).join("");
    return escapeHtml(value);
  }

  function html(strings, ...values) {
    let out = strings[0];
    values.forEach((value, i) => { out += piece(value) + strings[i + 1]; });
    return new SafeHtml(out);
  }

  window.saqshyHtml = { escapeHtml, html, SafeHtml };
})();

/* Dates and times as the product writes them in every language: dd.mm.yyyy and 24-hour
   times (hourCycle "h23"), in the page's language and the deployment's time zone
   (<html data-time-zone>, else the browser's). window.saqshyFormat.date / time / dateTime /
   timeSeconds take a Date, an ISO string or milliseconds. */
(function () {
  "use strict";
  const lang = document.documentElement.lang || undefined;
  const zone = document.documentElement.dataset.timeZone || undefined;
  const cache = new Map();

  function formatter(kind) {
    if (cache.has(kind)) return cache.get(kind);
    const date = { day: "2-digit", month: "2-digit", year: "numeric" };
    const time = { hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
    const options = {
      date,
      time,
      timeSeconds: { ...time, second: "2-digit" },
      dateTime: { ...date, ...time },
    }[kind];
    let made;
    try {
      made = new Intl.DateTimeFormat(lang, { ...options, timeZone: zone });
    } catch (e) {
      made = new Intl.DateTimeFormat(lang, options);
    }
    cache.set(kind, made);
    return made;
  }

  /* Intl puts "/" or "," between the parts in some languages (en): the product writes
     dd.mm.yyyy HH:MM everywhere, so the parts are joined here. */
  function parts(kind, value) {
    const when = value instanceof Date ? value : new Date(value);
    if (Number.isNaN(when.getTime())) return "";
    const got = Object.fromEntries(formatter(kind).formatToParts(when).map((p) => [p.type, p.value]));
    const day = `${got.day}.${got.month}.${got.year}`;
    const clock = `${got.hour}:${got.minute}${got.second ? `:${got.second}` : ""}`;
    if (kind === "date") return day;
    if (kind === "dateTime") return `${day} ${clock}`;
    return clock;
  }

  window.saqshyFormat = {
    date: (value) => parts("date", value),
    time: (value) => parts("time", value),
    timeSeconds: (value) => parts("timeSeconds", value),
    dateTime: (value) => parts("dateTime", value),
  };
})();

/* Leaflet writes its controls' titles in English ("Zoom in"): on a page whose i18n blob
   carries them (the map's #map-i18n), they are put in the page's language once the page's
   scripts have made their maps. */
document.addEventListener("DOMContentLoaded", () => {
  "use strict";
  const blob = document.getElementById("map-i18n");
  if (!blob) return;
  const text = JSON.parse(blob.textContent);
  const label = (selector, value) => {
    if (!value) return;
    document.querySelectorAll(selector).forEach((el) => {
      el.title = value;
      el.setAttribute("aria-label", value);
    });
  };
  label(".leaflet-control-zoom-in", text.zoomIn);
  label(".leaflet-control-zoom-out", text.zoomOut);
  document.querySelectorAll(".leaflet-control-attribution a[title]").forEach((a) => { a.title = text.leafletTitle || ""; });
});
