// The venue form, shared by "Change a Safe Place" and "Add a Safe Place": the fields
// the person may change (`editable_fields` from /api/me: the server's rule, not a copy),
// what changed since the venue was read, putting someone else's changes under the
// person's own, and the API's errors, each beside its field.
import { CATEGORY_WORDS, EASY_READ_MAX_WORDS, IN_PLACE_M, MAX_LENGTHS } from "./constants.js";
import { h } from "./dom.js";
import { call } from "./staff-api.js";
import { HoursForm } from "./staff-hours-form.js";
import { isoDay, showFieldErrors, showProblem } from "./staff-page.js";

export const LABELS = {
  ref: "Ref", name: "Name", category: "Kind of place", address: "Address", town: "Town",
  postcode: "Postcode", latitude: "Latitude", longitude: "Longitude", phone: "Phone",
  website: "Website", opening_hours: "Opening hours", easy_read: "Easy-read text",
  step_free: "No steps at the way in", accessible_toilet: "Accessible toilet",
  quiet_space: "Quiet place to sit", photo: "Photo", closed_until: "Closed until",
  active: "In the scheme", last_checked: "Last checked",
};

// Each field shows only to those who may change it; a section with none of its fields,
// not at all. `key` places extra sections. Text fields are as long as the server takes
// (MAX_LENGTHS), unless `max` says otherwise.
const SECTIONS = [
  { key: "about", legend: "About the place", fields: [
    { name: "name", autocomplete: "organization" },
    { name: "ref", hint: "A short code that never changes, like WCC-0001. Letters, digits, - _ and . only." },
    { name: "category", kind: "select" },
  ] },
  { key: "where", legend: "Where it is", fields: [
    { name: "address", hint: "The street address, like 12 High Street." },
    { name: "town" },
    { name: "postcode", hint: "Like CV34 4AB." },
    { name: "latitude", max: 20, numeric: true, hint: "Like 52.2823. The postcode fills it in. You can type your own." },
    { name: "longitude", max: 20, numeric: true, hint: "Like -1.5849. The postcode fills it in. West of Greenwich it starts with a minus." },
  ] },
  // Chosen day by day (staff-hours-form.js), which writes the OpenStreetMap value.
  { key: "hours", legend: "Opening hours", fields: [{ name: "opening_hours", kind: "hours", oneLine: true }] },
  { key: "contact", legend: "How to get in touch", fields: [
    { name: "phone", type: "tel", autocomplete: "off" },
    { name: "website", type: "url", code: true, hint: "It starts with https://" },
  ] },
  { key: "access", legend: "Getting in", fields: [
    { name: "step_free", kind: "yes-no", question: "Is there a way in with no steps?" },
    { name: "accessible_toilet", kind: "yes-no", question: "Is there an accessible toilet?" },
    { name: "quiet_space", kind: "yes-no", question: "Is there a quiet place to sit?" },
  ] },
  { key: "easy-read", legend: "Easy-read text", fields: [
    { name: "easy_read", kind: "textarea",
      hint: `What people read about this place. Use short sentences: ${EASY_READ_MAX_WORDS} words or fewer. Write numbers as digits, like 2.` },
  ] },
];
const YES_NO = [["yes", "Yes"], ["no", "No"], ["", "Not known"]];
const EASY_READ_WAIT_MS = 400;
const POSTCODE_WAIT_MS = 400;
// A full UK postcode, as typed: "CV34 4AB", "cv344ab".
const FULL_POSTCODE = /^[A-Z]{1,2}[0-9][A-Z0-9]?\s*[0-9][A-Z]{2}$/i;

export function fieldId(name) {
  return `field-${name}`;
}

// A value as the form holds it (text), and back. A closure that has lapsed shows as none.
export function toForm(name, value) {
  if (value === null || value === undefined) return "";
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (name === "closed_until") return value > isoDay() ? value : "";
  return String(value);
}

