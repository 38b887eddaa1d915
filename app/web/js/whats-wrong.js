// "What is wrong?": each answer's repeated steps (danger: 999, or help without a voice
// call; go to a Safe Place; what to say there; your help card, and a text to your
// person) are written once here and put where marked.
import { loadCard } from "./card-store.js";
import { buttonLink, h, idea, paragraphs } from "./dom.js";
import { callLink, fillHelpLinks, savedContacts, telHref } from "./help-numbers.js";
import { showNoVoice } from "./no-voice.js";
import { addSpeakButtons, speakButton } from "./speak.js";
import { tellMyPerson } from "./tell-my-person.js";

const card = loadCard();

function danger() {
  const call = callLink(0, "emergency", "phone", "button button-emergency");
  return idea("police-light", ...paragraphs("Are you in danger now?", "Call 999 now."), call,
    buttonLink("#no-voice", "I cannot hear or speak on the phone", "deaf", "button-plain"));
}

function go() {
  return idea("house", ...paragraphs("Go to a Safe Place near you.", "The staff there will help you."),
    buttonLink("/#near", "Find a Safe Place near me", "pin", "button-primary"));
}

function say(words) {
  const block = idea("say", ...paragraphs("When you get there, say this:"), h("p", { class: "say", text: words }));
  const button = speakButton(() => words, "Say it for me");
  if (button) block.querySelector(".idea-words").append(button);
  return block;
}

function helpCard() {
  const call = card?.number
    ? buttonLink(telHref(card.number), `Call ${card.contact || card.number}`, "phone", "button-secondary")
    : null;
  return idea("help-card", ...paragraphs("Show staff your help card."),
    buttonLink("/help-card", "My help card", "help-card", "button-secondary"), call, tellMyPerson(card));
}

for (const slot of document.querySelectorAll("[data-danger]")) slot.replaceWith(danger());
for (const slot of document.querySelectorAll("[data-go]")) slot.replaceWith(go());
for (const slot of document.querySelectorAll("[data-say]")) slot.replaceWith(say(slot.dataset.say));
for (const slot of document.querySelectorAll("[data-card]")) slot.replaceWith(helpCard());
fillHelpLinks(savedContacts());
addSpeakButtons(document.querySelector("main"));
showNoVoice(document, addSpeakButtons);

// Show only the chosen answer, and move focus to it, so a screen reader reads it next.
// (Without this script, :target still shows the answer, below the pictures.)
function openAnswer() {
  const target = location.hash ? document.getElementById(location.hash.slice(1)) : null;
  const answer = target?.classList.contains("answer") ? target : null;
  document.getElementById("choices").hidden = Boolean(answer);
  const shown = answer ?? target;
  if (!shown) return;
  // The browser jumped to the answer while the pictures above it still showed;
  // now they are hidden, so bring the answer's top back into view.
  shown.focus({ preventScroll: true });
  shown.scrollIntoView({ block: "start" });
}
window.addEventListener("hashchange", openAnswer);
openAnswer();
