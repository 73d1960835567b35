// Autosave safety net for forms marked data-autosave="<draft id>".
//
// htmx posts each form as people type; this module keeps what they typed in localStorage until
// the server confirms it, restores it after a closed tab or a lost connection, and flushes a
// pending save with sendBeacon when the page is hidden. No answer is ever lost to the network.

const forms = () => document.querySelectorAll("form[data-autosave]");
const key = (form, name) => `accord:draft:${form.dataset.autosave}:${name}`;
const fields = (form) =>
  [...form.elements].filter((el) => el.name && !el.name.startsWith("base-") && el.type !== "hidden");

function remember(form) {
  for (const el of fields(form)) {
    localStorage.setItem(key(form, el.name), el.value);
  }
  form.dataset.dirty = "1";
}

function forget(form, sent) {
  for (const el of fields(form)) {
    // Only forget what the server has: the person may have typed more since the request left.
    if (sent.get(el.name) === el.value) {
      localStorage.removeItem(key(form, el.name));
    }
  }
  if (fields(form).every((el) => localStorage.getItem(key(form, el.name)) === null)) {
    delete form.dataset.dirty;
  }
}

function restore() {
  let restored = false;
  for (const form of forms()) {
    for (const el of fields(form)) {
      const saved = localStorage.getItem(key(form, el.name));
      if (saved !== null && saved !== el.value) {
        el.value = saved;
        restored = true;
        form.dataset.dirty = "1";
        el.dispatchEvent(new Event("input", { bubbles: true }));  // htmx saves it
      } else if (saved !== null) {
        localStorage.removeItem(key(form, el.name));
      }
    }
  }
  const banner = document.getElementById("restored");
  if (restored && banner) {
    banner.hidden = false;
  }
}

document.addEventListener("input", (event) => {
  const form = event.target.closest("form[data-autosave]");
  if (form) {
    remember(form);
  }
});

document.addEventListener("htmx:afterRequest", (event) => {
  const form = event.detail.elt.closest ? event.detail.elt.closest("form[data-autosave]") : null;
  if (!form || !event.detail.successful) {
    return;
  }
  const sent = new FormData(form);
  forget(form, sent);
});

document.addEventListener("htmx:sendError", () => {
  const status = document.getElementById("save-status");
  if (status) {
    status.textContent = status.dataset.offline || "Offline: your answers are kept on this device and will be saved when you're back.";
    status.className = "small text-danger";
  }
});

document.addEventListener("visibilitychange", () => {
  if (document.visibilityState !== "hidden") {
    return;
  }
  for (const form of forms()) {
    if (form.dataset.dirty && navigator.sendBeacon) {
      navigator.sendBeacon(form.action, new FormData(form));
    }
  }
});

// htmx binds its triggers on DOMContentLoaded, after module scripts like this one have run:
// restore on "load" so the restored answers are saved.
if (document.readyState === "complete") {
  restore();
} else {
  window.addEventListener("load", restore);
}
