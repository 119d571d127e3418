/** Coordination crypto shared by the chain (checks) and the client (sealing): docs/coordination.md §4. */
export * from "./keys";
export * from "./seal";
export * from "./commit";
export * from "./gate";
