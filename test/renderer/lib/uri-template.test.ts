// URI templates: the variables named and the URI made, table-driven. Hostile input tried: a value with "/", "?" and
// "#" in a simple expression (encoded, so it cannot change the path), an unclosed brace, repeated names.
import { describe, expect, it } from 'vitest';
import { expandTemplate, templateVariables } from '../../../renderer/src/lib/uri-template.js';

describe('templateVariables', () => {
  it.each([
    ['demo://resource/dynamic/text/{resourceId}', ['resourceId']],
    ['file:///{+path}{?lines,from}', ['path', 'lines', 'from']],
    ['x://{a}/{a}/{b:3}/{c*}', ['a', 'b', 'c']],
    ['x://no/variables', []],
    ['x://{unclosed', []],
  ])('%s', (template, names) => expect(templateVariables(template)).toEqual(names));
});

describe('expandTemplate', () => {
  it.each([
    ['demo://resource/dynamic/text/{resourceId}', { resourceId: '7' }, 'demo://resource/dynamic/text/7'],
    ['x://items/{id}', { id: '../a?b#c' }, 'x://items/..%2Fa%3Fb%23c'],
    ['file:///{+path}', { path: 'home/me/a b.txt' }, 'file:///home/me/a%20b.txt'],
    ['x://s{?q,page}', { q: 'cats & dogs', page: '' }, 'x://s?q=cats%20%26%20dogs'],
    ['x://s{?q,page}', {}, 'x://s'],
    ['x://{/a,b}', { a: '1', b: '2' }, 'x:///1/2'],
  ])('%s', (template, values, uri) => expect(expandTemplate(template, values)).toBe(uri));
});
