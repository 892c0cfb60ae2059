// "Use my location" on the report-a-build form (web/components/designs/made-report-form.ts): fills the
// latitude and longitude from the browser's geolocation, which asks the visitor first. Without
// JavaScript (or geolocation) the button stays hidden and the fields are typed.
(function () {
  "use strict";
  var button = document.querySelector("form.made-form .use-location");
  if (!button || !navigator.geolocation) return;
  var status = document.querySelector("form.made-form .location-status");
  var latitude = document.getElementById("latitude");
  var longitude = document.getElementById("longitude");
  button.hidden = false;
  button.addEventListener("click", function () {
    status.textContent = "Finding your location…";
    navigator.geolocation.getCurrentPosition(
      function (position) {
        // Four decimals are about 11 m: enough to place a workshop, not a front door.
        latitude.value = position.coords.latitude.toFixed(4);
        longitude.value = position.coords.longitude.toFixed(4);
        status.textContent = "Location filled in.";
      },
      function (error) {
        status.textContent = "Your location is not available (" + error.message + "); type the coordinates instead.";
      },
      { enableHighAccuracy: false, timeout: 10000, maximumAge: 600000 },
    );
  });
})();
