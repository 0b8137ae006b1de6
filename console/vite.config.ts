import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';

// Built into dist/console, which the management server serves at /console/.
export default defineConfig({
  root: import.meta.dirname,
  base: '/console/',
  plugins: [preact({ prefreshEnabled: false, devToolsEnabled: false })],
  build: {
    outDir: '../dist/console',
    emptyOutDir: true,
    chunkSizeWarningLimit: 400,
    reportCompressedSize: false,
  },
  logLevel: 'warn',
});
