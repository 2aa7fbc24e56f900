/* "Did this solve your problem?" (templates/threads/_solution_feedback.html), answered without
   leaving the page. A member's page has its CSRF token in <meta>; a visitor's page has none (it may
   be shared: app/web/page_cache.py), so the token comes from the never-cached /feedback/token.
   The server answers {"message": …} or {"error": …}; anything else falls back to the plain form.
   Needs site.js (window.peerdesk.postForJson), which every page loads first. */
(function () {
  "use strict";
  var box = document.getElementById("solution-feedback");
  if (!box || !window.fetch || !window.peerdesk) { return; }
  var form = box.querySelector("form");
  var message = box.querySelector("[aria-live]");
  var meta = document.querySelector('meta[name="csrf-token"]');
  var busy = false;
  var plain = false;

  function token() {
    if (meta) { return Promise.resolve(meta.content); }
    return fetch(box.dataset.tokenUrl, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      }).then(function (data) { return data.csrf_token; });
  }

  form.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (plain || !button) { return; }
    event.preventDefault();
    if (busy) { return; }
    busy = true;
    token().then(function (csrf) {
      return window.peerdesk.postForJson(form.getAttribute("action"), csrf,
                                         new URLSearchParams({ helpful: button.value }));
    }).then(function (result) {
      if (result.ok) {
        form.remove(); /* answered: the thanks takes the buttons' place */
        message.textContent = result.data.message;
      } else {
        message.textContent = result.data.error || "";
      }
    }).catch(function () {
      plain = true; /* send the ordinary form: the server answers with a page */
      if (form.requestSubmit) { form.requestSubmit(button); } else { button.click(); }
    }).then(function () { busy = false; });
  });
})();