function fromForm(field, text) {
  if (field?.kind === "yes-no") return text === "" ? null : text === "yes";
  if (text === "") return null;
  if (field?.numeric && /^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  return text;
}

function maxLength(field) {
  return field.max ?? MAX_LENGTHS[field.name];
}

function hintId(name) {
  return `${fieldId(name)}-hint`;
}

function inputFor(field) {
  const id = fieldId(field.name);
  const described = field.hint ? hintId(field.name) : null;
  if (field.kind === "select") {
    return h("select", { id, name: field.name, "aria-describedby": described },
      h("option", { value: "", text: "Choose the kind" }),
      Object.entries(CATEGORY_WORDS).map(([value, words]) => h("option", { value, text: words })));
  }
  if (field.kind === "textarea") {
    return h("textarea", {
      id, name: field.name, rows: field.rows ?? 6, maxlength: maxLength(field), spellcheck: field.code ? "false" : null,
      "aria-describedby": described,
    });
  }
  return h("input", {
    id, name: field.name, type: field.type ?? "text", maxlength: maxLength(field),
    autocomplete: field.autocomplete ?? "off", spellcheck: field.code ? "false" : null,
    inputmode: field.numeric ? "decimal" : null, "aria-describedby": described,
  });
}

function yesNo(field) {
  return h("fieldset", { class: "choice-group", id: fieldId(field.name) },
    h("legend", { text: field.question }),
    h("div", { class: "choice-row" }, YES_NO.map(([value, words]) => {
      const id = `${fieldId(field.name)}-${value || "unknown"}`;
      return h("label", { class: "choice-option", for: id },
        h("input", { type: "radio", id, name: field.name, value }), h("span", { text: words }));
    })));
}

function fieldBlock(field) {
  if (field.kind === "yes-no") return yesNo(field);
  return h("div", { class: "form-field" },
    h("label", { for: fieldId(field.name), text: field.label ?? LABELS[field.name] }),
    field.hint ? h("p", { class: "hint", id: hintId(field.name), text: field.hint }) : null,
    inputFor(field));
}

// The easy-read checker's advice, shown as the person types (after a pause).
function watchEasyRead(textarea) {
  const advice = h("div", { class: "advice", id: `${textarea.id}-advice`, "aria-live": "polite", hidden: true });
  textarea.after(advice);
  textarea.setAttribute("aria-describedby", `${textarea.getAttribute("aria-describedby")} ${advice.id}`);
  let asked = 0;
  let pause = null;
  async function check() {
    const text = textarea.value.trim();
    const mine = ++asked;
    if (!text) {
      advice.hidden = true;
      advice.replaceChildren();
      return;
    }
    try {
      const { data } = await call("/api/easy-read/check", { method: "POST", json: { text }, signedIn: false });
      if (mine !== asked) return; // a newer check is on its way
      advice.dataset.ok = String(data.ok);
      advice.replaceChildren(...(data.ok
        ? [h("p", { text: "The easy-read checker: this is easy read." })]
        : [h("p", { text: "The easy-read checker says:" }), h("ul", {}, data.problems.map((problem) => h("li", { text: problem })))]));
      advice.hidden = false;
    } catch {
      // The save checks the same rules; a missed check while typing does no harm.
    }
  }
  textarea.addEventListener("input", () => {
    clearTimeout(pause);
    pause = setTimeout(check, EASY_READ_WAIT_MS);
  });
  return check;
}

// Where a postcode is, in words to confirm, from /api/places' one answer: "CV34 4AB is in
// Warwick (CV34), Warwickshire." or "CV35 0AA is 4 km from Wellesbourne (CV35), …":
// `near` is the nearest town or village, `near_m` how far its centre is.
function placeWords(place, district) {
  const county = place.area.split(",")[0];
  if (!place.near) {
    return county ? `${place.name} is in ${county} (${district}).` : `${place.name} is in ${district}.`;
  }
  const inCounty = county && county !== place.near ? `, ${county}` : "";
  const where = place.near_m <= IN_PLACE_M ? "is in" : `is ${Math.round(place.near_m / 1000)} km from`;
  return `${place.name} ${where} ${place.near} (${district})${inCounty}.`;
}

// Officers typing a venue's postcode: a full postcode fills in the latitude and longitude
// from the postcode table (/api/places, offline on the server) and says where it is, to
// confirm. Typing a position by hand still works: only typing a postcode fills it in.
// A position filled in from a postcode goes with it: when the postcode is changed to one
// we cannot find, that position is taken out (and said), never left for the wrong place.
function watchPostcode(form) {
  const input = document.getElementById(fieldId("postcode"));
  const found = h("div", { class: "advice", id: `${input.id}-found`, "aria-live": "polite", hidden: true });
  input.after(found);
  input.setAttribute("aria-describedby", [input.getAttribute("aria-describedby"), found.id].filter(Boolean).join(" "));
  let asked = 0;
  let pause = null;
  let filled = null; // { postcode, latitude, longitude } this form put in, while it stands
  const tell = (...sentences) => {
    found.replaceChildren(...sentences.map((sentence) => h("p", { text: sentence })));
    found.hidden = !sentences.length;
  };
  async function look() {
    const typed = input.value.trim().toUpperCase();
    const mine = ++asked;
    if (!FULL_POSTCODE.test(typed)) {
      tell();
      return;
    }
    try {
      const { data } = await call("/api/places", { params: { q: typed }, signedIn: false });
      if (mine !== asked) return; // a newer postcode is on its way
      const place = data.places[0];
      if (!place || !["postcode", "venue_postcode", "geocoder"].includes(place.source)) {
        const still = filled && form.get("latitude") === filled.latitude && form.get("longitude") === filled.longitude;
        if (still) {
          form.set("latitude", "");
          form.set("longitude", "");
        }
        tell(`We cannot find ${typed}. Check it, or type the latitude and longitude.`,
          ...(still ? [`We took out the latitude and longitude of ${filled.postcode}.`] : []));
        filled = null;
        return;
      }
      const words = placeWords(place, place.name.split(" ")[0]);
      filled = { postcode: place.name, latitude: String(place.latitude), longitude: String(place.longitude) };
      form.set("latitude", filled.latitude);
      form.set("longitude", filled.longitude);
      tell(words, "We put in its latitude and longitude. You can change them.");
    } catch {
      // No answer: the position can still be typed by hand.
    }
  }
  input.addEventListener("input", () => {
    clearTimeout(pause);
    pause = setTimeout(look, POSTCODE_WAIT_MS);
  });
  // A position typed by hand wins over a postcode still being looked up.
  for (const name of ["latitude", "longitude"]) {
    document.getElementById(fieldId(name)).addEventListener("input", () => {
      clearTimeout(pause);
      asked += 1;
      filled = null; // the officer's own position now
    });
  }
}

export class VenueForm {
  // `editable`: the fields this person may change (/api/me's `editable_fields`).
  constructor(container, { editable }) {
    const mayChange = new Set(editable);
    this.fields = {};
    this.sections = {};
    for (const section of SECTIONS) {
      const fields = section.fields.filter((field) => mayChange.has(field.name));
      if (!fields.length) continue;
      for (const field of fields) this.fields[field.name] = field;
      const blocks = fields.map((field) => (field.kind === "hours" ? this.hoursBlock(field) : fieldBlock(field)));
      // One box needs no group around it: its label says what it is.
      this.sections[section.key] = fields.length === 1
        ? h("div", { class: "form-section" }, blocks)
        : h("fieldset", {}, h("legend", { text: section.legend }), blocks);
      container.append(this.sections[section.key]);
    }
    this.checkEasyRead = "easy_read" in this.fields
      ? watchEasyRead(document.getElementById(fieldId("easy_read"))) : () => {};
    if (["postcode", "latitude", "longitude"].every((name) => name in this.fields)) watchPostcode(this);
  }

  hoursBlock(field) {
    this.hours = new HoursForm({
      id: fieldId(field.name), label: LABELS[field.name], max: maxLength(field), position: () => this.position(),
    });
    return this.hours.element;
  }

  // Where the venue is, for the hours check (sunrise and sunset): the form's own
  // latitude and longitude for officers, otherwise the venue's.
  position() {
    const number = (name) => {
      const text = name in this.fields ? this.get(name) : String(this.venue?.[name] ?? "");
      return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : null;
    };
    const [latitude, longitude] = [number("latitude"), number("longitude")];
    return latitude === null || longitude === null ? {} : { latitude, longitude };
  }

  // Hours the grid cannot write yet (closing before opening): said beside each time and
  // in the problem box. Returns true when there are none.
  checkHours(box) {
    if (!this.hours) return true;
    const problems = this.hours.problems();
    if (problems.length) showProblem(box, "Check the opening hours.", { links: problems });
    return !problems.length;
  }

  // A form field added by a screen (like the closure), read and compared like the rest.
  addField(name, field = {}) {
    this.fields[name] = { name, ...field };
  }

  get(name) {
    const field = this.fields[name];
    if (field.kind === "yes-no") {
      return document.querySelector(`input[name="${name}"]:checked`)?.value ?? "";
    }
    const text = document.getElementById(fieldId(name)).value.trim();
    // Opening hours are one line; a box that wraps them may still get an Enter.
    return field.oneLine ? text.replace(/\s*\n\s*/g, " ") : text;
  }

  set(name, text) {
    const field = this.fields[name];
    if (field.kind === "hours") {
      this.hours.load(text);
    } else if (field.kind === "yes-no") {
      for (const radio of document.querySelectorAll(`input[name="${name}"]`)) radio.checked = radio.value === text;
    } else {
      document.getElementById(fieldId(name)).value = text;
    }
  }

  fill(venue) {
    this.venue = venue;
    for (const name of Object.keys(this.fields)) this.set(name, toForm(name, venue[name]));
    this.checkEasyRead();
  }

  // What is typed, as the form holds it, for keeping while the person signs in again.
  snapshot() {
    return Object.fromEntries(Object.keys(this.fields).map((name) => [name, this.get(name)]));
  }

  restore(snapshot) {
    for (const [name, text] of Object.entries(snapshot)) if (name in this.fields) this.set(name, text);
    this.checkEasyRead();
  }

  changedFrom(venue) {
    return Object.keys(this.fields).filter((name) => this.get(name) !== toForm(name, venue[name]));
  }

  // The changed fields, as the API takes them.
  changes(venue) {
    return Object.fromEntries(this.changedFrom(venue).map((name) => [name, fromForm(this.fields[name], this.get(name))]));
  }

  // Every filled field, for a new venue.
  filled() {
    return Object.fromEntries(Object.keys(this.fields).filter((name) => this.get(name) !== "")
      .map((name) => [name, fromForm(this.fields[name], this.get(name))]));
  }

  // The venue as read now (`fresh`) under what the person changed since `base`:
  // the fields they did not touch take the new values; theirs stay.
  rebase(base, fresh) {
    const mine = new Set(this.changedFrom(base));
    const theirs = Object.keys(this.fields).filter((name) => toForm(name, fresh[name]) !== toForm(name, base[name]));
    for (const name of Object.keys(this.fields)) {
      if (!mine.has(name)) this.set(name, toForm(name, fresh[name]));
    }
    this.checkEasyRead();
    return { theirs, clashes: theirs.filter((name) => mine.has(name)) };
  }

  // The API's errors (a 422, or a 409 for a ref taken), each beside the input for its
  // `field`; one for a field this form does not show, or for the whole venue, in the box.
  showApiProblem(box, error, root) {
    showFieldErrors(box, error, root, {
      inputFor: (name) => this.input(name),
      labelFor: (name) => LABELS[name],
      focusIdFor: (name) => this.focusId(name),
    });
  }

  // The element a field's error is joined to, or null when the form has no such field.
  input(name) {
    if (!(name in this.fields)) return null;
    return this.fields[name].kind === "hours" ? this.hours.errorInput() : document.getElementById(fieldId(name));
  }

  focusId(name) {
    if (this.fields[name].kind === "hours") return this.hours.focusId();
    return this.fields[name].kind === "yes-no" ? `${fieldId(name)}-${this.get(name) || "unknown"}` : fieldId(name);
  }
}
