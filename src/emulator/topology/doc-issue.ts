// One problem found in a topology document: where (a path into the document, which the
// readers turn into file:line) and what. A leaf module, so every checker can share it.

export type DocPath = (string | number)[];

export interface DocIssue {
  path: DocPath;
  message: string;
  severity: 'error' | 'warning';
}
