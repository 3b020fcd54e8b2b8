import { build, preview } from 'vite';
import type { PreviewServer } from 'vite';
import type { TestProject } from 'vitest/node';

/**
 * Browser tests run against the built app (vite build + vite preview), as a user gets it.
 * LAMINA_SKIP_BUILD=1 reuses an existing dist/ (the test command has just built it).
 */
let server: PreviewServer | undefined;

export async function setup(project: TestProject): Promise<void> {
  if (process.env['LAMINA_SKIP_BUILD'] !== '1') await build({ logLevel: 'warn' });
  server = await preview({ preview: { port: 0, host: '127.0.0.1', strictPort: false }, logLevel: 'warn' });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report a URL');
  project.provide('baseUrl', url);
}

export async function teardown(): Promise<void> {
  await server?.close();
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}
