// Where a design or release was built, on a map (web/components/designs/made-here.ts). The points come
// from a JSON data block, never from inline script (CSP script-src 'self'); text goes into popups as
// text nodes. Markers are vector circles, so they show even when the tile server cannot be reached.
(function () {
  "use strict";
  var data = document.getElementById("made-points");
  var container = document.getElementById("made-map");
  if (!data || !container || typeof L === "undefined") return;
  var points;
  try {
    points = JSON.parse(data.textContent || "[]");
  } catch (error) {
    return;
  }
  if (!Array.isArray(points)) return;
  points = points.filter(function (p) {
    return typeof p.lat === "number" && typeof p.lon === "number";
  });
  if (points.length === 0) return;
  var map = L.map(container, { scrollWheelZoom: false });
  var tileUrl = container.getAttribute("data-tile-url");
  if (tileUrl) L.tileLayer(tileUrl, { maxZoom: 19, attribution: container.getAttribute("data-attribution") || "" }).addTo(map);
  var bounds = points.map(function (p) {
    var marker = L.circleMarker([p.lat, p.lon], { radius: 8, weight: 2, color: "#1f6f4a", fillColor: "#3fae7a", fillOpacity: 0.9, className: "made-marker" });
    var popup = document.createElement("div");
    var name = document.createElement("strong");
    name.textContent = p.name;
    popup.appendChild(name);
    if (p.detail) {
      var detail = document.createElement("div");
      detail.textContent = p.detail;
      popup.appendChild(detail);
    }
    marker.bindPopup(popup);
    marker.bindTooltip(p.name);
    marker.addTo(map);
    return [p.lat, p.lon];
  });
  if (bounds.length === 1) map.setView(bounds[0], 11);
  else map.fitBounds(bounds, { padding: [24, 24], maxZoom: 12 });
  container.classList.add("made-map-ready");
})();
