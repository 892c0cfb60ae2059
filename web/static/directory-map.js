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
  var hasPoint = function (item) {
    return typeof item.lat === "number" && typeof item.lon === "number";
  };
  // A design's builds: [latitude, longitude] pairs, drawn as smaller markers.
  var madeOf = function (item) {
    return Array.isArray(item.made)
      ? item.made.filter(function (p) {
          return Array.isArray(p) && typeof p[0] === "number" && typeof p[1] === "number";
        })
      : [];
  };
  var located = items.filter(function (item) {
    return hasPoint(item) || madeOf(item).length > 0;
  });
  if (located.length === 0) return;

  var map = L.map(container, { scrollWheelZoom: false });
  var tileUrl = container.getAttribute("data-tile-url");
  if (tileUrl) {
    L.tileLayer(tileUrl, { maxZoom: 19, attribution: container.getAttribute("data-attribution") || "" }).addTo(map);
  }

  var points = [];
  located.forEach(function (item) {
    madeOf(item).forEach(function (p) {
      var made = L.circleMarker(p, { radius: 5, weight: 1, color: "#8a4b08", fillColor: "#e39b3b", fillOpacity: 0.9, className: "directory-made-marker" });
      made.bindPopup(popup(item));
      made.bindTooltip(text("Made here: " + item.name));
      made.addTo(map);
      points.push(p);
    });
    if (!hasPoint(item)) return;
    var marker = L.circleMarker([item.lat, item.lon], {
      radius: 8,
      weight: 2,
      color: "#1f6f4a",
      fillColor: "#3fae7a",
      fillOpacity: 0.9,
      className: "directory-marker",
    });
    marker.bindPopup(popup(item));
    marker.bindTooltip(text(item.name));
    marker.addTo(map);
    points.push([item.lat, item.lon]);
  });
  if (points.length === 1) map.setView(points[0], 12);
  else map.fitBounds(points, { padding: [24, 24], maxZoom: 13 });
  container.classList.add("directory-map-ready");

  // Leaflet sets a string tooltip as HTML; a node keeps a name as text.
  function text(value) {
    var span = document.createElement("span");
    span.textContent = value;
    return span;
  }

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
