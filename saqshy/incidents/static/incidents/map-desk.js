/* The dispatcher's desk on the situation map: the incident queue and the selected incident's
   card are server-rendered partials (incidents/partials/queue.html and card.html, the card
   with the same ranked recommendations as the incident page), fetched and swapped in here;
   dispatching, advancing and notes go through the API like any other client. */
(function () {
  "use strict";
  const base = window.saqshyMap;
  const ops = window.saqshyOps;
  const { map } = base;
  const { config, text, incidents, OPEN } = ops;
  if (!config.seeIncidents) {
    base.onSync(async () => {
      await ops.loadUnits();
      document.getElementById("map").dataset.opsLoaded = "1";
    });
    return;
  }
  const box = () => document.getElementById("incident-card");
  const SCOPE_KEY = "saqshy.queueScope";
  let scope = localStorage.getItem(SCOPE_KEY) || (config.agencyBound ? "mine" : "all");

  /* --- The queue --- */
  let queueLoading = null;
  let queueAgain = false;
  async function refreshQueue() {
    if (queueLoading) { queueAgain = true; return queueLoading; }
    queueLoading = (async () => {
      const fresh = await ops.partial(`${config.queueUrl}?scope=${encodeURIComponent(scope)}`);
      const queue = document.getElementById("queue");
      if (fresh && queue) {
        const focused = document.activeElement && document.activeElement.closest && document.activeElement.closest("#queue .q-item");
        const focusId = focused ? focused.dataset.incidentId : null;
        queue.replaceWith(fresh);
        markSelected();
        if (focusId) {
          const again = fresh.querySelector(`.q-item[data-incident-id="${CSS.escape(focusId)}"]`);
          if (again) again.focus();
        }
        document.getElementById("queue-count").textContent = fresh.dataset.count;
        const waiting = Number(fresh.dataset.waiting);
        document.getElementById("queue-new").textContent = waiting ? `${waiting} ⚠` : "";
        ops.emit("queue", fresh);
      }
    })();
    try { await queueLoading; } finally { queueLoading = null; }
    if (queueAgain) { queueAgain = false; await refreshQueue(); }
    return null;
  }
  let queueTimer = null;
  function refreshQueueSoon() { clearTimeout(queueTimer); queueTimer = setTimeout(refreshQueue, 250); }
  ops.refreshQueue = refreshQueue;
  ops.queueScope = () => scope;

  function markSelected() {
    document.querySelectorAll("#queue .q-item").forEach((item) => {
      const on = Number(item.dataset.incidentId) === ops.selected;
      item.classList.toggle("selected", on);
      item.setAttribute("aria-current", on ? "true" : "false");
    });
  }

  function setScope(value) {
    scope = value;
    localStorage.setItem(SCOPE_KEY, value);
    document.querySelectorAll("#queue-scope [data-scope]").forEach((b) => b.setAttribute("aria-pressed", b.dataset.scope === value ? "true" : "false"));
    refreshQueue();
  }
  document.querySelectorAll("#queue-scope [data-scope]").forEach((b) => {
    b.setAttribute("aria-pressed", b.dataset.scope === scope ? "true" : "false");
    b.addEventListener("click", () => setScope(b.dataset.scope));
  });
  document.getElementById("queue-box").addEventListener("click", (e) => {
    const item = e.target.closest(".q-item");
    if (item) select(Number(item.dataset.incidentId));
  });

  /* --- The card --- */
  function closeCard() {
    const before = ops.selected;
    ops.selected = null;
    box().hidden = true;
    box().replaceChildren();
    delete box().dataset.incidentId;
    markSelected();
    ops.emit("select", { before, after: null });
  }

  async function select(id) {
    const before = ops.selected;
    ops.selected = id;
    const known = incidents.get(id);
    if (known) map.panTo([known.data.lat, known.data.lon]);
    markSelected();
    ops.emit("select", { before, after: id });
    await renderCard();
  }
  ops.select = select;
  ops.closeCard = closeCard;

  /* The outcome of the dispatcher's last action on the card stays visible for a while, so a
     live refresh (the units' status arriving) does not wipe the confirmation or the refusal. */
  let lastMessage = null;
  let cardTimer = null;
  async function renderCard(message) {
    clearTimeout(cardTimer);
    const id = ops.selected;
    if (id == null) return;
    if (message) lastMessage = { ...message, id, until: Date.now() + 15000 };
    else if (lastMessage && lastMessage.id === id && lastMessage.until > Date.now()) message = lastMessage;
    const card = box();
    card.setAttribute("aria-busy", "true");
    const body = await ops.partial(config.cardUrl.replace("{id}", id));
    if (ops.selected !== id) return;
    if (!body) { closeCard(); return; }
    /* Keep what the dispatcher ticked, the recommendations shown and a note being written
       across a live refresh; the fresh recommendations replace the old ones when they come. */
    const same = card.dataset.incidentId === String(id);
    if (!same) card.dataset.recommendations = "0";
    const oldRecs = same ? card.querySelector("#recommendations:not([data-src])") : null;
    const note = card.querySelector("[data-note] textarea");
    const noteText = same && note ? note.value : "";
    const noteOpen = same && note && !card.querySelector("[data-note]").hidden;
    /* A live refresh must not take the focus away (keys typed next would act on the map). */
    const focused = same && card.contains(document.activeElement) ? focusKey(document.activeElement) : null;
    const caret = focused && note === document.activeElement ? [note.selectionStart, note.selectionEnd] : null;
    card.replaceChildren(body);
    card.removeAttribute("aria-busy");
    card.dataset.incidentId = body.dataset.incidentId;
    card.dataset.status = body.dataset.status;
    card.hidden = false;
    const slot = card.querySelector("#recommendations[data-src]");
    if (slot) {
      const src = slot.dataset.src;
      if (oldRecs) slot.replaceWith(oldRecs);
      loadRecommendations(id, src);
    }
    if (noteOpen) openNote(noteText, false);
    if (focused) {
      const again = card.querySelector(focused);
      if (again) {
        again.focus();
        if (caret && again.setSelectionRange) again.setSelectionRange(caret[0], caret[1]);
      }
    }
    if (message) {
      const line = card.querySelector(".card-msg");
      line.textContent = message.text;
      line.classList.toggle("bad", !message.ok);
      line.hidden = false;
    }
    if (OPEN.includes(body.dataset.status)) ops.drawRoutes({ id, lat: Number(body.dataset.lat), lon: Number(body.dataset.lon) });
    ops.emit("card", card);
  }
  /* A selector that finds the same control in a re-rendered card. */
  function focusKey(element) {
    if (element.id) return `#${CSS.escape(element.id)}`;
    if (element.dataset.advance) return `[data-advance="${CSS.escape(element.dataset.advance)}"]`;
    if (element.name === "units") return `input[name=units][value="${CSS.escape(element.value)}"]`;
    if (element.matches("[data-note] button")) return "[data-note] button";
    if (element.matches("[data-note-open]")) return "[data-note-open]";
    return null;
  }

  let recsAsked = 0;
  let forgetTicks = false; // after an action the fresh suggestion is ticked, not the old choice
  async function loadRecommendations(id, src) {
    const mine = ++recsAsked;
    const fresh = await ops.partial(src);
    if (mine !== recsAsked || ops.selected !== id || !fresh) return;
    const current = box().querySelector("#recommendations");
    if (!current) return;
    const ticked = !forgetTicks && current.querySelector("input[name=units]")
      ? new Map([...current.querySelectorAll("input[name=units]")].map((i) => [i.value, i.checked])) : null;
    forgetTicks = false;
    const focused = current.contains(document.activeElement) ? focusKey(document.activeElement) : null;
    current.replaceWith(fresh);
    if (focused && fresh.querySelector(focused)) fresh.querySelector(focused).focus();
    if (ticked) fresh.querySelectorAll("input[name=units]").forEach((i) => { if (ticked.has(i.value)) i.checked = ticked.get(i.value); });
    box().dataset.recommendations = "1";
    ops.emit("recommendations", fresh);
  }

  function refreshCardSoon() { clearTimeout(cardTimer); cardTimer = setTimeout(() => renderCard(), 400); }
  ops.renderCard = renderCard;

  async function dispatchChosen(form) {
    const id = ops.selected;
    const chosen = [...form.querySelectorAll("input[name=units]:checked")].map((i) => Number(i.value));
    if (!chosen.length || id == null) return false;
    const button = form.querySelector("button[type=submit]");
    if (button) button.disabled = true;
    const answer = await ops.send(config.dispatchUrl.replace("{id}", id), { units: chosen });
    if (answer.ok) {
      forgetTicks = true;
      ops.upsertIncident(answer.payload);
      refreshQueue();
      await ops.drawRoutes(answer.payload);
      const names = answer.payload.assignments.filter((a) => chosen.includes(a.unit)).map((a) => a.call_sign);
      await renderCard({ ok: true, text: `${text.dispatched}: ${names.join(", ")}` });
    } else {
      await renderCard({ ok: false, text: ops.problem(answer.payload) });
    }
    box().scrollIntoView({ block: "start" });
    return answer.ok;
  }
  ops.dispatch = () => {
    const form = box().querySelector("#dispatch-form");
    return form ? dispatchChosen(form) : Promise.resolve(false);
  };

  async function advance(button) {
    const id = ops.selected;
    /* Closing or cancelling cannot be undone: the first press arms the button, the second sends. */
    if (button.classList.contains("final") && !button.classList.contains("armed")) {
      button.classList.add("armed");
      button.textContent = `${button.textContent} ✓?`;
      setTimeout(() => { if (button.isConnected) renderCard(); }, 5000);
      return;
    }
    button.disabled = true;
    const answer = await ops.send(config.advanceUrl.replace("{id}", id), { status: button.dataset.advance });
    if (answer.ok) {
      ops.upsertIncident(answer.payload);
      refreshQueue();
      if (!OPEN.includes(answer.payload.status)) { closeCard(); return; }
      await renderCard();
    } else {
      await renderCard({ ok: false, text: ops.problem(answer.payload) });
    }
  }
  ops.advance = advance;

  function openNote(value, focus) {
    const form = box().querySelector("[data-note]");
    if (!form) return;
    form.hidden = false;
    const area = form.querySelector("textarea");
    if (value != null) area.value = value;
    if (focus !== false) area.focus();
  }
  ops.openNote = openNote;

  async function addNote(form) {
    const id = ops.selected;
    const area = form.querySelector("textarea");
    if (!area.value.trim()) return;
    const answer = await ops.send(config.noteUrl.replace("{id}", id), { text: area.value });
    area.value = "";
    form.hidden = true;
    await renderCard(answer.ok ? { ok: true, text: text.noteAdded } : { ok: false, text: ops.problem(answer.payload) });
  }

  const card = box();
  card.addEventListener("click", (e) => {
    const target = e.target.closest("button, a");
    if (!target) return;
    if (target.matches("[data-close]")) closeCard();
    else if (target.matches("[data-select]")) { e.preventDefault(); select(Number(target.dataset.select)); }
    else if (target.matches("[data-advance]")) advance(target);
    else if (target.matches("[data-note-open]")) openNote();
  });
  card.addEventListener("submit", (e) => {
    e.preventDefault();
    if (e.target.id === "dispatch-form") dispatchChosen(e.target);
    else if (e.target.matches("[data-note]")) addNote(e.target);
  });

  /* --- Live changes --- */
  ops.on("incident", ({ message }) => {
    refreshQueueSoon();
    if (message.id === ops.selected) {
      if (!incidents.has(message.id)) closeCard(); else refreshCardSoon();
    }
  });
  ops.on("unit", () => { if (ops.selected != null) refreshCardSoon(); });
  setInterval(refreshQueue, 30000);

  /* The open incidents and the units as they are now, replacing what the map shows; the core
     runs this after every (re)connect, then applies the changes that arrived meanwhile. */
  let firstSync = true;
  base.onSync(async () => {
    await ops.loadUnits();
    await ops.loadIncidents();
    await refreshQueue();
    if (ops.selected != null) refreshCardSoon(); // the card re-reads its incident, closed or not
    document.getElementById("map").dataset.opsLoaded = "1";
    if (!firstSync) return;
    firstSync = false;
    /* "Show on the map" links from the incident pages: /?incident=ID */
    const wanted = Number(new URLSearchParams(location.search).get("incident"));
    if (wanted) {
      const known = incidents.get(wanted);
      if (known) map.setView([known.data.lat, known.data.lon], 16);
      select(wanted);
    }
  });
})();
