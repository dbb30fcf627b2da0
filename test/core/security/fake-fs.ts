// An in-memory FsView for launch-planning tests: executable files and folders named up front, parents implied.
import type { FsView } from '../../../main/core/security/index.js';
import { pathApi, type Platform } from '../../../main/core/security/platform-paths.js';

export interface FakeTree {
  /** Executable files; every folder above them exists too. */
  files?: readonly string[];
  /** Folders that exist even with nothing in them. */
  dirs?: readonly string[];
  /** Symlinks: link -> target. */
  links?: Readonly<Record<string, string>>;
}

export function fakeFs(tree: FakeTree, platform: Platform = 'linux'): FsView {
  const api = pathApi(platform);
  const files = new Set(tree.files ?? []);
  const dirs = new Set<string>();
  const addWithParents = (p: string) => {
    for (let d = p; !dirs.has(d); d = api.dirname(d)) {
      dirs.add(d);
      if (api.dirname(d) === d) break;
    }
  };
  for (const d of tree.dirs ?? []) addWithParents(d);
  for (const f of files) addWithParents(api.dirname(f));

  return {
    isExecutableFile: (p) => files.has(p),
    isDirectory: (p) => dirs.has(p),
    listDir: (p) => {
      if (!dirs.has(p)) return [];
      const children = new Set<string>();
      for (const entry of [...files, ...dirs]) {
        if (entry !== p && api.dirname(entry) === p) children.add(api.basename(entry));
      }
      return [...children];
    },
    realPath: (p) => tree.links?.[p] ?? p,
  };
}
