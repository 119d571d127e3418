/**
 * `npm run bench [-- name...]`: runs the named benchmarks (default: all but `goals`, which repeats
 * the others' goal measurements in one table). Each prints a table and writes JSON to
 * bench/results/.
 */
import { main as api } from "./api";
import { main as circuit } from "./circuit";
import { main as coord } from "./coord";
import { main as electionator } from "./electionator";
import { main as goals } from "./goals";
import { main as peer } from "./peer/main";
import { main as simulateFlood } from "./simulate-flood";
import { main as store } from "./store";
import { main as testnet } from "./testnet";
import { main as throughput } from "./throughput";
import { main as voteext } from "./voteext";

const BENCHES: Record<string, () => unknown> = {
  throughput: () => throughput(),
  api: () => api(),
  electionator: () => electionator([]),
  circuit: () => circuit(),
  coord: () => coord(),
  store: () => store([]),
  testnet: () => testnet(),
  "simulate-flood": () => simulateFlood(),
  voteext: () => voteext(),
  peer: () => peer(),
  goals: () => goals(),
};

/** What `npm run bench` with no names runs: `goals` only when named. */
const DEFAULT_BENCHES = Object.keys(BENCHES).filter((n) => n !== "goals");

async function run(): Promise<void> {
  const names = process.argv.slice(2);
  for (const n of names) {
    if (!(n in BENCHES)) {
      console.error(`unknown benchmark ${JSON.stringify(n)}; choose from: ${Object.keys(BENCHES).join(", ")}`);
      process.exit(2);
    }
  }
  for (const n of names.length > 0 ? names : DEFAULT_BENCHES) {
    process.stderr.write(`== bench ${n}\n`);
    await BENCHES[n]!();
  }
}

run().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
