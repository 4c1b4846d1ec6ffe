/* faqbot chat widget: embed with <script src="https://BOT-HOST/widget.js" defer></script>.
   Options as data- attributes on that tag: data-title, data-accent, data-position (right|left),
   data-welcome, data-open ("true" opens on load). Plain DOM only: text goes in with
   textContent, never as HTML; links are built as nodes, and only for https, tel and mailto. */
(function () {
  "use strict";
  var script = document.currentScript || document.querySelector('script[src*="widget.js"]');
  if (!script || window.__faqbotLoaded) return;
  window.__faqbotLoaded = true;
  var BASE = new URL(script.src, location.href).origin;
  var opt = script.dataset || {};
  var MAX = 1000;
  var STORE = "faqbot:" + BASE;
  var OFFLINE = "Can't reach the assistant. Check your connection and try again.";
  // Secure web addresses, e-mail addresses and runs of digits inside a reply's text.
  var LINK = /https:\/\/[^\s<>"'()]*[^\s<>"'().,;:!?]|[\w.%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}|\+?\(?\d[\d ().-]{5,}\d/g;
  // Phone numbers: "+44 20 7946 0000", "(555) 010-0199", "555 010 0199", "020 7946 0000"; not dates or ranges.
  var PHONE = /^(?:\+\d.*|\(\d{2,5}\) ?\d.*|\d{3}([ .-])\d{3}\1\d{4}|0\d{1,4}(?:[ -]\d{2,4}){1,4})$/;
  // A hand-off that begins so is urgent advice (URGENT_OPENING in bot/dialogue.py).
  var URGENT_OPENING = "If it feels severe or is getting worse quickly";
  var TYPES = ["answer", "clarify", "smalltalk", "fallback", "handoff"];
  var state = load() || { session: null, items: [], open: false };
  var clinic = null; // the clinic's details, once /api/clinic has answered
  var pending = null, generation = 0, clinicTries = 0, clinicTimer = null;
  var phone = window.matchMedia("(max-width: 480px)");

  // A stored conversation is shown only if every part of it can be; otherwise it is dropped.
  function load() {
    var saved = null;
    try { saved = JSON.parse(sessionStorage.getItem(STORE)); } catch (e) { /* unreadable: start afresh */ }
    var items = saved && Array.isArray(saved.items) ? saved.items.map(tidy) : [null];
    if (items.indexOf(null) >= 0) return null;
    return { session: typeof saved.session === "string" ? saved.session : null, items: items, open: saved.open === true };
  }
  function strings(list) {
    return Array.isArray(list) ? list.filter(function (s) { return typeof s === "string"; }) : [];
  }
  // A message as kept and shown: only the fields used, of the kinds expected; null without text.
  function tidy(m) {
    if (!m || typeof m.text !== "string" || (m.who !== "user" && m.who !== "bot")) return null;
    if (m.who === "user") return { who: "user", text: m.text };
    return { who: "bot", text: m.text, type: TYPES.indexOf(m.type) >= 0 ? m.type : "",
             reply_id: typeof m.reply_id === "string" ? m.reply_id : null, sources: strings(m.sources),
             suggestions: strings(m.suggestions), helpful: typeof m.helpful === "boolean" ? m.helpful : null };
  }
  function isUrgent(item) { return item.type === "handoff" && item.text.indexOf(URGENT_OPENING) === 0; }
  function save() {
    try { sessionStorage.setItem(STORE, JSON.stringify(state)); } catch (e) { /* private mode: no persistence */ }
  }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text != null) node.textContent = text;
    return node;
  }
  function add(parent) {
    for (var i = 1; i < arguments.length; i++) if (arguments[i]) parent.appendChild(arguments[i]);
    return parent;
  }
  function web(url) { return /^https:\/\/\S+$/i.test(url || "") ? url : ""; }
  function tel(number) { return "tel:" + number.replace(/[^+\d]/g, ""); }
  function link(href, text) {
    var a = el("a", { href: href }, text);
    if (/^https:/i.test(href)) { a.target = "_blank"; a.rel = "noopener noreferrer"; }
    return a;
  }

  var host = el("div", { id: "faqbot-widget" });
  var root = host.attachShadow({ mode: "open" });
  root.appendChild(el("link", { rel: "stylesheet", href: BASE + "/widget.css" }));
  if (opt.accent) host.style.setProperty("--faqbot-accent", opt.accent);
  var wrap = el("div", { class: "faqbot " + (opt.position === "left" ? "left" : "right") });
  // The accessible name is the visible text (WCAG 2.5.3).
  var launcher = el("button", { type: "button", class: "launcher", "aria-expanded": "false", "aria-controls": "faqbot-panel" }, "Chat with us");
  // Focusable by script only: a click on its plain text keeps focus in the chat, so Esc still closes it.
  var panel = el("section", { id: "faqbot-panel", class: "panel", role: "dialog", "aria-label": "Chat", tabindex: "-1", hidden: "" });
  var title = el("h2", { class: "title" }, opt.title || "Chat with us");
  var restart = el("button", { type: "button", class: "restart" }, "Start over");
  var close = add(el("button", { type: "button", class: "close" }), el("span", { "aria-hidden": "true" }, "\u00d7"), el("span", { class: "sr" }, "Close chat"));
  // A plain div, not <header>: the host page keeps its one banner landmark.
  var head = add(el("div", { class: "head" }), title, add(el("div", { class: "tools" }), restart, close));
  var log = el("div", { class: "log", role: "log", "aria-live": "polite", "aria-label": "Conversation", tabindex: "0" });
  var welcome = el("p", { class: "welcome" });
  var privacy = el("p", { class: "privacy" });
  var intro = add(el("div", { class: "intro" }), welcome, privacy);
  var starters = null, offered = null; // the chips shown before the first question, and after the last reply
  var waiting = []; // action boxes to fill once the clinic's details arrive
  var dots = add(el("span", { class: "dots", "aria-hidden": "true", hidden: "" }), el("span"), el("span"), el("span"));
  var status = el("span", { class: "sr" });
  var typing = add(el("div", { class: "typing", role: "status" }), status, dots);
  // Urgent advice is announced here once, as it arrives; the log keeps it without an alert role.
  var alarm = el("p", { class: "sr", role: "alert", hidden: "" });
  var errorText = el("span", {}, "");
  var retry = el("button", { type: "button", class: "retry" }, "Retry");
  var errorBox = add(el("div", { class: "error", role: "alert", hidden: "" }), errorText, retry);
  var input = el("textarea", { rows: "1", maxlength: String(MAX), "aria-label": "Type your message", placeholder: "Ask a question\u2026", "aria-describedby": "faqbot-count" });
  var count = el("span", { id: "faqbot-count", class: "count", "aria-live": "off" }, "0/" + MAX);
  var send = el("button", { type: "submit", class: "send", "aria-label": "Send message" }, "Send");
  var form = add(el("form", { class: "composer" }), input, send);
  var foot = el("p", { class: "disclaimer" }, "");
  add(panel, head, add(log, intro), alarm, typing, errorBox, form, add(el("div", { class: "meta" }), foot, count));
  root.appendChild(add(wrap, panel, launcher));

  function chips(list, cls) {
    var box = el("div", { class: "chips " + (cls || "") });
    list.forEach(function (text) {
      var b = el("button", { type: "button", class: "chip" }, text);
      b.addEventListener("click", function () { input.focus(); ask(text); });
      box.appendChild(b);
    });
    return box;
  }

  function linkify(text) {
    var out = document.createDocumentFragment(), at = 0, m;
    LINK.lastIndex = 0;
    while ((m = LINK.exec(text))) {
      var s = m[0], href = null;
      if (s[0] === "(" && s.indexOf(")") < 0) { s = s.slice(1); m.index++; } // "(" opens the sentence's aside
      if (/^https/i.test(s)) href = s;
      else if (s.indexOf("@") > 0) href = "mailto:" + s;
      else if (dialable(s)) href = tel(s);
      if (!href) continue;
      out.appendChild(document.createTextNode(text.slice(at, m.index)));
      out.appendChild(link(href, s));
      at = m.index + s.length;
    }
    out.appendChild(document.createTextNode(text.slice(at)));
    return out;
  }

  function dialable(s) {
    var digits = s.replace(/\D/g, "");
    if (digits.length < 7 || digits.length > 15) return false;
    return PHONE.test(s) && (s[0] !== "0" || digits.length > 8) || !!clinic && digits === String(clinic.phone).replace(/\D/g, "");
  }

  // Call, e-mail and booking actions under hand-offs and fallbacks. Urgent advice leads with the emergency number
  // when one is set; after it, only the clinic's call, named as the clinic's. Filled in once the clinic's details arrive.
  function actions(item, kind) {
    if (item.type !== "handoff" && item.type !== "fallback") return null;
    var box = el("p", { class: "links " + kind });
    if (clinic) fill(box, kind); else waiting.push([box, kind]);
    return box;
  }
  function fill(box, kind) {
    var c = clinic, sos = c.emergency_phone;
    if (kind === "lead") return add(box, sos && el("a", { href: tel(sos) }, "Call emergency services (" + sos + ")"));
    add(box, c.phone && el("a", { href: tel(c.phone) }, "Call " + (kind === "all" ? c.phone : (c.name || "the clinic") + " (" + c.phone + ")")));
    if (kind === "all") add(box, c.email && el("a", { href: "mailto:" + c.email }, "Email " + c.email), web(c.booking_url) && link(c.booking_url, "Book an appointment"));
  }

  function bubble(item) {
    var row = el("div", { class: "msg " + item.who });
    var body = el("div", { class: "bubble" });
    var text = el("span", { class: "text" });
    row.appendChild(body);
    body.appendChild(el("span", { class: "sr" }, item.who === "user" ? "You said: " : "Assistant: "));
    if (item.who !== "bot") { text.textContent = item.text; body.appendChild(text); return row; }
    text.appendChild(linkify(item.text));
    if (isUrgent(item)) {
      row.classList.add("urgent");
      add(body, el("strong", { class: "label" }, "Urgent"), actions(item, "lead"), text, actions(item, "clinic"));
    } else {
      add(body, text, actions(item, "all"));
    }
    if (item.sources.length) {
      var det = add(el("details", { class: "sources" }), el("summary", {}, "Based on"));
      item.sources.forEach(function (s) { det.appendChild(el("blockquote", {}, s)); });
      body.appendChild(det);
    }
    if (item.reply_id && (item.type === "answer" || item.type === "handoff" || item.type === "clarify")) {
      var fb = el("div", { class: "feedback" });
      var thanks = el("span", { class: "thanks", role: "status" }, item.helpful == null ? "" : "Thank you for your feedback.");
      [[true, "Helpful"], [false, "Not helpful"]].forEach(function (f) {
        var b = el("button", { type: "button", class: "thumb", "aria-pressed": String(item.helpful === f[0]) }, f[1]);
        b.addEventListener("click", function () { rate(item, f[0], fb, thanks); });
        fb.appendChild(b);
      });
      body.appendChild(add(fb, thanks));
    }
    return row;
  }

  // The log only ever grows by what is new, so a screen reader announces just that.
  function offer() {
    var focused = root.activeElement;
    [starters, offered].forEach(function (box) { if (box) box.remove(); });
    starters = offered = null;
    var last = state.items[state.items.length - 1];
    if (!state.items.length && clinic && clinic.starters && clinic.starters.length) log.appendChild(starters = chips(clinic.starters, "starters"));
    else if (!pending && last && last.who === "bot" && last.suggestions.length) {
      log.appendChild(offered = chips(last.suggestions, last.type === "clarify" ? "choices" : ""));
    }
    if (focused && !focused.isConnected && !panel.hidden) input.focus();
  }

  // A new message goes last: the chips offered before it stay where they are until its reply replaces them.
  function append(item) {
    return log.appendChild(bubble(item));
  }

  // A reply opens at its first line; a short one simply shows at the end.
  function reveal(row) {
    var end = log.scrollHeight - log.clientHeight;
    log.scrollTop = row ? Math.min(row.offsetTop - 8, end) : end;
  }

  function build() {
    waiting = [];
    while (log.lastChild !== intro) log.removeChild(log.lastChild);
    state.items.forEach(append);
    offer();
  }

  function applyClinic() {
    var c = clinic || {};
    title.textContent = opt.title || c.name || "Chat with us";
    welcome.textContent = opt.welcome || c.welcome || "Hi! What would you like to know?";
    foot.textContent = c.disclaimer || "";
    while (privacy.firstChild) privacy.removeChild(privacy.firstChild);
    privacy.appendChild(document.createTextNode(c.retention_days
      ? "Your messages are kept for " + c.retention_days + " days so " + (c.name || "the clinic") + " can improve these answers. "
      : "Your messages may be kept so the clinic can improve these answers. "));
    privacy.appendChild(document.createTextNode("Please don't share more about yourself than you need to."));
    if (web(c.privacy_url)) { privacy.appendChild(document.createTextNode(" ")); privacy.appendChild(link(c.privacy_url, "Privacy policy")); }
    if (clinic) { waiting.forEach(function (w) { fill(w[0], w[1]); }); waiting = []; }
  }

  // Fetched at start, again on opening and after each reply until it works, and on a timer that backs off.
  function loadClinic() {
    if (clinic || clinicTimer === true) return;
    clearTimeout(clinicTimer); clinicTimer = true;
    fetch(BASE + "/api/clinic", { credentials: "omit" })
      .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.json(); })
      .then(function (c) { clinic = c; clinicTimer = null; applyClinic(); if (!state.items.length) offer(); })
      .catch(function () { clinicTimer = setTimeout(loadClinic, Math.min(300000, 5000 * Math.pow(2, clinicTries++))); });
  }

  function trap() {
    var modal = phone.matches && !panel.hidden;
    if (modal) panel.setAttribute("aria-modal", "true"); else panel.removeAttribute("aria-modal");
    return modal;
  }

  function quiet() { alarm.hidden = true; alarm.textContent = ""; }

  function setOpen(open, focusLauncher) {
    state.open = open; save(); quiet();
    panel.hidden = !open;
    launcher.setAttribute("aria-expanded", String(open));
    launcher.hidden = open;
    trap();
    if (open) { loadClinic(); reveal(); input.focus(); } else if (focusLauncher) { launcher.focus(); }
  }

  function showError(message) {
    errorText.textContent = message;
    errorBox.hidden = false;
    reveal(); // the banner takes room from the log: keep its end in view
  }

  function post(path, body) {
    return fetch(BASE + path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body), credentials: "omit" });
  }

  function ask(text) {
    text = (text || "").trim();
    if (!text || pending) return;
    var mine = generation;
    pending = text;
    if (!errorBox.hidden) { if (root.activeElement === retry) input.focus(); errorBox.hidden = true; }
    var item = { who: "user", text: text };
    state.items.push(item); save(); quiet();
    var row = append(item);
    reveal();
    status.textContent = "The assistant is typing\u2026"; dots.hidden = false; send.disabled = true;
    post("/api/chat", { message: text, session_id: state.session || undefined })
      .then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (data) {
          if (!r.ok || typeof data.answer !== "string") throw new Error((data.error && data.error.message) || ("The assistant answered with an error (" + r.status + ")."));
          return data;
        });
      })
      .then(function (data) {
        if (mine !== generation) return;
        var reply = tidy({ who: "bot", text: data.answer, type: data.type, reply_id: data.reply_id, sources: data.sources, suggestions: data.suggestions });
        if (typeof data.session_id === "string") state.session = data.session_id;
        state.items.push(reply);
        if (input.value.trim() === text) { input.value = ""; updateCount(); }
        pending = null; save();
        var shown = append(reply);
        offer(); reveal(shown); loadClinic();
        if (isUrgent(reply)) { alarm.textContent = "Urgent: " + reply.text; alarm.hidden = false; }
      }, function (err) {
        if (mine !== generation) return;
        state.items.splice(state.items.indexOf(item), 1);
        row.remove();
        if (!input.value.trim()) { input.value = text; updateCount(); }
        pending = null; save(); // the chips offered before stay as they were: nothing is added to the log again
        // fetch rejects with a TypeError when the network fails; its text differs by browser ("Load failed" on Safari).
        showError(err instanceof TypeError || !err || !err.message ? OFFLINE : err.message);
      })
      .finally(function () { if (mine === generation) { pending = null; status.textContent = ""; dots.hidden = true; send.disabled = false; } });
  }

  function startOver() {
    generation++;
    pending = null; status.textContent = ""; dots.hidden = true; send.disabled = false; quiet();
    state = { session: null, items: [], open: true }; save();
    errorBox.hidden = true; input.value = ""; updateCount();
    input.focus(); build(); reveal();
    status.textContent = "New conversation started.";
  }

  // Thanked once the server has it; otherwise the visitor is told and may press again.
  function rate(item, helpful, box, thanks) {
    thanks.textContent = "";
    post("/api/feedback", { reply_id: item.reply_id, helpful: helpful })
      .then(function (r) {
        if (!r.ok) throw new Error(String(r.status));
        item.helpful = helpful; save();
        Array.prototype.forEach.call(box.querySelectorAll("button"), function (b, i) { b.setAttribute("aria-pressed", String((i === 0) === helpful)); });
        thanks.textContent = "Thank you for your feedback.";
      })
      .catch(function () { thanks.textContent = "Your feedback was not sent. Please try again."; });
  }

  // The message box grows with its text, up to the CSS max-height, then scrolls.
  function updateCount() {
    count.textContent = input.value.length + "/" + MAX;
    count.classList.toggle("near", input.value.length > MAX - 100);
    if (panel.hidden) return;
    var atEnd = log.scrollTop >= log.scrollHeight - log.clientHeight - 4;
    input.style.height = "auto";
    input.style.height = (input.scrollHeight + input.offsetHeight - input.clientHeight) + "px";
    if (atEnd) reveal();
  }

  // On a phone the chat covers the page: Tab and Shift+Tab stay inside it.
  function cycle(e) {
    if (!trap()) return;
    var all = Array.prototype.filter.call(panel.querySelectorAll("button, textarea, a[href], summary, [tabindex='0']"), function (n) {
      return !n.disabled && n.getClientRects().length;
    });
    var first = all[0], last = all[all.length - 1], at = root.activeElement;
    if (e.shiftKey && (at === first || !panel.contains(at))) { e.preventDefault(); last.focus(); }
    else if (!e.shiftKey && (at === last || !panel.contains(at))) { e.preventDefault(); first.focus(); }
  }

  launcher.addEventListener("click", function () { setOpen(true); });
  close.addEventListener("click", function () { setOpen(false, true); });
  restart.addEventListener("click", startOver);
  panel.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { e.preventDefault(); setOpen(false, true); } else if (e.key === "Tab") cycle(e);
  });
  if (phone.addEventListener) phone.addEventListener("change", trap);
  input.addEventListener("input", updateCount);
  input.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); ask(input.value); }
  });
  form.addEventListener("submit", function (e) { e.preventDefault(); ask(input.value); });
  retry.addEventListener("click", function () { input.focus(); ask(input.value); });

  function start() {
    document.body.appendChild(host);
    applyClinic(); build(); loadClinic();
    if (state.open || opt.open === "true") setOpen(true);
  }
  if (document.body) start(); else document.addEventListener("DOMContentLoaded", start);
})();
