// Shared set-up of the demo's browser tests that run beside browser.test.mjs: the real demo server
// on a free loopback port and Debian's headless Chromium (playwright-core) in a fresh profile, with
// every console error, uncaught exception, failed request and request to another host recorded.
// Environment: CHROMIUM (default /usr/bin/chromium), DEMO_SERVER (a built demo binary; default
// `go run ./demo`). Under CI=true a missing browser fails; elsewhere the tests skip.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const MINUTE = 60_000;
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

if (!existsSync(CHROMIUM) && process.env.CI === 'true') {
  throw new Error(`${CHROMIUM} is missing under CI=true: the browser tests cannot be skipped in CI; install it with \`apt-get install -y chromium\``);
}
/** skip is false, or why the browser tests cannot run here. */
export const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing; install Debian's chromium (apt-get install -y chromium) to run the browser tests`;

// startServer runs the demo server and resolves to {origin, stop}.
function startServer() {
  const [cmd, args] = process.env.DEMO_SERVER
    ? [resolve(process.env.DEMO_SERVER), ['-addr', '127.0.0.1:0', '-root', ROOT]]
    : ['go', ['run', './demo', '-addr', '127.0.0.1:0']];
  const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const stop = () => { if (child.exitCode === null) { try { process.kill(-child.pid, 'SIGTERM'); } catch { child.kill('SIGTERM'); } } };
  return new Promise((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`the demo server printed no URL in 2 minutes:\n${out}`)), 2 * MINUTE);
    const read = chunk => {
      out += chunk;
      const m = /serving (http:\/\/[^\s/]+)\//.exec(out);
      if (m) { clearTimeout(timer); ok({ origin: m[1], stop }); }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('error', err => { clearTimeout(timer); fail(new Error(`cannot start the demo server ${cmd}: ${err.message}`)); });
    child.on('exit', code => { clearTimeout(timer); fail(new Error(`the demo server exited (${code}):\n${out}`)); });
  });
}

/**
 * openDemo starts the server and a browser; it resolves to {origin, page, noTrouble(), close()}.
 * noTrouble asserts that the page logged no error, made no foreign or failed request.
 */
export async function openDemo() {
  const { origin, stop } = await startServer();
  const userDataDir = mkdtempSync(join(tmpdir(), 'keraswasm-chromium-'));
  const errors = [], foreign = [], failed = [];
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1280, height: 900 }, acceptDownloads: true,
  });
  context.on('request', r => {
    const u = new URL(r.url());
    if (!['data:', 'blob:', 'about:'].includes(u.protocol) && u.origin !== origin) foreign.push(r.url());
  });
  context.on('requestfailed', r => failed.push(`${r.url()}: ${r.failure()?.errorText}`));
  const page = context.pages()[0] ?? await context.newPage();
  page.on('console', m => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', e => errors.push(`uncaught: ${e.message}`));
  return {
    origin, page,
    noTrouble() {
      assert.deepEqual(errors, [], 'console errors on the page');
      assert.deepEqual(foreign, [], `requests to hosts other than ${origin}`);
      assert.deepEqual(failed, [], 'failed requests');
    },
    async close() {
      await context.close().catch(() => {});
      rmSync(userDataDir, { recursive: true, force: true });
      stop();
    },
  };
}
