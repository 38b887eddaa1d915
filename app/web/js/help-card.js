// My help card: kept only on this phone (localStorage). Nothing here is ever sent
// anywhere: there is no fetch in this file, and the form's method="dialog" sends nothing.
import { h, picture, setStatus } from "./dom.js";
import { deleteCard, loadCard, saveCard } from "./card-store.js";
import { telHref } from "./help-numbers.js";
import { addSpeakButtons } from "./speak.js";

const FIELDS = { name: "card-name", talk: "card-talk", contact: "card-contact", number: "card-number", notes: "card-notes" };

const form = document.getElementById("card-form");
const summary = document.getElementById("card-summary");
const message = document.getElementById("card-message");
const deleteBox = document.getElementById("card-delete");
const view = document.getElementById("card-view");
let wakeLock = null;

function readForm() {
  const card = {};
  for (const [key, id] of Object.entries(FIELDS)) card[key] = document.getElementById(id).value.trim();
  return card;
}

function fillForm(card) {
  for (const [key, id] of Object.entries(FIELDS)) document.getElementById(id).value = card?.[key] ?? "";
}

function hasCard(card) {
  return card && Object.values(card).some(Boolean);
}

function showState(card) {
  const saved = hasCard(card);
  summary.hidden = !saved;
  deleteBox.hidden = !saved;
  form.hidden = saved;
}

function entry(term, value) {
  return value ? [h("dt", { text: term }), h("dd", { text: value })] : [];
}

async function openCard() {
  const card = loadCard();
  const body = document.getElementById("card-view-body");
  body.replaceChildren(
    h("dl", {},
      entry("My name is", card.name),
      entry("How I talk to people", card.talk),
      entry("Please call", card.contact && card.number ? `${card.contact}: ${card.number}` : card.contact || card.number),
      entry("Please know this about me", card.notes)),
    card.number
      ? h("a", { class: "button button-primary button-big", href: telHref(card.number) },
        picture("phone", 48), h("span", { text: `Call ${card.contact || card.number}` }))
      : null);
  view.showModal();
  // Full screen where the phone allows it, and the screen kept on while staff read it.
  document.documentElement.requestFullscreen?.().catch(() => {});
  wakeLock = await navigator.wakeLock?.request("screen").catch(() => null);
}

view.addEventListener("close", () => {
  if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
  wakeLock?.release().catch(() => {});
  wakeLock = null;
  document.getElementById("show-card").focus();
});

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const card = readForm();
  if (!hasCard(card)) {
    setStatus(message, "Your card is empty. Write something first.");
    return;
  }
  saveCard(card);
  showState(card);
  setStatus(message, "Your card is saved on this phone.");
  document.getElementById("show-card").focus();
});

document.getElementById("show-card").addEventListener("click", openCard);
document.getElementById("edit-card").addEventListener("click", () => {
  fillForm(loadCard());
  form.hidden = false;
  setStatus(message);
  document.getElementById(FIELDS.name).focus();
});
document.getElementById("delete-card").addEventListener("click", () => {
  if (!confirm("Delete your help card from this phone?")) return;
  deleteCard();
  fillForm(null);
  showState(null);
  setStatus(message, "Your card is deleted.");
  document.getElementById(FIELDS.name).focus();
});

const card = loadCard();
fillForm(card);
showState(card);
addSpeakButtons(document.querySelector("main"));
