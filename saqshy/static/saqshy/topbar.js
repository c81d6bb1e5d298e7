/* The top bar: always one line. Loaded right after the header (synchronously, so the header is
   fitted before the page below it is painted).

   Three layouts, the first that fits wins, measured in the page's language on every resize:
   - "wide": every link and tool in the bar;
   - "collapse-nav": as many links as fit (the current page's kept), the rest under "More";
   - "collapse-all": links and tools behind the Menu button (phones).
   header.dataset.mode tells which one is on.

   Also wires the theme switch (light / dark / system) to window.saqshyTheme (theme.js). */
(function () {
  "use strict";
  const header = document.getElementById("topbar");
  if (!header) return;
  const toggle = document.getElementById("menu-toggle");
  const menu = document.getElementById("topmenu");
  const nav = header.querySelector(".mainnav");
  const more = header.querySelector(".more");
  const moreToggle = document.getElementById("more-toggle");
  const moreList = document.getElementById("more-list");
  const links = nav ? [...nav.querySelectorAll(":scope > a")] : [];
  // Hidden first from the end; the current page's link last.
  const hideOrder = links.slice().reverse().sort((a, b) => (a.hasAttribute("aria-current") ? 1 : 0) - (b.hasAttribute("aria-current") ? 1 : 0));

  function overflowing() {
    return header.scrollWidth > header.clientWidth + 1;
  }

  function setMenu(open) {
    header.classList.toggle("open", open);
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  }

  function setMore(open) {
    if (!more) return;
    more.classList.toggle("open", open);
    moreToggle.setAttribute("aria-expanded", open ? "true" : "false");
  }

  function fillMore() {
    moreList.replaceChildren();
    for (const link of links) {
      if (!link.hidden) continue;
      const copy = link.cloneNode(true);
      copy.hidden = false;
      moreList.appendChild(copy);
    }
    moreToggle.classList.toggle("has-current", !!moreList.querySelector("[aria-current]"));
  }

  function mode(name) {
    header.classList.remove("collapse-nav", "collapse-all");
    if (name !== "wide") header.classList.add(name);
    header.dataset.mode = name;
    toggle.hidden = name !== "collapse-all";
    if (name !== "collapse-all") setMenu(false);
    if (more) more.hidden = name !== "collapse-nav";
    if (name !== "collapse-nav") setMore(false);
  }

  function fit() {
    for (const link of links) link.hidden = false;
    mode("wide");
    if (!overflowing()) return;
    if (more) {
      mode("collapse-nav");
      for (const link of hideOrder) {
        link.hidden = true;
        if (!overflowing()) {
          fillMore();
          return;
        }
      }
      for (const link of links) link.hidden = false;
    }
    mode("collapse-all");
  }

  toggle.addEventListener("click", () => {
    const open = !header.classList.contains("open");
    setMenu(open);
    if (open) {
      const first = menu.querySelector("a, button");
      if (first) first.focus();
    }
  });
  if (more) {
    moreToggle.addEventListener("click", () => {
      const open = !more.classList.contains("open");
      setMore(open);
      if (open) {
        const first = moreList.querySelector("a");
        if (first) first.focus();
      }
    });
  }
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    if (more && more.classList.contains("open")) {
      setMore(false);
      moreToggle.focus();
    } else if (header.classList.contains("open")) {
      setMenu(false);
      toggle.focus();
    }
  });
  document.addEventListener("click", (event) => {
    if (header.classList.contains("open") && !header.contains(event.target)) setMenu(false);
    if (more && more.classList.contains("open") && !more.contains(event.target)) setMore(false);
  });
  // Tabbing out of an open menu closes it.
  header.addEventListener("focusout", (event) => {
    const to = event.relatedTarget;
    if (!to) return;
    if (more && more.classList.contains("open") && !more.contains(to)) setMore(false);
    if (header.classList.contains("open") && !header.contains(to)) setMenu(false);
  });

  let pending = 0;
  window.addEventListener("resize", () => {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(fit);
  });
  if (document.fonts && document.fonts.ready) document.fonts.ready.then(fit);
  window.addEventListener("load", fit);

  // The theme switch.
  const group = header.querySelector(".themeswitch");
  if (group && window.saqshyTheme) {
    const buttons = [...group.querySelectorAll("button[data-theme-choice]")];
    const show = () => {
      const choice = window.saqshyTheme.choice();
      for (const button of buttons) {
        button.setAttribute("aria-pressed", button.dataset.themeChoice === choice ? "true" : "false");
      }
    };
    for (const button of buttons) {
      button.addEventListener("click", () => window.saqshyTheme.choose(button.dataset.themeChoice));
    }
    document.addEventListener("saqshy:theme", show);
    document.addEventListener("saqshy:theme-choice", show);
    group.hidden = false;
    show();
  }
  fit();
})();
