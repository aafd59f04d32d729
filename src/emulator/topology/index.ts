// The topology package's public surface: document types, edit operations, checks and
// file formats. Other layers import from here (or from the named modules); nothing here
// does I/O.
export * from './document';
export * from './edit';
export * from './formats';
export { checkDocument, type DocIssue } from './check';
export { parseVnet, serializeVnet } from './vnet';
export { readImn, writeImn, detectImnGeneration, type ImnGeneration } from './imunes';
export { SAMPLES } from './samples';
export * from './validate-fields';
