// Stands in for node: built-ins in the browser bundles (browser_map.json): a probe that imports
// one fails, and the portable code path is used.
throw new Error("no node: built-ins in a browser");
