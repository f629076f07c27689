// The service worker: it makes the field app open with no connection (F5). It keeps the app shell —
// the built JavaScript and CSS, the files in static/, and the one HTML page the client-rendered app
// boots from — in a cache named for the build, and serves the field pages from it when the network
// does not answer. It never caches the API: the day, the accounts and the outbox live in IndexedDB,
// where the app decides what is current; API requests go to the network untouched.
//
// A new build installs beside the old one and waits; the app offers "Update" (never mid-visit), and
// the worker takes over when told to (a `skip-waiting` message) or when every tab has closed.
import { self } from '$app/service-worker';
import { assets, immutable } from '$app/manifest';
import { version } from '$app/env';
import { resolve } from '$app/paths';

const cacheName = `arrears-shell-${version}`;
/** The client-rendered app's HTML is the same for every page: one copy serves any field URL offline. */
const shellUrl = resolve('/(field)/field');
const precached = [...immutable.map((f) => f.path), ...assets.map((f) => f.path)];
const precachedPaths = new Set(precached.map((p) => new URL(p, self.location.href).pathname));
/** How long a navigation waits for the network before the cached shell answers (a bad signal is worse than none). */
const navigationTimeoutMs = 4_000;

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(cacheName);
      await cache.addAll([...precached, shellUrl]);
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key !== cacheName) await caches.delete(key);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') void self.skipWaiting();
});

function isFieldPage(pathname: string): boolean {
  return pathname === shellUrl || pathname.startsWith(`${shellUrl}/`);
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  // Map tiles and anything else off-site, and the API: straight to the network, never cached.
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  if (precachedPaths.has(url.pathname)) {
    event.respondWith(fromCacheFirst(request));
    return;
  }
  if (request.mode === 'navigate' && isFieldPage(url.pathname)) event.respondWith(shellFromNetworkFirst(request));
});

async function fromCacheFirst(request: Request): Promise<Response> {
  const cached = await caches.match(request, { cacheName });
  return cached ?? fetch(request);
}

/** The page from the network when it answers in time (and the shell refreshed with it), the cached shell otherwise. */
async function shellFromNetworkFirst(request: Request): Promise<Response> {
  const cache = await caches.open(cacheName);
  try {
    const response = await withTimeout(fetch(request), navigationTimeoutMs);
    if (response.ok && response.headers.get('content-type')?.includes('text/html')) await cache.put(shellUrl, response.clone());
    return response;
  } catch {
    const shell = await cache.match(shellUrl);
    if (shell) return shell;
    return new Response('<!doctype html><meta name="viewport" content="width=device-width"><title>Offline</title><p style="font:18px system-ui;padding:2rem">No connection, and the field app has not been opened on this phone with a connection yet.</p>', { status: 503, headers: { 'content-type': 'text/html; charset=utf-8' } });
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out')), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolvePromise(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
