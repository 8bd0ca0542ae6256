import type { Rule } from 'eslint';

export declare const LAYERS: readonly string[];
export declare const PURE_LAYERS: ReadonlySet<string>;
export declare const BROWSER_LAYERS: ReadonlySet<string>;
declare const plugin: { readonly rules: { readonly layers: Rule.RuleModule } };
export default plugin;
