// Comfort only: the form works without this script (the server adds and removes deputies' boxes).
// With it: deputies are added and removed at once, the error summary takes the focus, a chosen
// photo shows beside its box, and a preview of the A4 poster follows the form.
"use strict";

(function () {
  const form = document.getElementById("school-form");
  if (!form) return;
  const list = document.getElementById("deputies");
  const template = document.getElementById("deputy-template");
  const status = document.getElementById("preview-status");
  const max = Number(form.dataset.maxDeputies || 12);

  // The error summary takes the focus; its links put the cursor in the box (not only scroll to it).
  const summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      const link = event.target.closest("a[href^='#']");
      const box = link && document.getElementById(link.getAttribute("href").slice(1));
      if (!box) return;
      event.preventDefault();
      const field = box.closest(".field");
      (field || box).scrollIntoView();
      box.focus({preventScroll: true});
    });
  }

  // --- deputies ------------------------------------------------------------------------------
  function deputies() { return Array.from(list.querySelectorAll("fieldset.deputy")); }

  function renumber(fieldset, to) {
    const from = fieldset.dataset.deputy;
    const re = new RegExp("deputy" + from + "(?=[_\"]|$)", "g");
    fieldset.id = "deputy" + to;
    fieldset.dataset.deputy = String(to);
    for (const el of fieldset.querySelectorAll("[id],[name],[for],[aria-describedby]")) {
      for (const attr of ["id", "name", "for", "aria-describedby"]) {
        const v = el.getAttribute(attr);
        if (v) el.setAttribute(attr, v.replace(re, "deputy" + to));
      }
    }
    fieldset.querySelector("legend h3").textContent = "Deputy " + to;
    const remove = fieldset.querySelector(".remove-deputy");
    remove.value = "remove:" + to;
    remove.textContent = "Remove deputy " + to;
    for (const img of fieldset.querySelectorAll(".kept img")) {
      img.alt = img.alt.replace(/deputy \d+$/, "deputy " + to);
    }
  }

  function announce(text) {
    const note = document.getElementById("deputy-note");
    note.textContent = text;
  }

  function refreshAdd() {
    const add = document.getElementById("add-deputy");
    if (add) add.hidden = deputies().length >= max;
  }

  const note = document.createElement("p");
  note.id = "deputy-note";
  note.className = "visually-hidden";
  note.setAttribute("role", "status");
  list.after(note);

  form.addEventListener("click", function (event) {
    const button = event.target.closest("button[name=edit]");
    if (!button) return;
    event.preventDefault();
    if (button.value === "add") {
      const n = deputies().length + 1;
      if (n > max) return;
      const holder = document.createElement("div");
      holder.innerHTML = template.innerHTML.split("__N__").join(String(n));
      const fieldset = holder.firstElementChild;
      list.appendChild(fieldset);
      fieldset.querySelector("input").focus();
      announce("Added boxes for deputy " + n + ".");
    } else {
      const fieldset = button.closest("fieldset.deputy");
      const gone = fieldset.dataset.deputy;
      fieldset.remove();
      deputies().forEach(function (f, i) { renumber(f, i + 1); });
      announce("Removed deputy " + gone + ".");
      const next = list.querySelector("fieldset.deputy input") || document.getElementById("add-deputy");
      if (next) next.focus();
    }
    refreshAdd();
    schedulePreview();
  });

  // --- a chosen photo shows beside its box at once ------------------------------------------
  form.addEventListener("change", function (event) {
    const input = event.target;
    if (input.type !== "file" || !input.files || !input.files[0]) return;
    let img = input.parentElement.querySelector("img.chosen");
    if (!img) {
      img = document.createElement("img");
      img.className = "chosen";
      input.after(img);
    }
    img.alt = "The picture you chose: " + input.files[0].name;
    img.src = URL.createObjectURL(input.files[0]);
  });

  // --- live preview -------------------------------------------------------------------------
  const panel = document.getElementById("preview");
  const image = document.getElementById("preview-image");
  const button = document.getElementById("preview-button");
  let timer = null;
  let shown = false;
  let running = null;
  panel.hidden = false;

  async function preview() {
    if (running) running.abort();
    running = new AbortController();
    status.textContent = "Making the preview…";
    try {
      const response = await fetch("/preview", {method: "POST", body: new FormData(form), signal: running.signal});
      if (response.ok) {
        const blob = await response.blob();
        if (image.src) URL.revokeObjectURL(image.src);
        image.src = URL.createObjectURL(blob);
        image.alt = "Preview of the A4 'who to tell' poster with the details entered in the form";
        image.hidden = false;
        status.textContent = "Preview updated.";
        shown = true;
      } else if (response.status === 503) {
        status.textContent = "Busy, try again in a minute.";
      } else {
        const data = await response.json().catch(function () { return {problems: []}; });
        const first = (data.problems || []).slice(0, 3).map(function (p) {
          return (p.label ? p.label + ": " : "") + p.message;
        });
        status.textContent = "No preview yet: " + (first.join(" ") || "something needs changing.");
      }
    } catch (err) {
      if (err.name !== "AbortError") status.textContent = "The preview could not be made.";
    }
  }

  function schedulePreview() {
    if (!shown) return;
    clearTimeout(timer);
    timer = setTimeout(preview, 1200);
  }

  button.addEventListener("click", preview);
  form.addEventListener("change", schedulePreview);
  refreshAdd();
})();
