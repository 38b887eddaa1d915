// The numbers on every screen (999 and 101 in the call bar, more on the report page).
// The council sets them (GET /api/help); the phone keeps the last ones it was given,
// and these built-in ones work before that, or with no signal at all.
import { getJSON } from "./api.js";

export const BUILT_IN = [
  { name: "Police, emergency", number: "999", when: "Call 999 if you are in danger now." },
  { name: "Police, not an emergency", number: "101", when: "Call 101 to tell the police about something that has happened." },
  { name: "Crimestoppers", number: "0800 555 111", when: "Call Crimestoppers if you do not want to give your name." },
];
const KEY = "safe-places-help-numbers";

export function telHref(number) {
  return `tel:${number.replace(/[^0-9+]/g, "")}`;
}

export function savedContacts() {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY));
    return Array.isArray(saved) && saved.length ? saved : BUILT_IN;
  } catch {
    return BUILT_IN;
  }
}

// Asked once per page: the call bar and the report page share the answer.
let asked = null;

export function freshContacts() {
  asked ??= askForContacts();
  return asked;
}

async function askForContacts() {
  try {
    const { contacts } = await getJSON("/api/help");
    if (contacts?.length) {
      localStorage.setItem(KEY, JSON.stringify(contacts));
      return contacts;
    }
  } catch {
    // No signal: the saved or built-in numbers stand.
  }
  return savedContacts();
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
