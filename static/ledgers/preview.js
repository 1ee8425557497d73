// The ledger import page in the admin: while the import runs, poll its status and show the stage and the
// rows done; reload when it has finished.
(function () {
  "use strict";
  var box = document.getElementById("ledger-import");
  if (!box || box.dataset.running !== "1") return;
  var stages = {queued: "排队中", read: "读取中", check: "核对中", write: "写入中", done: "完成"};
  function poll() {
    fetch(box.dataset.statusUrl, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (data) {
      var p = data.progress || {};
      document.getElementById("ledger-status").textContent = data.status_label;
      document.getElementById("ledger-progress-text").textContent =
        (stages[p.stage] || "处理中") + (p.total ? "：" + p.done + " / " + p.total : (p.done ? "：" + p.done + " 行" : ""));
      if (p.total) { var bar = document.getElementById("ledger-progress"); bar.max = p.total; bar.value = p.done; }
      if (data.running) { setTimeout(poll, 1000); } else { window.location.reload(); }
    }).catch(function () { setTimeout(poll, 3000); });
  }
  poll();
})();
