// Stands in for node: built-ins when bench/identity runs as a browser would (browser_map.json).
throw new Error("no node: built-ins here (browser simulation)");
