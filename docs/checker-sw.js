// Service worker of the site: the pages read, the search and the checker work again offline.
//
// Registered by site.mjs on every page (its <meta name="cagette-offline">), as
// checker-sw.js?manifest=assets/checker/manifest.<hash>.json&page=verificateur/ (at the site's
// root, so that it also sees the module worker's downloads). It keeps, in one
// cache per manifest, the files that manifest lists (the checker page, its scripts
// and styles, the runtime, the rules, the checker) once the checker has started on
// this device (the checker page asks; a reader who never opens it downloads none of
// the runtime), plus the hashed theme files the page names. A new build changes
// the manifest's name, hence this script's URL: the new service worker installs
// its own cache (with the checker's new files if the old cache had the checker),
// takes over, and deletes the old one.
//
// Every file it keeps is asked from the network first (which for hashed files
// means the HTTP cache, without a request), and the kept copy is used only when
// that fails or takes too long: answering from Cache Storage when the HTTP
// cache has the file would bypass Chromium's compiled-wasm code cache, which is
// keyed to where the response came from.
//
// Once installed, it also keeps what the person reads: each page of the site
// visited, the search index and the theme's hashed files (the search worker…),
// each kept as it was last received, so that those pages and the search work
// again offline. Other sites' files are never touched.

const PREFIX = "cagette-checker:";
const PARAMS = new URL(self.location.href).searchParams;
const scoped = (path) => new URL(path, self.registration.scope).href;
const MANIFEST = scoped(PARAMS.get("manifest") || "");
const PAGE = new URL(scoped(PARAMS.get("page") || "")).pathname;
const CACHE = PREFIX + MANIFEST.split("/").pop();
const HASHED = /\.[0-9a-f]{8,}\.[a-z0-9.]+$|\/\d+\.\d+\.\d+[^/]*\//;
const NETWORK_TIMEOUT_MS = 3000;

const hashed = (url) => HASHED.test(new URL(url).pathname);

async function manifest() {
  const response = await fetch(MANIFEST);
  if (!response.ok) throw new Error(`manifeste ${response.status}`);
  return response.json();
}

/** Keep the checker's files: the manifest's list. */
async function keepChecker(cache) {
  const { offline } = await manifest();
  const urls = [MANIFEST, PAGE, ...Object.keys(offline.files)].map(scoped);
  // Hashed files come from the HTTP cache (just downloaded); the others are revalidated.
  await cache.addAll(urls.map((url) => new Request(url, { cache: hashed(url) ? "default" : "no-cache" })));
}

/** Whether an older build's cache holds the checker: it was used on this device. */
async function checkerKeptBefore() {
  for (const name of await caches.keys()) {
    if (!name.startsWith(PREFIX) || name === CACHE) continue;
    if (await (await caches.open(name)).match(scoped(PAGE), { ignoreSearch: true })) return true;
  }
  return false;
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    if (await checkerKeptBefore()) await keepChecker(cache);
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter((name) => name.startsWith(PREFIX) && name !== CACHE)
      .map((name) => caches.delete(name)));
    await self.clients.claim();
    // The pages open now were read before this worker existed: keep them too.
    const cache = await caches.open(CACHE);
    for (const client of await self.clients.matchAll({ type: "window" })) {
      const url = new URL(client.url);
      if (url.origin !== self.location.origin || url.pathname === PAGE) continue;
      await cache.add(url.origin + url.pathname).catch(() => {});
    }
  })());
});

// The checker page, once the checker has started, asks to keep its files and sends the
// styles and scripts it uses: keep the hashed ones (the theme's).
self.addEventListener("message", (event) => {
  if (event.data?.type !== "keep") return;
  const origin = self.location.origin;
  const urls = (event.data.urls || []).filter((url) => {
    try {
      return new URL(url).origin === origin && hashed(url);
    } catch {
      return false;
    }
  });
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    if (event.data.checker && !(await cache.match(scoped(PAGE)))) await keepChecker(cache);
    for (const url of urls) {
      if (!(await cache.match(url))) await cache.add(url).catch(() => {});
    }
  })());
});

/** The network's answer, or the kept copy when the network fails or takes too long.
 * ``keep``: also keep the network's answer (``"always"``, or ``"once"`` when no copy is
 * kept yet: a hashed file never changes). */
async function networkFirst(request, key, keep = null) {
  const cache = await caches.open(CACHE);
  const network = fetch(request).then((response) => {
    if (keep && response.ok && response.type === "basic") {
      const copy = response.clone();
      (async () => {
        if (keep === "always" || !(await cache.match(key))) await cache.put(key, copy);
      })().catch(() => {});
    }
    return response;
  });
  const timeout = new Promise((resolve) => setTimeout(resolve, NETWORK_TIMEOUT_MS));
  try {
    const response = await Promise.race([network, timeout]);
    if (response) return response;
  } catch {
    // offline: the kept copy below
  }
  return (await cache.match(key, { ignoreSearch: true })) || network;
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname === PAGE) {
    // The checker page, whatever its answers in the query (a visit or Material's instant navigation).
    event.respondWith(networkFirst(request, scoped(PAGE)));
  } else if (request.mode === "navigate" || url.pathname.endsWith("/search/search_index.json")) {
    // A page read, or the search's index: the last copy received (whatever the query).
    event.respondWith(networkFirst(request, url.origin + url.pathname, "always"));
  } else if (hashed(request.url) || /\.(?:m?js|css)$/.test(url.pathname)) {
    // Scripts and styles (the search's language files are not hashed): kept too.
    event.respondWith(networkFirst(request, request.url, hashed(request.url) ? "once" : "always"));
  }
});
