#!/usr/bin/env node
// `npm test`: type check, lint, build, then every Vitest test (unit and browser) in one run.
// Ends with the plain line "N passed, N failed" (a failed type check or lint counts as a failure).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, existsSync, rmSync } from 'node:fs';

const run = (label, cmd, args, env = {}) => {
  console.log(`\n▶ ${label}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status === 0;
};

const extra = process.argv.slice(2);
let staticFailures = 0;
if (!run('chromium', 'node', ['scripts/ensure-chromium.mjs'])) staticFailures++;
if (!run('type check', 'npx', ['tsc', '--noEmit', '-p', '.'])) staticFailures++;
if (!run('lint', 'npx', ['eslint', '.'])) staticFailures++;
if (!run('build', 'npx', ['vite', 'build', '--logLevel', 'warn'])) staticFailures++;
mkdirSync('test/out', { recursive: true });
const report = 'test/out/vitest.json';
rmSync(report, { force: true });
const ok = run('vitest', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...extra], {
  LAMINA_SKIP_BUILD: '1',
});
let passed = 0;
let failed = 1; // no report means vitest itself broke
if (existsSync(report)) {
  const j = JSON.parse(readFileSync(report, 'utf8'));
  passed = j.numPassedTests ?? 0;
  failed = j.numFailedTests ?? 0;
  // A file that failed before any of its tests ran (import error, failing hook) counts once.
  if (failed === 0 && (j.numFailedTestSuites ?? 0) > 0) failed = 1;
}
if (!ok && failed === 0) failed = 1;
failed += staticFailures;
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
