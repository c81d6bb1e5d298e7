/* Situation map layer: the region's latest patrol plan, each crew's stops in order as a
   numbered route, loaded on demand. */
(function () {
  "use strict";
  const base = window.saqshyMap;
  const { map, escapeHtml } = base;
  const config = JSON.parse(document.getElementById("ops-config").textContent);
  const text = JSON.parse(document.getElementById("ops-i18n").textContent);
  const box = document.getElementById("layer-patrols");
  if (!box) return;
  const patrolLayer = L.layerGroup();
  const CREW_COLOURS = ["#2166ac", "#1b7837", "#762a83", "#b35806", "#01665e", "#8c510a", "#c51b7d", "#4d4d4d"];
  let loaded = false;

  async function loadPatrols() {
    loaded = true;
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
          icon: L.divIcon({ className: "stop-icon", html: `<span style="background:${colour}">${Number(r.order)}</span>`, iconSize: [18, 18] }),
          interactive: false,
          keyboard: false,
          pane: base.pane("places"),
        }).addTo(route));
      };
      rows.forEach((r) => {
        L.circleMarker([r.lat, r.lon], { radius: 5, color: "#fff", weight: 1, fillColor: colour, fillOpacity: 0.95 })
          .bindTooltip(`${escapeHtml(crew)} · ${escapeHtml(text.stop)} ${Number(r.order)} · ${time(r.arrive_at)}–${time(r.leave_at)}${r.address ? ` · ${escapeHtml(r.address)}` : ""}`)
          .on("click", show)
          .addTo(patrolLayer);
      });
    });
    const link = document.createElement("a");
    link.href = config.patrolSheetUrl.replace("{id}", plan.id);
    link.textContent = plan.name;
    info.replaceChildren(link);
    document.getElementById("map").dataset.patrolStops = String(stops.length);
  }

  box.addEventListener("change", () => {
    if (box.checked) {
      map.addLayer(patrolLayer);
      if (!loaded) loadPatrols();
    } else {
      map.removeLayer(patrolLayer);
    }
  });
  base.layer({ id: "patrols", box: "layer-patrols", night: false, visible: () => map.hasLayer(patrolLayer) });
})();
