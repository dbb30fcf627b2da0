// RFC 6570 URI templates as MCP resource templates use them: the variables a template names, and the URI it makes.
// Levels 1–3 (`{x}`, `{+x}`, `{#x}`, `{.x}`, `{/x}`, `{;x}`, `{?x,y}`, `{&x}`); prefix and explode modifiers are read
// and dropped, so `{x:3}` and `{x*}` are treated as `{x}`.

const EXPRESSION = /\{([+#./;?&]?)([^}]*)\}/g;

interface Operator {
  first: string;
  separator: string;
  named: boolean;
  /** Reserved characters kept as they are (`+` and `#`). */
  reserved: boolean;
}

const OPERATORS: Record<string, Operator> = {
  '': { first: '', separator: ',', named: false, reserved: false },
  '+': { first: '', separator: ',', named: false, reserved: true },
  '#': { first: '#', separator: ',', named: false, reserved: true },
  '.': { first: '.', separator: '.', named: false, reserved: false },
  '/': { first: '/', separator: '/', named: false, reserved: false },
  ';': { first: ';', separator: ';', named: true, reserved: false },
  '?': { first: '?', separator: '&', named: true, reserved: false },
  '&': { first: '&', separator: '&', named: true, reserved: false },
};

const SIMPLE: Operator = { first: '', separator: ',', named: false, reserved: false };

const nameOf = (spec: string) => spec.replace(/(:\d+|\*)$/, '').trim();

/** The variable names in order of first appearance. */
export function templateVariables(template: string): string[] {
  const names: string[] = [];
  for (const match of template.matchAll(EXPRESSION)) {
    for (const spec of (match[2] ?? '').split(',')) {
      const name = nameOf(spec);
      if (name && !names.includes(name)) names.push(name);
    }
  }
  return names;
}

function encode(value: string, reserved: boolean): string {
  // Reserved expansion keeps the URI's own delimiters; everything else is percent-encoded.
  return reserved
    ? encodeURI(value).replace(/%25([0-9A-Fa-f]{2})/g, '%$1')
    : encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The URI with each variable filled in; a variable left empty (or undefined) is left out, as the RFC says. */
export function expandTemplate(template: string, values: Record<string, string | undefined>): string {
  return template.replace(EXPRESSION, (_, op: string, list: string) => {
    const operator = OPERATORS[op] ?? SIMPLE;
    const parts = list
      .split(',')
      .map(nameOf)
      .filter((name) => values[name] !== undefined && values[name] !== '')
      .map((name) => {
        const value = encode(values[name] ?? '', operator.reserved);
        return operator.named ? `${name}=${value}` : value;
      });
    return parts.length === 0 ? '' : operator.first + parts.join(operator.separator);
  });
}
