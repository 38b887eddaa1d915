// "Something is wrong with this place", on a venue's page: the problem as a picture
// choice, a short note and a way to reach the person if they want (both optional),
// sent to POST /api/venues/{id}/feedback. Only the council sees it. Loaded by
// js/venue.js when the person opens that part. With no signal, nothing typed is lost.
import { ApiError, NoSignal, request } from "./api.js";
import { CONTACT_MAX, NOTE_MAX, PROBLEM_KIND_WORDS } from "./constants.js";
import { h, idea, paragraphs, picture } from "./dom.js";
import { clearFieldErrors, clearProblem, fieldError, focusable, showFieldErrors, showProblem } from "./field-problems.js";

// Each problem's picture; its words are PROBLEM_KIND_WORDS (app/models/scheme.py).
export const PROBLEM_PICTURES = {
  closed_when_open: "closed",
  staff_did_not_help: "staff",
  wrong_information: "info",
  could_not_get_in: "lock",
  other: "say",
};
// Where a report is, in words (staff-edit.js reads them from here).
export { PROBLEM_STATUS_WORDS as STATUS_WORDS } from "./constants.js";
// Slow signal is common where people report from; give it longer than a look-up.
const SEND_TIMEOUT_MS = 15000;

// Each field's box is problem-{field}: the choices too (problem-problem).
function inputFor(field) {
  return document.getElementById(`problem-${field}`);
}

function choices() {
  return h("fieldset", { class: "choice-group", id: "problem-problem" },
    h("legend", { text: "What is wrong?" }),
    Object.entries(PROBLEM_KIND_WORDS).map(([value, words]) =>
      h("label", { class: "picture-choice", for: `problem-${value}` },
        h("input", { type: "radio", name: "problem", value, id: `problem-${value}` }),
        picture(PROBLEM_PICTURES[value] ?? "warning"),
        h("span", { text: words }))));
}

function form() {
  return h("form", { id: "problem-form", method: "dialog", novalidate: true },
    h("div", { id: "problem-box", class: "problem", tabindex: "-1", hidden: true }),
    choices(),
    h("label", { for: "problem-note", text: "Tell us more" }),
    h("p", { class: "hint", id: "problem-note-hint", text: `You do not have to. Up to ${NOTE_MAX} letters.` }),
    h("textarea", { id: "problem-note", name: "note", rows: "3", maxlength: String(NOTE_MAX), "aria-describedby": "problem-note-hint" }),
    h("label", { for: "problem-contact", text: "How can we reach you?" }),
    h("p", { class: "hint", id: "problem-contact-hint" },
      "You do not have to say. Only the council sees it. A phone number or email is fine."),
    h("input", {
      id: "problem-contact", name: "contact", type: "text", maxlength: String(CONTACT_MAX),
      autocomplete: "off", "aria-describedby": "problem-contact-hint",
    }),
    h("button", { type: "submit", class: "button button-primary", id: "problem-send" },
      picture("checked"), h("span", { text: "Send to the council" })));
}

// The API names a field as programs do; the person knows it by its label.
const LABELS = { problem: "What is wrong", note: "Tell us more", contact: "How can we reach you" };

function thanks(body, message) {
  const said = idea("checked", h("h2", { text: "Thank you", id: "problem-thanks", tabindex: "-1" }), ...paragraphs(message));
  body.replaceChildren(said);
  document.getElementById("problem-thanks").focus();
}

async function send(event, body, venueId) {
  event.preventDefault();
  const formElement = event.currentTarget;
  const box = document.getElementById("problem-box");
  clearProblem(box);
  clearFieldErrors(formElement);
  const chosen = formElement.querySelector("input[name=problem]:checked");
  if (!chosen) {
    const choicesGroup = inputFor("problem");
    fieldError(choicesGroup, "Choose what is wrong.");
    showProblem(box, "Choose what is wrong first.", { links: [{ id: focusable(choicesGroup).id, words: "Choose what is wrong." }] });
    return;
  }
  const json = {
    problem: chosen.value,
    note: document.getElementById("problem-note").value.trim() || null,
    contact: document.getElementById("problem-contact").value.trim() || null,
  };
  const button = document.getElementById("problem-send");
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  try {
    const { data } = await request(`/api/venues/${encodeURIComponent(venueId)}/feedback`, {
      method: "POST", json, timeoutMs: SEND_TIMEOUT_MS, cache: "no-store",
    });
    thanks(body, data?.message ?? "The council will look into it.");
  } catch (error) {
    if (error instanceof NoSignal) {
      showProblem(box, ["We could not send it. You may have no signal.", "What you wrote is still here. Try again when you have signal."]);
    } else if (error instanceof ApiError && error.errors.length) {
      showFieldErrors(box, error, formElement, { inputFor, labelFor: (field) => LABELS[field] ?? null });
    } else {
      showProblem(box, error instanceof ApiError ? error.message : "Something went wrong. Please try again.");
    }
  } finally {
    button.disabled = false;
    button.removeAttribute("aria-busy");
  }
}

export function startProblemReport(body, venueId) {
  const made = form();
  made.addEventListener("submit", (event) => send(event, body, venueId));
  body.replaceChildren(
    ...paragraphs("Tell the council what went wrong here. They will look into it."),
    made);
}
