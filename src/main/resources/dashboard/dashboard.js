// The Reelbox dashboard: reads /api/jobs every 1.5 s while the page is visible and draws it. No framework, no build.
"use strict";

const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null) e.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

function duration(s) {
  if (s === undefined || s === null) return "";
  s = Math.round(s);
  const m = Math.floor(s / 60);
  return m > 0 ? `${m} min ${s % 60} s` : `${s} s`;
}

function ago(iso) {
  return duration((Date.now() - Date.parse(iso)) / 1000) + " ago";
}

async function act(id, action, button) {
  button.disabled = true;
  const r = await fetch(`/api/jobs/${encodeURIComponent(id)}/${action}`, { method: "POST" });
  const body = await r.json().catch(() => ({}));
  if (!r.ok) alert(body.message || `${action} failed (${r.status})`);
  refresh();
}

function runningItem(j) {
  const pct = j.progress === undefined ? null : j.progress;
  return el("li", { "data-job": j.name, "data-state": j.state, "data-id": j.id },
    el("div", { class: "job-head" }, el("span", { class: "job-name" }, j.name), el("span", { class: "stage" }, j.state === "running" ? j.stage : j.state.replaceAll("-", " "))),
    el("div", { class: "bar", title: pct === null ? "" : `${pct} %` }, el("span", { style: `width:${pct === null ? 0 : pct}%` })),
    el("div", { class: "muted" },
      `running for ${duration(j.elapsed_s)}`,
      pct === null ? "" : ` · render ${pct} %`,
      j.eta_s === undefined ? "" : ` · about ${duration(j.eta_s)} left`,
      j.node ? ` · on node ${j.node}` : "",
      j.render_node ? ` · rendering on ${j.render_node}` : ""),
    j.state === "waiting-for-room"
      ? el("div", { class: "muted" }, "The video is made; it is written as soon as the outbox's disk has room.")
      : el("button", { class: "secondary cancel", type: "button", onclick: (e) => act(j.id, "cancel", e.target), disabled: j.state === "cancelling" ? "" : null }, "Cancel"));
}

// The versions of one video, oldest first, from the finished jobs the page knows: "promo → v2 → v3".
let finished = [];
function chain(j) {
  const versions = finished.filter((o) => o.root === j.root).sort((a, b) => a.version - b.version);
  return el("div", { class: "muted chain" }, "versions: ", ...versions.flatMap((o, i) => [i ? " → " : "",
    el("span", { class: o.id === j.id ? "this" : "" }, o.version === 1 ? o.root : `v${o.version}`)]));
}

// A follow-up for one finished video: queued as a refine; its video is the chain's next version.
function refineBox(j) {
  const input = el("input", { type: "text", class: "refine-prompt", placeholder: "make it 10 seconds, no music…", "aria-label": `Refine ${j.name}` });
  const result = el("span", { class: "muted refine-result", role: "status" });
  const form = el("form", { class: "refine" }, input, el("button", { type: "submit", class: "secondary" }, "Refine"), result);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    form.querySelector("button").disabled = true;
    const r = await fetch(`/api/jobs/${encodeURIComponent(j.id)}/refine`, { method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ prompt: input.value }) });
    const body = await r.json().catch(() => ({}));
    result.textContent = r.ok ? `Refining: the next version of ${body.refines} is on its way (${body.job}).` : `Not refined: ${body.message || r.status}`;
    form.querySelector("button").disabled = false;
    if (r.ok) input.value = "";
    refresh();
  });
  return form;
}

function doneItem(j) {
  const id = encodeURIComponent(j.id);
  const poster = el("img", { class: "poster", alt: `Poster of ${j.name}`, loading: "lazy", src: `/api/jobs/${id}/poster` });
  const item = el("li", { "data-job": j.name, "data-state": "done", "data-id": j.id },
    poster,
    el("div", { class: "job-head" }, el("span", { class: "job-name" }, j.name), el("span", { class: "muted" }, duration(j.duration_s))),
    el("div", { class: "muted" }, `finished ${ago(j.finished_at)}${j.node ? ` on node ${j.node}` : ""} · `, el("a", { href: `/api/jobs/${id}/video`, download: j.videos[0] || "" }, j.videos[0] || "video")),
    chain(j), refineBox(j));
  poster.addEventListener("click", () => {
    poster.replaceWith(el("video", { controls: "", autoplay: "", src: `/api/jobs/${id}/video`, poster: `/api/jobs/${id}/poster` }));
  });
  return item;
}

