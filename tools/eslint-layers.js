// ESLint rule that keeps Baton's layers honest (see ARCHITECTURE.md "Layers"): a file under src/<layer>/
// may import only from its own layer or a layer listed before it, and the pure layers never touch Node.
import { builtinModules } from 'node:module';
import path from 'node:path';

export const LAYERS = [
  'model',
  'sel',
  'dsl',
  'params',
  'store',
  'signals',
  'engine',
  'steps',
  'triggers',
  'events',
  'server',
  'client',
  'cli',
];
export const PURE_LAYERS = new Set(['model', 'sel', 'dsl', 'params']);
/** Layers that also run in the browser (the web UI uses src/client): no Node, and only the pure layers below them. */
export const BROWSER_LAYERS = new Set(['client']);
const BUILTINS = new Set(builtinModules);

function layerOf(file) {
  const parts = path.normalize(file).split(path.sep);
  const i = parts.lastIndexOf('src');
  return i >= 0 && i + 1 < parts.length ? parts[i + 1] : undefined;
}

const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'imports only go downward through the layers; pure layers import nothing of Node' },
    schema: [],
  },
  create(context) {
    const file = context.filename;
    const layer = layerOf(file);
    const rank = LAYERS.indexOf(layer ?? '');
    if (rank < 0) return {};
    const check = (node, source) => {
      if (typeof source !== 'string') return;
      if (source.startsWith('node:') || BUILTINS.has(source.split('/')[0])) {
        if (PURE_LAYERS.has(layer) || BROWSER_LAYERS.has(layer)) {
          const kind = PURE_LAYERS.has(layer) ? 'pure' : 'browser';
          context.report({
            node,
            message: `the ${kind} layer '${layer}' must not import '${source}' (no node:* here)`,
          });
        }
        return;
      }
      if (source === 'baton' || source.startsWith('baton/')) {
        context.report({
          node,
          message: `code under src/ imports its own modules by relative path, not '${source}'`,
        });
        return;
      }
      if (!source.startsWith('.')) return;
      const target = layerOf(path.resolve(path.dirname(file), source));
      const targetRank = LAYERS.indexOf(target ?? '');
      if (BROWSER_LAYERS.has(layer) && target !== layer && targetRank >= 0 && !PURE_LAYERS.has(target)) {
        context.report({
          node,
          message: `the browser layer '${layer}' may import only the pure layers, not '${target}' (${source})`,
        });
        return;
      }
      if (targetRank > rank) {
        context.report({
          node,
          message: `layer '${layer}' must not import from the higher layer '${target}' (${source}); imports only go downward`,
        });
      }
    };
    return {
      ImportDeclaration: (n) => check(n, n.source.value),
      ExportNamedDeclaration: (n) => n.source && check(n, n.source.value),
      ExportAllDeclaration: (n) => check(n, n.source.value),
      ImportExpression: (n) => n.source.type === 'Literal' && check(n, n.source.value),
    };
  },
};

export default { rules: { layers: rule } };
