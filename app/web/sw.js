// The service worker: keeps the app's own files on the phone, so every screen opens
// with no signal. The server writes VERSION (a hash of every file), SHELL (what to
// keep) and how many digits a content name has into this file when it starts, so any
// change to the app is a new worker, which fetches the new files and drops the old ones.
//
// Scripts, style sheets and pictures are kept under the names the pages use, made
// from their content (/js/home.3f9a1c2b7d.js): such a file never changes, so the copy
// the browser keeps (a year) will do, and an update downloads only what changed.
// Pages and the manifest are fetched afresh.
//
// It does not touch /api/: the pages ask the server themselves, with a time limit, and
// fall back to the list of Safe Places they saved (js/saved-list.js). Answers about a
// position are never stored anywhere.
const VERSION = "{{version}}";
const SHELL = {{shell}};
// A content name (/js/home.3f9a1c2b7d.js) and the plain address of the same file
// (/js/home.js), which scripts build (/icons/${name}.svg) and older pages use.
const CONTENT_NAME = new RegExp("^(/(?:css|js|icons)/.+)\\.[0-9a-f]{{{digits}}}(\\.\\w+)$");
const CONTENT_NAMED = new Set(SHELL.filter((path) => CONTENT_NAME.test(path)));
const NAMED = new Map([...CONTENT_NAMED].map((path) => [path.replace(CONTENT_NAME, "$1$2"), path]));
const KEPT = new Set(SHELL);
const CACHE = `safe-places-app-${VERSION}`;
// Every /venues/… page is the same file; its script reads the id from the address.
const VENUE_PAGE = "/venues/page";

// How to fetch a file to keep: a content-named one may come from the browser's cache.
function toKeep(path) {
  return CONTENT_NAMED.has(path) ? path : new Request(path, { cache: "reload" });
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => cache.addAll(SHELL.map(toKeep)))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names
        .filter((name) => name.startsWith("safe-places-app-") && name !== CACHE)
        .map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

function shellPath(url, request) {
  if (request.mode === "navigate" && /^\/venues\/[^/]+$/.test(url.pathname)) return VENUE_PAGE;
  return NAMED.get(url.pathname) ?? url.pathname;
}

// The kept copy first (it is the same version as this worker); the network when
// there is none (the install was cut short); for a page with neither, the home page.
async function fromShell(request, path) {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(path);
  if (kept) return kept;
  try {
    return await fetch(request);
  } catch (error) {
    if (request.mode === "navigate") {
      const home = await cache.match("/");
      if (home) return home;
    }
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  const path = shellPath(url, request);
  if (!KEPT.has(path)) return; // not the app's (the API docs, say): the network's

  event.respondWith(fromShell(request, path));
});
