/**
 * Property: for any staking, slashing or distribution message a client can build, the chain's
 * amino view (src/types/amino.ts) equals what the client signs (CosmJS's converters where CosmJS
 * has one, ours otherwise), and the client's amino → protobuf conversion gives back exactly the
 * canonical bytes the chain requires of an amino-signed message.
 */
import { toBech32 } from "@cosmjs/encoding";
import type { EncodeObject } from "@cosmjs/proto-signing";
import { AminoTypes, createDefaultAminoConverters } from "@cosmjs/stargate";
import fc from "fast-check";
import {
  buildBeginRedelegate,
  buildCancelUnbondingDelegation,
  buildCreateValidator,
  buildEditValidator,
  buildFundCommunityPool,
  buildSetWithdrawAddress,
  buildUnjail,
  buildWithdrawDelegatorReward,
  buildWithdrawValidatorCommission,
  createDcertAminoRegistry,
  createDcertAminoTypes,
  createDcertRegistry,
  REWARDS_TYPE_URLS,
} from "../../src/client";

const bytes20 = fc.uint8Array({ minLength: 20, maxLength: 20 });
const account = bytes20.map((b) => toBech32("dcert", b));
const valoper = bytes20.map((b) => toBech32("dcertvaloper", b));
const amount = fc.bigInt({ min: 0n, max: 10n ** 30n }).map(String);
const coin = fc.record({ denom: fc.constantFrom("udcert", "uatom", "ibc/ABC"), amount });
const rate = fc.bigInt({ min: 0n, max: 10n ** 18n }).map(String);
const text = fc.string({ maxLength: 24 });
const height = fc.bigInt({ min: 1n, max: 2n ** 63n - 1n });

const message: fc.Arbitrary<EncodeObject> = fc.oneof(
  valoper.map(buildUnjail),
  fc.tuple(account, valoper).map(([d, v]) => buildWithdrawDelegatorReward(d, v)),
  valoper.map(buildWithdrawValidatorCommission),
  fc.tuple(account, account).map(([d, w]) => buildSetWithdrawAddress(d, w)),
  fc.tuple(account, fc.array(coin, { maxLength: 3 })).map(([d, c]) => buildFundCommunityPool(d, c)),
  fc
    .record({
      delegator: account,
      validator: valoper,
      consensusPubkey: fc.uint8Array({ minLength: 32, maxLength: 32 }),
      selfDelegation: coin,
      description: fc.record({ moniker: text, identity: text, website: text, securityContact: text, details: text }),
      commission: fc.record({ rate, maxRate: rate, maxChangeRate: rate }),
      minSelfDelegation: fc.bigInt({ min: 1n, max: 10n ** 20n }).map(String),
    })
    .map(buildCreateValidator),
  fc
    .record(
      {
        validator: valoper,
        description: fc.record({ moniker: text, details: text }, { requiredKeys: [] }),
        commissionRate: rate,
        minSelfDelegation: fc.bigInt({ min: 1n, max: 10n ** 20n }).map(String),
      },
      { requiredKeys: ["validator"] },
    )
    .map(buildEditValidator),
  fc.tuple(account, valoper, valoper, coin).map(([d, s, t, c]) => buildBeginRedelegate(d, s, t, c)),
  fc.tuple(account, valoper, coin, height).map(([d, v, c, h]) => buildCancelUnbondingDelegation(d, v, c, h)),
);

describe("amino JSON of staking, slashing and distribution messages (property)", () => {
  const registry = createDcertRegistry();
  const chain = createDcertAminoRegistry();
  const client = createDcertAminoTypes();
  const cosmjs = new AminoTypes(createDefaultAminoConverters());

  test("chain view = client view (= CosmJS's where it has a converter); amino → protobuf gives the same canonical bytes", () => {
    fc.assert(
      fc.property(message, (m) => {
        const any = registry.encodeAsAny(m);
        const signed = client.toAmino(m);
        expect(chain.toAmino(any)).toEqual(signed);
        // CosmJS has no MsgUnjail converter and a stale name for MsgWithdrawValidatorCommission.
        if (m.typeUrl !== REWARDS_TYPE_URLS.unjail && m.typeUrl !== REWARDS_TYPE_URLS.withdrawValidatorCommission) expect(cosmjs.toAmino(m)).toEqual(signed);
        // What SigningStargateClient puts in the tx body after an amino signature.
        const rebuilt = registry.encodeAsAny(client.fromAmino(signed));
        expect(rebuilt).toEqual(any);
        expect(chain.fromAmino(signed)).toEqual(any);
      }),
      { numRuns: 300 },
    );
  });
});
