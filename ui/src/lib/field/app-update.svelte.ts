// A new build of the app installs in the background (service-worker/index.ts) and waits. Reloading
// into it mid-visit would lose the form being filled in, so the rep chooses when: "Update now".
export const appUpdate = $state({ ready: false });

let registration: ServiceWorkerRegistration | null = null;
/** Only a takeover the rep asked for reloads the page (the first install also changes the controller). */
let requested = false;

/** Watches for a new version waiting to take over; returns a stop. */
export function watchForAppUpdate(): () => void {
  if (!('serviceWorker' in navigator)) return () => {};
  let stopped = false;
  const check = (found: ServiceWorkerRegistration | undefined) => {
    if (stopped || !found) return;
    registration = found;
    appUpdate.ready = Boolean(found.waiting && navigator.serviceWorker.controller);
    found.addEventListener('updatefound', () => {
      const installing = found.installing;
      installing?.addEventListener('statechange', () => {
        if (installing.state === 'installed' && navigator.serviceWorker.controller) appUpdate.ready = true;
      });
    });
  };
  void navigator.serviceWorker.getRegistration().then(check);
  const reloadOnTakeover = () => {
    if (requested) location.reload();
  };
  navigator.serviceWorker.addEventListener('controllerchange', reloadOnTakeover);
  return () => {
    stopped = true;
    navigator.serviceWorker.removeEventListener('controllerchange', reloadOnTakeover);
  };
}

export function applyAppUpdate(): void {
  requested = true;
  registration?.waiting?.postMessage('skip-waiting');
}
