// "Read this to me": the phone reads a block aloud (speechSynthesis), for people who
// find reading hard. A second press stops it. No button where the phone cannot speak.
import { h, picture } from "./dom.js";

const canSpeak = "speechSynthesis" in window && "SpeechSynthesisUtterance" in window;
let speakingButton = null;

function stop() {
  speechSynthesis.cancel();
  if (speakingButton) setLabel(speakingButton, false);
  speakingButton = null;
}

function setLabel(button, speaking) {
  button.querySelector("span").textContent = speaking ? "Stop reading" : button.dataset.label;
}

// The words of a block, without the words of its buttons.
export function blockWords(block) {
  const copy = block.cloneNode(true);
  for (const control of copy.querySelectorAll("button, .speak")) control.remove();
  // A space after every element, so list items and table cells are not run together.
  for (const element of copy.querySelectorAll("*")) element.append(" ");
  return copy.textContent.replace(/\s+/g, " ").replace(/ ([.,!?])/g, "$1").trim();
}

export function speakButton(getWords, label = "Read this to me") {
  if (!canSpeak) return null;
  const button = h("button", { type: "button", class: "button button-secondary speak", "data-label": label },
    picture("speaker"), h("span", { text: label }));
  button.addEventListener("click", () => {
    const wasMine = speakingButton === button;
    stop();
    if (wasMine) return;
    const utterance = new SpeechSynthesisUtterance(getWords());
    utterance.lang = "en-GB";
    utterance.rate = 0.9; // a little slower than usual
    utterance.onend = () => {
      if (speakingButton === button) stop();
    };
    speakingButton = button;
    setLabel(button, true);
    speechSynthesis.speak(utterance);
  });
  return button;
}

// A "Read this to me" button at the end of every easy-read block inside `root`.
export function addSpeakButtons(root = document) {
  for (const words of root.querySelectorAll(".idea-words")) {
    if (words.querySelector(".speak")) continue;
    const button = speakButton(() => blockWords(words));
    if (button) words.append(button);
  }
}

window.addEventListener("pagehide", () => canSpeak && speechSynthesis.cancel());
