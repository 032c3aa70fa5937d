/** What an API key can be allowed to do. Routes name the scope they accept. */
export const API_KEY_SCOPES = [
  'organisation:read',
  'catalogue:read',
  'ledger:read',
  'ledger:write',
  'settlement:read',
  'reconciliation:read',
  'reports:read',
] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];
