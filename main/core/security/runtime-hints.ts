// What to install when a server's runtime is missing: one sentence per runtime, shown with the failure.

export interface RuntimeHint {
  /** "Node.js" */
  what: string;
  /** "Install Node.js 22 or later from https://nodejs.org, then start the server again." */
  install: string;
}

const NODE: RuntimeHint = { what: 'Node.js', install: 'Install Node.js 22 or later (https://nodejs.org), then start the server again.' };
const UV: RuntimeHint = {
  what: 'uv',
  install: 'Install uv (https://docs.astral.sh/uv/getting-started/installation/), then start the server again.',
};
const PYTHON: RuntimeHint = { what: 'Python', install: 'Install Python 3 (https://www.python.org/downloads/), then start the server again.' };

const HINTS: Readonly<Record<string, RuntimeHint>> = {
  node: NODE,
  npx: NODE,
  npm: NODE,
  uv: UV,
  uvx: UV,
  python: PYTHON,
  python3: PYTHON,
  pip: PYTHON,
  pipx: { what: 'pipx', install: 'Install pipx (https://pipx.pypa.io/stable/installation/), then start the server again.' },
  pnpm: { what: 'pnpm', install: 'Install pnpm (https://pnpm.io/installation), then start the server again.' },
  yarn: { what: 'Yarn', install: 'Install Yarn (https://yarnpkg.com/getting-started/install), then start the server again.' },
  bun: { what: 'Bun', install: 'Install Bun (https://bun.sh), then start the server again.' },
  bunx: { what: 'Bun', install: 'Install Bun (https://bun.sh), then start the server again.' },
  deno: { what: 'Deno', install: 'Install Deno (https://deno.com), then start the server again.' },
  docker: { what: 'Docker', install: 'Install Docker (https://docs.docker.com/get-docker/) and start it, then start the server again.' },
  podman: { what: 'Podman', install: 'Install Podman (https://podman.io/docs/installation), then start the server again.' },
};

/** The hint for a command that is a known runtime or runner ("npx", "/usr/local/bin/uvx", "python3.12"); undefined otherwise. */
export function missingRuntimeHint(command: string): RuntimeHint | undefined {
  const base = (command.split(/[\\/]/).pop() ?? command).toLowerCase().replace(/\.(exe|cmd)$/, '');
  return HINTS[base] ?? HINTS[base.replace(/[\d.]+$/, '')];
}
