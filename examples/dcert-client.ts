/**
 * The dCERT client library in use, against a local devnet:
 *
 *   npm start                                    # terminal 1: the devnet (writes ~/.dcert/devnet/devnet.json)
 *   npm run build && node dist/examples/dcert-client.js [devnet-home]   # terminal 2
 *
 * It reads the devnet's accounts, then: bob (an amino-only wallet, as a Ledger would sign) bonds
 * and accepts admission; alice (SIGN_MODE_DIRECT) delegates to the validator and votes half of her
 * stake for bob; the read-only client shows the vote and bob's seat. Running it again is fine:
 * steps already done are skipped. It also prints the amino JSON a Ledger would show for a
 * governance proposal carrying a dCERT message, without submitting it.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Secp256k1HdWallet } from "@cosmjs/amino";
import { DirectSecp256k1HdWallet } from "@cosmjs/proto-signing";
import { GasPrice, type DeliverTxResponse } from "@cosmjs/stargate";
import {
  DcertClient,
  SigningDcertClient,
  buildSlashMember,
  buildSubmitProposal,
  createDcertAminoTypes,
  createDcertRegistry,
  decimalToFixed18,
  fixed18ToDecimal,
} from "../src/client";

interface DevnetJson {
  readonly chainId: string;
  readonly rpc: string;
  readonly denom: string;
  readonly accounts: readonly { readonly name: string; readonly address: string; readonly mnemonic: string }[];
}

function devnetInfo(): DevnetJson {
  const clientHome = process.env["DCERTD_HOME"];
  const home = process.argv[2] ?? (clientHome !== undefined && clientHome !== "" ? path.join(clientHome, "devnet") : path.join(os.homedir(), ".dcert", "devnet"));
  const file = path.join(home, "devnet.json");
  if (!fs.existsSync(file)) throw new Error(`${file} not found: start the devnet first (npm start), or pass its home directory`);
  return JSON.parse(fs.readFileSync(file, "utf8")) as DevnetJson;
}

function check(step: string, res: DeliverTxResponse): void {
  if (res.code !== 0) throw new Error(`${step} failed (code ${res.code}): ${res.rawLog ?? ""}`);
  console.log(`  ${step}: tx ${res.transactionHash} in block ${res.height} (gas ${res.gasUsed}/${res.gasWanted})`);
}

async function main(): Promise<void> {
  const info = devnetInfo();
  const account = (name: string): DevnetJson["accounts"][number] => {
    const a = info.accounts.find((x) => x.name === name);
    if (a === undefined) throw new Error(`devnet.json has no account ${name}`);
    return a;
  };
  const options = { gasPrice: GasPrice.fromString(`0.025${info.denom}`), broadcastPollIntervalMs: 500 };

  // Read-only client: params and the group.
  const reader = await DcertClient.connect(info.rpc);
  const params = await reader.getDcertParams();
  const minBond = params.minMemberBond ?? { denom: info.denom, amount: "0" };
  console.log(`chain ${await reader.getChainId()} at height ${await reader.getHeight()}`);
  console.log(`dCERT: ${params.maxMembers} seats, min bond ${minBond.amount}${minBond.denom}, circuit breaking ${params.circuitBreakEnabled ? "on" : "off"}`);

  // bob signs amino JSON (what a Ledger or an amino-only wallet does).
  const bob = account("bob");
  const bobClient = await SigningDcertClient.connectWithSigner(info.rpc, await Secp256k1HdWallet.fromMnemonic(bob.mnemonic, { prefix: "dcert" }), options);
  const bobStatus = await reader.getMemberStatus(bob.address);
  if (BigInt(bobStatus.bond) < BigInt(minBond.amount)) {
    check("bob bonds", await bobClient.bond(bob.address, bob.address, { denom: minBond.denom, amount: (BigInt(minBond.amount) - BigInt(bobStatus.bond)).toString() }, "auto"));
  }
  if (!bobStatus.accepted) check("bob accepts admission", await bobClient.acceptAdmission(bob.address, "auto"));

  // alice signs SIGN_MODE_DIRECT: delegate (vote power is bonded stake), then vote.
  const alice = account("alice");
  const aliceClient = await SigningDcertClient.connectWithSigner(info.rpc, await DirectSecp256k1HdWallet.fromMnemonic(alice.mnemonic, { prefix: "dcert" }), options);
  const [validator] = await reader.getValidators("BOND_STATUS_BONDED");
  if (validator === undefined) throw new Error("the devnet has no bonded validator");
  if ((await reader.getDelegations(alice.address)).length === 0) {
    check("alice delegates", await aliceClient.delegateTokens(alice.address, validator.operatorAddress, { denom: info.denom, amount: "1000000000" }, "auto"));
  }
  check("alice votes", await aliceClient.vote(alice.address, [{ candidate: bob.address, share: decimalToFixed18("0.5") }], "auto"));

  // Votes count at the end of the block they are in; wait one block and look.
  const h = await reader.getHeight();
  while ((await reader.getHeight()) <= h) await new Promise((r) => setTimeout(r, 300));
  const vote = await reader.getVote(alice.address);
  for (const e of vote?.entries ?? []) console.log(`alice's vote: ${fixed18ToDecimal(e.share)} of ${vote?.power ?? "0"} for ${e.candidate} (adds ${e.contribution})`);
  const group = await reader.getGroup();
  console.log(`group: ${group.members.length} member(s)`);
  for (const m of group.members) console.log(`  #${m.sequence} ${m.address} tally ${m.tally} bond ${m.bond}`);

  // What an amino signer sees for a governance proposal that slashes a member (not submitted).
  const proposal = buildSubmitProposal(
    {
      proposer: alice.address,
      messages: [buildSlashMember({ member: bob.address, fraction: decimalToFixed18("0.1"), reason: "example" })],
      initialDeposit: [{ denom: info.denom, amount: "10000000" }],
      title: "Slash bob by 10%",
      summary: "an example; not submitted",
    },
    createDcertRegistry(),
  );
  console.log("amino JSON of a slash proposal:");
  console.log(JSON.stringify(createDcertAminoTypes().toAmino(proposal), null, 2));

  reader.disconnect();
  bobClient.disconnect();
  aliceClient.disconnect();
}

main().catch((e: unknown) => {
  console.error(`error: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
