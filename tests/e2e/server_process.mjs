// Starts cp_server on a free loopback port with its own data directory, for one test.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

async function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// `args`: more cp_server flags, e.g. a short --job-poll-seconds for a test that waits on autopay.
export async function startServer({ buildDir, webDir, args = [] }) {
  const dataDir = mkdtempSync(join(tmpdir(), 'cp-e2e-'));
  const port = await freePort();
  const child = spawn(join(buildDir, 'cp_server'),
    ['--port', String(port), '--data-dir', dataDir, '--web-root', webDir, '--no-scheduler', ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`cp_server exited early:\n${output}`);
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) throw new Error(`cp_server did not become healthy:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    base,
    dataDir,  // for cp_server's own commands (run-autopay ...) on the same database
    output: () => output,
    async stop() {
      child.kill('SIGINT');
      await new Promise((r) => child.once('exit', r));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
