// Change a Safe Place (/staff/edit?id=…): the fields the person may change (/api/me's
// `editable_fields`), a closure, the photo of the way in, and for those who may set
// them (officers): mark checked, withdraw, bring back. Everyone who may change it can
// say "Everything is still right" in one tap (a reminder when that is due), and sees
// the problems people reported about it (never how to reach them).
// Every write sends the ETag last read (If-Match); when someone else changed the
// venue first (412), nothing typed is lost: their changes come in under the person's.
import { MAX_CLOSURE_DAYS, MAX_PHOTO_BYTES } from "./constants.js";
import { h, picture } from "./dom.js";
import { ApiError, SignInEnded, call, keepDraft, onSignInEnded, takeDraft } from "./staff-api.js";
import {
  act, button, clearFieldErrors, clearProblem, dateWords, fieldError, isClosedNow, isoDay,
  momentWords, problemWords, queryId, say, showProblem, startPage,
} from "./staff-page.js";
import { LABELS, VenueForm, fieldId } from "./staff-venue-form.js";
import { photoUrl } from "./places.js";
import { PROBLEM_PICTURES, STATUS_WORDS } from "./venue-problem.js";

const PHOTO_MB = MAX_PHOTO_BYTES / (1024 * 1024);
const status = document.getElementById("status");
const problem = document.getElementById("problem");
const formElement = document.getElementById("venue-form");
const venueId = queryId();
let me = null;
let mayChange = new Set(); // the fields this person may change
let form = null;
let base = null; // the venue as last read
let etag = null;
let photoFile = null;
let confirmation = null; // when it was last said to be still right, and when next
const REPORTS_SHOWN = 5;

function listing() {
  return call(`/api/venues/${venueId}/listing`);
}

// --- what the venue is now, and the officers' actions ---------------------------------

function stateWords(venue) {
  return [
    venue.active ? "It is in the scheme. People can find it." : "It is withdrawn. People cannot find it.",
    isClosedNow(venue) ? `It is closed until ${dateWords(venue.closed_until)}. It opens as usual that day.` : null,
    venue.last_checked ? `A council officer checked it on ${dateWords(venue.last_checked)}.` : "It has never been checked.",
    confirmedWords(),
  ].filter(Boolean).map((sentence) => h("p", { text: sentence }));
}

function showState() {
  document.getElementById("heading").textContent = base.name;
  document.title = `Change ${base.name} - Safe Places`;
  document.getElementById("state-words").replaceChildren(h("p", { text: `${base.ref}, ${base.address}, ${base.town}` }), ...stateWords(base));
  const checks = mayChange.has("last_checked");
  const withdraws = mayChange.has("active");
  document.getElementById("state-actions").replaceChildren(...[
    button("Everything is still right", "checked", "button-primary", { id: "confirm", on: { click: confirmListing } }),
    checks ? button("Mark as checked today", "checked", "button-secondary", { id: "mark-checked", on: { click: markChecked } }) : null,
    withdraws && base.active ? button("Withdraw from the scheme", "closed", "button-secondary", { id: "withdraw", on: { click: withdraw } }) : null,
    withdraws && !base.active ? button("Bring it back into the scheme", "put-back", "button-secondary", { id: "bring-back", on: { click: bringBack } }) : null,
    h("a", { class: "button button-plain", href: `/staff/history?id=${venueId}` }, picture("history"), h("span", { text: "See the history of changes" })),
    base.active ? h("a", { class: "button button-plain", href: `/venues/${venueId}` }, picture("house"), h("span", { text: "See the public page" })) : null,
  ].filter(Boolean));
  if (mayChange.has("closed_until")) showClosure();
  if (mayChange.has("photo")) showPhoto();
  document.getElementById("venue-state").hidden = false;
}

// After any write of ours: the venue as the server has it now, the person's unsaved
// changes kept.
function took({ data, etag: fresh }) {
  form.rebase(base, data);
  base = data;
  etag = fresh;
  showState();
}

async function write(path, options, control) {
  clearProblem(problem);
  return act(control, problem, async () => {
    try {
      took(await call(path, { method: "POST", etag, ...options }));
      return true;
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 412)) throw error;
      showStale();
      return false;
    }
  });
}

// --- "Everything is still right" ---------------------------------------------------

function confirmedWords() {
  if (!confirmation) return null;
  return confirmation.last_confirmed
    ? `Someone said it is all still right on ${dateWords(confirmation.last_confirmed)}.`
    : "No one has said it is all still right yet.";
}

