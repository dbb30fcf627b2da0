// Starts helper processes for tests (HTTP MCP servers on 127.0.0.1) and makes sure they are gone afterwards.
import { spawn, type ChildProcess } from 'node:child_process';

export interface Started {
  child: ChildProcess;
  port: number;
  url: string;
  stop(): Promise<void>;
}

/** Runs a Node script that prints "LISTENING <port>" on stderr once it is bound to 127.0.0.1. */
export async function startListening(args: string[], env: Record<string, string> = {}, path = '/mcp'): Promise<Started> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, PORT: '0', ...env } });
  // A script that never says it listens is killed here: the caller gets no handle to stop it with.
  const port = await new Promise<number>((resolve, reject) => {
    let buffer = '';
    // A script that imports an SDK takes tens of seconds to start on a machine loaded as CI's is: this names the script
    // that never came up, a little before the test's own timeout would.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no LISTENING line from ${args.join(' ')}: ${buffer}`));
    }, 45_000);
    child.stderr.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const m = /LISTENING (\d+)/.exec(buffer);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}: ${buffer}`));
    });
  });
  child.stderr.resume();
  return {
    child,
    port,
    url: `http://127.0.0.1:${port}${path}`,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    },
  };
}
