/* The alert form: language tabs (one panel shown at a time; without script all three are
   shown one after another), the area picker showing only the field of the chosen kind, and a
   polygon drawn by clicking the map into the hidden area_polygon field ([[lon, lat], …]).
   Every visible word is in the page's HTML; this script only shows and hides. */
(function () {
  "use strict";

  function tabs() {
    const buttons = Array.from(document.querySelectorAll("[data-tab]"));
    if (!buttons.length) return;
    const panels = Array.from(document.querySelectorAll("[data-panel]"));
    function show(name) {
      buttons.forEach((b) => b.setAttribute("aria-selected", String(b.dataset.tab === name)));
      panels.forEach((p) => { p.hidden = p.dataset.panel !== name; });
    }
    buttons.forEach((b) => b.addEventListener("click", (event) => { event.preventDefault(); show(b.dataset.tab); }));
    document.getElementById("language-tabs").hidden = false;
    const withError = panels.find((p) => p.querySelector(".errorlist"));
    show(withError ? withError.dataset.panel : buttons[0].dataset.tab);
  }

  function areaPicker() {
    const radios = Array.from(document.querySelectorAll("input[name=area_kind]"));
    const parts = Array.from(document.querySelectorAll("[data-area]"));
    function sync() {
      const chosen = (radios.find((r) => r.checked) || {}).value;
      parts.forEach((part) => { part.hidden = !part.dataset.area.split(" ").includes(chosen); });
      if (chosen === "drawn" && drawn.map) drawn.map.invalidateSize();
    }
    radios.forEach((r) => r.addEventListener("change", sync));
    const drawn = drawing();
    sync();
  }

  function drawing() {
    const element = document.getElementById("area-map");
    const field = document.getElementById("id_area_polygon");
    if (!element || !field || typeof L === "undefined") return {};
    const config = JSON.parse(document.getElementById("picker-config").textContent);
    const centre = config.centre || [48.0, 68.0];
    const map = L.map(element).setView(centre, config.centre ? 7 : 4);
    if (window.saqshyBasemap) window.saqshyBasemap.create(map, { tilesUrl: config.tiles, tilesMaxDataZoom: 15, maxZoom: 19 });
    let points = [];
    try { points = JSON.parse(field.value || "[]").map((p) => [p[1], p[0]]); } catch (error) { points = []; }
    if (points.length > 1 && points[0][0] === points[points.length - 1][0] && points[0][1] === points[points.length - 1][1]) points.pop();
    const shape = L.polygon(points, { color: "#d73027", weight: 2 }).addTo(map);
    function store() {
      shape.setLatLngs(points);
      field.value = points.length ? JSON.stringify(points.map((p) => [Number(p[1].toFixed(5)), Number(p[0].toFixed(5))])) : "";
    }
    if (points.length > 2) map.fitBounds(shape.getBounds());
    map.on("click", (event) => { points.push([event.latlng.lat, event.latlng.lng]); store(); });
    const clear = document.getElementById("area-clear");
    if (clear) clear.addEventListener("click", (event) => { event.preventDefault(); points = []; store(); });
    return { map: map };
  }

  function start() { tabs(); areaPicker(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