function showDue() {
  const due = document.getElementById("confirm-due");
  due.hidden = !confirmation?.due;
  if (!confirmation?.due) return;
  due.replaceChildren(
    h("h2", { text: "Please check this Safe Place" }),
    h("p", { text: `We ask every ${confirmation.every_months} months if the details are still right.` }),
    h("p", { text: "Read the details below. If they are right, press Everything is still right." }));
}

async function readConfirmation() {
  try {
    confirmation = (await call(`/api/venues/${venueId}/confirmation`)).data;
  } catch (error) {
    if (error instanceof SignInEnded) throw error;
    confirmation = null; // the rest of the screen still works
  }
  showDue();
}

async function confirmListing(event) {
  if (await write(`/api/venues/${venueId}/confirm`, {}, event.currentTarget)) {
    await readConfirmation();
    showState();
    done("Thank you. You said everything is still right today.");
  }
}

// --- what people reported: the kind and when (their words and contact go to the council only)

function reportCard(report) {
  return h("li", { class: "card" },
    h("h3", { class: "problem-kind" }, picture(PROBLEM_PICTURES[report.problem] ?? "warning"), h("span", { text: report.problem_words })),
    h("p", { text: `Sent on ${momentWords(report.created_at)}.` }),
    h("p", { text: `Now: ${STATUS_WORDS[report.status]}.` }));
}

function plural(count, word) {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

async function readReports() {
  let answer;
  try {
    // Only the newest few; the server counts them all.
    answer = (await call(`/api/venues/${venueId}/feedback`, { params: { limit: REPORTS_SHOWN } })).data;
  } catch (error) {
    if (error instanceof SignInEnded) throw error;
    return;
  }
  const { reports, total, open } = answer;
  document.getElementById("reports-words").replaceChildren(...[
    total ? `People reported ${plural(total, "problem")} here.` : "No one has reported a problem.",
    total ? `${open} of them ${open === 1 ? "is" : "are"} not done yet.` : null,
    total > reports.length ? `Here are the newest ${reports.length}.` : null,
    total ? "The council looks into each one." : null,
  ].filter(Boolean).map((sentence) => h("p", { text: sentence })));
  document.getElementById("reports-list").replaceChildren(...reports.map(reportCard));
  document.getElementById("venue-reports").hidden = false;
}

async function markChecked(event) {
  if (await write(`/api/venues/${venueId}/checked`, {}, event.currentTarget)) {
    done("Marked as checked today.");
  }
}

async function withdraw(event) {
  if (!confirm(`Withdraw ${base.name}? People will not find it any more. You can bring it back later.`)) return;
  if (await write(`/api/venues/${venueId}/withdraw`, {}, event.currentTarget)) {
    done("It is withdrawn. People cannot find it now.");
  }
}

async function bringBack(event) {
  if (await write(`/api/venues/${venueId}/reinstate`, {}, event.currentTarget)) {
    done("It is back in the scheme. People can find it again.");
  }
}

function done(...sentences) {
  say(status, ...sentences);
  status.focus();
}

// --- the closure ------------------------------------------------------------------

function closureSection() {
  const input = h("input", {
    id: fieldId("closed_until"), type: "date", min: isoDay(1), max: isoDay(MAX_CLOSURE_DAYS),
    "aria-describedby": "closure-hint",
  });
  return h("fieldset", { id: "closure" },
    h("legend", { text: "Closed for a while" }),
    h("div", { id: "closure-now" }),
    h("label", { for: input.id, text: "Closed until" }),
    h("p", { class: "hint", id: "closure-hint", text: "The day it opens as usual again: tomorrow or later, up to a year ahead." }),
    input,
    h("div", { id: "closure-actions" }));
}

function showClosure() {
  const closed = isClosedNow(base);
  document.getElementById("closure-now").replaceChildren(h("p", {
    text: closed ? `It is closed until ${dateWords(base.closed_until)}.` : "It is not closed now.",
  }));
  document.getElementById("closure-actions").replaceChildren(...(closed
    ? [button("End the closure now", "open", "button-secondary", { id: "end-closure", on: { click: endClosure } })]
    : []));
}

async function endClosure(event) {
  clearProblem(problem);
  const control = event.currentTarget;
  const ended = await act(control, problem, async () => {
    try {
      took(await call(`/api/venues/${venueId}`, { method: "PATCH", json: { closed_until: null }, etag }));
      return true;
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 412)) throw error;
      showStale();
      return false;
    }
  });
  if (ended) {
    form.set("closed_until", "");
    done("The closure has ended. It shows its usual opening hours again.");
  }
}

