// The one binding the library uses that is not in the ES and DOM libraries: CommonJS's module-scoped
// `require`, through which the compiled code loads the ESM-only @noble packages (bundlers resolve it).
declare function require(id: string): unknown;
