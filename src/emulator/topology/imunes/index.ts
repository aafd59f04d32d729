// IMUNES .imn import/export: readImn (3.x JSON, JSON v1, 2.x Tcl blocks) and writeImn
// (3.x JSON). The barrel other layers import; no logic here.
export { readImn, detectImnGeneration, type ImnGeneration } from './read-imn';
export { writeImn, docToJson3 } from './write-imn';
