// Help for people who cannot hear or speak on the phone: 999 BSL, Relay UK, and what
// the council adds (GET /api/help `no_voice_contacts`). The blocks are built as
// templates/no_voice.html builds them, so the page's built-in ones (for no signal)
// and the council's look the same.
//
// Any screen can show them: the report page, "What is wrong?", and the "nothing open"
// box on the results, with
//   import { noVoiceHelp } from "./no-voice.js";
//   box.append(noVoiceHelp(savedNoVoiceContacts(), 3));   // a heading, then the blocks
// Not here: fetching and keeping the list (js/help-numbers.js).
import { DEFAULT_NO_VOICE_CONTACTS } from "./constants.js";
import { buttonLink, h, idea, paragraphs } from "./dom.js";
import { freshNoVoiceContacts } from "./help-numbers.js";

export const NO_VOICE_HEADING = "If you cannot hear or speak on the phone";

// Only links that open an app, a website, a text or a call: never script.
function safeLink(link) {
  return /^(https:\/\/|sms:|tel:)\S+$/i.test(link ?? "") ? link : null;
}

// One block per service; each service's name is a heading of `level` (3 or 4).
export function noVoiceBlocks(contacts, level = 3) {
  return contacts.map((contact) => {
    const link = safeLink(contact.link);
    return idea("deaf", h(`h${level}`, { text: contact.name }), ...paragraphs(contact.when),
      link ? buttonLink(link, contact.link_words, "phone") : null);
  });
}

// A heading of `level` and the blocks under it, for a screen with no place for them yet.
export function noVoiceHelp(contacts, level = 2) {
  return h("div", { class: "no-voice" }, h(`h${level}`, { text: NO_VOICE_HEADING }),
    noVoiceBlocks(contacts, level + 1));
}

// Each [data-no-voice="LEVEL"] on the page (templates/no_voice.html) gets the council's
// list once /api/help answers; when it is the built-in one the page already shows, the
// page is left as it is (nothing moves). `then` runs after, with each container changed
// (to add "Read this to me" buttons).
export function showNoVoice(root = document, then = () => {}) {
  return freshNoVoiceContacts().then((contacts) => {
    if (JSON.stringify(contacts) === JSON.stringify(DEFAULT_NO_VOICE_CONTACTS)) return;
    for (const container of root.querySelectorAll("[data-no-voice]")) {
      container.replaceChildren(...noVoiceBlocks(contacts, Number(container.dataset.noVoice) || 3));
      then(container);
    }
  });
}
