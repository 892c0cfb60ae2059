// The directory's results on a map (web/pages/directory-page.ts). The results come from a JSON data
// block, never from inline script (CSP script-src 'self'); text goes into the popups as text nodes.
// Markers are vector circles, so they show even when the tile server cannot be reached.
(function () {
  "use strict";
  var data = document.getElementById("directory-results");
  var container = document.getElementById("directory-map");
  if (!data || !container || typeof L === "undefined") return;
  var items;
  try {
    items = JSON.parse(data.textContent || "[]");
  } catch (error) {
    return;
  }
  if (!Array.isArray(items)) return;
  var located = items.filter(function (item) {
    return typeof item.lat === "number" && typeof item.lon === "number";
  });
  if (located.length === 0) return;

  var map = L.map(container, { scrollWheelZoom: false });
  var tileUrl = container.getAttribute("data-tile-url");
  if (tileUrl) {
    L.tileLayer(tileUrl, { maxZoom: 19, attribution: container.getAttribute("data-attribution") || "" }).addTo(map);
  }

  var points = located.map(function (item) {
    var marker = L.circleMarker([item.lat, item.lon], {
      radius: 8,
      weight: 2,
      color: "#1f6f4a",
      fillColor: "#3fae7a",
      fillOpacity: 0.9,
      className: "directory-marker",
    });
    marker.bindPopup(popup(item));
    marker.bindTooltip(item.name);
    marker.addTo(map);
    return [item.lat, item.lon];
  });
  if (points.length === 1) map.setView(points[0], 12);
  else map.fitBounds(points, { padding: [24, 24], maxZoom: 13 });
  container.classList.add("directory-map-ready");

  function popup(item) {
    var root = document.createElement("div");
    root.className = "directory-popup";
    var link = document.createElement("a");
    link.href = item.url;
    link.textContent = item.name;
    root.appendChild(link);
    var details = [item.place, item.origin ? "from " + item.origin : null, item.distanceKm === null ? null : item.distanceKm + " km"].filter(Boolean);
    if (details.length > 0) {
      var line = document.createElement("div");
      line.textContent = details.join(" · ");
      root.appendChild(line);
    }
    return root;
  }
})();
