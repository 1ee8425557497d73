// The participation pages (建言献策, 公众投票): focus the error summary after a refused submission, and on a
// ballot show a live count of the choices (progressive enhancement: the server checks them anyway).
(function () {
  "use strict";
  var errors = document.getElementById("form-errors") || document.getElementById("ballot-errors");
  if (errors) errors.focus();

  var counter = document.querySelector(".ballot .counter");
  if (!counter) return;
  var max = parseInt(counter.dataset.max, 10);
  var boxes = document.querySelectorAll(".ballot input[name=options]");
  function update() {
    var n = 0;
    boxes.forEach(function (b) { if (b.checked) n++; });
    counter.textContent = "已选 " + n + " 项，最多可选 " + max + " 项" + (n > max ? "（已超出，请减少）" : "");
    counter.className = "counter" + (n > max ? " error" : "");
  }
  boxes.forEach(function (b) { b.addEventListener("change", update); });
  update();
})();
