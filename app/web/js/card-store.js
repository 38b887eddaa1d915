// Where the help card lives: this phone's localStorage, and nowhere else. Also what the
// card says, in the words staff read on the screen and on the printed card.
export const CARD_KEY = "safe-places-help-card";

export function loadCard() {
  try {
    const card = JSON.parse(localStorage.getItem(CARD_KEY));
    return card && typeof card === "object" ? card : null;
  } catch {
    return null;
  }
}

export function saveCard(card) {
  localStorage.setItem(CARD_KEY, JSON.stringify(card));
}

export function deleteCard() {
  localStorage.removeItem(CARD_KEY);
}

// Who staff should call, with the number: "Mum: 07700 900461".
export function whoToCall(card) {
  return card.contact && card.number ? `${card.contact}: ${card.number}` : card.contact || card.number;
}

// [words, what the card says] for each part the person filled in, by side: the first
// says who they are, the second what staff should do.
export function cardSides(card) {
  const filled = (lines) => lines.filter(([, value]) => value);
  return [
    filled([["My name is", card.name], ["How I talk to people", card.talk]]),
    filled([["Please call", whoToCall(card)], ["Please know this about me", card.notes]]),
  ];
}
