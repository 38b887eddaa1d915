// "Leave this page" (templates/quick_exit.html), as safe-space sites have it: one tap
// puts a neutral page where this one was. location.replace takes this page's place in
// the history too, so Back does not bring it back.
//
// What a page can clear, it clears first: the tab's sessionStorage, anything being read
// aloud, an open dialog (the help card shown to staff), and the page itself, so nothing
// of it shows while the neutral page loads on a weak signal. The help card saved on
// this phone is kept: deleting it is the person's choice ("Delete my card"), and it
// must be there the next time they need it. No page can clear the rest of the
// browser's history (its earlier entries, other sites): only this entry is replaced.
//
// Without a script the link still goes to the neutral page (an ordinary link).
export function leavePage(address) {
  try {
    sessionStorage.clear();
  } catch {
    // Storage turned off: nothing was kept there.
  }
  if ("speechSynthesis" in window) speechSynthesis.cancel();
  for (const dialog of document.querySelectorAll("dialog[open]")) dialog.close();
  document.title = "";
  document.body.replaceChildren();
  location.replace(address);
}

export function setUpQuickExit(root = document) {
  for (const link of root.querySelectorAll("[data-quick-exit]")) {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      leavePage(link.href);
    });
  }
}
