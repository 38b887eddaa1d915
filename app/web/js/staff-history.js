// The history of a venue (/staff/history?id=…): who changed what, when, from what to
// what, newest first, each with "Put this back" (the API restores the old value and
// records that too) where the person may change that field (/api/me's `editable_fields`)
// and the server can put it back (RESTORABLE).
import { REQUIRED_COLUMNS, RESTORABLE } from "./constants.js";
import { h, picture } from "./dom.js";
import { ApiError, SignInEnded, call } from "./staff-api.js";
import { act, button, clearProblem, dateWords, momentWords, problemWords, queryId, say, showProblem, startPage } from "./staff-page.js";
import { LABELS } from "./staff-venue-form.js";

// A venue must have these, so "nothing" cannot be put back.
const REQUIRED = new Set(REQUIRED_COLUMNS);
const PUT_BACK = new Set(RESTORABLE);
const FIRST_SHOWN = 50;
const status = document.getElementById("status");
const problem = document.getElementById("problem");
const list = document.getElementById("changes");
const venueId = queryId();
let mayChange = new Set(); // the fields this person may change
let venue = null;
let etag = null;
let changes = [];
let showAll = false;

function valueWords(field, value, when) {
  if (value === null || value === undefined || value === "") return h("span", { text: "Nothing" });
  if (field === "active") return h("span", { text: value ? "In the scheme" : "Withdrawn" });
  if (typeof value === "boolean") return h("span", { text: value ? "Yes" : "No" });
  if (field === "closed_until" || field === "last_checked") return h("span", { text: dateWords(value) });
  if (field === "photo" && /^\/api\/photos\/[0-9a-f]+\.webp$/.test(value)) {
    return h("img", { class: "history-photo", src: value, alt: `The photo ${when}.`, width: 192, height: 144 });
  }
  return h("span", { class: "value", text: String(value) });
}

function mayPutBack(change) {
  if (!PUT_BACK.has(change.field) || !mayChange.has(change.field)) return false;
  return !(REQUIRED.has(change.field) && change.old_value === null);
}

function card(change) {
  const label = LABELS[change.field] ?? change.field;
  const who = change.changed_by ? `${change.changed_by}` : "a venue file import";
  return h("li", { class: "card" },
    h("h2", { text: label }),
    h("p", { text: `Changed by ${who} on ${momentWords(change.changed_at)}.` }),
    h("dl", {},
      h("dt", { text: "Before" }), h("dd", {}, valueWords(change.field, change.old_value, "before")),
      h("dt", { text: "After" }), h("dd", {}, valueWords(change.field, change.new_value, "after"))),
    mayPutBack(change)
      ? h("button", { type: "button", class: "button button-secondary", "data-change": change.id,
        on: { click: (event) => putBack(event, change) } },
      picture("put-back"), h("span", {}, "Put this back",
        h("span", { class: "visually-hidden", text: `: the ${label.toLowerCase()} from before this change` })))
      : null);
}

function show() {
  const shown = showAll ? changes : changes.slice(0, FIRST_SHOWN);
  list.replaceChildren(...shown.map(card));
  const more = changes.length > shown.length
    ? button(`Show all ${changes.length} changes`, "history", "button-plain", { id: "show-all", on: { click: () => {
      showAll = true;
      show();
    } } })
    : null;
  document.getElementById("show-all")?.remove();
  if (more) list.after(more);
}

async function read() {
  const [fresh, history] = await Promise.all([
    call(`/api/venues/${venueId}/listing`), call(`/api/venues/${venueId}/history`),
  ]);
  venue = fresh.data;
  etag = fresh.etag;
  changes = history.data;
  document.getElementById("heading").textContent = `History of ${venue.name}`;
  document.title = `History of ${venue.name} - Safe Places`;
  document.getElementById("venue-links").replaceChildren(
    h("p", { text: changes.length ? "Newest changes first." : "There are no changes yet." }),
    h("a", { class: "button button-plain", href: `/staff/edit?id=${venueId}` }, picture("edit"),
      h("span", { text: `Change ${venue.name}` })));
  show();
}

async function putBack(event, change) {
  clearProblem(problem);
  const label = (LABELS[change.field] ?? change.field).toLowerCase();
  await act(event.currentTarget, problem, async () => {
    try {
      await call(`/api/venues/${venueId}/history/${change.id}/restore`, { method: "POST", etag });
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 412)) throw error;
      await read();
      showProblem(problem, ["Someone changed this venue since you opened this page.", "We loaded it again. Look at the history, then try again."]);
      return;
    }
    await read();
    say(status, `The ${label} is put back. This is recorded at the top of the history.`);
    status.focus();
  });
}

async function load() {
  if (!venueId) {
    say(status, "This link does not say which venue to show.");
    return;
  }
  const me = await startPage();
  if (!me) return;
  mayChange = new Set(me.editable_fields);
  try {
    await read();
    say(status);
  } catch (error) {
    if (error instanceof SignInEnded) return;
    say(status);
    showProblem(problem, error instanceof ApiError && error.status === 403
      ? "You can only see the history of the Safe Places you look after."
      : problemWords(error));
  }
}

load();
