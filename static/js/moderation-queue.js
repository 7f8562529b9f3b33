/* Moderation queue: "select all on this page" for bulk reject, with the count on the page and on the button. The
   server asks for a confirmation either way (the confirmation page lists what will be rejected). */
(function () {
  "use strict";

  var form = document.getElementById("bulk-form");
  var all = document.getElementById("select-all");
  if (!form || !all) { return; }
  var boxes = form.querySelectorAll('input[name="sighting_ids"]');
  var count = document.getElementById("bulk-count");
  var submit = form.querySelector("[type=submit]");

  function update() {
    var selected = 0;
    boxes.forEach(function (box) { if (box.checked) { selected += 1; } });
    all.checked = selected === boxes.length;
    all.indeterminate = selected > 0 && selected < boxes.length;
    count.textContent = form.dataset.msgSelected.replace("{0}", String(selected));
    submit.value = form.dataset.msgSubmit.replace("{0}", String(selected));
    submit.disabled = selected === 0;
  }
  all.hidden = false;
  all.addEventListener("change", function () {
    boxes.forEach(function (box) { box.checked = all.checked; });
    update();
  });
  boxes.forEach(function (box) { box.addEventListener("change", update); });
  update();
})();
