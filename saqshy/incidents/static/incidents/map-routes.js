/* Situation map layer: the road routes of dispatched units to their incident. */
(function () {
  "use strict";
  const base = window.saqshyMap;
  const ops = window.saqshyOps;
  const { map } = base;
  const { config, units, incidents, unitKinds, MOVING } = ops;
  const routesLayer = L.layerGroup().addTo(map);
  const svg = L.svg({ pane: base.pane("routes") }); // routes as SVG paths (the rest draws on a canvas)
  const routes = new Map(); // unit id -> {incident, line}

  function count() { document.getElementById("map").dataset.routes = String(routesLayer.getLayers().length); }

  function dropRoute(unitId) {
    const route = routes.get(unitId);
    if (!route) return;
    if (route.line) routesLayer.removeLayer(route.line);
    routes.delete(unitId);
    count();
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
    count();
    return answer;
  }

  /* The routes of an incident's moving units (its assignments read when not known yet). */
  ops.drawRoutes = async function drawRoutes(incident) {
    const detail = incident.assignments ? incident : await base.getJson(config.incidentUrl.replace("{id}", incident.id));
    if (!detail) return;
    const known = incidents.get(detail.id);
    if (known) known.data = { ...known.data, assignments: detail.assignments };
    await Promise.all(detail.assignments.filter((a) => !a.released_at).map((a) => {
      const unit = units.get(a.unit);
      return unit && MOVING.includes(unit.data.status) ? drawRoute(a.unit, detail) : null;
    }));
  };

  ops.on("unit-still", dropRoute);
  ops.on("incident-removed", (id) => routes.forEach((route, unitId) => { if (route.incident === id) dropRoute(unitId); }));
  ops.routes = routes;

  const box = document.getElementById("layer-routes");
  if (box) box.addEventListener("change", () => { if (box.checked) map.addLayer(routesLayer); else map.removeLayer(routesLayer); });
  base.layer({ id: "routes", box: "layer-routes", night: true, visible: () => map.hasLayer(routesLayer) });
})();
