// What every screen does: the call bar's numbers, "Read this page to me" and the blocks'
// "Read this to me", the service worker, the saved list.
import { fillHelpLinks, freshContacts, savedContacts } from "./help-numbers.js";
import { refreshSavedList, savedList, showSavedNote } from "./saved-list.js";
import { addSpeakButtons, readPageButton } from "./speak.js";

fillHelpLinks(savedContacts());
freshContacts().then((contacts) => fillHelpLinks(contacts));

const main = document.querySelector("main");
readPageButton(document.querySelector("[data-read-page] .speak"), main);
addSpeakButtons(main);

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {
    // Without it the app still works online; nothing to tell the person.
  });
}

savedList().then(showSavedNote);
document.addEventListener("safe-places:list-saved", (event) => showSavedNote(event.detail));
// After the page is usable, so the list never slows the first view.
window.addEventListener("load", () => setTimeout(() => refreshSavedList(), 500));
