// "Something is wrong with this place", on a venue's page: the problem as a picture
// choice, a short note and a way to reach the person if they want (both optional),
// sent to POST /api/venues/{id}/feedback. Only the council sees it. Loaded by
// js/venue.js when the person opens that part. With no signal, nothing typed is lost.
import { ApiError, NoSignal, request } from "./api.js";
import { h, idea, paragraphs, picture } from "./dom.js";

// The problems, as app/models/scheme.py's PROBLEM_KIND_WORDS says them (a test checks),
// each with its picture.
export const PROBLEMS = [
  ["closed_when_open", "It was closed when it said open", "closed"],
  ["staff_did_not_help", "Staff did not help me", "staff"],
  ["wrong_information", "The information is wrong", "info"],
  ["could_not_get_in", "I could not get in", "lock"],
  ["other", "Something else", "say"],
];
export const PROBLEM_PICTURES = Object.fromEntries(PROBLEMS.map(([value, , pictureName]) => [value, pictureName]));
// Where a report is, as staff and officers are told (app/models/scheme.py's ProblemStatus).
export const STATUS_WORDS = { new: "New", in_hand: "The council is looking into it", done: "Done" };
const NOTE_MAX = 300;
const CONTACT_MAX = 200;
// Slow signal is common where people report from; give it longer than a look-up.
const SEND_TIMEOUT_MS = 15000;

function choices() {
  return h("fieldset", { class: "picture-choices", id: "problem-choices" },
    h("legend", { text: "What is wrong?" }),
    PROBLEMS.map(([value, words, pictureName]) =>
      h("label", { class: "picture-choice", for: `problem-${value}` },
        h("input", { type: "radio", name: "problem", value, id: `problem-${value}` }),
        picture(pictureName),
        h("span", { text: words }))));
}

function form() {
  return h("form", { id: "problem-form", class: "problem-form", method: "dialog", novalidate: true },
    h("div", { id: "problem-box", class: "problem-box", tabindex: "-1", role: "alert", hidden: true }),
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

function tell(box, sentences, links = []) {
  box.replaceChildren(
    picture("warning", 48),
    h("div", {}, ...paragraphs(...sentences), links.length
      ? h("ul", {}, links.map(({ id, words }) => h("li", {}, h("a", { href: `#${id}`, text: words }))))
      : null));
  box.hidden = false;
  box.focus();
}

function clearErrors(root) {
  for (const note of root.querySelectorAll(".problem-error")) note.remove();
  for (const input of root.querySelectorAll("[aria-invalid]")) {
    input.removeAttribute("aria-invalid");
    input.setAttribute("aria-describedby", input.getAttribute("aria-describedby").replace(/\S+-error ?/, "").trim());
  }
}

// The message above the input (or the choices), and the input pointing at it.
function fieldError(field, message) {
  const target = field === "problem" ? document.getElementById("problem-choices") : document.getElementById(`problem-${field}`);
  if (!target) return null;
  const id = `problem-${field}-error`;
  target.before(h("p", { class: "problem-error", id }, h("span", { class: "visually-hidden", text: "Error: " }), message));
  const input = field === "problem" ? target.querySelector("input") : target;
  input.setAttribute("aria-invalid", "true");
  input.setAttribute("aria-describedby", `${id} ${input.getAttribute("aria-describedby") ?? ""}`.trim());
  return input.id;
}

// The API names a field as programs do; the person knows it by its label.
const LABELS = { problem: "What is wrong", note: "Tell us more", contact: "How can we reach you" };

function plain(field, message) {
  const said = LABELS[field] && message.startsWith(field) ? LABELS[field] + message.slice(field.length) : message;
  return /[.!?]$/.test(said) ? said : `${said}.`;
}

function thanks(body, message) {
  const said = idea("checked", h("h2", { text: "Thank you", id: "problem-thanks", tabindex: "-1" }), ...paragraphs(message));
  body.replaceChildren(said);
  document.getElementById("problem-thanks").focus();
}

async function send(event, body, venueId) {
  event.preventDefault();
  const formElement = event.currentTarget;
  const box = document.getElementById("problem-box");
  clearErrors(formElement);
  box.hidden = true;
  const chosen = formElement.querySelector("input[name=problem]:checked");
  if (!chosen) {
    const id = fieldError("problem", "Choose what is wrong.");
    tell(box, ["Choose what is wrong first."], [{ id, words: "Choose what is wrong." }]);
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
      tell(box, ["We could not send it. You may have no signal.", "What you wrote is still here. Try again when you have signal."]);
    } else if (error instanceof ApiError && error.errors.length) {
      const links = error.errors.map(({ field, message }) => {
        const words = plain(field, message);
        const id = field ? fieldError(field, words) : null;
        return id ? { id, words } : null;
      }).filter(Boolean);
      tell(box, links.length ? ["Please check what you wrote."] : [error.message], links);
    } else {
      tell(box, [error instanceof ApiError ? error.message : "Something went wrong. Please try again."]);
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
