/* The camera pages: the form's map (a click sets the camera's place, the next corner of the
   watched area or the ground point of the chosen calibration row), the detail page's map of
   the camera and its watched area, and its density chart with the two norm lines.
   Words come from the page's i18n blobs (picker-i18n, density-i18n); no inline script. */
(function () {
  "use strict";
  const TILES = "/tiles/{z}/{x}/{y}.mvt";
  const read = (id) => {
    const element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  };
  const number = (id) => {
    const element = document.getElementById(id);
    return element ? parseFloat(element.value) : NaN;
  };
  const AREA_STYLE = { color: "#0b57d0", weight: 2, fillOpacity: 0.15 };

  function basemap(map, url) {
    if (window.saqshyBasemap) window.saqshyBasemap.create(map, { tilesUrl: url || TILES, tilesMaxDataZoom: 15, maxZoom: 19 });
  }

  function label(text) {
    const span = document.createElement("span");
    span.textContent = text;
    return span;
  }

  function cameraMark(map, here) {
    return L.marker(here, { icon: L.divIcon({ className: "pin-icon", iconSize: [20, 20] }), keyboard: false }).addTo(map);
  }

  // --- the form ---------------------------------------------------------------------------
  function formMap(box) {
    const config = read("picker-config") || {};
    const words = read("picker-i18n") || {};
    const lat = document.getElementById("id_lat"), lon = document.getElementById("id_lon");
    const area = document.getElementById("id_watched_area");
    const centre = config.centre || [51.128, 71.43];
    const start = [parseFloat(lat.value) || centre[0], parseFloat(lon.value) || centre[1]];
    const map = L.map(box).setView(start, lat.value ? 17 : 12);
    basemap(map, config.tiles);

    let camera = lat.value && lon.value ? cameraMark(map, start) : null;
    function placeCamera(latlng) {
      lat.value = latlng.lat.toFixed(6);
      lon.value = latlng.lng.toFixed(6);
      if (camera) camera.setLatLng(latlng); else camera = cameraMark(map, latlng);
    }
    const follow = () => {
      const here = [parseFloat(lat.value), parseFloat(lon.value)];
      if (!Number.isFinite(here[0]) || !Number.isFinite(here[1])) return;
      if (camera) camera.setLatLng(here); else camera = cameraMark(map, here);
      map.setView(here, Math.max(map.getZoom(), 17));
    };
    lat.addEventListener("change", follow);
    lon.addEventListener("change", follow);

    // The watched area: corners as [lon, lat], written to the hidden field as a closed polygon.
    let corners = [];
    try {
      const stored = JSON.parse(area.value || "null");
      if (stored && stored.type === "Polygon") corners = stored.coordinates[0].slice(0, -1);
    } catch (error) { corners = []; }
    const shape = L.layerGroup().addTo(map);
    function drawArea() {
      shape.clearLayers();
      const latlngs = corners.map(([x, y]) => [y, x]);
      if (latlngs.length >= 3) L.polygon(latlngs, AREA_STYLE).addTo(shape);
      else if (latlngs.length === 2) L.polyline(latlngs, AREA_STYLE).addTo(shape);
      latlngs.forEach((here, i) => L.circleMarker(here, { radius: 4, color: "#0b57d0", keyboard: false })
        .bindTooltip(label(`${words.corner || ""} ${i + 1}`)).addTo(shape));
      area.value = corners.length >= 3 ? JSON.stringify({ type: "Polygon", coordinates: [[...corners, corners[0]]] }) : "";
      const counter = document.getElementById("area-corners");
      if (counter) counter.textContent = String(corners.length);
    }
    drawArea();
    if (corners.length >= 3) map.fitBounds(corners.map(([x, y]) => [y, x]), { padding: [30, 30], maxZoom: 18 });
    document.getElementById("area-undo").addEventListener("click", () => { corners.pop(); drawArea(); });
    document.getElementById("area-clear").addEventListener("click", () => { corners = []; drawArea(); });

    // The calibration's ground points, one numbered marker per filled row.
    const grounds = L.layerGroup().addTo(map);
    function drawGround() {
      grounds.clearLayers();
      for (const n of [1, 2, 3, 4]) {
        const here = [number(`id_ground_lat_${n}`), number(`id_ground_lon_${n}`)];
        if (!Number.isFinite(here[0]) || !Number.isFinite(here[1])) continue;
        L.circleMarker(here, { radius: 6, color: "#fff", weight: 2, fillColor: "#d95f02", fillOpacity: 1, keyboard: false })
          .bindTooltip(label(`${words.point || ""} ${n}`), { permanent: true, direction: "right" }).addTo(grounds);
      }
    }
    drawGround();
    for (const n of [1, 2, 3, 4]) {
      for (const id of [`id_ground_lat_${n}`, `id_ground_lon_${n}`]) {
        const input = document.getElementById(id);
        if (input) input.addEventListener("change", drawGround);
      }
    }
    const chosenRow = () => {
      const picked = document.querySelector('input[name="calibration_row"]:checked');
      return picked ? Number(picked.value) : 1;
    };

    map.on("click", (event) => {
      const mode = (document.querySelector('input[name="map_mode"]:checked') || {}).value || "location";
      if (mode === "area") {
        corners.push([Number(event.latlng.lng.toFixed(7)), Number(event.latlng.lat.toFixed(7))]);
        drawArea();
      } else if (mode === "ground") {
        const n = chosenRow();
        document.getElementById(`id_ground_lon_${n}`).value = event.latlng.lng.toFixed(7);
        document.getElementById(`id_ground_lat_${n}`).value = event.latlng.lat.toFixed(7);
        drawGround();
        const next = document.querySelector(`input[name="calibration_row"][value="${(n % 4) + 1}"]`);
        if (next) next.checked = true;
      } else {
        placeCamera(event.latlng);
      }
    });
    box.leafletMap = map;
  }

  // --- the detail page --------------------------------------------------------------------
  function viewMap(box) {
    const here = [parseFloat(box.dataset.lat), parseFloat(box.dataset.lon)];
    const map = L.map(box).setView(here, 17);
    basemap(map);
    cameraMark(map, here);
    const area = read("camera-area");
    if (area) {
      const layer = L.geoJSON(area, { style: AREA_STYLE }).addTo(map);
      map.fitBounds(layer.getBounds().extend(here), { padding: [30, 30], maxZoom: 18 });
    }
    box.leafletMap = map;
  }

  function densityChart(canvas) {
    const chart = read("density-series");
    const words = read("density-i18n") || {};
    const format = window.saqshyFormat;
    const points = chart.readings.filter((r) => r.density !== null).map((r) => ({ x: Date.parse(r.at), y: r.density }));
    // The whole window on the axis, the norms as lines across it.
    const span = [Date.parse(chart.since), Date.parse(chart.until)];
    const line = (value) => [{ x: span[0], y: value }, { x: span[1], y: value }];
    return new Chart(canvas, {
      type: "line",
      data: {
        datasets: [
          { label: words.density, data: points, borderColor: "#0b4f8a", backgroundColor: "#0b4f8a", pointRadius: points.length < 30 ? 3 : 0, tension: 0.1, fill: false },
          { label: words.warning, data: line(chart.warning), borderColor: "#f0a202", borderDash: [6, 4], pointRadius: 0, fill: false },
          { label: words.critical, data: line(chart.critical), borderColor: "#d73027", borderDash: [6, 4], pointRadius: 0, fill: false },
        ],
      },
      options: {
        animation: false,
        parsing: false,
        scales: {
          x: { type: "linear", min: span[0], max: span[1], ticks: { callback: (value) => (format ? format.time(new Date(value)) : "") } },
          y: { beginAtZero: true, suggestedMax: chart.critical + 1 },
        },
        plugins: {
          tooltip: { callbacks: { title: (items) => (items.length && format ? format.dateTime(new Date(items[0].parsed.x)) : "") } },
        },
      },
    });
  }

  function start() {
    const formBox = document.getElementById("camera-form-map");
    if (formBox && typeof L !== "undefined") formMap(formBox);
    const viewBox = document.getElementById("camera-map");
    if (viewBox && typeof L !== "undefined") viewMap(viewBox);
    const canvas = document.getElementById("density-chart");
    if (canvas && typeof Chart !== "undefined") densityChart(canvas);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
