// What a tool call answered, read the way tests compare it: the text of its parts, joined.
export const textOf = (r: { content: Record<string, unknown>[] }): string => r.content.map((c) => (typeof c.text === 'string' ? c.text : '')).join('');
