/**
 * genutil in process: a genesis with no validators, funded accounts and CosmJS-signed gentxs gives
 * InitChain the validator set from staking; gentxs run through the normal tx path (signature,
 * sequence, funds) and a bad one aborts InitChain with its index; the genesis builders behave as
 * the ceremony needs.
 */
import { noInflationMintGenesis } from "../../src/x/mint/genesis";
import { DirectSecp256k1HdWallet, makeCosmoshubPath } from "@cosmjs/proto-signing";
import { BondStatus } from "cosmjs-types/cosmos/staking/v1beta1/staking";
import type { DcertApp } from "../../src/app/app";
import { moduleAccountAddress } from "../../src/x/auth/keeper";
import { defaultAppState, devnetParamsAppState, type AppState } from "../../src/app/genesis";
import {
  addGenesisAccount,
  bondDenom,
  genesisBalance,
  hasGenesisAccount,
  setGenTxs,
} from "../../src/x/genutil/ceremony";
import {
  buildGentx,
  gentxFile,
  parseGentxFile,
  peerFromMemo,
  summarizeGentx,
} from "../../src/x/genutil/gentx";
import { parseGenutilGenesis } from "../../src/x/genutil/genesis";
import { createApp } from "../../src/app/node";
import { accountValoper, BONDED_POOL } from "../../src/x/staking/keeper";
import { MemoryCommitStore } from "../../src/baseapp/store/memory";
import { keepersOf } from "../../src/app/wiring";
import { DEFAULT_DENOM } from "../../src/baseapp/tx/constants";
import { msgSend, signDirect, testFee, TEST_MNEMONIC } from "../helpers/txs";

const CHAIN_ID = "dcert-genutil-1";
const BALANCE = 1_000_000_000_000n;
const SELF = 100_000_000_000n; // 100,000 power each
const GENESIS_TIME = { seconds: 1_700_000_000n, nanos: 0 };

interface Operator {
  wallet: DirectSecp256k1HdWallet;
  address: string;
  consKey: string;
}

let operators: Operator[];
let user: { wallet: DirectSecp256k1HdWallet; address: string };

async function hdAccount(index: number): Promise<{ wallet: DirectSecp256k1HdWallet; address: string }> {
  const wallet = await DirectSecp256k1HdWallet.fromMnemonic(TEST_MNEMONIC, { prefix: "dcert", hdPaths: [makeCosmoshubPath(index)] });
  const [acc] = await wallet.getAccounts();
  return { wallet, address: acc!.address };
}

beforeAll(async () => {
  user = await hdAccount(10);
  operators = [];
  for (let i = 0; i < 3; i++) {
    const a = await hdAccount(i + 1);
    operators.push({ ...a, consKey: Buffer.alloc(32, i + 1).toString("base64") });
  }
});

function gentxOf(op: Operator, opts: { chainId?: string; amount?: bigint; moniker?: string } = {}): Promise<Uint8Array> {
  return buildGentx({
    chainId: opts.chainId ?? CHAIN_ID,
    signer: op.wallet,
    operator: op.address,
    consensusPubkeyBase64: op.consKey,
    selfDelegation: { denom: DEFAULT_DENOM, amount: opts.amount ?? SELF },
    moniker: opts.moniker ?? `val-${op.address.slice(-4)}`,
    memo: `${"ab".repeat(20)}@127.0.0.1:26656`,
  });
}

/** The user account first, so the operators' account numbers are not 0 (gentxs sign over 0). */
function fundedState(): AppState {
  const state = devnetParamsAppState();
  addGenesisAccount(state, user.address, [{ denom: DEFAULT_DENOM, amount: BALANCE }]);
  for (const op of operators) addGenesisAccount(state, op.address, [{ denom: DEFAULT_DENOM, amount: BALANCE }]);
  return state;
}

