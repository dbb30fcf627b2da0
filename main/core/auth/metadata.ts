// Who Steward is to an authorization server. The same facts are published as Steward's client ID metadata document
// (docs/oauth/client-metadata.json, served at DEFAULT_CLIENT_METADATA_URL by the release process); a test holds the
// two together, redirect URIs included.
import type { OAuthClientMetadata } from '@modelcontextprotocol/client';

export const DEFAULT_CLIENT_METADATA_URL = 'https://steward-mcp.github.io/steward/oauth/client-metadata.json';

export const CLIENT_METADATA: OAuthClientMetadata = {
  client_name: 'Steward',
  client_uri: 'https://steward-mcp.github.io/steward/',
  redirect_uris: [],
  grant_types: ['authorization_code', 'refresh_token'],
  response_types: ['code'],
  token_endpoint_auth_method: 'none',
};
