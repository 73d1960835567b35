// Small behaviours declared in markup with data-* attributes; no inline handlers anywhere.

// <select data-autosubmit> submits its form on change (role pickers, filters).
document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-autosubmit]");
  if (field && field.form) {
    field.form.requestSubmit();
  }
});

// Keep focus sensible after htmx swaps a region: move it to the first error, if any.
document.addEventListener("htmx:afterSwap", (event) => {
  const invalid = event.detail.target.querySelector("[aria-invalid=true], .alert-danger");
  if (invalid) {
    invalid.setAttribute("tabindex", "-1");
    invalid.focus();
  }
});

// A request htmx sends that fails swaps nothing (see htmx-config in base.html), so without this
// a tap on something another person just deleted, or while offline, would seem to do nothing.
// Parts of a page that say so themselves opt out: data-own-errors="offline" (autosave says
// what it keeps on the device). Polls (hx-trigger "every …") try again by themselves.
const region = document.getElementById("request-problem");
const box = region?.querySelector(".request-problem");
let shown = null; // the failed request: {path, from}

function reportProblem(event, kind) {
  const from = event.detail.elt;
  if (!box || from?.closest?.('[hx-trigger*="every "]')) {
    return;
  }
  const own = from?.closest?.("[data-own-errors]")?.dataset.ownErrors.split(" ") ?? [];
  if (own.includes(kind)) {
    return;
  }
  shown = { path: event.detail.pathInfo?.requestPath, from };
  // Inside an open dialog, the rest of the page is out of reach: say it there.
  (document.querySelector("dialog:modal") ?? document.body).append(region);
  const text = box.querySelector("[data-text]");
  text.textContent = "";
  box.hidden = false;
  // Set in the next frame, so that the same problem twice is announced twice.
  requestAnimationFrame(() => {
    text.textContent = region.dataset[kind];
  });
}

function hideProblem() {
  box.hidden = true;
  box.querySelector("[data-text]").textContent = "";
}

document.addEventListener("htmx:responseError", (event) => {
  const status = event.detail.xhr?.status ?? 0;
  const kinds = { 403: "refused", 404: "gone", 410: "expired" };
  reportProblem(event, kinds[status] ?? (status >= 500 ? "broken" : "failed"));
});

document.addEventListener("htmx:sendError", (event) => reportProblem(event, "offline"));

// Tried again and done: the problem is over. (Other requests leave it.)
document.addEventListener("htmx:afterRequest", (event) => {
  const path = event.detail.pathInfo?.requestPath;
  if (box && shown && event.detail.successful && path === shown.path) {
    hideProblem();
    shown = null;
  }
});

document.addEventListener("click", (event) => {
  if (!event.target.closest("[data-dismiss-problem]")) {
    return;
  }
  hideProblem();
  // Back to where the person was, or to the page's content if that has gone.
  const back = shown?.from?.isConnected ? shown.from : document.getElementById("content");
  back?.focus();
  shown = null;
});
