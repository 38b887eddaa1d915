// The numbers on every screen (999 and 101 in the call bar, more on the report page),
// and help for people who cannot hear or speak on the phone (js/no-voice.js shows it).
// The council sets them (GET /api/help); the phone keeps the last ones it was given,
// and the server's defaults (app/config.py, through js/constants.js) work before that,
// or with no signal at all.
import { getJSON } from "./api.js";
import { DEFAULT_HELP_CONTACTS, DEFAULT_NO_VOICE_CONTACTS } from "./constants.js";

const KEY = "safe-places-help-numbers";
const NO_VOICE_KEY = "safe-places-no-voice-numbers";

export function telHref(number) {
  return `tel:${number.replace(/[^0-9+]/g, "")}`;
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
