// Variables that steer what code a loader picks are flagged on the consent screen; their values are shown with any
// credentials masked, and names that say "secret" are never shown. Hostile values tried: credentials in index URLs.
import { describe, expect, it } from 'vitest';
import { flaggedEnv, loaderReason, shownValue } from '../../../main/core/security/env-policy.js';
import { LOADER_VARIABLES } from '../../helpers/launch.js';

describe('loader variables', () => {
  it.each(LOADER_VARIABLES)('%s is flagged', (name) => {
    expect(loaderReason(name)).toBeDefined();
  });
  // Hostile launches tried: Windows reads environment names without regard to case, so `node_options=--require=./x.js`
  // loads code just as NODE_OPTIONS does; and loaders outside the usual set (java launcher, bash tracing, git helpers,
  // Lua, PHP, Ruby gems) that run or load code the consent screen must show.
  it.each([
    'node_options',
    'Node_Options',
    'java_tool_options',
    'path',
    'JDK_JAVA_OPTIONS',
    'SHELLOPTS',
    'PS4',
    'GIT_SSH',
    'GIT_ASKPASS',
    'GIT_PROXY_COMMAND',
    'LUA_INIT',
    'LUA_INIT_5_4',
    'PHPRC',
    'GEM_PATH',
    'GEM_HOME',
    'git_askpass',
  ])('%s is flagged, whatever its case', (name) => {
    expect(loaderReason(name)).toBeDefined();
    expect(flaggedEnv({ [name]: 'x' }).map((e) => e.name)).toEqual([name]);
  });
  it.each(['API_TOKEN', 'DEBUG', 'PORT', 'LOG_LEVEL', 'MEMORY_FILE_PATH'])('%s is ordinary', (name) => {
    expect(loaderReason(name)).toBeUndefined();
  });
  it('masks credentials in URLs and never shows a value whose name says it is secret', () => {
    expect(shownValue('https://bob:s3cret@pypi.corp.example/simple')).toBe('https://***@pypi.corp.example/simple');
    const flagged = flaggedEnv({ PIP_INDEX_URL: 'https://u:p@x.example/simple', PYTHON_API_KEY: 'sk-123', PORT: '80' });
    expect(flagged).toEqual([
      { name: 'PIP_INDEX_URL', shown: 'https://***@x.example/simple', why: expect.any(String) as string },
      { name: 'PYTHON_API_KEY', shown: expect.not.stringContaining('sk-123') as string, why: expect.any(String) as string },
    ]);
  });
});
