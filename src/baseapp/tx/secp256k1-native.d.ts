/**
 * `secp256k1/bindings` is the libsecp256k1 N-API addon of the `secp256k1` package, loaded without
 * the package's silent fallback to its pure-JS `elliptic` implementation. Same API as the package.
 */
declare module "secp256k1/bindings" {
  export * from "secp256k1";
}
