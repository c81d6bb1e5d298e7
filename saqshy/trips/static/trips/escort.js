/* The escort picker: search officers by name or personnel number as you type; the ones free
   for the whole trip are listed first. An ARIA combobox (arrows, Enter, Escape); every name
   reaches the page as text (textContent), never as HTML. */
(function () {
  "use strict";
  const DELAY_MS = 200;

  function picker(box) {
    const input = box.querySelector("[data-escort-query]");
    const list = box.querySelector('[role="listbox"]');
    const status = box.querySelector("[data-escort-status]");
    const hidden = box.querySelector('input[type="hidden"][name="person"]');
    if (!input || !list || !hidden) return;
    let options = [];
    let active = -1;
    let timer = null;
    let asked = 0;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      options.forEach((li, i) => li.setAttribute("aria-selected", i === index ? "true" : "false"));
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      }
    }

    function choose(li) {
      hidden.value = li.dataset.id;
      input.value = li.dataset.label;
      status.textContent = li.dataset.label + (li.dataset.free === "true" ? " · " + box.dataset.free : " · " + box.dataset.busy);
      close();
    }

    function line(text, cls) {
      const span = document.createElement("span");
      span.className = cls;
      span.textContent = text;
      return span;
    }

    function show(results) {
      // A later answer must not drop the officer the keyboard is on.
      const kept = active >= 0 ? options[active].dataset.id : null;
      list.replaceChildren();
      options = results.map((officer, i) => {
        const li = document.createElement("li");
        li.id = "escort-option-" + officer.id;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.dataset.id = String(officer.id);
        li.dataset.free = String(officer.free);
        li.dataset.label = [officer.rank, officer.name, officer.personnel_number].filter(Boolean).join(" · ");
        li.className = officer.free ? "free" : "busy";
        li.append(line(officer.name, "name"));
        li.append(line([officer.rank, officer.personnel_number, officer.agency].filter(Boolean).join(" · "), "meta"));
        li.append(line(officer.free ? "✓ " + box.dataset.free : "✗ " + (officer.conflicts[0] || box.dataset.busy), "when"));
        li.addEventListener("mousedown", (event) => { event.preventDefault(); choose(li); });
        list.append(li);
        return li;
      });
      status.textContent = results.length ? "" : box.dataset.none;
      list.hidden = !results.length;
      input.setAttribute("aria-expanded", results.length ? "true" : "false");
      active = -1;
      const again = options.findIndex((li) => li.dataset.id === kept);
      if (again >= 0) highlight(again);
    }

    async function search() {
      const ticket = ++asked;
      const url = new URL(box.dataset.url, window.location.origin);
      url.searchParams.set("q", input.value.trim());
      try {
        const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
        if (!response.ok) throw new Error(String(response.status));
        const body = await response.json();
        if (ticket === asked) {
          list.dataset.query = url.searchParams.get("q");
          show(body.results || []);
        }
      } catch (error) {
        if (ticket === asked) { close(); status.textContent = box.dataset.failed; }
      }
    }

    input.addEventListener("input", () => {
      hidden.value = "";
      clearTimeout(timer);
      timer = setTimeout(search, DELAY_MS);
    });
    input.addEventListener("focus", () => { if (!options.length) search(); });
    input.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (list.hidden) { if (options.length) { list.hidden = false; input.setAttribute("aria-expanded", "true"); } return; }
        const step = event.key === "ArrowDown" ? 1 : -1;
        highlight((active + step + options.length) % options.length);
      } else if (event.key === "Enter" && !list.hidden && active >= 0) {
        event.preventDefault();
        choose(options[active]);
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", () => setTimeout(close, 150));
    // Typed while the page was still loading (a slow line): answer what is already there.
    if (input.value.trim() && !hidden.value) search();
  }

  document.querySelectorAll("[data-escort-picker]").forEach(picker);
})();
