#!/usr/bin/env node
// Browser tests need a system Chromium. Where none is found, install Debian's `chromium`
// package (as root on Debian/Ubuntu), the way `playwright install --with-deps` would.
import { existsSync, readFileSync } from 'node:fs';
import { execSync } from 'node:child_process';

const candidates = [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
const found = candidates.find((p) => p && existsSync(p));
if (found) {
  console.log(`chromium: using ${found}`);
  process.exit(0);
}
const debian = existsSync('/etc/debian_version') || /debian|ubuntu/i.test(existsSync('/etc/os-release') ? readFileSync('/etc/os-release', 'utf8') : '');
const root = typeof process.getuid === 'function' && process.getuid() === 0;
if (!debian || !root) {
  console.error('chromium: none found (tried CHROME_PATH, /usr/bin/chromium, chromium-browser, google-chrome).');
  console.error('chromium: install Chromium and/or set CHROME_PATH, then run the tests again.');
  process.exit(1);
}
console.log('chromium: none found; installing Debian\'s "chromium" package with apt-get (needs the network to Debian\'s mirrors)…');
execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', { stdio: 'inherit' });
if (!existsSync('/usr/bin/chromium')) {
  console.error('chromium: apt-get finished but /usr/bin/chromium is missing');
  process.exit(1);
}
console.log('chromium: installed /usr/bin/chromium');
