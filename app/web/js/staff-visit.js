// "Someone came to us" (/staff/visit?venue=<id>, staff of the venue or officers): why
// they came, then what staff did, each one tap on a picture; the second tap saves it.
// No names, no words typed, no position: only the 2 choices go to the server.
import { VISIT_OUTCOME_WORDS, VISIT_REASON_WORDS } from "./constants.js";
import { h } from "./dom.js";
import { SignInEnded, call } from "./staff-api.js";
import { act, button, clearProblem, problemWords, say, showProblem, startPage } from "./staff-page.js";

// The picture beside each of the server's choices (js/constants.js has the words).
const REASON_PICTURES = {
  lost: "lost",
  scared: "scared",
  bullied: "bother",
  hate_incident: "warning",
  lost_belongings: "purse",
  unwell: "unwell",
  toilet: "toilet",
  missed_transport: "bus",
  other: "question",
};
const OUTCOME_PICTURES = {
  sat_with_them: "chair",
  called_their_contact: "phone",
  called_101: "police-officer",
  called_999: "police-light",
  helped_find_way: "map",
  other: "question",
};

const status = document.getElementById("status");
const problem = document.getElementById("problem");
const steps = {
  reason: document.getElementById("step-reason"),
  outcome: document.getElementById("step-outcome"),
  saved: document.getElementById("step-saved"),
};
let venueId = null;
let reason = null;
let lastVisit = null; // the id of the visit just saved, to take back if it was a mistake

function venueParam() {
  const id = new URLSearchParams(location.search).get("venue") ?? "";
  return /^\d{1,10}$/.test(id) ? id : null;
}

// One step shown at a time; its heading takes focus, so a screen reader reads it.
function show(step) {
  for (const [name, section] of Object.entries(steps)) section.hidden = name !== step;
  steps[step].querySelector("h2").focus();
}

function choices(list, words, pictures, choose) {
  list.replaceChildren(...Object.entries(words).map(([value, said]) =>
    h("li", {}, button(said, pictures[value], "button-secondary button-big", {
      "data-choice": value, on: { click: (event) => choose(value, event.currentTarget) },
    }))));
}

function chooseReason(value) {
  clearProblem(problem);
  reason = value;
  document.getElementById("reason-chosen").textContent = `They came because: ${VISIT_REASON_WORDS[value]}.`;
  show("outcome");
}

async function chooseOutcome(outcome, control) {
  clearProblem(problem);
  say(status, "Saving.");
  const saved = await act(control, problem, () => call(`/api/venues/${venueId}/visits`, {
    method: "POST", json: { reason, outcome },
  }));
  say(status);
  if (!saved) return;
  lastVisit = saved.data.id;
  document.getElementById("saved-words").textContent =
    `${VISIT_REASON_WORDS[reason]}. ${VISIT_OUTCOME_WORDS[outcome]}.`;
  reason = null;
  document.getElementById("take-back").hidden = false;
  show("saved");
}

// A wrong tap: the venue's staff may take the visit back for 15 minutes (the server says
// when it is too late, and what to do then).
async function takeBack(event) {
  clearProblem(problem);
  const control = event.currentTarget;
  const visit = lastVisit;
  const taken = await act(control, problem, () => call(`/api/venues/${venueId}/visits/${visit}`, {
    method: "DELETE", raw: true,
  }));
  if (!taken) return;
  lastVisit = null;
  control.hidden = true;
  show("reason");
  say(status, "We took it back. It is not counted.");
}

async function chooseVenue(me) {
  // No venue in the address. Officers look after every venue: they start from the list
  // (each card has "Someone came to us"), never from all of them at once here.
  if (me.role === "officer") {
    document.getElementById("venue-links").replaceChildren(
      h("li", {}, h("a", { class: "button button-plain", href: "/staff/venues" },
        h("span", { text: "Find the venue in the list" }))));
    document.getElementById("choose-venue").hidden = false;
    return;
  }
  // Staff pick one of those they look after.
  const { data: venues } = await call("/api/venues/editable");
  const open = venues.filter((venue) => venue.active);
  if (open.length === 1) {
    location.replace(`/staff/visit?venue=${open[0].id}`);
    return;
  }
  document.getElementById("venue-links").replaceChildren(...open.map((venue) =>
    h("li", {}, h("a", { class: "button button-plain", href: `/staff/visit?venue=${venue.id}` },
      h("span", { text: venue.name })))));
  document.getElementById("choose-venue").hidden = false;
}

async function load() {
  const me = await startPage();
  if (!me) return;
  venueId = venueParam();
  try {
    if (!venueId) {
      say(status);
      await chooseVenue(me);
      return;
    }
    const { data: venue } = await call(`/api/venues/${venueId}/listing`);
    if (!venue.active) {
      say(status, `${venue.name} has left the scheme. Its visits are not counted now.`);
      return;
    }
    document.getElementById("venue-name").textContent = `At ${venue.name}, ${venue.town}.`;
  } catch (error) {
    say(status);
    if (!(error instanceof SignInEnded)) showProblem(problem, problemWords(error));
    return;
  }
  choices(document.getElementById("reasons"), VISIT_REASON_WORDS, REASON_PICTURES, chooseReason);
  choices(document.getElementById("outcomes"), VISIT_OUTCOME_WORDS, OUTCOME_PICTURES, chooseOutcome);
  document.getElementById("go-back").addEventListener("click", () => show("reason"));
  document.getElementById("another").addEventListener("click", () => show("reason"));
  document.getElementById("take-back").addEventListener("click", takeBack);
  say(status);
  document.getElementById("visit-page").hidden = false;
}

load();
