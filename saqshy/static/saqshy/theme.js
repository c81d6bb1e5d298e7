/* The colour theme, applied before the first paint: loaded synchronously in <head> (an external
   file, since the Content-Security-Policy forbids inline script).

   The preference is "light", "dark" or "auto" (follow the system), kept in localStorage under
   "theme" -- the same key and values as the Django admin's own theme switch, so both follow one
   choice. What the page sees is the resolved value:

     document.documentElement.dataset.theme       "light" or "dark" (never "auto")
     document.documentElement.dataset.themeChoice  "light", "dark" or "auto"
     document "saqshy:theme" CustomEvent, detail {theme: "light"|"dark", choice}, on every change
       of the resolved theme (the toggle, or the system setting while the choice is "auto").

   Maps and charts read dataset.theme when they start and listen for "saqshy:theme". */
(function () {
  "use strict";
  const KEY = "theme";
  const CHOICES = ["light", "dark", "auto"];
  const root = document.documentElement;
  const system = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  function stored() {
    try {
      const value = window.localStorage.getItem(KEY);
      return CHOICES.includes(value) ? value : "auto";
    } catch (error) {
      return "auto"; // storage blocked: follow the system
    }
  }

  function resolve(choice) {
    if (choice === "light" || choice === "dark") return choice;
    return system && system.matches ? "dark" : "light";
  }

  function apply(choice, announce) {
    const before = root.dataset.theme;
    const theme = resolve(choice);
    root.dataset.theme = theme;
    root.dataset.themeChoice = choice;
    if (announce && theme !== before) {
      document.dispatchEvent(new CustomEvent("saqshy:theme", { detail: { theme, choice } }));
    }
    return theme;
  }

  function choose(choice) {
    if (!CHOICES.includes(choice)) choice = "auto";
    try {
      window.localStorage.setItem(KEY, choice);
    } catch (error) {
      /* remembered for this page only */
    }
    const theme = apply(choice, true);
    document.dispatchEvent(new CustomEvent("saqshy:theme-choice", { detail: { theme, choice } }));
    return theme;
  }

  apply(stored(), false);
  if (system) {
    const follow = () => apply(root.dataset.themeChoice || stored(), true);
    if (system.addEventListener) system.addEventListener("change", follow);
    else if (system.addListener) system.addListener(follow);
  }
  // Another tab changed the choice.
  window.addEventListener("storage", (event) => {
    if (event.key === KEY) apply(stored(), true);
  });

  window.saqshyTheme = { choose, current: () => root.dataset.theme, choice: () => root.dataset.themeChoice };
})();
