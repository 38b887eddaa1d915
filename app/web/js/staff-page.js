// What every staff and officer screen shares: who is signed in, the menu, sign out,
// and how problems and progress are told (a problem box that takes focus, a status line).
// The problem box and each field's own error are js/field-problems.js's, which public
// forms use too; they are exported from here as well, so a staff screen imports one file.
import { h, picture, setStatus } from "./dom.js";
import { showProblem } from "./field-problems.js";
import { MONTH_NAMES, clockWords, dateWords as dateInWords } from "./opening.js";
import {
  ApiError, SignInEnded, call, forgetDrafts, forgetToken, hasToken, sendToSignIn, tokenExpired,
} from "./staff-api.js";

// "Monday 3 March 2025" from "2025-03-03": staff screens name the day.
export function dateWords(isoDate) {
  return dateInWords(isoDate, { withDay: true });
}

// "3 March 2025 at 4:05pm", in the phone's own time.
export function momentWords(isoDateTime) {
  const when = new Date(isoDateTime.endsWith("Z") || /[+-]\d\d:\d\d$/.test(isoDateTime) ? isoDateTime : `${isoDateTime}Z`);
  const clock = clockWords({ hour: when.getHours(), minute: when.getMinutes() });
  return `${when.getDate()} ${MONTH_NAMES[when.getMonth()]} ${when.getFullYear()} at ${clock}`;
}

// The date in the person's own time zone, as a date input holds it: "2025-03-03".
export function isoDay(offsetDays = 0) {
  const day = new Date();
  day.setDate(day.getDate() + offsetDays);
  const month = String(day.getMonth() + 1).padStart(2, "0");
  return `${day.getFullYear()}-${month}-${String(day.getDate()).padStart(2, "0")}`;
}

export function isClosedNow(venue) {
  return Boolean(venue.closed_until) && venue.closed_until > isoDay();
}

export function queryId() {
  const id = new URLSearchParams(location.search).get("id") ?? "";
  return /^\d{1,10}$/.test(id) ? id : null;
}

// --- telling the person ---------------------------------------------------------

export function say(status, ...sentences) {
  setStatus(status, ...sentences);
}

// Words for an error from the API, or for no signal.
export function problemWords(error) {
  if (error instanceof ApiError) return error.message;
  return error?.message || "Something went wrong. Please try again.";
}

// Run an action from a button: busy while it runs, problems into the box. A sign-in
// that ended has already sent the person to sign in: nothing more to say here.
export async function act(button, box, work) {
  if (button) button.setAttribute("aria-busy", "true");
  if (button) button.disabled = true;
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof SignInEnded)) showProblem(box, problemWords(error));
    return undefined;
  } finally {
    if (button) {
      button.disabled = false;
      button.removeAttribute("aria-busy");
    }
  }
}

export function button(words, pictureName, kind = "button-secondary", attributes = {}) {
  return h("button", { type: "button", class: `button ${kind}`, ...attributes },
    pictureName ? picture(pictureName) : null, h("span", { text: words }));
}

// A one-time password, shown once: in its groups of 4, which never break apart on a
// narrow screen, and a button that copies it where the browser allows.
export function oneTimePassword(password) {
  const shown = h("p", { class: "one-time-password", id: "one-time-password" },
    password.split("-").flatMap((group, i) => [i ? "-" : null, h("span", { text: group })]).filter(Boolean));
  if (!navigator.clipboard?.writeText) return [shown];
  const said = h("p", { role: "status" });
  const copy = button("Copy the password", "key", "button-secondary", { on: { click: async () => {
    try {
      await navigator.clipboard.writeText(password);
      said.textContent = "Copied. You can paste it now.";
    } catch {
      said.textContent = "We could not copy it. Write it down instead.";
    }
  } } });
  return [shown, copy, said];
}

// --- who is signed in, and the menu ------------------------------------------------

export async function signOut() {
  // Ends the sign-in on the server too, so a copied token is no use; no signal: still forget it here.
  await call("/api/auth/sign-out", { method: "POST", raw: true }).catch(() => {});
  forgetToken();
  forgetDrafts();
  location.assign("/staff?reason=signed-out");
}

function menu(me) {
  // What this account may do is the server's to say (/api/me); an import adds venues.
  const links = [
    ["/staff/venues", me.role === "officer" ? "Venues" : "My venues", "staff"],
    me.can_add_venues && ["/staff/new-venue", "Add a Safe Place", "add"],
    me.can_manage_accounts && ["/staff/accounts", "Accounts", "people"],
    me.can_add_venues && ["/staff/files", "Import and export", "import"],
    me.role === "officer" && ["/staff/usage", "Use of the scheme", "chart"],
    me.role === "officer" && ["/staff/problems", "Problems people reported", "warning"],
    me.can_add_venues && ["/staff/applications", "Applications", "sticker"],
    me.role === "officer" && ["/staff/coverage", "Gaps in cover", "map"],
  ].filter(Boolean);
  // Folded away, so each screen starts with what it is for, even 320px wide.
  return [
    h("p", { class: "signed-in-as" }, h("span", { text: "Signed in as " }), h("strong", { text: me.email })),
    h("details", { class: "staff-menu-box" },
      h("summary", { text: "Menu and sign out" }),
      h("ul", { class: "staff-menu" }, links.map(([href, words, pictureName]) =>
        h("li", {}, h("a", {
          class: "button button-plain", href,
          "aria-current": location.pathname === href ? "page" : null,
        }, picture(pictureName), h("span", { text: words }))))),
      button("Sign out", "door", "button-secondary", { id: "sign-out", on: { click: signOut } })),
  ];
}

// Every staff screen starts here: signed in, own password chosen, the right role.
// Returns who is signed in, or null when this screen is not for them (and says so).
export async function startPage({ officersOnly = false } = {}) {
  if (!hasToken()) {
    try {
      sendToSignIn(tokenExpired() ? "ended" : "needed");
    } catch {
      return null; // on the way to sign in
    }
  }
  let me;
  try {
    ({ data: me } = await call("/api/me"));
  } catch (error) {
    if (!(error instanceof SignInEnded)) {
      say(document.getElementById("status"), problemWords(error));
    }
    return null;
  }
  if (me.must_change_password) {
    location.assign(`/staff?next=${encodeURIComponent(location.pathname + location.search)}`);
    return null;
  }
  const nav = document.getElementById("staff-nav");
  nav.replaceChildren(...menu(me));
  nav.hidden = false;
  if (officersOnly && me.role !== "officer") {
    say(document.getElementById("status"), "Only council officers can use this page.");
    return null;
  }
  return me;
}

export {
  clearFieldErrors, clearProblem, fieldError, fieldMessage, showFieldErrors, showProblem,
} from "./field-problems.js";