function initChain(state: AppState): { app: DcertApp; validators: { key: string; power: bigint }[] } {
  const app = createApp({ store: new MemoryCommitStore() });
  const res = app.initChain({
    time: GENESIS_TIME,
    chainId: CHAIN_ID,
    validators: [],
    appStateBytes: new TextEncoder().encode(JSON.stringify(state)),
    initialHeight: 1n,
  });
  return { app, validators: res.validators.map((v) => ({ key: Buffer.from(v.pubKey.ed25519 ?? new Uint8Array()).toString("base64"), power: v.power })) };
}

function block(app: DcertApp, height: bigint, txs: Uint8Array[] = []) {
  const res = app.finalizeBlock({
    txs,
    decidedLastCommit: { round: 0, votes: [] },
    misbehavior: [],
    hash: new Uint8Array(32),
    height,
    time: { seconds: GENESIS_TIME.seconds + height, nanos: 0 },
    nextValidatorsHash: new Uint8Array(32),
    proposerAddress: new Uint8Array(20),
  });
  app.commit();
  return res;
}

describe("genesis transactions at InitChain", () => {
  test("gentxs bond one validator each and InitChain returns the whole set with their powers", async () => {
    const state = fundedState();
    setGenTxs(state, await Promise.all(operators.map((op) => gentxOf(op))));
    const { app, validators } = initChain(state);
    expect(validators).toHaveLength(3);
    expect(new Set(validators.map((v) => v.key))).toEqual(new Set(operators.map((o) => o.consKey)));
    for (const v of validators) expect(v.power).toBe(SELF / 1_000_000n);

    block(app, 1n);
    const ctx = app.queryContext();
    const { staking } = keepersOf(app);
    for (const op of operators) {
      const v = staking.getValidator(ctx, accountValoper(op.address));
      expect(v?.status).toBe(BondStatus.BOND_STATUS_BONDED);
      expect(v?.tokens).toBe(SELF.toString());
      expect(app.bank.getBalance(ctx, op.address, DEFAULT_DENOM).amount).toBe(BALANCE - SELF);
      // The gentx went through the ante: the operator's sequence moved and its pubkey is known.
      const acc = app.auth.getAccount(ctx, op.address)!;
      expect(acc.sequence).toBe(1n);
      expect(acc.pubKey).toBeDefined();
      expect(acc.accountNumber).not.toBe(0n);
    }
    expect(app.bank.getBalance(ctx, moduleAccountAddress(BONDED_POOL), DEFAULT_DENOM).amount).toBe(3n * SELF);
  });

  test("the chain runs on after genesis: an ordinary tx from an operator is accepted with its real account number", async () => {
    const state = fundedState();
    setGenTxs(state, await Promise.all(operators.map((op) => gentxOf(op))));
    const { app } = initChain(state);
    const op = operators[0]!;
    block(app, 1n);
    const acc = app.auth.getAccount(app.queryContext(), op.address)!;
    const tx = await signDirect(op.wallet, {
      msgs: [msgSend(op.address, user.address, 5)],
      fee: testFee(5000),
      chainId: CHAIN_ID,
      accountNumber: Number(acc.accountNumber),
      sequence: Number(acc.sequence),
    });
    const res = block(app, 2n, [tx]);
    expect(res.txResults[0]?.log).toBe("");
    expect(res.txResults[0]?.code).toBe(0);
  });

  test("a gentx signed for another chain-id aborts InitChain, naming the gentx and the signature failure", async () => {
    const state = fundedState();
    setGenTxs(state, [await gentxOf(operators[0]!), await gentxOf(operators[1]!, { chainId: "other-chain" })]);
    expect(() => initChain(state)).toThrow(/genutil\.gen_txs\[1\].*signature verification failed/);
  });

  test("a gentx whose self-delegation exceeds the operator's balance aborts InitChain with the funds error", async () => {
    const state = fundedState();
    setGenTxs(state, [await gentxOf(operators[0]!, { amount: BALANCE + 1n })]);
    expect(() => initChain(state)).toThrow(/genutil\.gen_txs\[0\].*insufficient funds/);
  });

  test("a gentx from an address without a genesis account aborts InitChain", async () => {
    const state = devnetParamsAppState();
    addGenesisAccount(state, operators[0]!.address, [{ denom: DEFAULT_DENOM, amount: BALANCE }]);
    setGenTxs(state, [await gentxOf(operators[0]!), await gentxOf(operators[1]!)]);
    expect(() => initChain(state)).toThrow(/genutil\.gen_txs\[1\].*does not exist/);
  });

  test("two gentxs for the same consensus key: the second fails", async () => {
    const state = fundedState();
    const clash = { ...operators[1]!, consKey: operators[0]!.consKey };
    setGenTxs(state, [await gentxOf(operators[0]!), await gentxOf(clash)]);
    expect(() => initChain(state)).toThrow(/genutil\.gen_txs\[1\].*consensus key is already used/);
  });

  test("the genesis app hash is a function of the gentxs: same list, same hash; one fewer, another hash", async () => {
    const txs = await Promise.all(operators.map((op) => gentxOf(op)));
    const hashOf = (list: Uint8Array[]) => {
      const state = fundedState();
      setGenTxs(state, list);
      const app = createApp({ store: new MemoryCommitStore() });
      const res = app.initChain({ time: GENESIS_TIME, chainId: CHAIN_ID, validators: [], appStateBytes: Buffer.from(JSON.stringify(state)), initialHeight: 1n });
      return Buffer.from(res.appHash).toString("hex");
    };
    expect(hashOf(txs)).toBe(hashOf(txs));
    expect(hashOf(txs.slice(0, 2))).not.toBe(hashOf(txs));
  });

  test("exported genesis carries no gentxs and re-imports to the same state", async () => {
    const state = fundedState();
    // Replaying block 1 on the imported state must change nothing: no inflation here.
    state["mint"] = noInflationMintGenesis();
    setGenTxs(state, await Promise.all(operators.map((op) => gentxOf(op))));
    const { app } = initChain(state);
    block(app, 1n);
    const exported = app.exportGenesis();
    expect(exported["genutil"]).toEqual({ gen_txs: [] });
    const { app: again, validators } = initChain(exported);
    expect(validators).toHaveLength(3);
    block(again, 1n);
    expect(again.exportGenesis()).toEqual(exported);
  });
});

