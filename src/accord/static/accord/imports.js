// The resume upload form: says how many files are chosen and how large they are, and stops a
// long upload the server would refuse (too many files, a file over the size limit) before it
// starts. The server checks everything again; this only saves a wasted upload.
const form = document.querySelector("[data-upload-form]");

function fill(text, values) {
  return text.replace(/\{(\w+)\}/g, (match, key) => (key in values ? values[key] : match));
}

function megabytes(bytes) {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function problems(files) {
  const found = [];
  if (files.length > Number(form.dataset.maxFiles)) {
    found.push(form.dataset.textTooMany);
  }
  for (const file of files) {
    if (file.size > Number(form.dataset.maxBytes)) {
      found.push(fill(form.dataset.textTooBig, { name: file.name }));
    }
  }
  return found;
}

function describe(input, summary) {
  const files = Array.from(input.files);
  summary.replaceChildren();
  if (files.length === 0) {
    return [];
  }
  const total = files.reduce((sum, file) => sum + file.size, 0);
  const line = document.createElement("div");
  line.textContent = fill(form.dataset.textSummary, { n: files.length, size: megabytes(total) });
  summary.append(line);
  const found = problems(files);
  for (const text of found) {
    const warning = document.createElement("div");
    warning.className = "text-danger";
    warning.textContent = text;
    summary.append(warning);
  }
  input.setAttribute("aria-invalid", found.length ? "true" : "false");
  return found;
}

if (form) {
  const input = form.querySelector("input[type=file]");
  const summary = form.querySelector("[data-file-summary]");
  const button = form.querySelector("[data-upload-submit]");
  const label = button.textContent;
  input.addEventListener("change", () => describe(input, summary));
  // Files chosen before this script ran (it loads after the page) or kept by the browser on Back
  // are described too.
  describe(input, summary);
  form.addEventListener("submit", (event) => {
    if (describe(input, summary).length) {
      event.preventDefault();
      input.focus();
      return;
    }
    button.disabled = true;
    button.textContent = form.dataset.textBusy;
  });
  // Coming back with the browser's Back button shows the form as it was left: usable again.
  window.addEventListener("pageshow", () => {
    button.disabled = false;
    button.textContent = label;
    describe(input, summary);
  });
}
