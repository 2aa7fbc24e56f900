/* The ask form's product context follows the board chosen: the product field shows only in a
   board with a product label, labelled by it, and both fields suggest that board's values.
   Progressive enhancement: without this file the page shows the fields of the board it was
   opened with, and the server ignores a product for a board that has no product field. */
(function () {
  "use strict";
  var wrapper = document.querySelector("[data-product-field]");
  var board = document.getElementById("board");
  if (!wrapper || !board) { return; }
  var labels = JSON.parse(wrapper.dataset.labels || "{}");
  var product = wrapper.querySelector("input");
  var label = wrapper.querySelector("label");
  var os = document.querySelector("[data-os-field]");

  function follow() {
    var chosen = board.value;
    var name = Object.prototype.hasOwnProperty.call(labels, chosen) ? labels[chosen] : null;
    wrapper.hidden = !name;
    if (name) {
      label.textContent = name;
      product.setAttribute("list", "products-" + chosen);
    }
    if (os) {
      os.setAttribute("list", document.getElementById("os-" + chosen) ? "os-" + chosen : "os-0");
    }
  }

  board.addEventListener("change", follow);
  follow();
}());
