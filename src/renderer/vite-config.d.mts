// Types for vite-config.mjs (kept as .mjs so plain Node scripts can import it).
export declare const rendererRoot: string;
export declare const repoRoot: string;
export declare const CONTENT_SECURITY_POLICY: string;
export declare function rendererViteConfig(opts: { outDir: string }): import('vite').UserConfig;
