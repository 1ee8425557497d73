/* Live completion rate beside each cumulative value, and a warning when it falls below last month's.
   Progressive: the page is complete without it (the server prints the rate of the saved value). */
(function () {
  "use strict";
  function parse(text) {
    var cleaned = String(text || "").replace(/[,，\s]/g, "");
    if (cleaned === "" || !/^\d*\.?\d*$/.test(cleaned)) return null;
    return parseFloat(cleaned);
  }
  function update(input) {
    var rate = document.querySelector('[data-rate-for="' + input.id + '"]');
    var annual = parseFloat(input.getAttribute("data-annual"));
    var value = parse(input.value);
    if (rate) {
      rate.textContent = value === null || !(annual > 0) ? "—" : (Math.round(value / annual * 1000) / 10).toFixed(1) + "%";
    }
    var below = document.querySelector('[data-below-for="' + input.id + '"]');
    if (below) below.hidden = !(value !== null && value < parseFloat(below.getAttribute("data-previous")));
  }
  // 报送 asks first; confirmed here, the server submits at once, otherwise it saves and asks on its page.
  document.querySelectorAll("button[data-confirm]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      if (!window.confirm(button.getAttribute("data-confirm"))) {
        event.preventDefault();
        return;
      }
      var confirmed = button.form.querySelector('input[name="confirmed"]');
      if (!confirmed) {
        confirmed = document.createElement("input");
        confirmed.type = "hidden";
        confirmed.name = "confirmed";
        button.form.appendChild(confirmed);
      }
      confirmed.value = "1";
    });
  });
  document.querySelectorAll("input[data-annual]").forEach(function (input) {
    input.addEventListener("input", function () { update(input); });
    update(input);
  });
})();
