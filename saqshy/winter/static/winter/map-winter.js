/* Situation map layers of the winter roads: warming points with their free places, open
   stranded reports (people, children, where they are sent) and units on standby. Every text
   comes from the page's ops-config (winterText) and every value is escaped. Reloads on every
   point, report or standby change and after every (re)connect. */
(function () {
  "use strict";
  const base = window.saqshyMap;
  const { map, escapeHtml } = base;
  const config = JSON.parse(document.getElementById("ops-config").textContent);
  const URL = config.winterUrl;
  if (!URL) return;
  const words = config.winterText || {};
  const layers = {
    points: L.layerGroup().addTo(map),
    stranded: L.layerGroup().addTo(map),
    standby: L.layerGroup().addTo(map),
  };
  const link = (href) => `<br><a href="${href}">${escapeHtml(words.details || "")}</a>`;

  function point(p) {
    const places = p.is_open
      ? `${Number(p.free_places)} / ${Number(p.capacity)} ${escapeHtml(words.free || "")}`
      : escapeHtml(words.closed || "");
    L.circleMarker([p.lat, p.lon], { radius: 8, color: "#fff", weight: 2, fillColor: p.colour, fillOpacity: 0.95, keyboard: false, pane: base.pane("places") })
      .bindTooltip(`${escapeHtml(p.name)}: ${places}`)
      .bindPopup(() => `<strong>${escapeHtml(p.name)}</strong><br>${escapeHtml(p.address)}<br>${places}` + link(`/winter/points/${Number(p.id)}/`))
      .addTo(layers.points);
  }

  function stranded(r) {
    const who = `${Number(r.people)} ${escapeHtml(words.people || "")}, ${Number(r.children)} ${escapeHtml(words.children || "")}`;
    L.circleMarker([r.lat, r.lon], { radius: 9, color: "#000", weight: 2, fillColor: r.colour, fillOpacity: 0.95, keyboard: false, pane: base.pane("places") })
      .bindTooltip(`${escapeHtml(r.location)}: ${who}`)
      .bindPopup(() => `<strong>${escapeHtml(r.location)}</strong><br>${who}<br>${escapeHtml(r.status_label)}` +
        (r.point ? `<br>${escapeHtml(words.sentTo || "")}: ${escapeHtml(r.point)}` : "") + link(`/winter/stranded/${Number(r.id)}/`))
      .addTo(layers.stranded);
  }

  function standby(s) {
    L.circleMarker([s.lat, s.lon], { radius: 6, color: "#fff", weight: 1.5, fillColor: s.colour, fillOpacity: 0.9, keyboard: false, pane: base.pane("places") })
      .bindTooltip(`${escapeHtml(s.call_sign)} · ${escapeHtml(s.equipment)}`)
      .bindPopup(() => `<strong>${escapeHtml(s.call_sign)}</strong><br>${escapeHtml(s.equipment)} · ${escapeHtml(s.readiness)}<br>${escapeHtml(words.base || "")}: ${escapeHtml(s.base)}`)
      .addTo(layers.standby);
  }

  function count(id, n) {
    const el = document.getElementById(id);
    if (el) el.textContent = n;
  }

  async function load() {
    const data = await base.getJson(URL);
    if (!data) return;
    Object.values(layers).forEach((layer) => layer.clearLayers());
    data.points.forEach(point);
    data.stranded.forEach(stranded);
    data.standby.forEach(standby);
    count("winter-points-count", data.points.length);
    count("winter-stranded-count", data.stranded.length);
    count("winter-standby-count", data.standby.length);
  }

  ["warmingpoint", "strandedreport", "standby"].forEach((topic) => base.onChange(topic, (message) => {
    load();
    if (topic === "strandedreport") {
      const people = message.data && message.data.people ? ` (${Number(message.data.people)} ${words.people || ""})` : "";
      base.addToFeed(message, `${words.stranded || ""}${people}`);
    }
  }));
  [["points", "layer-winter-points"], ["stranded", "layer-winter-stranded"], ["standby", "layer-winter-standby"]].forEach(([key, id]) => {
    const box = document.getElementById(id);
    if (box) box.addEventListener("change", () => { if (box.checked) map.addLayer(layers[key]); else map.removeLayer(layers[key]); });
    base.layer({ id: `winter-${key}`, box: id, night: false, visible: () => map.hasLayer(layers[key]) });
  });
  base.onSync(load);
})();
