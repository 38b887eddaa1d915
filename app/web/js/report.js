// Report a crime: the numbers this council set (GET /api/help), each with when to call,
// and help for people who cannot hear or speak on the phone (js/no-voice.js). The page
// already shows the built-in ones, for when the phone has no signal. "Leave this page"
// is js/quick-exit.js.
import { h, idea, paragraphs } from "./dom.js";
import { freshContacts, telHref } from "./help-numbers.js";
import { showNoVoice } from "./no-voice.js";
import { setUpQuickExit } from "./quick-exit.js";
import { addSpeakButtons } from "./speak.js";

const PICTURES = ["police-light", "police-officer", "secret"];
const KINDS = ["button-emergency", "button-primary", "button-secondary"];
const contacts = document.getElementById("contacts");

function contactBlock(contact, index) {
  return idea(PICTURES[index] ?? "phone", h("h3", { text: contact.name }), ...paragraphs(contact.when),
    h("a", { class: `button ${KINDS[index] ?? "button-secondary"}`, href: telHref(contact.number) },
      h("img", { src: "/icons/phone.svg", alt: "", width: 40, height: 40 }),
      h("span", { text: `Call ${contact.number}` })));
}

setUpQuickExit();
// The page's own blocks have their buttons from js/layout.js; these blocks are new.
freshContacts().then((list) => {
  contacts.replaceChildren(...list.map(contactBlock));
  addSpeakButtons(contacts);
});
showNoVoice(document, addSpeakButtons);
