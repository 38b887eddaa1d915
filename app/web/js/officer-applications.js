// Applications to join (/staff/applications, officers): each place's form, with Approve
// (makes the venue and a staff account: its first password is shown once, here, and
// kept nowhere) and Decline (with a short reason). Whether a place has enough trained
// staff is the server's to say (`enough_trained_staff`, `min_trained_staff`).
import { CATEGORY_WORDS } from "./constants.js";
import { buttonLink, h, picture, sentences } from "./dom.js";
import { ApiError, call } from "./staff-api.js";
import {
  act, button, clearFieldErrors, clearProblem, dateWords, fieldError, momentWords, oneTimePassword, say,
  showFieldErrors, startPage,
} from "./staff-page.js";

const status = document.getElementById("status");
const problem = document.getElementById("problem");
const decided = document.getElementById("decided");
const list = document.getElementById("applications");
let showing = "new";
let applications = [];

function yesNo(value) {
  return value === true ? "Yes" : value === false ? "No" : "Not known";
}

function facts(application) {
  const { venue } = application;
  const rows = [
    ["Kind of place", CATEGORY_WORDS[venue.category] ?? venue.category],
    ["Address", `${venue.address}\n${venue.town}\n${venue.postcode}`],
    ["Phone", venue.phone],
    ["Website", venue.website],
    ["Opening hours", venue.opening_hours],
    // As people will see them: "9-5" read as 9am to 5am would show here.
    ["What people will see", (application.opening_week ?? []).join("\n")],
    ["No steps at the way in", yesNo(venue.step_free)],
    ["Accessible toilet", yesNo(venue.accessible_toilet)],
    ["Quiet place to sit", yesNo(venue.quiet_space)],
    ["Easy-read text", venue.easy_read],
    ["Who sent it", `${application.contact_name}\n${application.contact_email}\n${application.contact_phone}`],
    ["Trained staff", application.enough_trained_staff
      ? String(application.trained_staff)
      : `${application.trained_staff}. The scheme needs at least ${application.min_trained_staff}.`],
    ["Trained on", application.training_date ? dateWords(application.training_date) : null],
    ["Sent", momentWords(application.created_at)],
    ["Why it was declined", application.decline_reason],
  ].filter(([, value]) => value !== null && value !== undefined && value !== "");
  return h("dl", {}, rows.flatMap(([term, value]) => [h("dt", { text: term }), h("dd", { text: value })]));
}

// The same place twice? Said above the buttons, with a link to look, before approving.
function looksTheSame(application) {
  const same = application.looks_the_same ?? [];
  if (!same.length || application.status === "declined") return null;
  return h("div", { class: "due-notice looks-the-same" },
    h("h4", {}, picture("warning"), h("span", { text: "Check first: this place may be here already" })),
    h("ul", {}, same.map((each) => h("li", {},
      each.kind === "venue"
        ? h("a", { href: `/venues/${each.id}`, text: each.words })
        : h("a", { href: `#application-${each.id}`, text: each.words })))));
}

function card(application) {
  const name = application.venue.name;
  const label = (words) => [h("span", { text: words }), h("span", { class: "visually-hidden", text: ` ${name}` })];
  const item = h("li", { class: "card", id: `application-${application.id}` },
    h("h3", { text: name }),
    facts(application),
    looksTheSame(application));
  if (application.status === "new") {
    item.append(
      h("button", { type: "button", class: "button button-primary", on: { click: (event) => approve(event, application) } },
        picture("checked"), ...label("Approve")),
      h("button", { type: "button", class: "button button-secondary", "aria-expanded": "false",
        on: { click: (event) => openDecline(event, application, item) } }, picture("closed"), ...label("Decline")));
  } else if (application.venue_id) {
    item.append(buttonLink(`/staff/edit?id=${application.venue_id}`, "Change this Safe Place", "edit"));
  }
  return item;
}

function show() {
  list.replaceChildren(...applications.map(card));
  if (!applications.length) list.append(h("li", { text: `There are no ${showing} applications.` }));
}

function removed(application) {
  applications = applications.filter((each) => each.id !== application.id);
  show();
}

function showApproval(data) {
  const { venue_id: venueId, one_time_password: password } = data;
  decided.replaceChildren(...[
    h("h2", { text: "Approved" }),
    ...sentences(data.message).map((sentence) => h("p", { text: sentence })),
    password && h("p", { text: `The first password for ${data.account_email} is:` }),
    ...(password ? oneTimePassword(password) : []),
    password && h("p", { text: "Give it to them yourself. We will not show it again." }),
    password && h("p", { text: "They choose their own password when they sign in." }),
    buttonLink(`/venues/${venueId}`, "See the new Safe Place", "pin"),
    buttonLink(`/staff/edit?id=${venueId}`, "Change its details", "edit"),
    button(password ? "I have given it to them. Hide it." : "Hide this", "checked", "button-secondary", {
      id: "hide-decided", on: { click: () => {
        decided.replaceChildren();
        decided.hidden = true;
        document.getElementById("heading").focus();
      } },
    }),
  ].filter(Boolean));
  decided.hidden = false;
  decided.focus();
}

async function approve(event, application) {
  if (!confirm(`Approve ${application.venue.name}? It shows on the map at once.`)) return;
  clearProblem(problem);
  await act(event.currentTarget, problem, async () => {
    const { data } = await call(`/api/applications/${application.id}/approve`, { method: "POST" });
    removed(application);
    showApproval(data);
  });
}

function openDecline(event, application, item) {
  const opener = event.currentTarget;
  if (item.querySelector(".inline-form")) return;
  opener.setAttribute("aria-expanded", "true");
  const id = `reason-${application.id}`;
  const reason = h("textarea", { id, rows: 3, maxlength: 300, "aria-describedby": `${id}-hint` });
  const form = h("form", { class: "inline-form staff-form", method: "dialog", novalidate: true },
    h("label", { for: id, text: `Why do you say no to ${application.venue.name}?` }),
    h("p", { class: "hint", id: `${id}-hint`, text: "A few words. You tell them yourself." }),
    reason,
    h("button", { type: "submit", class: "button button-primary" }, picture("closed"), h("span", { text: "Decline this application" })));
  form.addEventListener("submit", (submitted) => decline(submitted, application, reason));
  opener.after(form);
  reason.focus();
}

async function decline(event, application, reason) {
  event.preventDefault();
  const form = event.currentTarget;
  clearProblem(problem);
  clearFieldErrors(form);
  if (!reason.value.trim()) {
    fieldError(reason, "Write why you say no, in a few words.");
    reason.focus();
    return;
  }
  await act(event.submitter, problem, async () => {
    try {
      const { data } = await call(`/api/applications/${application.id}/decline`, { method: "POST", json: { reason: reason.value.trim() } });
      removed(application);
      say(status, `You declined ${data.venue.name}.`, `Tell them why: ${data.contact_email}.`);
      status.focus();
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 422)) throw error;
      showFieldErrors(problem, error, form, {
        inputFor: (field) => (field === "reason" ? reason : null),
        labelFor: (field) => (field === "reason" ? "The reason" : null),
      });
    }
  });
}

async function showList(which) {
  showing = which;
  clearProblem(problem);
  await act(null, problem, async () => {
    const { data } = await call("/api/applications", { params: { status: which } });
    applications = data;
    show();
    say(status);
  });
}

for (const radio of document.querySelectorAll('input[name="show"]')) {
  radio.addEventListener("change", () => showList(radio.value));
}

async function load() {
  const me = await startPage({ officersOnly: true });
  if (!me) return;
  await showList("new");
  document.getElementById("applications-page").hidden = false;
}

load();
