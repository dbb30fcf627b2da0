// @anthropic-ai/mcpb, loaded on first use: it brings a large module tree (node-forge, fs-extra) that only bundle work
// needs, and most processes (every CLI command but install) never do any.
type Mcpb = typeof import('@anthropic-ai/mcpb/node');

let loaded: Promise<Mcpb> | undefined;

export const loadMcpb = (): Promise<Mcpb> => (loaded ??= import('@anthropic-ai/mcpb/node'));
