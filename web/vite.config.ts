import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// `npm run dev` proxies the API to the gateway `castline run` starts (port 8080 by default).
const gateway = "http://127.0.0.1:8080";

export default defineConfig({
  plugins: [react()],
  // hls.js alone is about 580 kB minified; it is its own chunk, loaded by the channel page.
  build: { outDir: "dist", emptyOutDir: true, chunkSizeWarningLimit: 700 },
  server: {
    proxy: {
      "/api": gateway,
      "/oauth2": gateway,
      "/media": gateway,
      "/ws": { target: gateway, ws: true },
    },
  },
});
