// "Read this to me": the phone reads a block aloud (speechSynthesis), for people who
// find reading hard; "Read this page to me" (in the layout) reads the whole page. A
// second press stops it. Where the phone cannot speak, there are no such buttons.
//
// The pages' blocks come with their button already (templates/easy_read.html), so
// nothing moves when the page has loaded; blocks a script builds get one here.
import { h, picture, sentences } from "./dom.js";

const canSpeak = "speechSynthesis" in window && "SpeechSynthesisUtterance" in window;
// Some phones stop a long utterance part way: a page is read a few sentences at a time.
const CHUNK_CHARACTERS = 200;
let speakingButton = null;
const working = new WeakSet(); // the buttons already given their voice

function stop() {
  speechSynthesis.cancel();
  if (speakingButton) setLabel(speakingButton, false);
  speakingButton = null;
}

function setLabel(button, speaking) {
  button.dataset.label ??= button.querySelector("span").textContent;
  button.querySelector("span").textContent = speaking ? "Stop reading" : button.dataset.label;
}

function tidy(words) {
  return words.replace(/\s+/g, " ").replace(/ ([.,!?])/g, "$1").trim();
}

// Safari before 17.4 has no checkVisibility: there, an element with no box (display:
// none, or inside one) is hidden, as checkVisibility() itself tells it by default.
function visible(element) {
  return element.checkVisibility?.() ?? element.getClientRects().length > 0;
}

// What ends a phrase when read aloud: each becomes a sentence of its own.
const PHRASES = "p, li, h1, h2, h3, h4, dt, dd, th, td, label, figcaption, a, .place-name, .place-line";

// The words a person can see in a block (or the page), in order, without the words of
// its buttons.
export function blockWords(root) {
  const phrases = [];
  let phrase = null;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!node.textContent.trim() || parent.closest("button, .speak") || !visible(parent)) continue;
    const its = parent.closest(PHRASES) ?? parent;
    if (its !== phrase) phrases.push("");
    phrase = its;
    phrases[phrases.length - 1] += ` ${node.textContent}`;
  }
  // A heading or a link has no full stop: give it one, so the voice pauses.
  return phrases.map(tidy).map((words) => (/[.!?:]$/.test(words) ? words : `${words}.`)).join(" ");
}

// Sentences joined up to about CHUNK_CHARACTERS each.
export function chunks(words) {
  const parts = [];
  for (const sentence of sentences(words)) {
    const last = parts.length - 1;
    if (last >= 0 && parts[last].length + sentence.length < CHUNK_CHARACTERS) parts[last] += ` ${sentence}`;
    else parts.push(sentence);
  }
  return parts.filter(Boolean);
}

function speak(button, getWords) {
  const wasMine = speakingButton === button;
  stop();
  if (wasMine) return;
  const parts = chunks(getWords());
  speakingButton = button;
  setLabel(button, true);
  parts.forEach((part, index) => {
    const utterance = new SpeechSynthesisUtterance(part);
    utterance.lang = "en-GB";
    utterance.rate = 0.9; // a little slower than usual
    if (index === parts.length - 1) {
      utterance.onend = () => {
        if (speakingButton === button) stop();
      };
    }
    speechSynthesis.speak(utterance);
  });
}

// Makes `button` (or a new one, with `label`) read `getWords()` aloud; null where the
// phone cannot speak (and a given button is then removed).
export function speakButton(getWords, label = "Read this to me", button = null) {
  if (!canSpeak) {
    button?.remove();
    return null;
  }
  button ??= h("button", { type: "button", class: "button button-secondary speak" },
    picture("speaker"), h("span", { text: label }));
  if (working.has(button)) return button;
  working.add(button);
  button.addEventListener("click", () => speak(button, getWords));
  return button;
}

// `block` with a "Read this to me" button at its end (or at the end of `place` in it).
export function readable(block, place = block) {
  const button = speakButton(() => blockWords(block));
  if (button) place.append(button);
  return block;
}

// A working "Read this to me" button at the end of every easy-read block inside `root`.
export function addSpeakButtons(root = document) {
  for (const words of root.querySelectorAll(".idea-words")) {
    const given = [...words.children].find((child) => child.matches(".speak"));
    const button = speakButton(() => blockWords(words), undefined, given ?? null);
    if (button && !given) words.append(button);
  }
}

// The layout's "Read this page to me": everything the page shows in its main part.
export function readPageButton(button, main = document.querySelector("main")) {
  if (button) speakButton(() => blockWords(main), undefined, button);
}

window.addEventListener("pagehide", () => canSpeak && speechSynthesis.cancel());
