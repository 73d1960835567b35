// Autosave safety net for forms marked data-autosave="<draft id>".
//
// htmx posts each form as people type; this module keeps what they typed in localStorage until
// the server has it, restores it after a closed tab or a lost connection, and flushes a pending
// save with sendBeacon when the page is hidden. No answer is ever lost to the network.
//
// Each stored answer keeps the base it was typed over (the value the page showed), so a restored
// answer still gets a conflict, not a silent overwrite, if someone else saved in the meantime.

const forms = () => document.querySelectorAll("form[data-autosave]");
const key = (form, name) => `accord:draft:${form.dataset.autosave}:${name}`;
const fields = (form) =>
  [...form.elements].filter((el) => el.name && !el.name.startsWith("base-") && el.type !== "hidden");
const baseOf = (form, name) => form.querySelector(`[name="base-${name}"]`);

function read(form, name) {
  try {
    return JSON.parse(localStorage.getItem(key(form, name)));
  } catch {
    return null;
  }
}

function remember(form, el) {
  const stored = read(form, el.name);
  const base = stored ? stored.base : baseOf(form, el.name)?.value ?? "";
  localStorage.setItem(key(form, el.name), JSON.stringify({ value: el.value, base }));
  form.dataset.dirty = "1";
}

function unresolved(name) {
  const problem = (id) => document.getElementById(`${id}-${name}`);
  return problem("conflict")?.children.length || problem("error")?.children.length;
}

function forget(form, sent) {
  for (const el of fields(form)) {
    const stored = read(form, el.name);
    // Keep what the server doesn't have: typed since the request left, or refused, or in conflict.
    if (stored && sent.get(el.name) === stored.value && !unresolved(el.name)) {
      localStorage.removeItem(key(form, el.name));
    }
  }
  if (fields(form).every((el) => read(form, el.name) === null)) {
    delete form.dataset.dirty;
  }
}

function restore() {
  let restored = false;
  for (const form of forms()) {
    for (const el of fields(form)) {
      const stored = read(form, el.name);
      if (stored === null) {
        continue;
      }
      if (stored.value === el.value) {
        localStorage.removeItem(key(form, el.name));
        continue;
      }
      el.value = stored.value;
      const base = baseOf(form, el.name);
      if (base) {
        base.value = stored.base;
      }
      restored = true;
      form.dataset.dirty = "1";
      el.dispatchEvent(new Event("input", { bubbles: true })); // htmx saves it
    }
  }
  const banner = document.getElementById("restored");
  if (restored && banner) {
    banner.hidden = false;
  }
}

document.addEventListener("input", (event) => {
  const form = event.target.closest("form[data-autosave]");
  if (form && event.target.name && !event.target.name.startsWith("base-")) {
    remember(form, event.target);
  }
});

// Snapshot what each request carries, to forget only that once the server has it.
document.addEventListener("htmx:beforeRequest", (event) => {
  const form = event.detail.elt.closest?.("form[data-autosave]");
  if (form) {
    form.sentValues = new FormData(form);
  }
});

document.addEventListener("htmx:afterRequest", (event) => {
  const form = event.detail.elt.closest?.("form[data-autosave]");
  if (form && event.detail.successful && event.detail.xhr.status === 200 && form.sentValues) {
    forget(form, form.sentValues);
  }
});

// Saves of different criteria run side by side and their answers can arrive out of order: never
// let an older rendering of the checks and sign-off panel replace a newer one (its sign button
// carries the revision being signed).
document.addEventListener("htmx:oobBeforeSwap", (event) => {
  const incoming = event.detail.fragment?.firstElementChild;
  const current = event.detail.target;
  if (incoming?.dataset.revision && current?.dataset.revision) {
    if (Number(incoming.dataset.revision) < Number(current.dataset.revision)) {
      event.detail.shouldSwap = false;
    }
  }
});

document.addEventListener("htmx:sendError", () => {
  const status = document.getElementById("save-status");
  if (status) {
    status.textContent = status.dataset.offline;
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
