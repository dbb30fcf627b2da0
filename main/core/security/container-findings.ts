// What deserves a second look in a docker/podman run: options that give the container the host, and mounts of hidden places.
import type { Finding } from '../../../shared/domain/servers.js';
import { containerMounts } from './runner-container.js';
import { hiddenLocationOf, isAtOrUnder, type HiddenLocation } from './hidden-paths.js';
import { expandHome, type Platform } from './platform-paths.js';
import type { ContainerInvocation } from './runners.js';

const HOST_NAMESPACES = new Set(['--pid', '--ipc', '--uts', '--userns', '--cgroupns']);

export function containerFindings(c: ContainerInvocation, hidden: readonly HiddenLocation[], homeDir: string, platform: Platform): Finding[] {
  const out: Finding[] = [];
  for (const { flag, value } of c.options) {
    const shown = value === null ? flag : `${flag} ${value}`;
    if (flag === '--privileged')
      out.push({
        code: 'container_privileged',
        severity: 'danger',
        message: 'Runs the container privileged: it can take over this computer.',
        evidence: shown,
      });
    if (flag === '--cap-add')
      out.push({ code: 'container_capability', severity: 'danger', message: `Gives the container extra kernel powers (${value ?? ''}).`, evidence: shown });
    if (flag === '--device')
      out.push({ code: 'container_device', severity: 'warning', message: 'Gives the container a device of this computer.', evidence: shown });
    if ((flag === '--network' || flag === '--net') && value === 'host') {
      out.push({ code: 'container_host_network', severity: 'danger', message: "Shares this computer's network with the container.", evidence: shown });
    }
    if (HOST_NAMESPACES.has(flag) && value === 'host') {
      out.push({
        code: 'container_host_namespace',
        severity: 'danger',
        message: "Shares this computer's processes or users with the container.",
        evidence: shown,
      });
    }
    if (flag === '--security-opt' && /unconfined|no-new-privileges[:=]false/.test(value ?? '')) {
      out.push({ code: 'container_unconfined', severity: 'danger', message: 'Turns off the container’s security profile.', evidence: shown });
    }
    if (flag === '--env-file') {
      out.push({
        code: 'container_env_file',
        severity: 'warning',
        message: 'Reads variables from a file whose values this consent does not show.',
        evidence: shown,
      });
    }
  }
  for (const m of containerMounts(c.options)) {
    const host = expandHome(m.host, homeDir, platform);
    if (/docker\.sock|podman\.sock/.test(host)) {
      out.push({
        code: 'container_engine_socket',
        severity: 'danger',
        message: 'Mounts the container engine’s socket: the container can control every container and this computer.',
        evidence: m.host,
      });
      continue;
    }
    const inside = hiddenLocationOf(host, hidden, platform);
    if (inside) {
      out.push({ code: 'secret_path', severity: 'danger', message: `Mounts ${inside.what} into the container.`, evidence: m.host });
      continue;
    }
    const covered = hidden.filter((h) => isAtOrUnder(h.path, host, platform));
    if (covered.length > 0) {
      out.push({
        code: 'broad_mount',
        severity: 'danger',
        message: `Mounts ${host}, which holds ${covered
          .slice(0, 3)
          .map((h) => h.what)
          .join(', ')}${covered.length > 3 ? ' and more' : ''}.`,
        evidence: m.host,
      });
    }
  }
  return out;
}
