// Where document.ts points for validation and migration: the .vnet valibot schema, the
// semantic checks and the versioned reader. Re-exports only; the logic lives in
// vnet-schema.ts, check.ts and vnet.ts.
export { vnetSchema } from './vnet-schema';
export { checkDocument, type DocIssue, type DocPath } from './check';
export { parseVnet, serializeVnet } from './vnet';
