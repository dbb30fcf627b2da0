// Grants that mean what they say: a write grant never opens a hidden location, a read grant only ever shows one whole
// hidden location the user named (never a folder inside one, never Steward's data), and paths are absolute.
import type { SandboxSettings } from '../../../shared/domain/servers.js';
import type { ErrorCode } from '../../../shared/errors.js';
import { hiddenLocationOf, type HiddenLocation } from './hidden-paths.js';
import { normalizeAbsolute, type Platform } from './platform-paths.js';

export interface CheckedGrants {
  kind: 'ok';
  writePaths: string[];
  readPaths: string[];
  denyReadPaths: string[];
  allowedDomains: string[];
}

export interface GrantRefusal {
  kind: 'refusal';
  code: ErrorCode;
  message: string;
}

const refuse = (code: ErrorCode, message: string): GrantRefusal => ({ kind: 'refusal', code, message });

function absolute(list: readonly string[], what: string, homeDir: string, platform: Platform): string[] | GrantRefusal {
  const out: string[] = [];
  for (const p of list) {
    const abs = normalizeAbsolute(p, homeDir, platform);
    if (abs === undefined) return refuse('config_invalid', `The ${what} "${p}" is not an absolute path.`);
    if (!out.includes(abs)) out.push(abs);
  }
  return out;
}

/** Checks a server's sandbox settings against the hidden locations; the first problem is refused with its reason. */
export function checkGrants(settings: SandboxSettings, hidden: readonly HiddenLocation[], homeDir: string, platform: Platform): CheckedGrants | GrantRefusal {
  const writePaths = absolute(settings.writePaths, 'write grant', homeDir, platform);
  if (!Array.isArray(writePaths)) return writePaths;
  const readPaths = absolute(settings.readPaths, 'read grant', homeDir, platform);
  if (!Array.isArray(readPaths)) return readPaths;
  const denyReadPaths = absolute(settings.denyReadPaths, 'hidden folder', homeDir, platform);
  if (!Array.isArray(denyReadPaths)) return denyReadPaths;

  for (const w of writePaths) {
    const h = hiddenLocationOf(w, hidden, platform);
    if (h) {
      return refuse(
        'grant_refused',
        `Steward will not let a server write to ${w}: ${h.path === w ? 'it is' : `it is inside ${h.path}, which holds`} ${h.what}, hidden from every server. Choose a folder elsewhere.`,
      );
    }
    const own = denyReadPaths.find((d) => w === d || w.startsWith(`${d}${platform === 'win32' ? '\\' : '/'}`));
    if (own) return refuse('grant_refused', `${w} is inside ${own}, which you hid from this server; remove one of the two.`);
  }
  for (const r of readPaths) {
    const h = hiddenLocationOf(r, hidden, platform);
    if (!h) {
      return refuse(
        'grant_refused',
        `${r} is not hidden: a sandboxed server can already read it. Read grants only show one of the hidden locations (such as ~/.aws) to a server that needs it.`,
      );
    }
    if (h.kind === 'steward') return refuse('grant_refused', `Steward's own data (${h.path}) is never shown to a server.`);
    if (h.path !== r) {
      return refuse(
        'grant_refused',
        `Steward will not show ${r} alone: it is inside ${h.path} (${h.what}), which stays hidden as a whole. Grant ${h.path} itself if this server must read it.`,
      );
    }
  }
  return { kind: 'ok', writePaths, readPaths, denyReadPaths, allowedDomains: [...new Set(settings.allowedDomains)] };
}
