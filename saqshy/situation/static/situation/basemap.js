/* The basemap: our own vector tiles (/tiles/{z}/{x}/{y}.mvt, see situation/basemap.py) drawn
   in the browser by protomaps-leaflet, with street names, house numbers and place names in
   the page's language (name:kk / name:ru / name:en, else the local name), in the browser's
   own fonts. Light or dark after document.documentElement.dataset.theme, switched live on the
   "saqshy:theme" event. Exposes window.saqshyBasemap = { create(map, config) }. */
(function () {
  "use strict";
  const P = window.protomapsL;
  const POINT = 1;
  const LINE = 2;
  const POLYGON = 3;
  const FONT = "system-ui, 'Segoe UI', Roboto, 'Noto Sans', 'DejaVu Sans', Arial, sans-serif";

  const THEMES = {
    light: {
      background: "#f2efe9",
      water: "#aad3df",
      waterLine: "#8dc0d4",
      building: "#ddd6ce",
      buildingLine: "#c7bdb2",
      casing: "#c4bcb0",
      roads: ["#f5b041", "#fcd68a", "#fff3b0", "#ffffff", "#ffffff", "#ffffff", "#ffffff", "#c9a99c"],
      boundary: "#8e5ea2",
      text: "#2b2b2b",
      minorText: "#555555",
      halo: "rgba(255,255,255,0.92)",
      number: "#6b5e50",
      place: "#1f1f1f",
    },
    dark: {
      background: "#1b1f24",
      water: "#1f3a4d",
      waterLine: "#28506a",
      building: "#2c3138",
      buildingLine: "#3a4049",
      casing: "#14171b",
      roads: ["#a8743a", "#8a6d3b", "#6f6a4a", "#565d66", "#474d55", "#40464e", "#3b4048", "#5a4d48"],
      boundary: "#b48ed0",
      text: "#e8e8e8",
      minorText: "#c9c9c9",
      halo: "rgba(20,23,27,0.92)",
      number: "#b9b0a4",
      place: "#f2f2f2",
    },
  };

  // Road width in CSS pixels by rank (0 = motorway … 7 = path) at display zoom z.
  const BASE_WIDTH = [3.2, 2.8, 2.4, 2.0, 1.5, 1.0, 0.8, 0.6];
  const MAX_WIDTH = [28, 24, 20, 16, 12, 8, 5, 2];
  function roadWidth(rank, z) {
    const grow = Math.pow(2, Math.max(0, Math.min(z, 19) - 12) * 0.55);
    return Math.min(MAX_WIDTH[rank], Math.max(0.5, BASE_WIDTH[rank] * grow * (z < 12 ? 0.6 : 1)));
  }

  function language() {
    const lang = (document.documentElement.lang || "en").slice(0, 2).toLowerCase();
    return ["kk", "ru", "en"].includes(lang) ? lang : "en";
  }

  function themeName() {
    return document.documentElement.dataset.theme === "dark" ? "dark" : "light";
  }

  function rank(f) {
    return Number(f.props.rank);
  }

  function paintRules(t) {
    const rules = [
      { dataLayer: "water", filter: (z, f) => f.geomType === POLYGON, symbolizer: new P.PolygonSymbolizer({ fill: t.water }) },
      {
        dataLayer: "water",
        filter: (z, f) => f.geomType === LINE,
        symbolizer: new P.LineSymbolizer({ color: t.waterLine, width: (z) => (z < 14 ? 1 : 2) }),
      },
      {
        dataLayer: "buildings",
        symbolizer: new P.PolygonSymbolizer({
          fill: t.building,
          stroke: t.buildingLine,
          width: (z) => (z >= 16 ? 0.7 : 0),
          opacity: (z) => (z < 15 ? 0.7 : 1),
        }),
      },
      {
        dataLayer: "boundary",
        symbolizer: new P.LineSymbolizer({ color: t.boundary, width: 1.6, dash: [6, 4], opacity: 0.8 }),
      },
    ];
    // Casings under every fill, minor roads first so that main roads end on top.
    for (let r = 6; r >= 0; r--) {
      rules.push({
        dataLayer: "roads",
        minzoom: r <= 3 ? 12 : 14,
        filter: (z, f) => rank(f) === r,
        symbolizer: new P.LineSymbolizer({ color: t.casing, width: (z) => roadWidth(r, z) + 1.5, lineCap: "round" }),
      });
    }
    for (let r = 7; r >= 0; r--) {
      rules.push({
        dataLayer: "roads",
        filter: (z, f) => rank(f) === r,
        symbolizer: new P.LineSymbolizer({
          color: t.roads[r],
          width: (z) => roadWidth(r, z),
          dash: r === 7 ? [3, 2] : undefined,
          lineCap: "round",
        }),
      });
    }
    return rules;
  }

  function labelRules(t, lang) {
    const names = [`name:${lang}`, "name"];
    const street = (minRank, maxRank, minzoom, size) => ({
      dataLayer: "roads",
      minzoom,
      filter: (z, f) => rank(f) >= minRank && rank(f) <= maxRank,
      symbolizer: new P.LineLabelSymbolizer({
        labelProps: names,
        fill: minRank >= 4 ? t.minorText : t.text,
        stroke: t.halo,
        width: 3,
        fontFamily: FONT,
        fontSize: size,
        fontWeight: 500,
        maxLabelChars: 48,
      }),
    });
    const place = (kinds, minzoom, size, weight) => ({
      dataLayer: "places",
      minzoom,
      filter: (z, f) => kinds.includes(f.props.kind),
      symbolizer: new P.CenteredTextSymbolizer({
        labelProps: names,
        fill: t.place,
        stroke: t.halo,
        width: 3,
        fontFamily: FONT,
        fontSize: size,
        fontWeight: weight,
      }),
    });
    return [
      place(["city", "town"], 4, 15, 700),
      street(0, 1, 11, 13),
      street(2, 3, 13, 13),
      place(["suburb", "village", "quarter"], 11, 13, 600),
      street(4, 4, 15, 12),
      street(5, 7, 16, 11),
      place(["neighbourhood", "hamlet", "locality", "isolated_dwelling"], 14, 12, 500),
      {
        dataLayer: "addresses",
        minzoom: 17,
        filter: (z, f) => f.geomType === POINT,
        symbolizer: new P.CenteredTextSymbolizer({
          labelProps: ["housenumber"],
          fill: t.number,
          stroke: t.halo,
          width: 2,
          fontFamily: FONT,
          fontSize: 11,
        }),
      },
    ];
  }

  function buildLayer(config) {
    const t = THEMES[themeName()];
    return P.leafletLayer({
      url: config.tilesUrl,
      maxDataZoom: config.tilesMaxDataZoom,
      maxZoom: config.maxZoom,
      paintRules: paintRules(t),
      labelRules: labelRules(t, language()),
      backgroundColor: t.background,
      attribution: "© OpenStreetMap contributors (ODbL)",
    });
  }

  function create(map, config) {
    let layer = buildLayer(config).addTo(map);
    let drawn = themeName();
    const basemap = {
      map,
      get layer() {
        return layer;
      },
      get theme() {
        return drawn;
      },
      // How many labels are placed at the map's zoom (for tests and benchmarks).
      labelCount() {
        const index = layer.labelers && layer.labelers.getIndex(map.getZoom());
        return index ? index.tree.all().length : 0;
      },
    };
    document.addEventListener("saqshy:theme", () => {
      if (themeName() === drawn) return;
      drawn = themeName();
      const next = buildLayer(config);
      next.addTo(map);
      map.removeLayer(layer);
      layer = next;
    });
    window.saqshyBasemap.last = basemap;
    return basemap;
  }

  // last: the basemap most recently created (for tests and benchmarks).
  window.saqshyBasemap = { create, last: null };
})();
