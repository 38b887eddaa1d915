// The problems people reported (/staff/problems?status=…), for council officers: new,
// in hand and done, each with its venue, the problem, the person's note and how to
// reach them, and buttons to move it along with a note of what was done.
import { OFFICER_NOTE_MAX, PROBLEM_STATUS_WORDS } from "./constants.js";
import { h, picture } from "./dom.js";
import { ApiError, call } from "./staff-api.js";
import { act, button, clearProblem, momentWords, say, showProblem, startPage } from "./staff-page.js";
import { PROBLEM_PICTURES } from "./venue-problem.js";

const status = document.getElementById("status");
const problem = document.getElementById("problem");
const list = document.getElementById("reports");
const FILTERS = [["new", "New"], ["in_hand", "In hand"], ["done", "Done"]];
const asked = new URLSearchParams(location.search).get("status");
const chosen = FILTERS.some(([value]) => value === asked) ? asked : "new";
// What each status can move to: [status, words, picture].
const MOVES = {
  new: [["in_hand", "Start on it", "clock"], ["done", "Mark as done", "checked"]],
  in_hand: [["done", "Mark as done", "checked"]],
  done: [["in_hand", "Open it again", "warning"]],
};
const MOVED = {
  in_hand: "It is now in hand.",
  done: "It is now done.",
};

function filters() {
  const nav = document.getElementById("problem-filters");
  nav.replaceChildren(h("ul", { class: "filter-links" }, FILTERS.map(([value, words]) =>
    h("li", {}, h("a", {
      class: "button button-plain", href: `/staff/problems?status=${value}`,
      "aria-current": value === chosen ? "page" : null,
    }, h("span", { text: words }))))));
  nav.hidden = false;
}

function card(report) {
  const noteId = `officer-note-${report.id}`;
  return h("li", { class: "card", id: `report-${report.id}` },
    h("h2", {}, h("a", { href: `/staff/edit?id=${report.venue_id}`, text: `${report.venue_name}, ${report.venue_town}` })),
    h("p", { class: "problem-kind" }, picture(PROBLEM_PICTURES[report.problem] ?? "warning"), h("strong", { text: report.problem_words })),
    h("p", { text: `Sent on ${momentWords(report.created_at)}.` }),
    h("dl", {},
      h("dt", { text: "What they wrote" }), h("dd", { text: report.note ?? "Nothing." }),
      h("dt", { text: "How to reach them" }), h("dd", { text: report.contact ?? "They did not say." }),
      h("dt", { text: "Now" }), h("dd", { text: PROBLEM_STATUS_WORDS[report.status] })),
    h("label", { for: noteId, text: "Note of what was done" }),
    h("textarea", { id: noteId, rows: "2", maxlength: String(OFFICER_NOTE_MAX) }),
    MOVES[report.status].map(([next, words, pictureName]) =>
      button(words, pictureName, next === "done" ? "button-primary" : "button-secondary", {
        "data-move": next, on: { click: (event) => move(event, report, next) },
      })));
}

async function move(event, report, next) {
  clearProblem(problem);
  const typed = document.getElementById(`officer-note-${report.id}`).value;
  const note = typed.trim();
  const json = { status: next, ...(note ? { officer_note: note } : {}) };
  const moved = await act(event.currentTarget, problem, async () => {
    try {
      // The etag read with the list: if another officer moved the report on since, 412.
      return await call(`/api/feedback/${report.id}`, {
        method: "PATCH", json, headers: { "If-Match": report.etag },
      });
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 412)) throw error;
      throw new Error(await readAfterStale(report, typed));
    }
  });
  if (!moved) return;
  await act(null, problem, read);
  say(status, `${MOVED[next]} ${report.venue_name}: ${report.problem_words}.`);
  status.focus();
}

// Another officer moved the report on first: show the list as it is now, with what
// this officer typed kept in the report's box (their note said here, so the next tap
// does not replace it unseen), or said back if the report left the list.
async function readAfterStale(report, typed) {
  const now = (await read()).find((each) => each.id === report.id);
  const first = "Another officer changed this report first. Nothing you sent was saved.";
  if (now) {
    document.getElementById(`officer-note-${report.id}`).value = typed;
    const theirs = now.officer_note && now.officer_note !== typed.trim()
      ? ` Their note: “${now.officer_note}” Add it to yours if it should stay.` : "";
    return `${first} The list now shows what they did.${theirs} Your note is still in its box.`;
  }
  const note = typed.trim();
  return `${first} It is no longer in this list.${note ? ` Your note was: “${note}”` : ""}`;
}

async function read() {
  const { data } = await call("/api/feedback", { params: { status: chosen } });
  list.replaceChildren(...data.map(card));
  const none = { new: "There are no new problems.", in_hand: "No problems are in hand.", done: "No problems are done yet." };
  say(status, data.length ? null : none[chosen]);
  // The officer's own earlier note, to add to.
  for (const report of data) {
    if (report.officer_note) document.getElementById(`officer-note-${report.id}`).value = report.officer_note;
  }
  return data;
}

async function load() {
  const me = await startPage({ officersOnly: true });
  if (!me) return;
  filters();
  const shown = await act(null, problem, async () => {
    await read();
    return true;
  });
  if (!shown) say(status); // the problem box says why
}

load();
