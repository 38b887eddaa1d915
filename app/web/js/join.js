// Join the scheme (/join): a place asks to become a Safe Place. The form goes to
// POST /api/applications; each problem the server finds is put beside its box, and all
// of them in the problem box at the top, linked to those boxes. The server's checks are
// the venue file's own: this page only says what is missing before sending.
import { CATEGORY_WORDS } from "./constants.js";
import { ApiError, request } from "./api.js";
import { h, picture, sentences } from "./dom.js";
import { clearFieldErrors, clearProblem, fieldMessage, showFieldErrors, showProblem } from "./field-problems.js";

const form = document.getElementById("join-form");
const problem = document.getElementById("problem");
const thanks = document.getElementById("thanks");
const sendButton = document.getElementById("send");
// The boxes marked "(needed)" in the page; the server says the same if one comes empty.
const NEEDED = [...form.querySelectorAll('[aria-required="true"]')].map((input) => input.name);
const YES_NO = ["step_free", "accessible_toilet", "quiet_space"];
const SENDING_MS = 30000;

const category = document.getElementById("join-category");
category.append(...Object.entries(CATEGORY_WORDS).map(([value, words]) =>
  h("option", { value, text: words, selected: value === "other" })));

function inputOf(field) {
  return document.getElementById(`join-${field}`);
}

// The words on the box's label (without "(needed)"), or the legend of a yes/no group.
function labelWords(field) {
  const input = inputOf(field);
  if (!input) return null;
  const label = input.tagName === "FIELDSET" ? input.querySelector("legend") : document.querySelector(`label[for="${input.id}"]`);
  return label?.textContent.replace(/\s*\(needed\)\s*$/, "").trim() ?? null;
}

// Problems by field ({field, message}): each beside its box, all in the box at the top.
// "contact_phone must be a phone number" -> "Your phone number must be a phone number."
function showProblems(problems) {
  showFieldErrors(problem, { errors: problems, message: "" }, form, { inputFor: inputOf, labelFor: labelWords });
}

function text(field) {
  return inputOf(field).value.trim();
}

// The form as the API takes it: empty boxes left out, yes/no as true/false.
function filled() {
  const sent = {};
  for (const input of form.querySelectorAll("input[type=text], input[type=tel], input[type=email], input[type=date], select, textarea")) {
    const value = input.value.trim();
    if (value) sent[input.name] = value;
  }
  for (const name of YES_NO) {
    const chosen = form.querySelector(`input[name="${name}"]:checked`)?.value;
    if (chosen) sent[name] = chosen === "yes";
  }
  if (/^\d{1,4}$/.test(text("trained_staff"))) sent.trained_staff = Number(text("trained_staff"));
  return sent;
}

// What is missing, before anything is sent.
function missing() {
  const problems = NEEDED.filter((field) => !text(field)).map((field) => ({
    field, message: `${labelWords(field)}: please fill this in`,
  }));
  const count = text("trained_staff");
  if (count && !/^\d{1,4}$/.test(count)) {
    problems.push({ field: "trained_staff", message: "Write the number of trained staff as digits, like 3" });
  }
  const email = text("contact_email");
  if (email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
    problems.push({ field: "contact_email", message: "Your email should look like sam@example.org" });
  }
  return problems;
}

// The hours said back in words as they are typed, by the same check the server makes
// when the form is sent (POST /api/opening-hours/check): "9-5" is told at once, with
// what to write, and right hours read as people will see them ("9am to 5pm").
const hoursInput = inputOf("opening_hours");
const hoursWords = document.getElementById("join-hours-words");
const CHECK_WAIT_MS = 400;
let checkTimer;
let checksAsked = 0;

function sayHours(ok, title, lines = []) {
  hoursWords.dataset.ok = String(ok);
  const said = [h("p", { class: "hours-words-title", text: title })];
  if (lines.length) said.push(h("ul", {}, lines.map((line) => h("li", { text: line }))));
  hoursWords.replaceChildren(...said);
  hoursWords.hidden = false;
}

async function checkHours() {
  const value = hoursInput.value.trim();
  const mine = ++checksAsked;
  if (!value) {
    hoursWords.hidden = true;
    return;
  }
  try {
    const { data } = await request("/api/opening-hours/check", { method: "POST", json: { opening_hours: value }, cache: "no-store" });
    if (mine === checksAsked) sayHours(true, "What people will see:", [...data.week, ...(data.holidays ?? [])]);
  } catch (error) {
    if (mine !== checksAsked) return;
    // With no signal the words wait: the hours are checked again when the form is sent.
    if (error instanceof ApiError && error.status === 422) {
      sayHours(false, fieldMessage("opening_hours", error.message, labelWords("opening_hours")));
    }
    else hoursWords.hidden = true;
  }
}

hoursInput.addEventListener("input", () => {
  clearTimeout(checkTimer);
  checkTimer = setTimeout(checkHours, CHECK_WAIT_MS);
});

function showThanks(message) {
  form.hidden = true;
  document.getElementById("join-intro").hidden = true;
  thanks.replaceChildren(
    h("div", { class: "idea" }, picture("checked", 64, "idea-pic"), h("div", { class: "idea-words" },
      h("h2", { text: "Your form is sent" }),
      ...sentences(message).map((sentence) => h("p", { text: sentence })))));
  thanks.hidden = false;
  thanks.focus();
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  clearProblem(problem);
  clearFieldErrors(form);
  const before = missing();
  if (before.length) {
    showProblems(before);
    return;
  }
  sendButton.disabled = true;
  sendButton.setAttribute("aria-busy", "true");
  try {
    const { data } = await request("/api/applications", { method: "POST", json: filled(), timeoutMs: SENDING_MS, cache: "no-store" });
    showThanks(data.message);
  } catch (error) {
    if (error instanceof ApiError && error.errors.length) showProblems(error.errors);
    else showProblem(problem, error.message || "Something went wrong. Please try again.");
  } finally {
    sendButton.disabled = false;
    sendButton.removeAttribute("aria-busy");
  }
});
