/* Calls that get attention: the count of waiting calls in the tab title ("(3) Situation map"),
   a tone made with WebAudio when a new call arrives (off unless the dispatcher turns it on;
   the choice is kept in this browser), a desktop notification where the browser permits it,
   and a waiting call left unacknowledged beyond the norm (config.ackSeconds, a norm in the
   data) escalates: its queue row and marker flash and say so. Every alert is counted in
   document.body.dataset.alerts (and .sounds when the tone played) for tests and kiosks. */
(function () {
  "use strict";
  const base = window.saqshyMap;
  const ops = window.saqshyOps;
  const { config, text, types } = ops;
  if (!config.seeIncidents) return;
  const SOUND_KEY = "saqshy.callSound";
  const title = document.title;
  const soundBox = document.getElementById("call-sound");
  const notifyButton = document.getElementById("call-notify");
  const mine = new Set(config.myAgencies || []);
  let audio = null;

  function soundOn() {
    const stored = localStorage.getItem(SOUND_KEY);
    return stored == null ? Boolean(config.callSound) : stored === "on";
  }

  function tone() {
    /* Two short rising beeps; no audio file. The context is created on first use (a user's
       gesture, turning the sound on, unlocks it in browsers that require one). */
    const Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return false;
    audio = audio || new Context();
    if (audio.state === "suspended") audio.resume();
    const start = audio.currentTime + 0.01;
    [[880, 0], [1175, 0.22]].forEach(([hz, at]) => {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.type = "sine";
      osc.frequency.value = hz;
      gain.gain.setValueAtTime(0.0001, start + at);
      gain.gain.exponentialRampToValueAtTime(0.3, start + at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + at + 0.18);
      osc.connect(gain).connect(audio.destination);
      osc.start(start + at);
      osc.stop(start + at + 0.2);
    });
    return true;
  }

  function notify(p) {
    if (!("Notification" in window) || Notification.permission !== "granted") return;
    const type = ops.label(types, p.type);
    try {
      const note = new Notification(`${text.newCall}: ${type}`, { body: p.address || "", tag: `incident-${p.id}` });
      note.onclick = () => { window.focus(); ops.select(p.id); note.close(); };
    } catch (e) { /* some browsers allow notifications from a service worker only */ }
  }

  function alertCall(p) {
    const body = document.body;
    body.dataset.alerts = String(Number(body.dataset.alerts || 0) + 1);
    body.dataset.lastAlert = String(p.id);
    if (soundOn() && tone()) body.dataset.sounds = String(Number(body.dataset.sounds || 0) + 1);
    if (document.hidden || !document.hasFocus()) notify(p);
  }
  ops.alertCall = alertCall;

  /* A new call for this desk: the user's agencies' or the region's own (the scope shown). */
  ops.on("incident", ({ message }) => {
    const p = message.data;
    if (message.op !== "created" || !p || p.status !== "new") return;
    const scoped = ops.queueScope && ops.queueScope() === "mine";
    if (scoped && p.agency_id != null && !mine.has(p.agency_id)) return;
    alertCall(p);
  });

  /* The title and the escalation follow the queue as the server rendered it. */
  function escalate() {
    const queue = document.getElementById("queue");
    if (!queue) return;
    const now = Date.now();
    let waiting = 0;
    let overdue = 0;
    queue.querySelectorAll(".q-item").forEach((item) => {
      if (item.dataset.status !== "new") return;
      waiting += 1;
      const isLate = now - new Date(item.dataset.reportedAt).getTime() > config.ackSeconds * 1000;
      if (isLate) overdue += 1;
      item.classList.toggle("late", isLate);
      const label = item.querySelector(".q-late");
      if (label) label.hidden = !isLate;
    });
    document.title = waiting ? `(${waiting}) ${title}` : title;
    document.body.dataset.waiting = String(waiting);
    document.body.dataset.overdue = String(overdue);
    const head = document.getElementById("queue-new");
    if (head) head.classList.toggle("late", overdue > 0);
  }
  ops.on("queue", escalate);
  setInterval(escalate, 1000);

  if (soundBox) {
    soundBox.checked = soundOn();
    soundBox.addEventListener("change", () => {
      localStorage.setItem(SOUND_KEY, soundBox.checked ? "on" : "off");
      if (soundBox.checked) tone(); // a sample, and the gesture that unlocks audio
    });
  }
  if (notifyButton && "Notification" in window && Notification.permission === "default") {
    notifyButton.hidden = false;
    notifyButton.addEventListener("click", async () => {
      await Notification.requestPermission();
      notifyButton.hidden = Notification.permission !== "default";
    });
  }
  base.attention = { tone, alertCall };
})();
