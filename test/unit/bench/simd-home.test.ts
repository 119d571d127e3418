/**
 * `initSimdHome` (the peer bench's simd chain) against a stand-in `simd` that writes the three
 * files `simd init` writes and logs every call: the devnet's settings must land in simd's own
 * config.toml, app.toml and genesis (a path mistake once sent them to a file that does not exist,
 * which only a run with a real simd, built with Go, showed).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { initSimdHome, SIMD_CHAIN_ID } from "../../../bench/peer/simd-node";
import { getTomlValue } from "../../../src/localnet/cometbft";
import { DEVNET_BLOCK_MAX_BYTES, DEVNET_BLOCK_MAX_GAS } from "../../../src/localnet/devnet";

const FAKE_SIMD = `#!/usr/bin/env bash
set -eu
home=""; prev=""
for a in "$@"; do [ "$prev" = "--home" ] && home="$a"; prev="$a"; done
echo "$*" >> "$(dirname "$0")/calls.log"
if [ "$1" = "init" ]; then
  mkdir -p "$home/config"
  printf 'proxy_app = "tcp://127.0.0.1:26658"\\n\\n[rpc]\\nladdr = "tcp://127.0.0.1:26657"\\npprof_laddr = "localhost:6060"\\n\\n[p2p]\\nladdr = "tcp://0.0.0.0:26656"\\n' > "$home/config/config.toml"
  printf 'minimum-gas-prices = ""\\n\\n[api]\\nenable = true\\n\\n[grpc]\\nenable = true\\n' > "$home/config/app.toml"
  printf '{"consensus":{"params":{"block":{"max_bytes":"22020096","max_gas":"-1"}}}}' > "$home/config/genesis.json"
fi
`;

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "simd-home-"));
  fs.writeFileSync(path.join(dir, "simd"), FAKE_SIMD, { mode: 0o755 });
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

test("the devnet's CometBFT settings, app settings and block limits land in simd's home", async () => {
  const home = path.join(dir, "simd-1");
  const ports = { rpc: 41001, p2p: 41002, abci: 41003, grpc: 41004, api: 41005 };
  const node = await initSimdHome(path.join(dir, "simd"), home, ports, { mempool: { size: 1234 } });
  expect(node.rpc).toBe("http://127.0.0.1:41001");

  const config = fs.readFileSync(path.join(home, "config", "config.toml"), "utf8");
  expect(getTomlValue(config, "rpc", "laddr")).toBe("tcp://127.0.0.1:41001");
  expect(getTomlValue(config, "p2p", "laddr")).toBe("tcp://127.0.0.1:41002");
  expect(getTomlValue(config, "rpc", "pprof_laddr")).toBe("");
  expect(getTomlValue(config, "mempool", "size")).toBe("1234");
  expect(fs.existsSync(path.join(home, "cometbft"))).toBe(false);

  const app = fs.readFileSync(path.join(home, "config", "app.toml"), "utf8");
  expect(getTomlValue(app, "grpc", "address")).toBe("127.0.0.1:41004");
  expect(getTomlValue(app, "api", "enable")).toBe("false");
  expect(getTomlValue(app, "", "minimum-gas-prices")).toMatch(/^[0-9.]+stake$/);

  const genesis = JSON.parse(fs.readFileSync(path.join(home, "config", "genesis.json"), "utf8")) as { consensus: { params: { block: Record<string, string> } } };
  expect(genesis.consensus.params.block).toEqual({ max_bytes: String(DEVNET_BLOCK_MAX_BYTES), max_gas: String(DEVNET_BLOCK_MAX_GAS) });

  const calls = fs.readFileSync(path.join(dir, "calls.log"), "utf8").trim().split("\n");
  expect(calls[0]).toBe(`init bench --chain-id ${SIMD_CHAIN_ID} --default-denom stake --home ${home}`);
  expect(calls.at(-1)).toBe(`genesis validate ${path.join(home, "config", "genesis.json")} --home ${home}`);
});
