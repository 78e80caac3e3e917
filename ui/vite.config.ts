import { defineConfig } from "vitest/config";

// The window loads the built files from disk (src-tauri/tauri.conf.json: frontendDist = ../ui/dist);
// nothing is fetched from a server at run time.
export default defineConfig({
  clearScreen: false,
  build: { outDir: "dist", emptyOutDir: true, target: "safari15", sourcemap: false },
  test: { include: ["src/**/*.test.ts"], environment: "node" },
});
