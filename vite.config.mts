import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer, built to dist/renderer with relative asset paths (served by browser mode and Electron's app:// protocol).
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: { outDir: '../dist/renderer', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1500 },
});
