/* Progressive enhancement only: every form works without this file. */
(function () {
  "use strict";
  var token = document.querySelector('meta[name="csrf-token"]');

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
})();