// --- the photo of the way in -------------------------------------------------------

function photoSection() {
  const file = h("input", {
    id: "photo-file", type: "file", accept: "image/jpeg,image/png,image/webp", "aria-describedby": "photo-hint",
    on: { change: choosePhoto },
  });
  return h("fieldset", { id: "photo" },
    h("legend", { text: "Photo of the way in" }),
    h("p", { text: "A photo helps people know they are at the right door." }),
    h("div", { id: "photo-now" }),
    h("label", { for: file.id }, picture("camera"), h("span", { text: " Choose a new photo" })),
    h("p", { class: "hint", id: "photo-hint", text: `A JPEG, PNG or WebP photo, up to ${PHOTO_MB} MB. It is saved when you press Save changes.` }),
    file,
    h("figure", { class: "photo-preview", id: "photo-preview", hidden: true },
      h("img", { id: "photo-preview-image", alt: "The photo you chose.", width: 640, height: 480 }),
      h("figcaption", { text: "The photo you chose. It is not saved yet." })));
}

function showPhoto() {
  const now = document.getElementById("photo-now");
  const photo = photoUrl(base.photo);
  if (!photo) {
    now.replaceChildren(h("p", { text: "There is no photo yet." }));
    return;
  }
  now.replaceChildren(
    h("figure", { class: "photo-now" },
      h("img", { src: photo, alt: "The photo of the way in now.", width: 640, height: 480 }),
      h("figcaption", { text: "The photo now." })),
    h("label", { class: "check-option", for: "remove-photo" },
      h("input", { type: "checkbox", id: "remove-photo" }), h("span", { text: "Take this photo off the page" })));
}

function choosePhoto(event) {
  const input = event.currentTarget;
  const preview = document.getElementById("photo-preview");
  clearFieldErrors(document.getElementById("photo"));
  photoFile = null;
  preview.hidden = true;
  const file = input.files[0];
  if (!file) return;
  if (file.size > MAX_PHOTO_BYTES) {
    fieldError(input, `This photo is bigger than ${PHOTO_MB} MB. Choose a smaller photo.`);
    return;
  }
  photoFile = file;
  // A data: address, not a blob: one: the pages' Content-Security-Policy allows data: pictures.
  const reader = new FileReader();
  reader.addEventListener("load", () => {
    const image = document.getElementById("photo-preview-image");
    image.addEventListener("error", () => {
      preview.hidden = true;
      fieldError(input, "We cannot show this file. It may not be a photo. Choose a JPEG, PNG or WebP photo.");
    }, { once: true });
    image.src = reader.result;
    preview.hidden = false;
  });
  reader.readAsDataURL(file);
}

function forgetPhotoChoice() {
  photoFile = null;
  document.getElementById("photo-file").value = "";
  document.getElementById("photo-preview").hidden = true;
}

// --- saving -------------------------------------------------------------------------

// Someone saved first (412). After Save, the form still holds what this person typed;
// after a one-tap action (confirm, end a closure) nothing was typed, so nothing is kept.
function showStale({ typed = false } = {}) {
  const [said, words] = typed
    ? ["Nothing was saved. What you typed is still here.", "Get their changes and keep mine"]
    : ["Nothing was done. Look at the latest version, then try again.", "Get the latest version"];
  showProblem(problem, ["Someone else changed this venue after you opened it.", said], {
    actions: [button(words, "put-back", "button-primary", { id: "get-latest", on: { click: getLatest } })],
  });
}

async function getLatest(event) {
  const fresh = await act(event.currentTarget, problem, listing);
  if (!fresh) return;
  const { theirs, clashes } = form.rebase(base, fresh.data);
  base = fresh.data;
  etag = fresh.etag;
  showState();
  clearProblem(problem);
  clearFieldErrors(formElement);
  const names = (fields) => fields.map((name) => LABELS[name]).join(", ");
  const typed = Object.keys(form.changes(base)).length > 0;
  done(
    typed ? "We got the latest version. Your changes are still in the form." : "We got the latest version.",
    theirs.length ? `They changed: ${names(theirs)}.` : null,
    clashes.length ? `You both changed: ${names(clashes)}. The form has your version.` : null,
    typed ? "Check the form, then press Save changes." : "Check it, then try again.",
  );
}