describe("genesis builders and the gentx file", () => {
  test("addGenesisAccount numbers accounts in order, refuses duplicates unless appending, and keeps balances sorted", () => {
    const state = devnetParamsAppState();
    const [a, b] = [operators[1]!.address, operators[0]!.address];
    addGenesisAccount(state, a, [{ denom: DEFAULT_DENOM, amount: 5n }]);
    addGenesisAccount(state, b, [{ denom: "zzz", amount: 1n }, { denom: DEFAULT_DENOM, amount: 7n }]);
    expect(() => addGenesisAccount(state, a, [{ denom: DEFAULT_DENOM, amount: 1n }])).toThrow(/already has a genesis account/);
    addGenesisAccount(state, a, [{ denom: DEFAULT_DENOM, amount: 10n }], true);
    const auth = state["auth"] as { accounts: { address: string; account_number: string }[] };
    expect(auth.accounts.map((x) => [x.address, x.account_number])).toEqual([
      [a, "0"],
      [b, "1"],
    ]);
    expect(genesisBalance(state, a, DEFAULT_DENOM)).toBe(15n);
    expect(genesisBalance(state, b, "zzz")).toBe(1n);
    expect(genesisBalance(state, user.address, DEFAULT_DENOM)).toBe(0n);
    expect(hasGenesisAccount(state, b)).toBe(true);
    expect(hasGenesisAccount(state, user.address)).toBe(false);
    const balances = (state["bank"] as { balances: { address: string; coins: { denom: string }[] }[] }).balances;
    expect(balances.map((x) => x.address)).toEqual([a, b].sort());
    expect(balances.find((x) => x.address === b)!.coins.map((c) => c.denom)).toEqual([DEFAULT_DENOM, "zzz"]);
  });

  test("the devnet-params template has the devnet's short periods and no accounts or validators; the default one has the default periods", () => {
    const dev = devnetParamsAppState();
    const staking = dev["staking"] as { params: { unbonding_time: string }; validators: unknown[] };
    expect(staking.validators).toEqual([]);
    expect(Number.parseInt(staking.params.unbonding_time, 10)).toBeLessThanOrEqual(30);
    expect((dev["auth"] as { accounts: unknown[] }).accounts).toEqual([]);
    expect((dev["bank"] as { balances: unknown[] }).balances).toEqual([]);
    expect(bondDenom(dev)).toBe(DEFAULT_DENOM);
    const def = defaultAppState();
    expect(Number.parseInt((def["staking"] as { params: { unbonding_time: string } }).params.unbonding_time, 10)).toBeGreaterThan(86_400);
    expect(Object.keys(def)).toContain("genutil");
  });

  test("a gentx file round-trips, and a summary that disagrees with the signed bytes is rejected", async () => {
    const raw = await gentxOf(operators[0]!, { moniker: "alpha" });
    const file = gentxFile(CHAIN_ID, "cd".repeat(20), raw);
    expect(file.moniker).toBe("alpha");
    expect(file.validator_address).toBe(accountValoper(operators[0]!.address));
    const parsed = parseGentxFile(JSON.parse(JSON.stringify(file)));
    expect(Buffer.from(parsed.raw)).toEqual(Buffer.from(raw));
    expect(parsed.chainId).toBe(CHAIN_ID);
    expect(parsed.summary.consensusPubkey).toBe(operators[0]!.consKey);
    expect(() => parseGentxFile({ ...file, moniker: "mallory" })).toThrow(/moniker.*signed tx says "alpha"/);
    expect(() => parseGentxFile({ ...file, self_delegation: { denom: DEFAULT_DENOM, amount: "1" } })).toThrow(/self_delegation/);
    expect(() => parseGentxFile({ ...file, consensus_pubkey: { "@type": "x", key: operators[1]!.consKey } })).toThrow(/consensus_pubkey/);
    expect(() => parseGentxFile({ ...file, tx: "not base64!" })).toThrow(/not base64/);
  });

  test("gen_txs accepts only base64 txs holding exactly one MsgCreateValidator", async () => {
    const good = await gentxOf(operators[0]!);
    expect(parseGenutilGenesis({ gen_txs: [Buffer.from(good).toString("base64")] }).genTxs).toHaveLength(1);
    const send = await signDirect(operators[0]!.wallet, {
      msgs: [msgSend(operators[0]!.address, user.address, 1)],
      fee: testFee(),
      chainId: CHAIN_ID,
      accountNumber: 0,
      sequence: 0,
    });
    expect(() => parseGenutilGenesis({ gen_txs: [Buffer.from(send).toString("base64")] })).toThrow(/gen_txs\[0\].*exactly one .*MsgCreateValidator/);
    expect(() => parseGenutilGenesis({ gen_txs: ["%%%"] })).toThrow(/gen_txs\[0\].*base64/);
    expect(() => parseGenutilGenesis({ gen_txs: [Buffer.from([1, 2, 3]).toString("base64")] })).toThrow(/gen_txs\[0\]/);
    expect(summarizeGentx(good).memo).toBe(`${"ab".repeat(20)}@127.0.0.1:26656`);
  });

  test("peerFromMemo reads <node id>@host:port and nothing else", () => {
    expect(peerFromMemo(`${"ab".repeat(20)}@10.0.0.2:26656`)).toEqual({ nodeId: "ab".repeat(20), host: "10.0.0.2", port: 26656 });
    expect(peerFromMemo("hello")).toBeUndefined();
    expect(peerFromMemo(`${"ab".repeat(20)}@10.0.0.2:70000`)).toBeUndefined();
    expect(peerFromMemo(`${"ab".repeat(19)}@10.0.0.2:1`)).toBeUndefined();
  });
});
