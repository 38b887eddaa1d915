// The numbers on every screen (999 and 101 in the call bar, more on the report page).
// The council sets them (GET /api/help); the phone keeps the last ones it was given,
// and the server's defaults (app/config.py, through js/constants.js) work before that,
// or with no signal at all.
import { getJSON } from "./api.js";
import { DEFAULT_HELP_CONTACTS } from "./constants.js";

const KEY = "safe-places-help-numbers";

export function telHref(number) {
  return `tel:${number.replace(/[^0-9+]/g, "")}`;
}

export function savedContacts() {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY));
    return Array.isArray(saved) && saved.length ? saved : DEFAULT_HELP_CONTACTS;
  } catch {
    return DEFAULT_HELP_CONTACTS;
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