async function save(event) {
  event.preventDefault();
  clearProblem(problem);
  clearFieldErrors(formElement);
  if (!form.checkHours(problem)) return;
  const changes = form.changes(base);
  if (document.getElementById("remove-photo")?.checked && !photoFile) changes.photo = null;
  if (!Object.keys(changes).length && !photoFile) {
    done("There is nothing to save. You have not changed anything.");
    return;
  }
  const saveButton = document.getElementById("save");
  say(status, "Saving.");
  let saved = false;
  await act(saveButton, problem, async () => {
    try {
      if (Object.keys(changes).length) {
        const answer = await call(`/api/venues/${venueId}`, { method: "PATCH", json: changes, etag });
        base = answer.data;
        etag = answer.etag;
        form.fill(base);
        saved = true;
      }
      if (photoFile) {
        const answer = await call(`/api/venues/${venueId}/photo`, {
          method: "PUT", body: photoFile, contentType: photoFile.type || "application/octet-stream", etag,
        });
        base = answer.data;
        etag = answer.etag;
        forgetPhotoChoice();
        saved = true;
      }
    } catch (error) {
      say(status, saved ? "Some changes are saved." : "");
      if (saved) showState();
      if (!(error instanceof ApiError)) throw error;
      if (error.status === 412) showStale({ typed: true });
      else if ([409, 422].includes(error.status) && !saved && Object.keys(changes).length) form.showApiProblem(problem, error, formElement);
      else if ([413, 415, 422].includes(error.status) && photoFile) photoProblem(error.message, saved);
      else throw error;
      return;
    }
    showState();
    done("Your changes are saved.", base.active ? "The public page shows them now." : null);
  });
}

function photoProblem(message, othersSaved) {
  const input = document.getElementById("photo-file");
  fieldError(input, message);
  showProblem(problem, [othersSaved ? "Your other changes are saved. The photo is not." : "The photo is not saved."],
    { links: [{ id: input.id, words: message }] });
}

// When the sign-in ends, what was typed is kept for after signing in again.
onSignInEnded(() => {
  if (!form || !base) return false;
  keepDraft(`edit:${venueId}`, { base, values: form.snapshot(), photo: Boolean(photoFile) });
  return true;
});

function putBackDraft(fresh) {
  const draft = takeDraft(`edit:${venueId}`);
  if (!draft) return;
  form.fill(draft.base);
  form.restore(draft.values);
  const { theirs, clashes } = form.rebase(draft.base, fresh);
  const names = (fields) => fields.map((name) => LABELS[name]).join(", ");
  say(status,
    "We put back what you typed. It is not saved yet.",
    theirs.length ? `Someone changed ${names(theirs)} while you were signed out.` : null,
    clashes.length ? `You both changed: ${names(clashes)}. The form has your version.` : null,
    draft.photo ? "Choose your photo again." : null,
    "Check the form, then press Save changes.");
}

async function load() {
  if (!venueId) {
    say(status, "This link does not say which venue to change.");
    return;
  }
  me = await startPage();
  if (!me) return;
  let fresh;
  try {
    fresh = await listing();
  } catch (error) {
    if (error instanceof SignInEnded) return;
    say(status);
    const words = error instanceof ApiError && error.status === 403
      ? "You can only change the Safe Places you look after."
      : problemWords(error);
    showProblem(problem, [words], { actions: [h("a", { class: "button button-secondary", href: "/staff/venues" },
      picture("staff"), h("span", { text: me.role === "officer" ? "Go to the list of venues" : "Go to my venues" }))] });
    return;
  }
  base = fresh.data;
  etag = fresh.etag;
  try {
    await Promise.all([readConfirmation(), readReports()]);
  } catch {
    return; // the sign-in ended: on the way to sign in again
  }
  const fields = document.getElementById("form-fields");
  mayChange = new Set(me.editable_fields);
  form = new VenueForm(fields, { editable: me.editable_fields });
  if (mayChange.has("closed_until")) {
    // Just after the opening hours: a closure is a change to them.
    const closure = closureSection();
    if (form.sections.hours) form.sections.hours.after(closure);
    else fields.append(closure);
    form.addField("closed_until", { kind: "date" });
  }
  if (mayChange.has("photo")) fields.append(photoSection());
  form.fill(base);
  showState();
  formElement.addEventListener("submit", save);
  formElement.hidden = false;
  say(status);
  const added = new URLSearchParams(location.search).get("added");
  if (added) {
    history.replaceState(null, "", `/staff/edit?id=${venueId}`); // said once, not on every reload
    done("The Safe Place is added. You can add a photo now.");
  }
  putBackDraft(base);
}

load();
