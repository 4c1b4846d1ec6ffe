/* faqbot chat widget: embed with <script src="https://BOT-HOST/widget.js" defer></script>.
   Options as data- attributes on that tag: data-title, data-accent, data-position (right|left),
   data-welcome, data-open ("true" opens on load). Plain DOM only: text goes in with
   textContent, never as HTML. */
(function () {
  "use strict";
  var script = document.currentScript || document.querySelector('script[src*="widget.js"]');
  if (!script || window.__faqbotLoaded) return;
  window.__faqbotLoaded = true;
  var BASE = new URL(script.src, location.href).origin;
  var opt = script.dataset || {};
  var MAX = 1000;
  var STORE = "faqbot:" + BASE;
  var state = load() || { session: null, items: [], open: false };
  var clinic = { name: opt.title || "Clinic assistant", phone: "", email: "", starters: [] };
  var pending = null;

  function load() {
    try { return JSON.parse(sessionStorage.getItem(STORE)); } catch (e) { return null; }
  }
  function save() {
    try { sessionStorage.setItem(STORE, JSON.stringify(state)); } catch (e) { /* private mode: no persistence */ }
  }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text != null) node.textContent = text;
    return node;
  }

  var host = el("div", { id: "faqbot-widget" });
  var root = host.attachShadow({ mode: "open" });
  var style = el("link", { rel: "stylesheet", href: BASE + "/widget.css" });
  root.appendChild(style);
  if (opt.accent) host.style.setProperty("--faqbot-accent", opt.accent);
  var wrap = el("div", { class: "faqbot " + (opt.position === "left" ? "left" : "right") });
  // The accessible name is the visible text (WCAG 2.5.3).
  var launcher = el("button", { type: "button", class: "launcher", "aria-expanded": "false", "aria-controls": "faqbot-panel" }, "Chat with us");
  var panel = el("section", { id: "faqbot-panel", class: "panel", role: "dialog", "aria-label": "Chat", hidden: "" });
  // A plain div, not <header>: the host page keeps its one banner landmark.
  var head = el("div", { class: "head" });
  var title = el("h2", { class: "title" }, clinic.name);
  var close = el("button", { type: "button", class: "close" });
  close.appendChild(el("span", { "aria-hidden": "true" }, "\u00d7")); close.appendChild(el("span", { class: "sr" }, "Close chat"));
  head.appendChild(title); head.appendChild(close);
  var log = el("div", { class: "log", role: "log", "aria-live": "polite", "aria-label": "Conversation" });
  var typing = el("div", { class: "typing", hidden: "", "aria-hidden": "true" });
  typing.appendChild(el("span")); typing.appendChild(el("span")); typing.appendChild(el("span"));
  var errorBox = el("div", { class: "error", role: "alert", hidden: "" });
  var errorText = el("span", {}, "");
  var retry = el("button", { type: "button", class: "retry" }, "Retry");
  errorBox.appendChild(errorText); errorBox.appendChild(retry);
  var form = el("form", { class: "composer" });
  var input = el("textarea", { rows: "1", maxlength: String(MAX), "aria-label": "Type your message", placeholder: "Ask a question\u2026", "aria-describedby": "faqbot-count" });
  var count = el("span", { id: "faqbot-count", class: "count", "aria-live": "off" }, "0/" + MAX);
  var send = el("button", { type: "submit", class: "send", "aria-label": "Send message" }, "Send");
  form.appendChild(input); form.appendChild(send);
  var meta = el("div", { class: "meta" });
  var foot = el("p", { class: "disclaimer" }, "");
  meta.appendChild(foot); meta.appendChild(count);
  panel.appendChild(head); panel.appendChild(log); panel.appendChild(typing); panel.appendChild(errorBox);
  panel.appendChild(form); panel.appendChild(meta);
  wrap.appendChild(panel); wrap.appendChild(launcher);
  root.appendChild(wrap);

  function chips(list, cls, onPick) {
    var box = el("div", { class: "chips " + (cls || "") });
    list.forEach(function (text) {
      var b = el("button", { type: "button", class: "chip" }, text);
      b.addEventListener("click", function () { onPick(text); });
      box.appendChild(b);
    });
    return box;
  }

  function bubble(item) {
    var row = el("div", { class: "msg " + item.who });
    var body = el("div", { class: "bubble" });
    body.appendChild(el("span", { class: "sr" }, item.who === "user" ? "You said: " : "Assistant: "));
    body.appendChild(el("span", { class: "text" }, item.text));
    row.appendChild(body);
    if (item.who !== "bot") return row;
    if (item.type === "handoff" && (clinic.phone || clinic.email)) {
      var links = el("p", { class: "links" });
      if (clinic.phone) links.appendChild(el("a", { href: "tel:" + clinic.phone.replace(/[^+\d]/g, "") }, "Call " + clinic.phone));
      if (clinic.email) links.appendChild(el("a", { href: "mailto:" + clinic.email }, "Email " + clinic.email));
      body.appendChild(links);
    }
    if (item.sources && item.sources.length) {
      var det = el("details", { class: "sources" });
      det.appendChild(el("summary", {}, "Based on"));
      item.sources.forEach(function (s) { det.appendChild(el("blockquote", {}, s)); });
      body.appendChild(det);
    }
    if (item.reply_id && (item.type === "answer" || item.type === "handoff" || item.type === "clarify")) {
      var fb = el("div", { class: "feedback" });
      [["up", true, "Helpful"], ["down", false, "Not helpful"]].forEach(function (f) {
        var b = el("button", { type: "button", class: "thumb " + f[0], "aria-label": f[2], "aria-pressed": String(item.helpful === f[1]) }, f[1] ? "Helpful" : "Not helpful");
        b.addEventListener("click", function () { rate(item, f[1], fb); });
        fb.appendChild(b);
      });
      body.appendChild(fb);
    }
    return row;
  }

  function render() {
    while (log.firstChild) log.removeChild(log.firstChild);
    log.appendChild(el("p", { class: "welcome" }, opt.welcome || clinic.welcome || "Hi! What would you like to know?"));
    if (!state.items.length && clinic.starters.length) log.appendChild(chips(clinic.starters, "starters", ask));
    state.items.forEach(function (item) { log.appendChild(bubble(item)); });
    var last = state.items[state.items.length - 1];
    if (last && last.who === "bot" && last.suggestions && last.suggestions.length) {
      log.appendChild(chips(last.suggestions, last.type === "clarify" ? "choices" : "", ask));
    }
    log.scrollTop = log.scrollHeight;
  }

  function setOpen(open, focusLauncher) {
    state.open = open; save();
    panel.hidden = !open;
    launcher.setAttribute("aria-expanded", String(open));
    launcher.hidden = open;
    if (open) { render(); input.focus(); } else if (focusLauncher) { launcher.focus(); }
  }

  function showError(message) {
    errorText.textContent = message;
    errorBox.hidden = false;
  }

  function post(path, body) {
    return fetch(BASE + path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body), credentials: "omit" });
  }

  function ask(text) {
    text = (text || "").trim();
    if (!text || pending) return;
    pending = text;
    errorBox.hidden = true;
    state.items.push({ who: "user", text: text });
    save(); render();
    typing.hidden = false; send.disabled = true;
    post("/api/chat", { message: text, session_id: state.session || undefined })
      .then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (data) {
          if (!r.ok) throw new Error((data.error && data.error.message) || ("The assistant answered with an error (" + r.status + ")."));
          return data;
        });
      })
      .then(function (data) {
        state.session = data.session_id;
        state.items.push({ who: "bot", text: data.answer, type: data.type, reply_id: data.reply_id, sources: data.sources, suggestions: data.suggestions });
        if (input.value.trim() === text) { input.value = ""; updateCount(); }
        pending = null; save(); render();
      })
      .catch(function (err) {
        state.items.pop();
        if (!input.value.trim()) { input.value = text; updateCount(); }
        pending = null; save(); render();
        showError(err && err.message && err.message.indexOf("fetch") === -1 ? err.message : "Can't reach the assistant. Check your connection and try again.");
      })
      .then(function () { typing.hidden = true; send.disabled = false; });
  }

  function rate(item, helpful, box) {
    item.helpful = helpful; save();
    Array.prototype.forEach.call(box.children, function (b, i) { b.setAttribute("aria-pressed", String((i === 0) === helpful)); });
    post("/api/feedback", { reply_id: item.reply_id, helpful: helpful }).catch(function () { /* feedback is best effort */ });
  }

  function updateCount() {
    count.textContent = input.value.length + "/" + MAX;
    count.classList.toggle("near", input.value.length > MAX - 100);
  }

  launcher.addEventListener("click", function () { setOpen(true); });
  close.addEventListener("click", function () { setOpen(false, true); });
  panel.addEventListener("keydown", function (e) { if (e.key === "Escape") { e.preventDefault(); setOpen(false, true); } });
  input.addEventListener("input", updateCount);
  input.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); ask(input.value); }
  });
  form.addEventListener("submit", function (e) { e.preventDefault(); ask(input.value); });
  retry.addEventListener("click", function () { ask(input.value); });

  function start() {
    document.body.appendChild(host);
    fetch(BASE + "/api/clinic", { credentials: "omit" }).then(function (r) { return r.ok ? r.json() : null; })
      .then(function (c) {
        if (c) { clinic = c; title.textContent = opt.title || c.name; foot.textContent = c.disclaimer || ""; }
        if (!panel.hidden) render();
      }).catch(function () { /* the chat still works without the clinic's details */ });
    if (state.open || opt.open === "true") setOpen(true);
  }
  if (document.body) start(); else document.addEventListener("DOMContentLoaded", start);
})();
