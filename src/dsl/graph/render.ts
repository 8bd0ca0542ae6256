import type { Graph } from './dag.js';

/**
 * Draws a workflow graph as Mermaid or Graphviz DOT text. Loop bodies become subgraphs; conditions label edges.
 * Ids are quoted or mapped to safe names, since step ids may hold dots and dashes.
 */
export function toMermaid(graph: Graph, title?: string): string {
  const lines = ['flowchart TD'];
  if (title) lines.push(`  %% ${title}`);
  const ids = new Map<string, string>();
  const nameOf = (id: string) => ids.get(id) ?? ids.set(id, `n${ids.size}`).get(id)!;
  const emit = (g: Graph, indent: string, scope: string): void => {
    for (const node of g.nodes) {
      const key = `${scope}/${node.id}`;
      if (node.body) {
        lines.push(`${indent}subgraph ${nameOf(key)}["${escapeMermaid(node.label)}"]`);
        emit(node.body, `${indent}  `, key);
        lines.push(`${indent}end`);
      } else {
        lines.push(`${indent}${nameOf(key)}["${escapeMermaid(node.label)}"]`);
      }
    }
    for (const edge of g.edges) {
      const from = nameOf(`${scope}/${edge.from}`);
      const to = nameOf(`${scope}/${edge.to}`);
      lines.push(
        edge.condition
          ? `${indent}${from} -->|"${escapeMermaid(edge.condition)}"| ${to}`
          : `${indent}${from} --> ${to}`,
      );
    }
  };
  emit(graph, '  ', '');
  return `${lines.join('\n')}\n`;
}

export function toDot(graph: Graph, title = 'workflow'): string {
  const lines = [`digraph ${quote(title)} {`, '  rankdir=TB;', '  node [shape=box, style=rounded];'];
  let clusters = 0;
  const emit = (g: Graph, indent: string, scope: string): void => {
    for (const node of g.nodes) {
      const key = `${scope}/${node.id}`;
      if (node.body) {
        lines.push(`${indent}subgraph cluster_${clusters++} {`, `${indent}  label=${quote(node.label)};`);
        lines.push(`${indent}  ${quote(key)} [label=${quote(`${node.id} (start)`)}, shape=circle];`);
        emit(node.body, `${indent}  `, key);
        lines.push(`${indent}}`);
      } else {
        lines.push(`${indent}${quote(key)} [label=${quote(node.label)}];`);
      }
    }
    for (const edge of g.edges) {
      const attrs = edge.condition ? ` [label=${quote(edge.condition)}]` : '';
      lines.push(`${indent}${quote(`${scope}/${edge.from}`)} -> ${quote(`${scope}/${edge.to}`)}${attrs};`);
    }
  };
  emit(graph, '  ', '');
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

function escapeMermaid(text: string): string {
  return text.replace(/"/g, '#quot;').replace(/\n/g, ' ');
}
