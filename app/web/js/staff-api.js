// The staff sign-in on this tab: the token, what was typed when it ends, and sending
// the person to sign in again. `call` is js/api.js's `request` with the token added;
// every screen, public or staff, asks the server through that one wrapper, so errors
// read the same everywhere.
import { ApiError, NoSignal, request } from "./api.js";

export { ApiError, NoSignal };

// sessionStorage, never localStorage: a venue's phone may be shared, and the sign-in
// ends when the tab is closed.
const TOKEN_KEY = "safe-places-staff-token";
const DRAFT_PREFIX = "safe-places-staff-draft:";
const STAFF_TIMEOUT_MS = 30000;

export class SignInEnded extends Error {}

export function saveToken(token) {
  sessionStorage.setItem(TOKEN_KEY, JSON.stringify({
    token: token.access_token,
    expires_at: Date.now() + token.expires_in * 1000,
  }));
}

function readToken() {
  try {
    return JSON.parse(sessionStorage.getItem(TOKEN_KEY));
  } catch {
    return null;
  }
}

function savedToken() {
  const saved = readToken();
  return saved && saved.expires_at > Date.now() ? saved.token : null;
}

export function hasToken() {
  return savedToken() !== null;
}

// Signed in before, but the 15 minutes are over.
export function tokenExpired() {
  return readToken() !== null && savedToken() === null;
}

export function forgetToken() {
  sessionStorage.removeItem(TOKEN_KEY);
}

// What a screen keeps of what was typed when the sign-in ends, to put back afterwards.
export function keepDraft(name, value) {
  sessionStorage.setItem(DRAFT_PREFIX + name, JSON.stringify(value));
}

export function takeDraft(name) {
  const key = DRAFT_PREFIX + name;
  const saved = sessionStorage.getItem(key);
  sessionStorage.removeItem(key);
  try {
    return saved ? JSON.parse(saved) : null;
  } catch {
    return null;
  }
}

export function forgetDrafts() {
  for (const key of Object.keys(sessionStorage)) {
    if (key.startsWith(DRAFT_PREFIX)) sessionStorage.removeItem(key);
  }
}

// Screens register what to keep; it runs just before the person is sent to sign in.
const keepers = [];
export function onSignInEnded(keeper) {
  keepers.push(keeper);
}

export function signInPage(reason) {
  const here = location.pathname + location.search;
  const params = new URLSearchParams({ next: here });
  if (reason) params.set("reason", reason);
  return `/staff?${params}`;
}

export function sendToSignIn(reason = "ended") {
  let kept = false;
  for (const keeper of keepers) {
    try {
      kept = keeper() || kept;
    } catch {
      // Keeping a draft must never stop the person getting back to sign in.
    }
  }
  forgetToken();
  location.assign(signInPage(kept ? `${reason}-kept` : reason));
  throw new SignInEnded("Your sign-in has ended.");
}

// One call to the API, signed in unless `signedIn` is false. Returns { data, etag,
// response }. Throws ApiError (with the API's plain message, its `errors` by field, and
// `retryAfter` for 429), NoSignal, or SignInEnded (after sending the person to sign in).
// A longer time limit than the public screens': a photo takes a while on a weak signal.
export async function call(path, { signedIn = true, timeoutMs = STAFF_TIMEOUT_MS, headers = {}, ...options } = {}) {
  if (signedIn) {
    const token = savedToken();
    if (!token) sendToSignIn();
    headers = { ...headers, Authorization: `Bearer ${token}` };
  }
  try {
    // no-store: an answer made for one signed-in person is never kept by the browser.
    return await request(path, { ...options, headers, timeoutMs, cache: "no-store" });
  } catch (error) {
    if (signedIn && error instanceof ApiError && error.status === 401) sendToSignIn();
    throw error;
  }
}
