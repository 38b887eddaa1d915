// The one way every screen asks the server, public and staff alike: JSON, a time limit
// for weak signal, and errors a person can read: the API's plain `message`, and its
// `errors`, one {field, code, message} for each value at fault, so a form can put each
// message beside its field.
//
// Not the staff sign-in: js/staff-api.js keeps the token, sends it through here, and
// sends the person to sign in again when it has ended.

// A weak signal can leave a request hanging for a minute; a frightened person
// should not wait that long before the app uses what the phone already has.
export const WEAK_SIGNAL_MS = 4000;
const SOMETHING_WRONG = "Something went wrong. Please try again.";

export class ApiError extends Error {
  constructor(response, answer) {
    super(answer?.message || SOMETHING_WRONG);
    this.status = response.status;
    this.errors = Array.isArray(answer?.errors) ? answer.errors : [];
    this.detail = answer?.detail;
    this.retryAfter = Number(response.headers.get("Retry-After")) || null;
  }
}

export class NoSignal extends Error {}

// One call. `json` is sent as JSON; `body` as it is, with `contentType`; `etag` as
// If-Match. Returns { data, etag, response } (with `raw`, a good answer's body is left
// unread, for a download). Throws ApiError or NoSignal.
export async function request(path, {
  method = "GET", params, json, body, contentType, etag, headers = {}, cache = "default",
  timeoutMs = WEAK_SIGNAL_MS, raw = false,
} = {}) {
  const url = params ? `${path}?${new URLSearchParams(params)}` : path;
  const sent = { Accept: "application/json", ...headers };
  if (json !== undefined) {
    sent["Content-Type"] = "application/json";
    body = JSON.stringify(json);
  } else if (contentType) {
    sent["Content-Type"] = contentType;
  }
  if (etag) sent["If-Match"] = etag;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  let response;
  try {
    response = await fetch(url, { method, headers: sent, body, cache, signal: controller.signal });
  } catch {
    throw new NoSignal("We could not reach the server. Check your internet, then try again.");
  } finally {
    clearTimeout(timer);
  }
  if (raw && response.ok) return { data: null, etag: response.headers.get("ETag"), response };
  const data = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response, data);
  return { data, etag: response.headers.get("ETag"), response };
}

// Just the answer's body, for the public screens' look-ups.
export async function getJSON(path, options = {}) {
  return (await request(path, options)).data;
}
