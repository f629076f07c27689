// A back-office app: rendered in the browser, with all data from the JSON API and the session cookie.
export const ssr = false;
export const prerender = false;
