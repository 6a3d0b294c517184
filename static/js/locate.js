// 随手拍: fill latitude and longitude from the browser when the resident asks; typing them (or an address) works
// without it. Served from static/ (no inline script: the site's Content-Security-Policy forbids it).
(function () {
  var button = document.getElementById("locate");
  if (!button || !navigator.geolocation) { if (button) { button.hidden = true; } return; }
  var status = document.getElementById("locate-status");
  button.addEventListener("click", function () {
    status.textContent = button.dataset.waiting;
    navigator.geolocation.getCurrentPosition(function (position) {
      document.getElementById("id_lat").value = position.coords.latitude.toFixed(6);
      document.getElementById("id_lng").value = position.coords.longitude.toFixed(6);
      status.textContent = button.dataset.done;
    }, function () {
      status.textContent = button.dataset.failed;
    }, {enableHighAccuracy: true, timeout: 10000});
  });
})();
