// Starts the real `samflyt serve` for a browser test: a fresh temporary
// database with the demo health community, on a free loopback port.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

export async function startServer({ samflyt, pathways }) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'samflyt-e2e-'));
  const db = path.join(dir, 'samflyt.db');
  execFileSync(samflyt, ['demo', '--db', db, '--pathways', pathways], { stdio: 'pipe' });
  const port = await freePort();
  const child = spawn(samflyt, ['serve', '--db', db, '--pathways', pathways,
    '--listen', `127.0.0.1:${port}`, '--allow-test-identities', '--threads', '4'],
  { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (d) => { log += d; });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(`${base}/api/v1/health`);
      if (r.ok) break;
    } catch { /* not up yet */ }
    if (child.exitCode !== null) throw new Error(`samflyt serve exited: ${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    base,
    log: () => log,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
