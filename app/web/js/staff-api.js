// How the staff and officer screens call the API: with the sign-in token, the ETag
// for every change, and one way to handle a sign-in that has ended.
//
// js/api.js is the public screens' way in; these screens need what it does not give:
// the token, response headers (ETag, Retry-After), bodies that are files, downloads,
// and a longer time limit (a photo takes a while on a weak signal). The errors are
// api.js's own, so every screen reads them the same way.
import { ApiError, NoSignal } from "./api.js";

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

// One call to the API. Returns { data, etag, response }. Throws ApiError (with the
// API's plain message, and `retryAfter` for 429), NoSignal, or SignInEnded (after
// sending the person to sign in).
export async function call(path, {
  method = "GET", params, json, body, contentType, etag, signedIn = true, timeoutMs = STAFF_TIMEOUT_MS, raw = false,
} = {}) {
  const url = params ? `${path}?${new URLSearchParams(params)}` : path;
  const headers = { Accept: "application/json" };
  if (signedIn) {
    const token = savedToken();
    if (!token) sendToSignIn();
    headers.Authorization = `Bearer ${token}`;
  }
  if (json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(json);
  } else if (contentType) {
    headers["Content-Type"] = contentType;
  }
  if (etag) headers["If-Match"] = etag;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  let response;
  try {
    // no-store: an answer made for one signed-in person is never kept by the browser.
    response = await fetch(url, { method, headers, body, cache: "no-store", signal: controller.signal });
  } catch {
    throw new NoSignal("We could not reach the server. Check your internet, then try again.");
  } finally {
    clearTimeout(timer);
  }
  if (response.status === 401 && signedIn) sendToSignIn();
  if (raw && response.ok) return { data: null, etag: response.headers.get("ETag"), response };
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    const error = new ApiError(response.status, data?.message || "Something went wrong. Please try again.");
    error.detail = data?.detail;
    error.retryAfter = Number(response.headers.get("Retry-After")) || null;
    throw error;
  }
  return { data, etag: response.headers.get("ETag"), response };
}
