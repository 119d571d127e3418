/**
 * The modules' `checkedTx` hook (src/baseapp/module.ts): it runs after a new tx passes CheckTx,
 * never on a recheck or a refused tx; its context is built only when asked for and reads the last
 * committed block; an error it throws leaves CheckTx's answer and state as they were.
 */
import { CheckTxType } from "cosmjs-types/tendermint/abci/types";
import type { Context } from "../../src/baseapp/context";
import type { DecodedMsg } from "../../src/baseapp/router";
import { accountOf, validatorAndAliceChain } from "../helpers/app";
import { msgSend, signDirect, testFee, TEST_CHAIN_ID } from "../helpers/txs";

describe("AppModule.checkedTx", () => {
  test("runs after a new tx passes CheckTx only, with a lazily built context on the committed block", async () => {
    const { chain, wallet, alice, validator } = await validatorAndAliceChain();
    const { accountNumber } = accountOf(chain, alice);
    const send = (sequence: number): Promise<Uint8Array> => signDirect(wallet, { msgs: [msgSend(alice, validator, 1)], fee: testFee(5000, 200_000n), chainId: TEST_CHAIN_ID, accountNumber, sequence });
    const dcert = chain.app.modules.find((m) => m.name === "dcert");
    if (dcert === undefined || dcert.checkedTx === undefined) throw new Error("the dcert module has no checkedTx hook");
    const real = dcert.checkedTx;
    const seen: { types: string[]; height?: bigint }[] = [];
    dcert.checkedTx = (msgs: readonly DecodedMsg[], ctx: () => Context): void => {
      const call: { types: string[]; height?: bigint } = { types: msgs.map((m) => m.any.typeUrl) };
      if (seen.length === 1) call.height = ctx().block.height;
      seen.push(call);
    };
    try {
      const [first, second, third] = [await send(0), await send(1), await send(2)];
      expect(chain.app.checkTx({ tx: first!, type: CheckTxType.NEW }).code).toBe(0);
      expect(chain.app.checkTx({ tx: second!, type: CheckTxType.NEW }).code).toBe(0);
      // Refused (sequence 0 again) and rechecked txs do not reach the hook.
      expect(chain.app.checkTx({ tx: first!, type: CheckTxType.NEW }).code).not.toBe(0);
      expect(chain.app.checkTx({ tx: third!, type: CheckTxType.RECHECK }).code).toBe(0);
      expect(seen).toEqual([{ types: ["/cosmos.bank.v1beta1.MsgSend"] }, { types: ["/cosmos.bank.v1beta1.MsgSend"], height: chain.height }]);

      // A hook that throws changes nothing CheckTx answers or keeps: the next sequence still follows.
      dcert.checkedTx = (): void => {
        throw new Error("hook failed");
      };
      const [fourth, fifth] = [await send(3), await send(4)];
      expect(chain.app.checkTx({ tx: fourth!, type: CheckTxType.NEW }).code).toBe(0);
      expect(chain.app.checkTx({ tx: fifth!, type: CheckTxType.NEW }).code).toBe(0);
    } finally {
      dcert.checkedTx = real;
    }
  });
});
