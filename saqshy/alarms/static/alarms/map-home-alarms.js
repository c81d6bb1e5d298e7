/* Situation map layers of the home fire-alarm programme: open alarm incidents at homes (a
   point linked to the incident, no personal data), offline sensors (per district at low
   zoom, points when zoomed in) and sensor coverage per district. Live: incidents and device
   status changes reload the layer they touch. */
(function () {
  "use strict";
  const base = window.saqshyMap;
  const { map, escapeHtml } = base;
  const node = document.getElementById("ops-config");
  const cfg = node ? (JSON.parse(node.textContent).homeAlarms || null) : null;
  if (!cfg) return;
  const t = cfg.text;

  const homesLayer = L.layerGroup();
  const offlineLayer = L.layerGroup();
  const coverageLayer = L.layerGroup();

  function setCount(id, n) { const el = document.getElementById(id); if (el) el.textContent = String(n); }

  function debounce(fn, ms) {
    let timer = null;
    return () => { clearTimeout(timer); timer = setTimeout(fn, ms); };
  }

  async function loadHomes() {
    const data = await base.getJson(cfg.alarmHomesUrl);
    if (!data) return;
    homesLayer.clearLayers();
    data.results.forEach((row) => {
      if (row.lat == null || row.lon == null) return;
      const url = cfg.incidentUrl.replace("{id}", String(Number(row.id)));
      const when = row.reported_at ? window.saqshyFormat.dateTime(new Date(row.reported_at)) : "";
      // An exercise alarm: hollow and dashed, and said in words in its popup.
      const exercise = row.is_exercise === true;
      const mark = exercise ? ` · ${escapeHtml(t.exercise)}` : "";
      L.circleMarker([row.lat, row.lon], {
        pane: base.pane("incidents"), keyboard: false, radius: 9, weight: exercise ? 3 : 2,
        color: exercise ? "#d7301f" : "#fff", dashArray: exercise ? "3 3" : null,
        fillColor: exercise ? "#fff" : "#d7301f", fillOpacity: 0.95,
        className: exercise ? "exercise-marker" : "",
      }).bindPopup(`<strong>${escapeHtml(t.alarm)}${mark}</strong><br>${escapeHtml(when)}` +
        `<br><a href="${escapeHtml(url)}">${escapeHtml(t.open)}</a>`).addTo(homesLayer);
    });
    setCount("home-alarms-count", data.results.length);
  }

  async function loadOffline() {
    if (!map.hasLayer(offlineLayer)) return;
    const url = `${cfg.offlineUrl}?zoom=${map.getZoom()}&bbox=${base.viewBox(0)}`;
    const data = await base.getJson(url);
    if (!data) return;
    offlineLayer.clearLayers();
    let total = 0;
    data.results.forEach((row) => {
      if (data.mode === "points") {
        total += 1;
        const since = row.last_heartbeat ? window.saqshyFormat.dateTime(new Date(row.last_heartbeat)) : "—";
        L.circleMarker([row.lat, row.lon], {
          pane: base.pane("places"), keyboard: false, radius: 5, color: "#7f0000", weight: 1,
          fillColor: "#fc8d59", fillOpacity: 0.9,
        }).bindPopup(`<strong>${escapeHtml(row.serial)}</strong><br>${escapeHtml(t.offlineSince)}: ${escapeHtml(since)}`)
          .addTo(offlineLayer);
      } else {
        total += row.count;
        const icon = L.divIcon({
          className: "home-alarm-count", iconSize: [34, 34],
          html: `<span style="display:block;width:34px;height:34px;line-height:34px;border-radius:50%;background:#fc8d59;color:#000;border:2px solid #7f0000;text-align:center;font-weight:bold">${Number(row.count)}</span>`,
        });
        L.marker([row.lat, row.lon], { icon, keyboard: false, pane: base.pane("places") })
          .bindPopup(`<strong>${escapeHtml(row.district)}</strong><br>${escapeHtml(t.offline)}: ${Number(row.count)}`)
          .addTo(offlineLayer);
      }
    });
    setCount("offline-devices-count", total);
  }

  function shade(share) {
    const steps = ["#edf8e9", "#bae4b3", "#74c476", "#31a354", "#006d2c"];
    return steps[Math.min(steps.length - 1, Math.floor(share * steps.length))];
  }

  async function loadCoverage() {
    if (!map.hasLayer(coverageLayer)) return;
    const data = await base.getJson(cfg.coverageUrl);
    if (!data) return;
    coverageLayer.clearLayers();
    const most = Math.max(1, ...data.features.map((f) => f.properties.installed));
    L.geoJSON(data, {
      pane: base.pane("areas"),
      style: (f) => ({ color: "#006d2c", weight: 1, fillColor: shade(f.properties.installed / most), fillOpacity: 0.45 }),
      onEachFeature: (f, layer) => layer.bindPopup(
        `<strong>${escapeHtml(f.properties.name)}</strong><br>${Number(f.properties.installed)} ${escapeHtml(t.installed)}` +
        `<br>${escapeHtml(t.offline)}: ${Number(f.properties.offline)}`),
    }).addTo(coverageLayer);
  }

  function toggle(boxId, layer, load) {
    const box = document.getElementById(boxId);
    if (!box) return;
    const apply = () => {
      if (box.checked) { map.addLayer(layer); load(); } else map.removeLayer(layer);
    };
    box.addEventListener("change", apply);
    if (box.checked) map.addLayer(layer);
    base.layer({ id: boxId, box: boxId, night: false, visible: () => map.hasLayer(layer) });
  }

  if (cfg.seeIncidents) {
    toggle("layer-home-alarms", homesLayer, loadHomes);
    const reloadHomes = debounce(loadHomes, 500);
    base.onChange("incident", reloadHomes);
    base.onSync(loadHomes);
  }
  if (cfg.seeDevices) {
    toggle("layer-offline-devices", offlineLayer, loadOffline);
    toggle("layer-sensor-coverage", coverageLayer, loadCoverage);
    const reloadDevices = debounce(() => { loadOffline(); loadCoverage(); }, 1000);
    base.onChange("device", reloadDevices);
    map.on("moveend", debounce(loadOffline, 300));
    base.onSync(() => { loadOffline(); loadCoverage(); });
  }
})();
