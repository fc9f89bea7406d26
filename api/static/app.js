// Our only script, no build step. Everything works without it except drag and drop and the live button state.
"use strict";

// Upload page: drop a PDF on the zone (or pick one) and show its name; the form posts it as usual.
function setUpDropzone(form) {
  const zone = form.querySelector(".dropzone");
  const input = form.querySelector("input[type=file]");
  const label = form.querySelector("[data-file-name]");
  const showName = () => {
    label.textContent = input.files.length ? input.files[0].name : "";
  };
  input.addEventListener("change", showName);
  ["dragenter", "dragover"].forEach((type) =>
    zone.addEventListener(type, (event) => {
      event.preventDefault();
      zone.classList.add("dragging");
    }),
  );
  ["dragleave", "drop"].forEach((type) =>
    zone.addEventListener(type, () => zone.classList.remove("dragging")),
  );
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    if (!event.dataTransfer || !event.dataTransfer.files.length) return;
    input.files = event.dataTransfer.files;
    showName();
    form.requestSubmit();
  });
}

// Job page: "Tailor resume" is disabled while the chosen resume has an open run for this job.
function setUpTailorForm(form) {
  const select = form.querySelector("select[name=resume_id]");
  const button = form.querySelector("button[type=submit]");
  const hint = document.getElementById("open-run-hint");
  const sync = () => {
    const option = select.selectedOptions[0];
    const open = Boolean(option && option.dataset.open === "true");
    button.disabled = !option || open;
    if (hint) hint.hidden = !open;
  };
  const markRun = (workflowId, open) => {
    for (const option of select.options) {
      if (option.dataset.workflowId !== workflowId) continue;
      if (open) option.dataset.open = "true";
      else delete option.dataset.open;
    }
    sync();
  };
  select.addEventListener("change", sync);
  form.addEventListener("htmx:beforeRequest", () => {
    button.disabled = true;
  });
  form.addEventListener("htmx:afterRequest", sync);
  // A run started from the form: its live panel (holding the SSE connection) was just swapped in.
  document.body.addEventListener("htmx:afterSwap", (event) => {
    if (event.target.id !== "run-area") return;
    const live = event.target.querySelector("[data-run-live][sse-connect]");
    if (live) markRun(live.dataset.workflowId, true);
  });
  // The stream closes on the run's terminal event: the pair can run again, and the versions list has a new row.
  document.body.addEventListener("htmx:sseClose", (event) => {
    const live = event.target.closest("[data-run-live]");
    if (!live || event.detail.type !== "message") return;
    markRun(live.dataset.workflowId, false);
    if (document.getElementById("versions")) {
      htmx.ajax("GET", window.location.pathname, { target: "#versions", select: "#versions", swap: "outerHTML" });
    }
  });
  sync();
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("form[data-dropzone]").forEach(setUpDropzone);
  document.querySelectorAll("form[data-tailor-form]").forEach(setUpTailorForm);
});
