// The Mcp-Param-* headers of a 2026-07-28 tools/call over HTTP: each argument whose input-schema property names an
// `x-mcp-header` is mirrored into a header, so intermediaries can route on it without reading the body. The SDK does
// this for the calls it sends; Steward needs it for the calls it frames itself (those that declare the tasks extension).

const KEY = 'x-mcp-header';
const SENTINEL = { prefix: '=?base64?', suffix: '?=' };

/**
 * The headers for `args` under `inputSchema`. Only properties reached through a chain of `properties` keys count (the
 * spec's rule; a tool declaring one anywhere else was already dropped from the list by the SDK). An argument left out
 * or null gets no header; nor does one whose value is not of the property's type (string, integer or boolean): the
 * server refuses that call, in its own words.
 */
export function mcpParamHeaders(inputSchema: unknown, args: Record<string, unknown>): Record<string, string> {
  const headers: Record<string, string> = {};
  const visit = (schema: unknown, value: unknown, depth: number) => {
    if (depth > 32 || !isRecord(schema) || !isRecord(schema.properties) || !isRecord(value)) return;
    for (const [name, property] of Object.entries(schema.properties)) {
      if (!isRecord(property) || !Object.hasOwn(value, name)) continue;
      const argument = value[name];
      const header = property[KEY];
      if (typeof header === 'string' && header.length > 0) {
        const text = asText(property.type, argument);
        if (text !== undefined) headers[`Mcp-Param-${header}`] = headerValue(text);
      } else {
        visit(property, argument, depth + 1);
      }
    }
  };
  visit(inputSchema, args, 0);
  return headers;
}

/**
 * A value as a header carries it: as it is when it is printable ASCII without surrounding whitespace, otherwise (or when
 * it is empty, or could be read as encoded) `=?base64?…?=` of its UTF-8. The SDK does the same for the calls it sends,
 * but does not export it.
 */
export function headerValue(text: string): string {
  const plain =
    text.length > 0 && text === text.trim() && /^[\t\x20-\x7e]*$/.test(text) && !(text.startsWith(SENTINEL.prefix) && text.endsWith(SENTINEL.suffix));
  return plain ? text : `${SENTINEL.prefix}${Buffer.from(text, 'utf8').toString('base64')}${SENTINEL.suffix}`;
}

/** The value as the spec writes it for the property's type; nothing for a value not of that type. */
function asText(type: unknown, value: unknown): string | undefined {
  if (type === 'string' && typeof value === 'string') return value;
  if (type === 'boolean' && typeof value === 'boolean') return value ? 'true' : 'false';
  if (type === 'integer' && typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
