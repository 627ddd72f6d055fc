/**
 * The pages' build: one HTML entry per page so a phone loading the ticket page never downloads the
 * desk or the admin code; hashed assets the queue service caches for a year; a gzip and a brotli
 * copy of each text file so the server sends the smallest without compressing per request.
 */
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import preact from '@preact/preset-vite';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const outDir = join(root, 'dist');
const COMPRESSIBLE = /\.(html|js|css|svg|json|webmanifest)$/;

/** Writes `.gz` and `.br` beside every text file of the build (not worth it below 512 bytes). */
function precompress(): Plugin {
  return {
    name: 'queuebell-precompress',
    apply: 'build',
    closeBundle() {
      for (const file of filesUnder(outDir)) {
        if (!COMPRESSIBLE.test(file)) continue;
        const body = readFileSync(file);
        if (body.length < 512) continue;
        writeFileSync(`${file}.gz`, gzipSync(body, { level: 9 }));
        writeFileSync(`${file}.br`, brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
      }
    },
  };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

export default defineConfig({
  root,
  base: '/',
  plugins: [preact({ prefreshEnabled: false }), precompress()],
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2020',
    // Browsers that run these pages all support modulepreload; the polyfill would be dead weight.
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
    rolldownOptions: {
      input: {
        ticket: join(root, 'index.html'),
        desk: join(root, 'desk.html'),
        display: join(root, 'display.html'),
        admin: join(root, 'admin.html'),
        kiosk: join(root, 'kiosk.html'),
      },
    },
  },
});
