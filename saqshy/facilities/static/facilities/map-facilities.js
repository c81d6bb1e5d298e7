/* Situation map layer: facilities by kind (or by fire-safety clearance), clustered. */
(function () {
  "use strict";
  const base = window.saqshyMap;
  const { map, config, text, escapeHtml } = base;
  const kinds = Object.fromEntries(config.kinds.map((k) => [k.value, k]));
  const clearanceStyle = Object.fromEntries(config.clearance.map((c) => [c.value, c]));
  const cluster = L.markerClusterGroup({ chunkedLoading: true, disableClusteringAtZoom: 17, clusterPane: base.pane("places") });
  map.addLayer(cluster);
  const markers = new Map();
  const hidden = new Set();
  const counts = {};
  let clearance = {};
  let byClearance = false;

  function facilityColour(p) {
    if (byClearance) return (clearanceStyle[clearance[p.id]] || clearanceStyle.never || {}).colour || "#777";
    return (kinds[p.kind] || {}).colour || "#777";
  }

  function facilityPopup(p) {
    const kind = kinds[p.kind] || { label: p.kind };
    const cap = p.capacity ? `<br>${escapeHtml(text.capacity)}: ${escapeHtml(p.capacity)}` : "";
    const state = clearance[p.id] ? `<br>${escapeHtml((clearanceStyle[clearance[p.id]] || {}).label)}` : "";
    return `<strong>${escapeHtml(p.name || kind.label)}</strong><br>${escapeHtml(kind.label)}` +
      `${cap}${state}<br><a href="/facilities/${Number(p.id)}/">${escapeHtml(text.details)}</a>`;
  }

  function upsert(p) {
    let marker = markers.get(p.id);
    if (marker) {
      counts[marker.options.kind] -= 1;
      cluster.removeLayer(marker);
    }
    marker = L.circleMarker([p.lat, p.lon], {
      radius: 7, color: "#fff", weight: 1.5, fillColor: facilityColour(p), fillOpacity: 0.95, kind: p.kind,
    }).bindPopup(() => facilityPopup(p));
    marker.feature = { properties: p };
    markers.set(p.id, marker);
    counts[p.kind] = (counts[p.kind] || 0) + 1;
    if (!hidden.has(p.kind)) cluster.addLayer(marker);
    return marker;
  }

  function remove(id) {
    const marker = markers.get(id);
    if (!marker) return;
    counts[marker.options.kind] -= 1;
    cluster.removeLayer(marker);
    markers.delete(id);
  }

  function recolour() {
    markers.forEach((marker) => marker.setStyle({ fillColor: facilityColour(marker.feature.properties) }));
    cluster.refreshClusters();
  }

  function fromFeature(f) {
    return {
      id: f.id, kind: f.properties.kind, name: f.properties.display_name,
      capacity: f.properties.capacity, lat: f.geometry.coordinates[1], lon: f.geometry.coordinates[0],
    };
  }

  // Legend pieces built as nodes: labels and colours never pass through innerHTML.
  function swatch(colour) {
    const node = document.createElement("span");
    node.className = "swatch";
    node.style.background = colour;
    return node;
  }

  function muted(value) {
    const node = document.createElement("span");
    node.className = "muted";
    node.textContent = String(value);
    return node;
  }

  function renderLegend() {
    const legend = document.getElementById("legend");
    legend.innerHTML = "";
    if (byClearance) {
      config.clearance.forEach((c) => {
        const n = Object.values(clearance).filter((s) => s === c.value).length;
        const item = document.createElement("li");
        item.append(swatch(c.colour), c.label, " ", muted(n));
        legend.appendChild(item);
      });
    } else {
      config.kinds.filter((k) => counts[k.value] > 0).forEach((k) => {
        const item = document.createElement("li");
        item.dataset.legend = `facility-${k.value}`;
        const label = document.createElement("label");
        const box = document.createElement("input");
        box.type = "checkbox";
        box.checked = !hidden.has(k.value);
        box.addEventListener("change", (e) => toggleKind(k.value, e.target.checked));
        label.append(box, swatch(k.colour), k.label, " ", muted(counts[k.value]));
        item.appendChild(label);
        legend.appendChild(item);
      });
    }
    document.getElementById("facility-count").textContent = places.counting() ? places.total() : markers.size;
    document.getElementById("map").dataset.markers = String(markers.size);
  }

  function toggleKind(kind, visible) {
    if (visible) hidden.delete(kind); else hidden.add(kind);
    const layers = [...markers.values()].filter((m) => m.options.kind === kind);
    if (visible) cluster.addLayers(layers); else cluster.removeLayers(layers);
  }

  function clearFacilities() {
    cluster.clearLayers();
    markers.clear();
    Object.keys(counts).forEach((k) => delete counts[k]);
  }

  /* A national scope's thousands of venues: counts per cell at a wide view (map.js). */
  const places = base.placesInView({
    id: "facilities", url: config.facilitiesUrl, clustersUrl: config.facilitiesClustersUrl,
    label: text.facilities, colour: "#3f6f8f", paneName: "places",
    load: (url, isCurrent) => {
      clearFacilities();
      return base.getAll(url, (f) => { if (isCurrent()) upsert(fromFeature(f)); });
    },
    clear: clearFacilities, shown: () => map.hasLayer(cluster),
    loaded: () => renderLegend(),
  });

  function loadFacilities() { return places.load(); }

  let clearanceTimer = null;
  async function loadClearance() {
    clearance = (await base.getJson(config.clearanceUrl)) || {};
    if (byClearance) recolour();
    renderLegend();
  }
  function reloadClearanceSoon() {
    /* A clearance change can unblock or block events too (the events layer listens for the
       same message); bursts (an inspection with several violations, an import) are folded
       into one reload. */
    clearTimeout(clearanceTimer);
    clearanceTimer = setTimeout(loadClearance, 400);
  }

  base.onChange("facility", (message) => {
    if (message.op === "reloaded") loadFacilities();
    else if (places.counting()) places.refreshSoon();
    else if (message.op === "deleted") remove(message.id);
    else upsert(message.data);
    renderLegend();
    base.addToFeed(message);
  });
  base.onChange("clearance", (message) => { reloadClearanceSoon(); base.addToFeed(message); });

  document.getElementById("by-clearance").addEventListener("change", (e) => {
    byClearance = e.target.checked;
    recolour();
    renderLegend();
  });
  const box = document.getElementById("layer-facilities");
  if (box) box.addEventListener("change", () => { if (box.checked) map.addLayer(cluster); else map.removeLayer(cluster); places.showCounts(); });
  base.layer({ id: "facilities", box: "layer-facilities", night: false, visible: () => map.hasLayer(cluster) });
  base.markers = markers;
  base.onSync(() => Promise.all([loadFacilities(), loadClearance()]));
})();
