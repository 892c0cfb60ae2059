// The new-release form (web/pages/release-form-page.ts). Without this script the form posts multipart
// to the page route and works the same; with it, "Add a row" adds BOM rows and the upload goes to the
// JSON API through XMLHttpRequest, whose upload progress events drive the progress bar (fetch() has
// no upload progress). No inline script anywhere: CSP script-src 'self'.
(function () {
  "use strict";
  var form = document.querySelector("form.release-form");
  if (!form) return;
  var rows = form.querySelector(".bom-rows");
  var addRow = form.querySelector(".add-bom-row");
  var COLUMNS = ["part", "quantity", "unit", "material", "source", "link"];

  if (rows && addRow) {
    addRow.hidden = false;
    addRow.addEventListener("click", function () {
      var last = rows.querySelector(".bom-row:last-child");
      if (!last) return;
      var index = rows.querySelectorAll(".bom-row").length;
      var row = last.cloneNode(true);
      row.setAttribute("data-row", String(index));
      row.querySelectorAll("label").forEach(function (label) {
        var input = label.querySelector("input");
        if (!input) return;
        var column = input.name.replace(/^bom([A-Za-z]+)\d+$/, "$1");
        var name = "bom" + column + index;
        label.setAttribute("for", name);
        label.firstChild.textContent = label.firstChild.textContent.replace(/\d+\s*$/, String(index + 1) + "\n      ");
        input.id = name;
        input.name = name;
        input.value = "";
        input.removeAttribute("aria-invalid");
        input.removeAttribute("aria-describedby");
        var error = label.querySelector(".field-error");
        if (error) error.remove();
      });
      rows.appendChild(row);
      row.querySelector("input").focus();
    });
  }

  if (typeof XMLHttpRequest === "undefined" || typeof FormData === "undefined") return;
  var uploadUrl = form.getAttribute("data-upload-url");
  var status = form.querySelector(".upload-status");
  var progress = form.querySelector(".upload-progress");
  var percent = form.querySelector(".upload-percent");
  var submit = form.querySelector('button[type="submit"]');
  var errorsBox = document.querySelector(".form-errors");
  // The form row of each BOM line sent (empty rows are left out), to put an API error on its row.
  var rowIndex = [];

  form.addEventListener("submit", function (event) {
    if (!uploadUrl) return;
    event.preventDefault();
    clearErrors();
    var fields = new FormData(form);
    var csrf = String(fields.get("_csrf") || "");
    // The API reads the body as a stream: the metadata part first, then the files; the CSRF token goes
    // in the X-CSRF-Token header, since the check never parses a streamed upload for it.
    var body = new FormData();
    body.append("metadata", JSON.stringify(metadata(fields)));
    var input = form.querySelector('input[type="file"][name="files"]');
    Array.prototype.forEach.call((input && input.files) || [], function (file) {
      body.append("files", file, file.name);
    });

    var xhr = new XMLHttpRequest();
    xhr.open("POST", uploadUrl);
    xhr.setRequestHeader("X-CSRF-Token", csrf);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) show(Math.round((e.loaded / e.total) * 100));
    });
    xhr.upload.addEventListener("load", function () {
      show(100);
    });
    xhr.addEventListener("load", function () {
      var answer = null;
      try {
        answer = JSON.parse(xhr.responseText);
      } catch (error) {
        answer = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        show(100);
        var next = answer && typeof answer.url === "string" ? answer.url : form.getAttribute("data-design-url");
        window.location.assign(next);
        return;
      }
      submit.disabled = false;
      showErrors(answer, xhr.status);
    });
    xhr.addEventListener("error", function () {
      submit.disabled = false;
      showErrors({ message: "The upload failed: the connection was lost. Try again." }, 0);
    });
    submit.disabled = true;
    status.hidden = false;
    show(0);
    xhr.send(body);
  });

  function show(value) {
    progress.value = value;
    percent.textContent = value + "%";
  }

  /** The same JSON shape the API takes (ReleaseInputSchema): empty BOM rows are left out. */
  function metadata(fields) {
    var bom = [];
    rowIndex = [];
    for (var i = 0; fields.has("bomPart" + i); i += 1) {
      var line = {};
      var empty = true;
      COLUMNS.forEach(function (column) {
        var value = String(fields.get("bom" + column[0].toUpperCase() + column.slice(1) + i) || "").trim();
        if (value !== "") empty = false;
        line[column] = value;
      });
      if (empty) continue;
      rowIndex.push(i);
      bom.push({
        part: line.part,
        quantity: line.quantity === "" ? line.quantity : Number(line.quantity.replace(",", ".")),
        unit: line.unit,
        material: line.material || null,
        source: line.source || null,
        link: line.link || null,
      });
    }
    var result = { version: String(fields.get("version") || "").trim(), notes: String(fields.get("notes") || ""), bom: bom };
    var trl = String(fields.get("trl") || "");
    var drl = String(fields.get("drl") || "");
    if (trl) result.trl = trl;
    if (drl) result.drl = drl;
    return result;
  }

  function clearErrors() {
    if (errorsBox) errorsBox.textContent = "";
    form.querySelectorAll(".field-error.from-upload").forEach(function (el) {
      el.remove();
    });
    form.querySelectorAll('[aria-invalid="true"]').forEach(function (el) {
      el.removeAttribute("aria-invalid");
    });
  }

  /** The API's { message, issues: [{ path, message }] } as messages by field, as the page route shows them. */
  function showErrors(answer, statusCode) {
    var issues = (answer && Array.isArray(answer.issues) && answer.issues) || [];
    var summary = document.createElement("div");
    summary.className = "error-summary";
    summary.setAttribute("role", "alert");
    summary.tabIndex = -1;
    var heading = document.createElement("h2");
    heading.textContent = "Please check the form";
    summary.appendChild(heading);
    var list = document.createElement("ul");
    var message = (answer && answer.message) || "The upload was refused (" + statusCode + ").";
    if (issues.length === 0) issues = [{ path: answer && answer.field ? answer.field : "", message: message }];
    issues.forEach(function (issue) {
      var field = fieldFor(String(issue.path || ""));
      var item = document.createElement("li");
      item.textContent = issue.message;
      list.appendChild(item);
      if (!field) return;
      field.setAttribute("aria-invalid", "true");
      var note = document.createElement("span");
      note.className = "field-error from-upload";
      note.textContent = issue.message;
      field.insertAdjacentElement("afterend", note);
    });
    summary.appendChild(list);
    if (errorsBox) {
      errorsBox.appendChild(summary);
      summary.focus();
    }
  }

  /** "version" → #version; "bom.2.part" → #bomPart2; "files.0" or a file name → #files. */
  function fieldFor(path) {
    var parts = path.split(".");
    if (parts[0] === "bom" && parts.length >= 3) {
      var row = rowIndex[Number(parts[1])];
      return form.querySelector("#bom" + parts[2][0].toUpperCase() + parts[2].slice(1) + (row === undefined ? parts[1] : row));
    }
    if (parts[0] === "metadata" && parts.length > 1) return fieldFor(parts.slice(1).join("."));
    return form.querySelector("#" + (/^[a-z]+$/i.test(parts[0]) ? parts[0] : "files")) || form.querySelector("#files");
  }
})();
