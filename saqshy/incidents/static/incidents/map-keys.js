/* Dispatch from the keyboard. Keys (listed in the help overlay, opened with "?"):
   j / n  next waiting call          k / p  previous waiting call
   o / Enter  open the call          d  dispatch the suggested units
   a  add the next recommended unit  s  advance the status
   c  add a note                     Esc  close the card or the help
   Keys are ignored while typing in a field. */
(function () {
  "use strict";
  const ops = window.saqshyOps;
  const help = document.getElementById("key-help");

  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  function rows(waitingOnly) {
    const all = [...document.querySelectorAll("#queue .q-item")];
    const waiting = all.filter((item) => item.dataset.status === "new");
    return waitingOnly && waiting.length ? waiting : all;
  }

  function current() {
    const focused = document.activeElement && document.activeElement.closest && document.activeElement.closest("#queue .q-item");
    if (focused) return focused;
    return ops.selected == null ? null : document.querySelector(`#queue .q-item[data-incident-id="${ops.selected}"]`);
  }

  function step(by) {
    const list = rows(true);
    if (!list.length) return;
    const at = list.indexOf(current());
    const next = at < 0 ? (by > 0 ? 0 : list.length - 1) : (at + by + list.length) % list.length;
    list[next].focus();
    list[next].scrollIntoView({ block: "nearest" });
  }

  function open() {
    const row = current() || rows(true)[0];
    if (row) { row.focus(); ops.select(Number(row.dataset.incidentId)); }
  }

  function card() {
    const box = document.getElementById("incident-card");
    return box && !box.hidden ? box : null;
  }

  function addNextUnit() {
    const box = card();
    if (!box) return;
    const next = [...box.querySelectorAll("#dispatch-form input[name=units]")].find((i) => !i.checked);
    if (!next) return;
    next.checked = true;
    const details = next.closest("details");
    if (details) details.open = true;
    next.closest(".cand").classList.add("just-added");
    next.scrollIntoView({ block: "nearest" });
  }

  function advance() {
    const box = card();
    if (!box) return;
    const button = box.querySelector("[data-advance]:not(.final)") || box.querySelector("[data-advance]");
    if (button) ops.advance(button);
  }

  function toggleHelp(show) {
    if (!help) return;
    help.hidden = !show;
    if (show) help.focus();
  }
  if (help) help.querySelector("[data-close]").addEventListener("click", () => toggleHelp(false));
  const helpButton = document.getElementById("key-help-open");
  if (helpButton) helpButton.addEventListener("click", () => toggleHelp(true));

  /* The skip link jumps to the first waiting call (else the first call, else the queue). */
  const skip = document.getElementById("skip-to-queue");
  if (skip) {
    skip.addEventListener("click", (e) => {
      e.preventDefault();
      const first = rows(true)[0];
      if (first) first.focus(); else document.getElementById("queue").focus();
    });
  }

  document.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
    if (e.key === "?") { toggleHelp(help && help.hidden); e.preventDefault(); return; }
    if (e.key === "Escape") {
      if (help && !help.hidden) toggleHelp(false); else if (card()) ops.closeCard();
      return;
    }
    const actions = {
      j: () => step(1), n: () => step(1), ArrowDown: () => step(1),
      k: () => step(-1), p: () => step(-1), ArrowUp: () => step(-1),
      o: open,
      d: () => ops.dispatch(),
      a: addNextUnit,
      s: advance,
      c: () => ops.openNote(),
    };
    const action = actions[e.key];
    if (!action || (e.key.startsWith("Arrow") && !current())) return;
    e.preventDefault();
    action();
  });
})();
