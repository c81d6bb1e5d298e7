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
