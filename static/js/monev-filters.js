// The monev period box shows the dates actually applied beside the preset they match.
// Picking a preset clears the dates (the preset decides them); editing a date switches the
// preset to "Tanggal pilihan", so the dates typed are the ones applied. Without this
// script the form still works: a preset wins over the dates.
(function () {
  "use strict";
  function wire() {
    var preset = document.getElementById("id_preset");
    var dates = [document.getElementById("id_start"), document.getElementById("id_end")];
    if (!preset || !dates[0] || !dates[1]) return;
    preset.addEventListener("change", function () {
      if (preset.value) dates.forEach(function (d) { d.value = ""; });
    });
    dates.forEach(function (d) {
      d.addEventListener("change", function () { preset.value = ""; });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", wire);
  else wire();
})();
