// Babel config for dependency-cruiser (.dependency-cruiser.cjs). dependency-cruiser reads
// TypeScript only through the `typescript` package's JS API, which TypeScript 7 no longer
// has; Babel's parser reads TS and TSX instead, and this plugin reduces each file to one
// `import "specifier";` per module it names — static and type-only imports, re-exports,
// `import('…')` types and calls, require() and `new URL('…', import.meta.url)` workers — so
// that dependency-cruiser's JavaScript parser sees every edge, types included.
'use strict';

/** @param {{ types: import('@babel/types') }} babel */
function importsOnly({ types: t }) {
  const literal = (node) => (node && node.type === 'StringLiteral' ? node.value : null);
  return {
    name: 'virtnet-imports-only',
    // Per file (dependency-cruiser hands Babel one pre-loaded config for every file).
    manipulateOptions(opts, parserOpts) {
      const file = opts.filename || '';
      if (/\.tsx$/.test(file)) parserOpts.plugins.push(['typescript', { isTSX: true }], 'jsx');
      else if (/\.[cm]?ts$/.test(file)) parserOpts.plugins.push('typescript');
      else parserOpts.plugins.push('jsx');
    },
    visitor: {
      Program: {
        exit(program) {
          const sources = new Set();
          const add = (node) => {
            const s = literal(node);
            if (s !== null) sources.add(s);
          };
          program.traverse({
            ImportDeclaration: (p) => add(p.node.source),
            ExportNamedDeclaration: (p) => add(p.node.source),
            ExportAllDeclaration: (p) => add(p.node.source),
            TSImportType: (p) => add(p.node.argument && p.node.argument.type === 'TSLiteralType' ? p.node.argument.literal : p.node.argument),
            TSExternalModuleReference: (p) => add(p.node.expression),
            ImportExpression: (p) => add(p.node.source),
            CallExpression: (p) => {
              const callee = p.node.callee;
              if (callee.type === 'Import' || (callee.type === 'Identifier' && callee.name === 'require')) add(p.node.arguments[0]);
            },
            NewExpression: (p) => {
              const [url, base] = p.node.arguments;
              const isImportMetaUrl = base && base.type === 'MemberExpression' && base.object.type === 'MetaProperty' && base.property.name === 'url';
              // A file beside this one (a worker entry); `new URL('..', import.meta.url)` names a folder, no module.
              const isFolder = /^\.\.?(\/\.\.)*\/?$/.test(literal(url) ?? '');
              if (p.node.callee.type === 'Identifier' && p.node.callee.name === 'URL' && isImportMetaUrl && !isFolder) add(url);
            },
          });
          program.node.directives = [];
          program.node.body = [...sources].map((s) => t.importDeclaration([], t.stringLiteral(s)));
        },
      },
    },
  };
}

module.exports = {
  babelrc: false,
  configFile: false,
  sourceType: 'module',
  plugins: [importsOnly],
};
