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
