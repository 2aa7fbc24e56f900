/* The bell's unread count, kept fresh by asking a small JSON address every 30 seconds.
   A poll that finds nothing new costs a 304 without a body (the server's ETag is the count);
   a hidden tab does not ask at all, and asks at once when shown again. */
(function () {
  "use strict";
  var bell = document.querySelector("[data-bell-url]");
  if (!bell || !window.fetch) { return; }
  var count = bell.querySelector("[data-bell-count]");
  var label = bell.querySelector("[data-bell-label]");
  var INTERVAL = 30000;
  var etag = null;
  var timer = null;

  function show(unread) {
    count.textContent = String(unread);
    count.hidden = unread === 0;
    if (label && bell.dataset.labelTemplate) {
      label.textContent = bell.dataset.labelTemplate.replace("__N__", String(unread));
    }
  }

  function poll() {
    var headers = {"Accept": "application/json"};
    if (etag) { headers["If-None-Match"] = etag; }
    fetch(bell.dataset.bellUrl, {headers: headers, credentials: "same-origin", cache: "no-store"})
      .then(function (response) {
        if (response.status === 304) { return null; }
        if (!response.ok) { throw new Error(String(response.status)); }
        etag = response.headers.get("ETag");
        return response.json();
      })
      .then(function (data) {
        if (data && typeof data.unread === "number") { show(data.unread); }
      })
      .catch(function () { /* offline or signed out: try again at the next tick */ });
  }

  function start() {
    if (timer === null) { timer = window.setInterval(poll, INTERVAL); }
  }

  function stop() {
    if (timer !== null) { window.clearInterval(timer); timer = null; }
  }

  document.addEventListener("visibilitychange", function () {
    if (document.hidden) { stop(); } else { poll(); start(); }
  });
  start();
}());
