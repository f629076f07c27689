// SvelteKit 3 takes its configuration through the Vite plugin. The app is client-rendered and served
// by the API server (api/server.ts mounts build/handler.js), so UI and API share one origin.
// `npm run ui:dev` proxies /api and /admin to a running API on port 3000.
//
// `$domain/*` reaches the repository's pure business rules (../domain): the field app judges a visit,
// numbers its receipt, encrypts a card and renders the receipt PDF with the very modules the server
// uses, so that a phone with no connection refuses exactly what the server would refuse. Subpath
// imports (`#lib`) cannot point outside ui/ and Kit's `alias` option is deprecated in Kit 3, so it is
// a Vite alias here and a TypeScript path in tsconfig.json (keep the two together).
import { sveltekit } from '@sveltejs/kit/vite';
import adapter from '@sveltejs/adapter-node';
import { defineConfig, searchForWorkspaceRoot } from 'vite';
import path from 'node:path';

const apiTarget = process.env.API_PROXY_TARGET ?? 'http://127.0.0.1:3000';
const domainDir = path.resolve(import.meta.dirname, '..', 'domain');

export default defineConfig({
  // Root-relative asset paths: the service worker serves one cached copy of the HTML for every field
  // page offline, which only works if that HTML finds /_app/… from any depth (relative paths would not).
  plugins: [sveltekit({ adapter: adapter({ out: 'build', precompress: false }), paths: { relative: false } })],
  resolve: { alias: [{ find: /^\$domain\//, replacement: `${domainDir}/` }] },
  server: {
    proxy: { '/api': apiTarget, '/admin': apiTarget },
    fs: { allow: [searchForWorkspaceRoot(process.cwd()), domainDir] },
  },
});
