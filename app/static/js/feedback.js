/* "Did this solve your problem?" (templates/threads/_solution_feedback.html), answered without
   leaving the page. A member's page has its CSRF token in <meta>; a visitor's page has none (it may
   be shared: app/web/page_cache.py), so the token comes from the never-cached /feedback/token.
   The server answers {"message": …} or {"error": …}; anything else falls back to the plain form. */
(function () {
  "use strict";
  var box = document.getElementById("solution-feedback");
  if (!box || !window.fetch) { return; }
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
      return fetch(form.getAttribute("action"), {
        method: "POST",
        headers: {
          "X-CSRFToken": csrf,
          "Accept": "application/json",
          "Content-Type": "application/x-www-form-urlencoded"
        },
        body: new URLSearchParams({ helpful: button.value }).toString(),
        credentials: "same-origin"
      });
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") === -1) { throw new Error("not JSON"); }
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
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
