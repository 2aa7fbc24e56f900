/* Progressive enhancement only: every form works without this file. */
(function () {
  "use strict";
  var token = document.querySelector('meta[name="csrf-token"]');

  /* POST a form's fields as the site's scripts do: resolves to {ok, data} when the server answers
     JSON, rejects otherwise (the caller then sends the ordinary form). Shared with feedback.js. */
  function postForJson(url, csrf, body) {
    return fetch(url, {
      method: "POST",
      headers: {
        "X-CSRFToken": csrf,
        "Accept": "application/json",
        "Content-Type": "application/x-www-form-urlencoded"
      },
      body: body.toString(),
      credentials: "same-origin"
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") === -1) { throw new Error("not JSON"); }
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    });
  }
  window.peerdesk = { postForJson: postForJson };

  /* Live preview of Markdown beside a text box, rendered and sanitised by the server. */
  function setUpPreview(textarea) {
    var box = document.querySelector('[data-preview-for="' + textarea.id + '"]');
    if (!box || !token) { return; }
    var target = box.querySelector(".post-body");
    var timer = null;
    var last = null;
    function refresh() {
      var text = textarea.value;
      if (text === last) { return; }
      last = text;
      if (!text.trim()) { box.hidden = true; return; }
      var body = new URLSearchParams();
      body.set("body", text);
      fetch(textarea.dataset.preview, {
        method: "POST",
        headers: { "X-CSRFToken": token.content, "Content-Type": "application/x-www-form-urlencoded" },
        body: body.toString(),
        credentials: "same-origin"
      }).then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.text();
      }).then(function (html) {
        target.innerHTML = html; /* the server returns bleach-sanitised HTML only */
        box.hidden = false;
      }).catch(function () { /* the preview button still works */ });
    }
    textarea.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(refresh, 400);
    });
  }

  document.querySelectorAll("textarea[data-preview]").forEach(setUpPreview);

  /* Kudos and "I have this question too": the same form, sent without leaving the page.
     The server answers {"count": n, "active": bool} or {"error": message}; anything else
     (a network error, a page instead of JSON) falls back to sending the form normally. */
  function setUpToggle(form) {
    var button = form.querySelector("button[data-on]");
    if (!button || !token || !window.fetch) { return; }
    var count = button.querySelector(".toggle-count");
    var message = document.createElement("span");
    message.className = "toggle-message";
    message.setAttribute("role", "status");
    form.appendChild(message);
    var busy = false;
    var plain = false;

    function show(active, n) {
      button.setAttribute("aria-pressed", active ? "true" : "false");
      button.value = active ? button.dataset.on : button.dataset.off;
      button.title = active ? button.dataset.titleOn : button.dataset.titleOff;
      button.setAttribute("aria-label", button.dataset.label.replace("{n}", String(n)));
      if (count) { count.textContent = String(n); }
    }

    form.addEventListener("submit", function (event) {
      if (plain) { return; }
      event.preventDefault();
      if (busy) { return; }
      busy = true;
      button.setAttribute("aria-busy", "true");
      message.textContent = "";
      var body = new URLSearchParams();
      new FormData(form).forEach(function (value, key) { body.append(key, value); });
      body.set("action", button.value);
      /* getAttribute: form.action would be the button named "action" */
      postForJson(form.getAttribute("action"), token.content, body).then(function (result) {
        if (result.ok) {
          show(result.data.active, result.data.count);
        } else if (result.data.sign_in) {
          window.location.assign(result.data.sign_in); /* signed out meanwhile */
        } else {
          message.textContent = result.data.error || "That did not work. Please reload the page.";
        }
      }).catch(function () {
        plain = true; /* send the ordinary form: the server answers with a page */
        if (form.requestSubmit) { form.requestSubmit(button); } else { button.click(); }
      }).then(function () {
        busy = false;
        button.removeAttribute("aria-busy");
      });
    });
  }

  document.querySelectorAll("form.toggle-form").forEach(setUpToggle);
})();

/* ---------------------------------------------------------------------------------------------
   Similar threads while asking (templates/boards/ask.html): as the title is typed, threads like
   it (solved first, from GET /search/similar) are listed under it as plain links, and a polite
   live region says how many. Without this script the server shows the same list as a step
   before posting; once the list has been shown here, the form carries checked_similar=1 and
   that step is skipped. Errors stay silent: the step on the server is the fallback. The page's ask
   session and chosen board go along, so the server records what was shown (app/web/deflection.py). */
(function () {
  "use strict";
  var box = document.querySelector("[data-similar-for]");
  var input = box && document.getElementById(box.dataset.similarFor);
  if (!input || !window.fetch) { return; }
  var section = box.querySelector("section");
  var list = section.querySelector("ul");
  var announce = box.querySelector("[aria-live]");
  var checked = input.form && input.form.elements.namedItem("checked_similar");
  var MIN_LENGTH = 3;
  var timer = null;
  var latest = 0; /* number of the newest lookup: an older answer arriving late is dropped */
  var lastTitle = null;

  function counted(n, one, many) {
    return n === 1 ? one : many.replace("{n}", String(n));
  }

  function badge(text, kind) {
    var span = document.createElement("span");
    span.className = "badge " + kind;
    span.textContent = text;
    return span;
  }

  function item(thread) {
    var li = document.createElement("li");
    li.className = "similar-item";
    var link = document.createElement("a");
    link.href = thread.url;
    link.textContent = thread.title;
    li.appendChild(link);
    if (thread.solved) { li.append(" ", badge(box.dataset.solved, "badge-solved")); }
    if (thread.official) { li.append(" ", badge(box.dataset.official, "badge-official")); }
    var meta = document.createElement("span");
    meta.className = "similar-meta";
    meta.textContent = thread.board + " · " + counted(thread.answers, box.dataset.answerOne, box.dataset.answerMany);
    li.append(" ", meta);
    return li;
  }

  function show(threads) {
    list.replaceChildren.apply(list, threads.map(item));
    section.hidden = threads.length === 0;
    announce.textContent = threads.length ?
      counted(threads.length, box.dataset.countOne, box.dataset.countMany) : "";
    if (threads.length && checked) { checked.value = "1"; }
  }

  function lookUp() {
    var title = input.value.trim();
    if (title === lastTitle) { return; }
    lastTitle = title;
    var mine = ++latest;
    if (title.length < MIN_LENGTH) { show([]); return; }
    var params = new URLSearchParams({ title: title });
    var board = input.form && input.form.elements.namedItem("board");
    if (box.dataset.askSession) { params.set("ask", box.dataset.askSession); }
    if (board && board.value && board.value !== "0") { params.set("board", board.value); }
    fetch(box.dataset.url + "?" + params.toString(), {
      headers: { "Accept": "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    }).then(function (threads) {
      if (mine === latest && Array.isArray(threads)) { show(threads); }
    }).catch(function () { /* silent: the server offers the list before posting instead */ });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(lookUp, 300);
  });
  if (input.value.trim()) { lookUp(); } /* back from a preview or an error: the title is typed already */
})();
