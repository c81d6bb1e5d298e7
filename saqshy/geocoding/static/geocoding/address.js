/* Address search: an autocomplete list under a text input, backed by /api/geocode/search.

   Wiring (no inline script): any <input data-geocode="search"> on the page gets the widget.
     data-geocode-lat / data-geocode-lon   ids of the latitude and longitude fields to fill
     data-geocode-region                   a region slug to search in (default: all the user's)
     data-geocode-kinds                    JSON {"address": "…", "street": "…", …}: kind names
   Picking a suggestion (click, or up/down and Enter) puts its label in the input, fills the
   lat/lon fields (and fires "input" and "change" on them, so a map picker moves its marker)
   and fires "geocode:pick" on the input with the result as event.detail. Escape closes the
   list; Enter with the list closed submits the form as usual.

   Other scripts use window.saqshyGeocode: attach(input, {onPick, region, kinds}),
   search(q, {region, limit, signal}) and reverse(lat, lon) (null when nothing is near).
   Result text is put into the page only with textContent. */
(function () {
  "use strict";
  const SEARCH_URL = "/api/geocode/search";
  const REVERSE_URL = "/api/geocode/reverse";
  const MIN_CHARS = 3;
  const DELAY_MS = 180;
  let serial = 0;

  const STYLE = `
.geocode-box { position: relative; }
.geocode-list { position: absolute; z-index: 1100; left: 0; right: 0; top: 100%; margin: 2px 0 0;
  padding: 0; list-style: none; background: #fff; color: #111; border: 1px solid #8a8f98;
  border-radius: 4px; box-shadow: 0 4px 12px rgba(0,0,0,.18); max-height: 18rem; overflow-y: auto; }
.geocode-list[hidden] { display: none; }
.geocode-list li { padding: .45rem .6rem; cursor: pointer; display: flex; gap: .5rem;
  justify-content: space-between; align-items: baseline; min-height: 44px; box-sizing: border-box; }
.geocode-list li[aria-selected="true"], .geocode-list li:hover { background: #dbe9f7; }
.geocode-list .geocode-kind { font-size: .8em; color: #4a5058; white-space: nowrap; }
.geocode-control { background: #fff; padding: 4px; border-radius: 4px; box-shadow: 0 1px 5px rgba(0,0,0,.4); }
.geocode-control input { width: 16rem; max-width: 60vw; margin: 0; }
`;

  function addStyle() {
    if (document.getElementById("geocode-style")) return;
    const style = document.createElement("style");
    style.id = "geocode-style";
    style.textContent = STYLE;
    document.head.appendChild(style);
  }

  async function getJson(url, signal) {
    const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" }, signal });
    if (response.status === 404) return null;
    if (!response.ok) throw new Error(`geocoder answered ${response.status}`);
    return response.json();
  }

  async function search(q, options = {}) {
    const params = new URLSearchParams({ q, limit: String(options.limit || 8) });
    if (options.region) params.set("region", options.region);
    const answer = await getJson(`${SEARCH_URL}?${params}`, options.signal);
    return answer ? answer.results : [];
  }

  function reverse(lat, lon, options = {}) {
    const params = new URLSearchParams({ lat: String(lat), lon: String(lon) });
    return getJson(`${REVERSE_URL}?${params}`, options.signal);
  }

  function attach(input, options = {}) {
    addStyle();
    const id = `geocode-list-${++serial}`;
    const box = document.createElement("div");
    box.className = "geocode-box";
    input.parentNode.insertBefore(box, input);
    box.appendChild(input);
    const list = document.createElement("ul");
    list.id = id;
    list.className = "geocode-list";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    box.appendChild(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", id);
    input.autocomplete = "off";

    let results = [];
    let active = -1;
    let timer = null;
    let pending = null;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      active = index;
      list.querySelectorAll("li").forEach((item, i) => {
        item.setAttribute("aria-selected", i === index ? "true" : "false");
        if (i === index) {
          input.setAttribute("aria-activedescendant", item.id);
          item.scrollIntoView({ block: "nearest" });
        }
      });
    }

    function pick(index) {
      const result = results[index];
      if (!result) return;
      input.value = result.label;
      close();
      if (options.onPick) options.onPick(result);
      input.dispatchEvent(new CustomEvent("geocode:pick", { bubbles: true, detail: result }));
    }

    function show(found) {
      results = found;
      list.replaceChildren();
      found.forEach((result, index) => {
        const item = document.createElement("li");
        item.id = `${id}-${index}`;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.dataset.kind = result.kind;
        const label = document.createElement("span");
        label.className = "geocode-label";
        label.textContent = result.label;
        item.appendChild(label);
        const kindName = (options.kinds || {})[result.kind];
        if (kindName) {
          const kind = document.createElement("span");
          kind.className = "geocode-kind";
          kind.textContent = kindName;
          item.appendChild(kind);
        }
        // mousedown, not click: it comes before the input's blur closes the list.
        item.addEventListener("mousedown", (event) => { event.preventDefault(); pick(index); });
        list.appendChild(item);
      });
      if (found.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        highlight(0);
      } else {
        close();
      }
    }

    async function lookUp() {
      const q = input.value.trim();
      if (pending) pending.abort();
      if (q.length < MIN_CHARS) { show([]); return; }
      pending = new AbortController();
      try {
        show(await search(q, { region: options.region, signal: pending.signal }));
      } catch (error) {
        if (error.name !== "AbortError") show([]);
      }
    }

    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(lookUp, DELAY_MS);
    });
    input.addEventListener("keydown", (event) => {
      const open = !list.hidden && results.length > 0;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (open) highlight((active + 1) % results.length); else lookUp();
      } else if (event.key === "ArrowUp" && open) {
        event.preventDefault();
        highlight((active - 1 + results.length) % results.length);
      } else if (event.key === "Enter" && open && active >= 0) {
        event.preventDefault();
        pick(active);
      } else if (event.key === "Escape" && open) {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", () => setTimeout(close, 150));
    return { close, input, list };
  }

  function fill(fieldId, value) {
    const field = fieldId && document.getElementById(fieldId);
    if (!field) return;
    field.value = value.toFixed(6);
    field.dispatchEvent(new Event("input", { bubbles: true }));
    field.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function start() {
    for (const input of document.querySelectorAll('input[data-geocode="search"]')) {
      let kinds = {};
      try { kinds = JSON.parse(input.dataset.geocodeKinds || "{}"); } catch (error) { kinds = {}; }
      attach(input, {
        region: input.dataset.geocodeRegion || "",
        kinds,
        onPick(result) {
          fill(input.dataset.geocodeLat, result.lat);
          fill(input.dataset.geocodeLon, result.lon);
        },
      });
    }
  }

  window.saqshyGeocode = { attach, search, reverse };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
