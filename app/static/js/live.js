/* Live thread pages: while a thread is open, ask the server every ~15 s (only while the tab is
   visible) whether answers, comments or marks appeared, and offer to show them without a reload.

   The poll sends the ETag of its last answer, so an unchanged thread costs a 304 with no body
   (app/web/live.py). "Show" fetches the new posts' HTML, rendered and sanitised by the server, and
   moves it into the page; what the reader is typing stays where it is. When marks changed (the
   solution moves to the top) or the thread was merged, "reload" loads the page again and puts the
   typed text back from sessionStorage. Polling pauses while the tab is hidden and stops after
   repeated errors or when the thread is gone. */
(function () {
  "use strict";

  var bar = document.getElementById("live-updates");
  if (!bar || !window.fetch || !window.DOMParser) { return; }

  var DRAFTS_KEY = "peerdesk-live-drafts:" + bar.dataset.thread;
  var MAX_ERRORS = 3;
  var interval = Math.max(1, parseFloat(bar.dataset.interval) || 15) * 1000;
  var since = bar.dataset.since;
  var message = bar.querySelector(".live-message");
  var button = bar.querySelector(".live-action");
  var etag = null;
  var latest = null; /* the last answer that told of something */
  var errors = 0;
  var timer = null;
  var stopped = false;
  var busy = false;

  /* --- what the reader typed survives a reload ---------------------------------------------- */

  function typedBoxes() {
    return Array.prototype.filter.call(document.querySelectorAll("main textarea[id]"), function (box) {
      return box.value.trim() !== "";
    });
  }

  function saveDrafts() {
    var drafts = {};
    typedBoxes().forEach(function (box) { drafts[box.id] = box.value; });
    try { sessionStorage.setItem(DRAFTS_KEY, JSON.stringify(drafts)); } catch (e) { /* storage off: nothing to keep */ }
  }

  function restoreDrafts() {
    var drafts;
    try {
      drafts = JSON.parse(sessionStorage.getItem(DRAFTS_KEY) || "null");
      sessionStorage.removeItem(DRAFTS_KEY);
    } catch (e) { return; }
    if (!drafts) { return; }
    Object.keys(drafts).forEach(function (id) {
      var box = document.getElementById(id);
      if (!box || box.tagName !== "TEXTAREA" || box.value.trim() !== "") { return; }
      box.value = drafts[id];
      var details = box.closest("details");
      if (details) { details.open = true; }
    });
  }

  /* --- the bar ------------------------------------------------------------------------------ */

  function say(text, action) {
    if (!text) { bar.hidden = true; return; }
    message.textContent = text;
    button.textContent = action === "reload" ? bar.dataset.reloadLabel : bar.dataset.showLabel;
    button.dataset.action = action;
    bar.hidden = false;
  }

  function stop(text) {
    stopped = true;
    clearTimeout(timer);
    if (text) { say(text, "reload"); }
  }

  /* --- polling ------------------------------------------------------------------------------ */

  function schedule(delay) {
    clearTimeout(timer);
    if (stopped || document.visibilityState === "hidden") { return; } /* resumed when visible again */
    timer = setTimeout(poll, delay);
  }

  function failed() {
    errors += 1;
    if (errors >= MAX_ERRORS) { stop(); return; }
    schedule(interval * Math.pow(2, errors)); /* back off: 30 s, then 60 s */
  }

  function poll() {
    if (stopped || busy) { return; }
    var headers = { "Accept": "application/json" };
    if (etag) { headers["If-None-Match"] = etag; }
    fetch(bar.dataset.updatesUrl + "?since=" + encodeURIComponent(since),
          { headers: headers, cache: "no-store", credentials: "same-origin" })
      .then(function (response) {
        if (response.status === 304) { errors = 0; schedule(interval); return; }
        if (response.status === 404) { stop(bar.dataset.goneLabel); return; }
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        etag = response.headers.get("ETag");
        return response.json().then(function (data) {
          errors = 0;
          latest = data;
          say(data.message, data.action);
          if (data.action === "reload" && data.url) { stopped = true; return; } /* merged: nothing more to learn here */
          schedule(interval);
        });
      })
      .catch(failed);
  }

  /* --- showing new posts -------------------------------------------------------------------- */

  function markNew(element) {
    element.classList.add("is-new");
  }

  /* On a thread with several pages of answers a new one belongs on the last page: go to it there
     (the page's typed text comes along) rather than append it to the page being read. */
  function goToFirstAnswer(doc) {
    var first = doc.querySelector("[data-live-answer]");
    if (!first) { return false; }
    saveDrafts();
    window.location.assign(bar.dataset.postUrl.replace(/0$/, first.dataset.liveAnswer));
    return true;
  }

  function insertAnswers(doc, added) {
    var section = document.querySelector("section.answers");
    if (!section) { return; }
    var before = section.querySelector(".pager");
    doc.querySelectorAll("[data-live-answer]").forEach(function (wrapper) {
      var article = wrapper.firstElementChild;
      if (!article || document.getElementById(article.id)) { return; }
      var empty = section.querySelector(":scope > .empty");
      if (empty) { empty.remove(); }
      section.insertBefore(document.adoptNode(article), before);
      markNew(article);
      added.push(article);
    });
  }

  function insertComments(doc, added) {
    doc.querySelectorAll("[data-live-comments-for]").forEach(function (wrapper) {
      var box = document.querySelector("#post-" + wrapper.dataset.liveCommentsFor + " > .comments");
      var list = wrapper.querySelector(".comment-list");
      if (!box || !list) { return; } /* that post is on another page of answers */
      var old = box.querySelector(":scope > .comment-list");
      list = document.adoptNode(list);
      /* Only the list is swapped: an open comment form below it keeps what is typed in it. */
      if (old) { box.replaceChild(list, old); } else { box.insertBefore(list, box.firstChild); }
      list.querySelectorAll(".comment").forEach(function (item) {
        if (!old || !old.querySelector("#" + CSS.escape(item.id))) { markNew(item); added.push(item); }
      });
    });
  }

  function show() {
    busy = true;
    fetch(bar.dataset.postsUrl + "?since=" + encodeURIComponent(since),
          { headers: { "Accept": "application/json" }, cache: "no-store", credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (data) {
        var doc = new DOMParser().parseFromString(data.html, "text/html");
        if (document.querySelector("section.answers .pager") && goToFirstAnswer(doc)) { return; }
        var added = [];
        insertAnswers(doc, added);
        insertComments(doc, added);
        since = data.since;
        etag = null;
        latest = null;
        say("");
        if (added.length) {
          added[0].setAttribute("tabindex", "-1");
          added[0].focus({ preventScroll: true });
          added[0].scrollIntoView({ behavior: "smooth", block: "center" });
        }
      })
      .catch(function () { say(bar.dataset.failedLabel, "reload"); })
      .then(function () { busy = false; schedule(interval); });
  }

  function reload() {
    saveDrafts();
    if (latest && latest.url) { window.location.assign(latest.url); } else { window.location.reload(); }
  }

  button.addEventListener("click", function () {
    if (button.dataset.action === "show") { show(); } else { reload(); }
  });

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { clearTimeout(timer); } else { schedule(0); }
  });

  restoreDrafts();
  schedule(interval);
})();
