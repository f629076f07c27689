// SvelteKit 3 takes its configuration through the Vite plugin. The app is client-rendered and served
// by the API server (api/server.ts mounts build/handler.js), so UI and API share one origin.
// `npm run ui:dev` proxies /api and /admin to a running API on port 3000.
import { sveltekit } from '@sveltejs/kit/vite';
import adapter from '@sveltejs/adapter-node';
import { defineConfig } from 'vite';

const apiTarget = process.env.API_PROXY_TARGET ?? 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [sveltekit({ adapter: adapter({ out: 'build', precompress: false }) })],
  server: { proxy: { '/api': apiTarget, '/admin': apiTarget } },
});
