// "Print my card": the help card as a wallet card on paper, 2 sides to cut out and fold,
// each the size of a bank card (css/help-card.css). Made on the phone from the card
// kept there, just before the page prints (also when the person prints it from the
// browser's menu), and emptied after: printing sends nothing anywhere.
import { cardSides, loadCard } from "./card-store.js";
import { definitionList, h } from "./dom.js";
import { savedContacts } from "./help-numbers.js";

const sheet = document.getElementById("wallet-card");
// Set on <html> while the wallet card is what prints; without it the page prints as it is.
const PRINTING = "print-wallet-card";

function side(lines, { before = null, after = null } = {}) {
  return h("div", { class: "wallet-side" }, before,
    definitionList(lines),
    after);
}

export function fillWalletCard(card = loadCard()) {
  if (!card) return;
  const [front, back] = cardSides(card);
  const emergency = savedContacts()[0];
  sheet.replaceChildren(
    h("p", { class: "wallet-how", text: "Cut round the card. Fold it on the dotted line. Keep it in your purse or wallet." }),
    h("div", { class: "wallet-sides" },
      side(front, { before: h("p", { class: "wallet-title", text: "Please help me. This is my help card." }) }),
      side(back, { after: h("p", { class: "wallet-danger", text: `If I am in danger, call ${emergency.number}.` }) })));
  document.documentElement.classList.add(PRINTING);
}

export function emptyWalletCard() {
  sheet.replaceChildren();
  document.documentElement.classList.remove(PRINTING);
}

export function printWalletCard() {
  fillWalletCard();
  window.print();
}

window.addEventListener("beforeprint", () => fillWalletCard());
window.addEventListener("afterprint", emptyWalletCard);
