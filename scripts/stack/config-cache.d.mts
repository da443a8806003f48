/** The types of config-cache.mjs, which Node runs as it is (for its tests: the CLI reaches it by URL). */
export declare const CONFIG_CACHE_ROOT: string;
export declare function compiledConfig(configFile: string, cacheRoot?: string): Promise<string | undefined>;
