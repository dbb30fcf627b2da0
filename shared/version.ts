// Steward's version, as the MCP handshake, the CLI and MCP App views are told it.
export const STEWARD_VERSION = '0.1.0';
