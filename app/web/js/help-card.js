// My help card: kept only on this phone (localStorage). Nothing here is ever sent
// anywhere: there is no fetch in this file, and the form's method="dialog" sends nothing.
// From the card: show it to staff, text the contact where I am (js/tell-my-person.js,
// which keeps the position on the phone too), print it (js/print-card.js).
import { definitionList, h, picture, setStatus } from "./dom.js";
import { cardSides, deleteCard, loadCard, saveCard } from "./card-store.js";
import { telHref } from "./help-numbers.js";
import { printWalletCard } from "./print-card.js";
import { setUpQuickExit } from "./quick-exit.js";
import { tellMyPerson } from "./tell-my-person.js";

const FIELDS = { name: "card-name", talk: "card-talk", contact: "card-contact", number: "card-number", notes: "card-notes" };

const form = document.getElementById("card-form");
const summary = document.getElementById("card-summary");
const message = document.getElementById("card-message");
const deleteBox = document.getElementById("card-delete");
const view = document.getElementById("card-view");
const tell = document.getElementById("tell-my-person");
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
  // "Text Mum where I am", for a card with a number (tellMyPerson gives null without).
  const texting = saved ? tellMyPerson(card) : null;
  tell.replaceChildren(...(texting ? [texting] : []));
}

async function openCard() {
  const card = loadCard();
  const body = document.getElementById("card-view-body");
  body.replaceChildren(
    definitionList(cardSides(card).flat()),
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
document.getElementById("print-card").addEventListener("click", printWalletCard);
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
setUpQuickExit();
