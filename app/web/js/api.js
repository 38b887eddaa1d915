// One way to ask the server, for every screen: JSON, a time limit for weak signal,
// and errors whose message a person can read (the API's own `message`).

// A weak signal can leave a request hanging for a minute; a frightened person
// should not wait that long before the app uses what the phone already has.
export const WEAK_SIGNAL_MS = 4000;

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export class NoSignal extends Error {}

export async function request(path, { method = "GET", params, body, headers = {}, timeoutMs = WEAK_SIGNAL_MS } = {}) {
  const url = params ? `${path}?${new URLSearchParams(params)}` : path;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  let response;
  try {
    response = await fetch(url, {
      method,
      headers: { Accept: "application/json", ...(body ? { "Content-Type": "application/json" } : {}), ...headers },
      body: body ? JSON.stringify(body) : undefined,
      signal: controller.signal,
    });
  } catch {
    throw new NoSignal("We could not reach the internet.");
  } finally {
    clearTimeout(timer);
  }
  const answer = await response.json().catch(() => null);
  if (!response.ok) {
    throw new ApiError(response.status, answer?.message || "Something went wrong. Please try again.");
  }
  return answer;
}

export function getJSON(path, options = {}) {
  return request(path, options);
}
