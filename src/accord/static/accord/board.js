// The pipeline board and list: drag cards between columns (SortableJS handles mouse, touch and
// pen), the "Move to…" dialog every card has (the non-drag way), opening closed columns, and
// the bulk bar. Every move is a server-rendered form posted with htmx; this module only routes
// the forms and puts cards where the server says they are.

const board = document.querySelector("[data-board]");
const dialog = document.getElementById("move-dialog");
const dialogBody = document.getElementById("move-dialog-body");
let pending = null; // a dragged card waiting on the server or on a reason: {item, from, index}
let returnFocus = null;

function revert() {
  if (!pending) {
    return;
  }
  const { item, from, index } = pending;
  pending = null;
  // A card the server re-rendered has replaced the dragged one and is already in place.
  if (item.isConnected) {
    from.insertBefore(item, from.children[index] || null);
  }
}

function closeDialog() {
  if (dialog?.open) {
    dialog.close();
  }
}

// A card the server rendered goes to the column of its stage: at the end of a column that is
// fully shown, otherwise out of view until "Show more" or opening the column brings it.
function place(card) {
  for (const other of document.querySelectorAll(`[id="${card.id}"]`)) {
    if (other !== card) {
      other.remove(); // the same card loaded twice (dragged in, then "Show more")
    }
  }
  const list = board?.querySelector(`.board-cards[data-stage="${card.dataset.stage}"]`);
  if (!list || card.parentElement === list) {
    return;
  }
  if ("loaded" in list.dataset && !list.querySelector(".show-more")) {
    list.querySelector(".board-empty")?.remove();
    list.appendChild(card);
  } else {
    card.remove();
  }
}

function dropped(event) {
  if (event.from === event.to) {
    return;
  }
  const card = event.item;
  const list = event.to;
  // Sortable leaves an empty style attribute behind; htmx would copy it onto the card it swaps
  // in, which the Content-Security-Policy (rightly) reports as an inline style.
  card.removeAttribute("style");
  pending = { item: card, from: event.from, index: event.oldIndex };
  returnFocus = card;
  list.querySelector(".board-empty")?.remove();
  const url = card.dataset.moveUrl;
  if ("closed" in list.dataset) {
    // Rejected or withdrawn: ask why before anything moves.
    const query = new URLSearchParams({ to_stage: list.dataset.stage });
    htmx.ajax("GET", `${url}?${query}`, { target: dialogBody, swap: "innerHTML" });
    return;
  }
  htmx.ajax("POST", url, {
    source: card,
    target: dialogBody,
    swap: "innerHTML",
    values: { to_stage: list.dataset.stage, revision: card.dataset.revision, back: "board" },
  });
}

if (board && "canMove" in board.dataset && window.Sortable) {
  for (const list of board.querySelectorAll(".board-cards")) {
    window.Sortable.create(list, {
      group: "pipeline",
      sort: false, // order within a column is time in stage, not a manual rank
      draggable: ".app-card",
      filter: "input, a, button, select, label",
      preventOnFilter: false,
      delay: 200, // on touch, press and hold to drag so a swipe still scrolls
      delayOnTouchOnly: true,
      animation: 120,
      onEnd: dropped,
    });
  }
}

document.addEventListener("htmx:beforeRequest", (event) => {
  const link = event.detail.elt.closest?.("[data-move]");
  if (link) {
    returnFocus = link.closest(".app-card");
  }
});

document.addEventListener("htmx:afterSwap", (event) => {
  if (event.detail.target === dialogBody && dialogBody.querySelector("form")) {
    if (!dialog.open) {
      dialog.showModal();
    }
    dialogBody.querySelector(".alert-danger, select, input:not([type=hidden])")?.focus();
  }
});

document.addEventListener("htmx:load", (event) => {
  const card = event.detail.elt;
  if (card.classList?.contains("app-card")) {
    place(card);
  }
});

document.body.addEventListener("pipeline-moved", () => {
  pending = null;
  closeDialog();
});

// A move that failed: the card goes back (the page's notice, app.js, says what went wrong).
for (const kind of ["htmx:sendError", "htmx:responseError"]) {
  document.addEventListener(kind, revert);
}

dialog?.addEventListener("close", () => {
  revert();
  dialogBody.replaceChildren();
  const card = returnFocus && document.getElementById(returnFocus.id);
  card?.querySelector("[data-move]")?.focus();
  returnFocus = null;
});

document.addEventListener("click", (event) => {
  const cancel = event.target.closest("[data-dialog-close]");
  if (cancel && dialog?.contains(cancel)) {
    event.preventDefault();
    closeDialog();
    return;
  }
  const toggle = event.target.closest("[data-toggle-column]");
  if (toggle) {
    const column = toggle.closest(".board-column");
    const open = column.classList.toggle("is-collapsed") === false;
    toggle.setAttribute("aria-expanded", String(open));
    toggle.textContent = open ? toggle.dataset.hideLabel : toggle.dataset.showLabel;
    column.querySelector(".board-cards").dataset.loaded = "";
  }
});

// The bulk bar: count the selection, and show only the fields the chosen action uses.
const bulk = document.querySelector("[data-bulk]");
if (bulk) {
  const counter = bulk.querySelector("[data-selected-count]");
  const action = bulk.elements.action;
  const count = () => {
    const n = document.querySelectorAll('input[name="applications"]:checked').length;
    counter.textContent = n;
    bulk.classList.toggle("is-idle", n === 0); // the fields show once something is selected
  };
  const fields = () => {
    for (const field of bulk.querySelectorAll("[data-bulk-for]")) {
      field.hidden = !field.dataset.bulkFor.split(" ").includes(action.value);
    }
  };
  document.addEventListener("change", (event) => {
    if (event.target.name === "applications") {
      count();
    }
  });
  action.addEventListener("change", fields);
  count();
  fields();
}
