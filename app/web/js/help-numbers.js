// The numbers on every screen (999 and 101 in the call bar, more on the report page),
// and help for people who cannot hear or speak on the phone (js/no-voice.js shows it).
// The council sets them (GET /api/help); the phone keeps the last ones it was given,
// and the server's defaults (app/config.py, through js/constants.js) work before that,
// or with no signal at all.
import { getJSON } from "./api.js";
import { DEFAULT_HELP_CONTACTS, DEFAULT_NO_VOICE_CONTACTS } from "./constants.js";
import { h, picture } from "./dom.js";

const KEY = "safe-places-help-numbers";
const NO_VOICE_KEY = "safe-places-no-voice-numbers";

// A number as a phone dials it: "01632 960 001" -> "01632960001".
export function dialable(number) {
  return number.replace(/[^0-9+]/g, "");
}

export function telHref(number) {
  return `tel:${dialable(number)}`;
}

function saved(key, builtIn) {
  try {
    const list = JSON.parse(localStorage.getItem(key));
    return Array.isArray(list) && list.length ? list : builtIn;
  } catch {
    return builtIn;
  }
}

export function savedContacts() {
  return saved(KEY, DEFAULT_HELP_CONTACTS);
}

export function savedNoVoiceContacts() {
  return saved(NO_VOICE_KEY, DEFAULT_NO_VOICE_CONTACTS);
}

// Asked once per page: the call bar, the report page and the no-voice help share the answer.
let asked = null;

function freshHelp() {
  asked ??= askForHelp();
  return asked;
}

export function freshContacts() {
  return freshHelp().then((help) => help.contacts);
}

export function freshNoVoiceContacts() {
  return freshHelp().then((help) => help.noVoice);
}

async function askForHelp() {
  try {
    const answer = await getJSON("/api/help");
    if (answer?.contacts?.length) localStorage.setItem(KEY, JSON.stringify(answer.contacts));
    if (answer?.no_voice_contacts?.length) {
      localStorage.setItem(NO_VOICE_KEY, JSON.stringify(answer.no_voice_contacts));
    }
  } catch {
    // No signal: the saved or built-in numbers stand.
  }
  return { contacts: savedContacts(), noVoice: savedNoVoiceContacts() };
}

// Links marked data-help="N" call the Nth number; their words follow it.
export function fillHelpLinks(contacts, root = document) {
  for (const link of root.querySelectorAll("[data-help]")) {
    const contact = contacts[Number(link.dataset.help)];
    if (!contact) continue;
    link.href = telHref(contact.number);
    for (const number of link.querySelectorAll("[data-help-number]")) number.textContent = contact.number;
    for (const name of link.querySelectorAll("[data-help-name]")) name.textContent = contact.name;
  }
}

// A button that calls the Nth help number, as templates/calls.html's call_link makes
// it (its class by default; `className` for a page's own button style): the number
// shown, and the contact's name for screen readers ("Call 999, Police, emergency").
export function callLink(index, kind, pictureName, className = `call call-${kind}`) {
  const contact = savedContacts()[index] ?? DEFAULT_HELP_CONTACTS[index];
  return h("a", { class: className, href: telHref(contact.number), "data-help": String(index) },
    picture(pictureName),
    h("span", {}, "Call ", h("span", { "data-help-number": "", text: contact.number }),
      h("span", { class: "visually-hidden" }, ", ", h("span", { "data-help-name": "", text: contact.name }))));
}
