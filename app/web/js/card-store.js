// Where the help card lives: this phone's localStorage, and nowhere else.
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
