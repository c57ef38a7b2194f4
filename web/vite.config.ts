// Builds the console into web/dist, which `kefu serve` serves (--web, KEFU_WEB,
// or ../web/dist beside the binary in a source tree). No inline scripts: the
// server's Content-Security-Policy allows scripts from 'self' only.
import { defineConfig } from 'vite';

export default defineConfig({
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    sourcemap: false,
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
