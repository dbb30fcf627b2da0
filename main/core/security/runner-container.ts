// docker run / podman run: the container engine isolates the server (Steward's sandbox cannot wrap the engine's client,
// which talks to a daemon). Steward pins the image by digest, keeps stdio working, removes the container after it stops,
// gives it no network unless the user granted some, and lists every host folder it mounts.
import type { RunnerInvocation } from './runners.js';
import { downloadStep, findPin, refOf, refuse, type RunnerContext, type RunnerOutcome } from './runner-common.js';

export interface Mount {
  host: string;
  readOnly: boolean;
}

/** Host folders a container's -v/--volume/--mount options bring in; named volumes are not host folders. */
export function containerMounts(options: ReadonlyArray<{ flag: string; value: string | null }>): Mount[] {
  const out: Mount[] = [];
  for (const { flag, value } of options) {
    if (value === null) continue;
    if (flag === '-v' || flag === '--volume') {
      // Windows drive letters (C:\x:/y) keep their colon.
      const drive = /^[A-Za-z]:[\\/]/.test(value) ? value.slice(0, 2) : '';
      const [first = '', ...more] = value.slice(drive.length).split(':');
      const parts = [drive + first, ...more];
      const host = parts[0] ?? '';
      if (/^([/~.]|[A-Za-z]:[\\/])/.test(host)) out.push({ host, readOnly: (parts[2] ?? '').split(',').includes('ro') });
    } else if (flag === '--mount') {
      const fields = Object.fromEntries(
        value.split(',').map((kv) => {
          const i = kv.indexOf('=');
          return i < 0 ? [kv.trim(), 'true'] : [kv.slice(0, i).trim(), kv.slice(i + 1).trim()];
        }),
      );
      const source = fields.source ?? fields.src;
      if ((fields.type ?? 'volume') === 'bind' && source) out.push({ host: source, readOnly: fields.readonly === 'true' || fields.ro === 'true' });
    }
  }
  return out;
}

const NETWORK_FLAGS = new Set(['--network', '--net']);

export function planContainer(inv: RunnerInvocation, configArgs: readonly string[], ctx: RunnerContext): RunnerOutcome {
  const c = inv.container;
  const pkg = inv.packages[0];
  if (!c || !pkg) return refuse('config_invalid', `"${c?.image ?? ''}" is not an image name Steward can read.`);
  if (c.options.some((o) => o.flag === '-d' || o.flag === '--detach')) {
    return refuse('config_invalid', 'A detached container (-d) cannot talk over stdio; remove -d from the command.');
  }
  const pin = findPin(ctx.pins, 'oci', pkg);
  if (pkg.exact === null && !pin) {
    return { kind: 'needs_pins', requests: [{ ecosystem: 'oci', name: pkg.name, requested: pkg.requested, registry: '', tool: ctx.runnerPath }] };
  }
  const ref = refOf('oci', pkg, pin);
  const pinned = `${pkg.name}:${pkg.requested}@${ref.version ?? ''}`;

  const head = configArgs.slice(0, c.imageIndex);
  const runAt = head.indexOf('run');
  const added: string[] = [];
  const notes: string[] = [
    `It runs in a ${inv.tool === 'podman run' ? 'Podman' : 'Docker'} container: the container engine isolates it, since Steward's sandbox cannot wrap the engine's client. The image is pinned by its digest.`,
  ];
  // Keep stdio a plain pipe: a TTY would mangle the JSON messages.
  let options = head.slice(runAt + 1).flatMap((w) => (w === '-t' || w === '--tty' ? [] : w === '-it' || w === '-ti' ? ['-i'] : [w]));
  if (!options.includes('-i') && !options.includes('--interactive')) added.push('-i');
  if (!options.includes('--rm')) added.push('--rm');
  const hasNetwork = c.options.some((o) => NETWORK_FLAGS.has(o.flag));
  if (ctx.sandboxOn && !hasNetwork && ctx.userDomains.length === 0) added.push('--network', 'none');
  if (!ctx.sandboxOn) options = head.slice(runAt + 1);
  if (ctx.sandboxOn && added.length > 0)
    notes.push(`Steward adds ${added.join(' ')}${added.includes('none') ? ': no network unless you grant a domain' : ''}.`);
  if (ctx.userDomains.length > 0 && !hasNetwork) {
    notes.push('A container engine cannot limit a container to some domains: with any domain granted, the container can reach every address.');
  }
  const mounts = containerMounts(c.options);
  for (const m of mounts) notes.push(`The container ${m.readOnly ? 'can read' : 'can read and write'} ${m.host} (mounted from this computer).`);

  return {
    kind: 'runner',
    runner: {
      tool: inv.tool,
      mode: 'container',
      packages: [ref],
      cacheDir: ctx.serverDir,
      download: downloadStep(ctx.runnerPath, ['pull', pinned], {}, ctx.serverDir, [], [], false),
      notes,
    },
    command: ctx.runnerPath,
    args: [...head.slice(0, runAt + 1), ...(ctx.sandboxOn ? added : []), ...options, pinned, ...c.command],
    env: {},
    extraPathDirs: [],
    ownWritePaths: [],
    ownReadPaths: [],
    domains: [],
    containerMounts: mounts,
  };
}