function failedItem(j) {
  return el("li", { class: "failed", "data-job": j.name, "data-state": "failed", "data-id": j.id },
    el("div", { class: "job-head" }, el("span", { class: "job-name" }, j.name), el("span", { class: "code" }, j.code || j.error || "failed")),
    el("div", { class: "error-text" }, j.message || ""),
    el("p", { class: "hint" }, j.hint || ""),
    el("div", { class: "muted" }, `failed ${ago(j.failed_at)} at ${j.stage || "?"} · inputs in .failed/${j.folder}`),
    el("button", { class: "retry", type: "button", onclick: (e) => act(j.id, "retry", e.target) }, "Retry"));
}

// Redraws a list only when its content changed, so an open video or a focused button is not torn down every tick.
const drawn = {};
function draw(listId, items, make) {
  const key = JSON.stringify(items.map((j) => [j.id, j.name, j.state, j.stage, j.progress, j.eta_s, j.finished_at, j.failed_at, j.node, j.version,
    listId === "running" ? Math.floor(j.elapsed_s) : 0]));
  $(listId + "-count").textContent = items.length ? `(${items.length})` : "";
  if (drawn[listId] === key) return;
  if (listId === "done" && $(listId).querySelector("video")) {
    // Keep a playing video: only add what is new.
    const shown = new Set([...$(listId).children].map((li) => li.dataset.id));
    items.filter((j) => !shown.has(j.id)).reverse().forEach((j) => $(listId).prepend(make(j)));
  } else {
    $(listId).replaceChildren(...items.map(make));
  }
  drawn[listId] = key;
}

async function refresh() {
  try {
    const r = await fetch("/api/jobs", { cache: "no-store" });
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    const v = await r.json();
    const badge = $("intake");
    badge.textContent = v.intake.state === "running" ? "taking jobs" : v.intake.state.replaceAll("-", " ");
    badge.className = "badge" + (v.intake.state === "running" ? "" : " paused");
    badge.title = v.intake.message || "New jobs are taken from the inbox";
    draw("running", v.running, runningItem);
    draw("waiting", v.waiting.map((w) => ({ ...w, id: w.name })), (w) =>
      el("li", { "data-job": w.name, "data-state": "waiting" }, el("span", { class: "job-name" }, w.name), el("span", { class: "muted" }, ` · since ${ago(w.since)}`)));
    finished = v.done;
    draw("done", v.done, doneItem);
    draw("failed", v.failed, failedItem);
    const s = v.settings;
    $("settings").replaceChildren(...[["Inbox", s.inbox], ["Outbox", s.outbox], ["API", s.api], ["Jobs at once", s.concurrency],
      ["Largest file", s.max_upload], ["Default language", s.default_language]].flatMap(([k, val]) => [el("dt", {}, k), el("dd", {}, String(val))]));
    $("updated").textContent = "updated " + new Date().toLocaleTimeString();
  } catch (e) {
    $("updated").textContent = "cannot reach Reelbox: " + e.message;
  }
}

$("submit-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const form = new FormData();
  form.append("prompt", $("prompt").value);
  form.append("name", $("name").value);
  [...$("files").files].forEach((f, i) => form.append(`file${i}`, f, f.name));
  $("submit").disabled = true;
  $("submit-result").textContent = "uploading…";
  try {
    const r = await fetch("/api/jobs", { method: "POST", body: form });
    const body = await r.json().catch(() => ({}));
    $("submit-result").textContent = r.ok ? `Added "${body.name}" to the inbox.` : `Not added: ${body.message || r.status}`;
    if (r.ok) e.target.reset();
  } catch (err) {
    $("submit-result").textContent = "Not added: " + err.message;
  } finally {
    $("submit").disabled = false;
    refresh();
  }
});

refresh();
setInterval(() => { if (!document.hidden) refresh(); }, 1500);
