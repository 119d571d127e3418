/**
 * Golden bytes of every store key layout. Each module's keys are built through the module's own
 * key functions, with fixed addresses, ids and times, prefixed with the module's store prefix (the
 * bytes that reach the commit store), and compared to literal hex. Any change of a key layout —
 * a store prefix, a sub-prefix byte, the order or encoding of a key's parts — fails here: keys are
 * consensus state, so a layout change needs a store migration, not an accidental refactor.
 */
import { concat, toHex } from "../../../src/baseapp/encoding";
import type { StoreKey } from "../../../src/baseapp/context";
import { CHAIN_ID_KEY, MAX_GAS_KEY, VE_ENABLE_HEIGHT_KEY } from "../../../src/baseapp/app";
import { STORE_KEYS } from "../../../src/baseapp/storekeys";
// The whole composition root, so every store any module declares is in STORE_KEYS.
import "../../../src/app/node";
import { addrString } from "../../../src/x/auth/keeper";
import { AUTH, keys as authKeys } from "../../../src/x/auth/keys";
import { BANK, keys as bankKeys } from "../../../src/x/bank/keys";
import { DISTRIBUTION, keys as distributionKeys } from "../../../src/x/distribution/keys";
import * as gov from "../../../src/x/gov/keys";
import { keys as mintKeys, MINT } from "../../../src/x/mint/keys";
import { STAKING, KEY as STAKING_KEY, keys as stakingKeys } from "../../../src/x/staking/keys";
import { DCERT_STORE, KEY as DCERT_KEY, keys as dcertKeys } from "../../../src/x/dcert/keys";
import { COORD_STORE, DUE, KEY as COORD_KEY, keys as coordKeys } from "../../../src/x/coord/keys";
import { keys as upgradeKeys, UPGRADE_STORE } from "../../../src/x/upgrade/keys";

/** Fixed inputs: two 20-byte addresses, a 32-byte one, a time and ids. */
const A = Uint8Array.from({ length: 20 }, (_, i) => i + 1);
const B = Uint8Array.from({ length: 20 }, (_, i) => 0xa0 + i);
const C = Uint8Array.from({ length: 32 }, (_, i) => 0x40 + i);
const T = { seconds: 1_700_000_123n, nanos: 456_789 };
const ID = 0x0102030405060708n;

const full = (store: StoreKey, key: Uint8Array): string => toHex(concat(store.prefix, key));

function layouts(): Record<string, string> {
  const a = addrString(A);
  const b = addrString(B);
  const au = (k: Uint8Array) => full(AUTH, k);
  const ba = (k: Uint8Array) => full(BANK, k);
  const di = (k: Uint8Array) => full(DISTRIBUTION, k);
  const go = (k: Uint8Array) => full(gov.GOV_STORE, k);
  const st = (k: Uint8Array) => full(STAKING, k);
  const dc = (k: Uint8Array) => full(DCERT_STORE, k);
  const co = (k: Uint8Array) => full(COORD_STORE, k);
  return {
    ...coordLayouts(co),
    "app.chainId": toHex(CHAIN_ID_KEY),
    "app.maxGas": toHex(MAX_GAS_KEY),
    "app.veEnableHeight": toHex(VE_ENABLE_HEIGHT_KEY),

    "auth.account": au(authKeys.account(A)),
    "auth.accountPrefix": au(authKeys.accountPrefix()),
    "auth.accountEnd": au(authKeys.accountEnd()),
    "auth.nextAccountNumber": au(authKeys.nextAccountNumber()),
    "auth.params": au(authKeys.params()),

    "bank.balance": ba(bankKeys.balance(A, "udcert")),
    "bank.balancesOf": ba(bankKeys.balancesOf(B)),
    "bank.balancePrefix": ba(bankKeys.balancePrefix()),
    "bank.balanceEnd": ba(bankKeys.balanceEnd()),
    "bank.supply": ba(bankKeys.supply("udcert")),
    "bank.supplyPrefix": ba(bankKeys.supplyPrefix()),
    "bank.supplyEnd": ba(bankKeys.supplyEnd()),
    "bank.sendEnabled": ba(bankKeys.sendEnabled()),
    "bank.denomMetadata": ba(bankKeys.denomMetadata("udcert")),
    "bank.denomMetadataPrefix": ba(bankKeys.denomMetadataPrefix()),

    "distribution.params": di(distributionKeys.params()),
    "distribution.feePool": di(distributionKeys.feePool()),
    "distribution.outstanding": di(distributionKeys.outstanding(A)),
    "distribution.withdrawAddr": di(distributionKeys.withdrawAddr(B)),
    "distribution.startingInfo": di(distributionKeys.startingInfo(A, B)),
    "distribution.historical": di(distributionKeys.historical(A, ID)),
    "distribution.current": di(distributionKeys.current(A)),
    "distribution.commission": di(distributionKeys.commission(A)),
    "distribution.slashEvent": di(distributionKeys.slashEvent(A, 7n, ID)),
    "mint.minter": full(MINT, mintKeys.minter()),
    "mint.params": full(MINT, mintKeys.params()),

    "gov.proposal": go(gov.proposalKey(ID)),
    "gov.activeQueue": go(gov.queueKey(gov.KEY.activeQueue, T, ID)),
    "gov.inactiveQueue": go(gov.queueKey(gov.KEY.inactiveQueue, T, ID)),
    "gov.queueEndInclusive": go(gov.queueEndInclusive(gov.KEY.activeQueue, T)),
    "gov.nextProposalId": go(gov.single(gov.KEY.nextProposalId)),
    "gov.depositPrefix": go(gov.depositPrefix(ID)),
    "gov.deposit": go(gov.depositKey(ID, a)),
    "gov.votePrefix": go(gov.votePrefix(ID)),
    "gov.vote": go(gov.voteKey(ID, b)),
    "gov.params": go(gov.single(gov.KEY.params)),
    "gov.constitution": go(gov.single(gov.KEY.constitution)),
    "gov.escrow": go(gov.single(gov.KEY.escrow)),
    "gov.depositSeq": go(gov.single(gov.KEY.depositSeq)),

    "staking.lastTotalPower": st(stakingKeys.lastTotalPower()),
    "staking.lastValidatorPower": st(stakingKeys.lastValidatorPower(A)),
    "staking.lastValidatorPowerPrefix": st(stakingKeys.lastValidatorPowerPrefix()),
    "staking.validator": st(stakingKeys.validator(A)),
    "staking.validatorPrefix": st(stakingKeys.validatorPrefix()),
    "staking.validatorByConsAddr": st(stakingKeys.validatorByConsAddr(B)),
    "staking.validatorByPower": st(stakingKeys.validatorByPower(ID, A)),
    "staking.validatorByPowerPrefix": st(stakingKeys.validatorByPowerPrefix()),
    "staking.delegation": st(stakingKeys.delegation(B, A)),
    "staking.delegationsOf": st(stakingKeys.delegationsOf(B)),
    "staking.delegationPrefix": st(stakingKeys.delegationPrefix()),
    "staking.delegationByValidator": st(stakingKeys.delegationByValidator(A, B)),
    "staking.delegationsByValidator": st(stakingKeys.delegationsByValidator(A)),
    "staking.unbonding": st(stakingKeys.unbonding(B, A)),
    "staking.unbondingsOf": st(stakingKeys.unbondingsOf(B)),
    "staking.unbondingPrefix": st(stakingKeys.unbondingPrefix()),
    "staking.redelegation": st(stakingKeys.redelegation(B, A, C)),
    "staking.redelegationsOf": st(stakingKeys.redelegationsOf(B)),
    "staking.redelegationsFrom": st(stakingKeys.redelegationsFrom(B, A)),
    "staking.redelegationPrefix": st(stakingKeys.redelegationPrefix()),
    "staking.unbondingQueue": st(stakingKeys.unbondingQueue(T, B, A)),
    "staking.redelegationQueue": st(stakingKeys.redelegationQueue(T, B, A, C)),
    "staking.validatorQueue": st(stakingKeys.validatorQueue(T, A)),
    "staking.queueEnd": st(stakingKeys.queueEnd(STAKING_KEY.unbondingQueue, T)),
    "staking.params": st(stakingKeys.params()),
    "staking.powerDirty": st(stakingKeys.powerDirty()),
    "staking.nextUnbondingId": st(stakingKeys.nextUnbondingId()),

    "dcert.params": dc(dcertKeys.single(DCERT_KEY.params)),
    "dcert.group": dc(dcertKeys.single(DCERT_KEY.group)),
    "dcert.meta": dc(dcertKeys.single(DCERT_KEY.meta)),
    "dcert.acceptCounter": dc(dcertKeys.single(DCERT_KEY.acceptCounter)),
    "dcert.nextUnbondingId": dc(dcertKeys.single(DCERT_KEY.nextUnbondingId)),
    "dcert.recheckAll": dc(dcertKeys.single(DCERT_KEY.recheckAll)),
    "dcert.pendingVote": dc(dcertKeys.pendingVote(A)),
    "dcert.dirtyVoter": dc(dcertKeys.dirtyVoter(A)),
    "dcert.vote": dc(dcertKeys.vote(A)),
    "dcert.tally": dc(dcertKeys.tally(B)),
    "dcert.candidate": dc(dcertKeys.candidate(B)),
    "dcert.dirtyCandidate": dc(dcertKeys.dirtyCandidate(B)),
    "dcert.eligible": dc(dcertKeys.eligible(B)),
    "dcert.rank": dc(dcertKeys.rank(ID, 42n, 7, B)),
    "dcert.member": dc(dcertKeys.member(B)),
    "dcert.queue": dc(dcertKeys.queue(A)),
    "dcert.bond": dc(dcertKeys.bond(B, A)),
    "dcert.bondsOf": dc(dcertKeys.bondsOf(B)),
    "dcert.bondByStaker": dc(dcertKeys.bondByStaker(A, B)),
    "dcert.bondsByStaker": dc(dcertKeys.bondsByStaker(A)),
    "dcert.bondTotal": dc(dcertKeys.bondTotal(B)),
    "dcert.unbonding": dc(dcertKeys.unbonding(ID)),
    "dcert.unbondingQueue": dc(dcertKeys.unbondingQueue(T, ID)),
    "dcert.unbondingQueueEnd": dc(dcertKeys.unbondingQueueEnd(T)),
    "dcert.unbondingByMember": dc(dcertKeys.unbondingByMember(B, A, ID)),
    "dcert.unbondingsOfMember": dc(dcertKeys.unbondingsOfMember(B)),
    "dcert.unbondingsOfPair": dc(dcertKeys.unbondingsOfPair(B, A)),
    "dcert.unbondingByStaker": dc(dcertKeys.unbondingByStaker(A, ID)),
    "dcert.unbondingsOfStaker": dc(dcertKeys.unbondingsOfStaker(A)),
    "dcert.suspension": dc(dcertKeys.suspension(B)),
    "dcert.suspensionVote": dc(dcertKeys.suspensionVote(B, A)),
    "dcert.suspensionVotesOf": dc(dcertKeys.suspensionVotesOf(B)),
    "dcert.suspensionVoteByVoter": dc(dcertKeys.suspensionVoteByVoter(A, B)),
    "dcert.suspensionVotesBy": dc(dcertKeys.suspensionVotesBy(A)),
    "dcert.barred": dc(dcertKeys.barred(B)),
    "dcert.disbandProposal": dc(dcertKeys.disbandProposal(ID)),
    "dcert.disbandExposure": dc(dcertKeys.disbandExposure(ID, B)),
    "dcert.disbandExposuresOf": dc(dcertKeys.disbandExposuresOf(ID)),
    "dcert.stipend": dc(dcertKeys.stipend(B)),
    "dcert.brokenRoute": dc(dcertKeys.brokenRoute("/cosmos.bank.v1beta1.MsgSend")),
  };
}

const EXPECTED: Record<string, string> = {
  "app.chainId": "5f6170702f636861696e5f6964",
  "app.maxGas": "5f6170702f6d61785f676173",
  "app.veEnableHeight": "5f6170702f76655f656e61626c655f686569676874",

  "auth.account": "617574682f010102030405060708090a0b0c0d0e0f1011121314",
  "auth.accountPrefix": "617574682f01",
  "auth.accountEnd": "617574682f02",
  "auth.nextAccountNumber": "617574682f02",
  "auth.params": "617574682f03",

  "bank.balance": "62616e6b2f02140102030405060708090a0b0c0d0e0f1011121314756463657274",
  "bank.balancesOf": "62616e6b2f0214a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3",
  "bank.balancePrefix": "62616e6b2f02",
  "bank.balanceEnd": "62616e6b2f03",
  "bank.supply": "62616e6b2f00756463657274",
  "bank.supplyPrefix": "62616e6b2f00",
  "bank.supplyEnd": "62616e6b2f01",
  "bank.sendEnabled": "62616e6b2f03",
  "bank.denomMetadata": "62616e6b2f01756463657274",
  "bank.denomMetadataPrefix": "62616e6b2f01",

  "distribution.params": "646973747269627574696f6e2f09",
  "distribution.feePool": "646973747269627574696f6e2f00",
  "distribution.outstanding": "646973747269627574696f6e2f02140102030405060708090a0b0c0d0e0f1011121314",
  "distribution.withdrawAddr": "646973747269627574696f6e2f0314a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3",
  "distribution.startingInfo": "646973747269627574696f6e2f04140102030405060708090a0b0c0d0e0f101112131414a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3",
  "distribution.historical": "646973747269627574696f6e2f05140102030405060708090a0b0c0d0e0f10111213140102030405060708",
  "distribution.current": "646973747269627574696f6e2f06140102030405060708090a0b0c0d0e0f1011121314",
  "distribution.commission": "646973747269627574696f6e2f07140102030405060708090a0b0c0d0e0f1011121314",
  "distribution.slashEvent": "646973747269627574696f6e2f08140102030405060708090a0b0c0d0e0f101112131400000000000000070102030405060708",
  "mint.minter": "6d696e742f00",
  "mint.params": "6d696e742f01",

  "gov.proposal": "676f762f000102030405060708",
  "gov.activeQueue": "676f762f01800000006553f17b0006f8550102030405060708",
  "gov.inactiveQueue": "676f762f02800000006553f17b0006f8550102030405060708",
  "gov.queueEndInclusive": "676f762f01800000006553f17b0006f855ffffffffffffffff00",
  "gov.nextProposalId": "676f762f03",
  "gov.depositPrefix": "676f762f100102030405060708",
  "gov.deposit": "676f762f100102030405060708140102030405060708090a0b0c0d0e0f1011121314",
  "gov.votePrefix": "676f762f200102030405060708",
  "gov.vote": "676f762f20010203040506070814a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3",
  "gov.params": "676f762f30",
  "gov.constitution": "676f762f40",
  "gov.escrow": "676f762f50",
  "gov.depositSeq": "676f762f51",

  "staking.lastTotalPower": "7374616b696e672f12",
  "staking.lastValidatorPower": "7374616b696e672f11140102030405060708090a0b0c0d0e0f1011121314",
  "staking.lastValidatorPowerPrefix": "7374616b696e672f11",
  "staking.validator": "7374616b696e672f21140102030405060708090a0b0c0d0e0f1011121314",
  "staking.validatorPrefix": "7374616b696e672f21",
  "staking.validatorByConsAddr": "7374616b696e672f2214a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3",
  "staking.validatorByPower": "7374616b696e672f23010203040506070814fefdfcfbfaf9f8f7f6f5f4f3f2f1f0efeeedeceb",
  "staking.validatorByPowerPrefix": "7374616b696e672f23",
  "staking.delegation": "7374616b696e672f3114a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3140102030405060708090a0b0c0d0e0f1011121314",
  "staking.delegationsOf": "7374616b696e672f3114a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3",
  "staking.delegationPrefix": "7374616b696e672f31",
  "staking.delegationByValidator": "7374616b696e672f32140102030405060708090a0b0c0d0e0f101112131414a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3",
  "staking.delegationsByValidator": "7374616b696e672f32140102030405060708090a0b0c0d0e0f1011121314",
  "staking.unbonding": "7374616b696e672f3314a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3140102030405060708090a0b0c0d0e0f1011121314",
  "staking.unbondingsOf": "7374616b696e672f3314a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3",
  "staking.unbondingPrefix": "7374616b696e672f33",
  "staking.redelegation": "7374616b696e672f3414a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3140102030405060708090a0b0c0d0e0f101112131420404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f",
  "staking.redelegationsOf": "7374616b696e672f3414a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3",
  "staking.redelegationsFrom": "7374616b696e672f3414a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3140102030405060708090a0b0c0d0e0f1011121314",
  "staking.redelegationPrefix": "7374616b696e672f34",
  "staking.unbondingQueue": "7374616b696e672f41800000006553f17b0006f85514a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3140102030405060708090a0b0c0d0e0f1011121314",
  "staking.redelegationQueue": "7374616b696e672f42800000006553f17b0006f85514a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3140102030405060708090a0b0c0d0e0f101112131420404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f",
  "staking.validatorQueue": "7374616b696e672f43800000006553f17b0006f855140102030405060708090a0b0c0d0e0f1011121314",
  "staking.queueEnd": "7374616b696e672f41800000006553f17b0006f856",
  "staking.params": "7374616b696e672f51",
  "staking.powerDirty": "7374616b696e672f52",
  "staking.nextUnbondingId": "7374616b696e672f53",

  "dcert.params": "64636572742f01",
  "dcert.group": "64636572742f02",
  "dcert.meta": "64636572742f03",
  "dcert.acceptCounter": "64636572742f04",
  "dcert.nextUnbondingId": "64636572742f05",
  "dcert.recheckAll": "64636572742f06",
  "dcert.pendingVote": "64636572742f11140102030405060708090a0b0c0d0e0f1011121314",
  "dcert.dirtyVoter": "64636572742f12140102030405060708090a0b0c0d0e0f1011121314",
  "dcert.vote": "64636572742f10140102030405060708090a0b0c0d0e0f1011121314",
  "dcert.tally": "64636572742f1314a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3",
  "dcert.candidate": "64636572742f2014a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3",
  "dcert.dirtyCandidate": "64636572742f2114a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3",
  "dcert.eligible": "64636572742f2214a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3",
  "dcert.rank": "64636572742f23fffffffffffffffffffffffffffffffffffffffffffffffffefdfcfbfaf9f8f7000000000000002a0000000714a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3",
  "dcert.member": "64636572742f3014a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3",
  "dcert.queue": "64636572742f31140102030405060708090a0b0c0d0e0f1011121314",
  "dcert.bond": "64636572742f4014a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3140102030405060708090a0b0c0d0e0f1011121314",
  "dcert.bondsOf": "64636572742f4014a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3",
  "dcert.bondByStaker": "64636572742f41140102030405060708090a0b0c0d0e0f101112131414a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3",
  "dcert.bondsByStaker": "64636572742f41140102030405060708090a0b0c0d0e0f1011121314",
  "dcert.bondTotal": "64636572742f4214a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3",
  "dcert.unbonding": "64636572742f430102030405060708",
  "dcert.unbondingQueue": "64636572742f44800000006553f17b0006f8550102030405060708",
  "dcert.unbondingQueueEnd": "64636572742f44800000006553f17b0006f856",
  "dcert.unbondingByMember": "64636572742f4514a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3140102030405060708090a0b0c0d0e0f10111213140102030405060708",
  "dcert.unbondingsOfMember": "64636572742f4514a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3",
  "dcert.unbondingsOfPair": "64636572742f4514a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3140102030405060708090a0b0c0d0e0f1011121314",
  "dcert.unbondingByStaker": "64636572742f46140102030405060708090a0b0c0d0e0f10111213140102030405060708",
  "dcert.unbondingsOfStaker": "64636572742f46140102030405060708090a0b0c0d0e0f1011121314",
  "dcert.suspension": "64636572742f5014a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3",
  "dcert.suspensionVote": "64636572742f5114a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3140102030405060708090a0b0c0d0e0f1011121314",
  "dcert.suspensionVotesOf": "64636572742f5114a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3",
  "dcert.suspensionVoteByVoter": "64636572742f53140102030405060708090a0b0c0d0e0f101112131414a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3",
  "dcert.suspensionVotesBy": "64636572742f53140102030405060708090a0b0c0d0e0f1011121314",
  "dcert.barred": "64636572742f5214a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3",
  "dcert.disbandProposal": "64636572742f600102030405060708",
  "dcert.disbandExposure": "64636572742f62010203040506070814a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3",
  "dcert.disbandExposuresOf": "64636572742f620102030405060708",
  "dcert.stipend": "64636572742f6114a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3",
  "dcert.brokenRoute": "64636572742f702f636f736d6f732e62616e6b2e763162657461312e4d736753656e64",
 "coord.case": "636f6f72642f200102030405060708",
 "coord.caseByCoordinator": "636f6f72642f2514a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b30102030405060708",
 "coord.caseByStatus": "636f6f72642f22010102030405060708",
 "coord.check": "636f6f72642f510102030405060708",
 "coord.checkCursor": "636f6f72642f570102030405060708",
 "coord.checkEntry": "636f6f72642f520102030405060708140102030405060708090a0b0c0d0e0f1011121314",
 "coord.checkRunning": "636f6f72642f530102030405060708",
 "coord.commitment": "636f6f72642f2101020304050607080200000003",
 "coord.depIndex": "636f6f72642f120113636f736d6f732e62616e6b2e76316265746131140102030405060708090a0b0c0d0e0f1011121314",
 "coord.disclosure": "636f6f72642f500102030405060708",
 "coord.heightQueue": "636f6f72642f240102030405060708000000000000000703",
 "coord.input": "636f6f72642f400102030405060708",
 "coord.inputByCase": "636f6f72642f4100000000000000000102030405060708",
 "coord.inputByRecipient": "636f6f72642f4314a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b30102030405060708",
 "coord.inputBySender": "636f6f72642f42140102030405060708090a0b0c0d0e0f10111213140102030405060708",
 "coord.involvement": "636f6f72642f33010203040506070814a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3",
 "coord.keyOwner": "636f6f72642f11404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f",
 "coord.metrics": "636f6f72642f0503",
 "coord.mitigation": "636f6f72642f54010203040506070800000001",
 "coord.nextCaseId": "636f6f72642f02",
 "coord.nextInputId": "636f6f72642f04",
 "coord.nextNoticeId": "636f6f72642f03",
 "coord.notice": "636f6f72642f300102030405060708",
 "coord.noticeByCase": "636f6f72642f3201020304050607080000000000000005",
 "coord.noticeByRecipient": "636f6f72642f31140102030405060708090a0b0c0d0e0f10111213140102030405060708",
 "coord.params": "636f6f72642f01",
 "coord.party": "636f6f72642f10140102030405060708090a0b0c0d0e0f1011121314",
 "coord.record": "636f6f72642f550102030405060708",
 "coord.revision": "636f6f72642f260102030405060708",
 "coord.schedule": "636f6f72642f29010203040506070807",
 "coord.timeQueue": "636f6f72642f23800000006553f17b0006f855010203040506070804",
 "coord.timeline": "636f6f72642f28010203040506070800000009",
};

/** The coordination store (src/x/coord/keys.ts). */
function coordLayouts(co: (k: Uint8Array) => string): Record<string, string> {
  return {
    "coord.params": co(coordKeys.single(COORD_KEY.params)),
    "coord.nextCaseId": co(coordKeys.single(COORD_KEY.nextCaseId)),
    "coord.nextNoticeId": co(coordKeys.single(COORD_KEY.nextNoticeId)),
    "coord.nextInputId": co(coordKeys.single(COORD_KEY.nextInputId)),
    "coord.metrics": co(coordKeys.metrics(3)),
    "coord.party": co(coordKeys.party(A)),
    "coord.keyOwner": co(coordKeys.keyOwner(C)),
    "coord.depIndex": co(coordKeys.depIndex(1, "cosmos.bank.v1beta1", A)),
    "coord.case": co(coordKeys.case(ID)),
    "coord.commitment": co(coordKeys.commitment(ID, 2, 3)),
    "coord.caseByStatus": co(coordKeys.caseByStatus(1, ID)),
    "coord.timeQueue": co(coordKeys.timeQueue(T, ID, DUE.overdue)),
    "coord.heightQueue": co(coordKeys.heightQueue(ID, 7n, DUE.reveal)),
    "coord.caseByCoordinator": co(coordKeys.caseByCoordinator(B, ID)),
    "coord.revision": co(coordKeys.revision(ID)),
    "coord.timeline": co(coordKeys.timeline(ID, 9)),
    "coord.schedule": co(coordKeys.schedule(ID, DUE.followUpEnd)),
    "coord.notice": co(coordKeys.notice(ID)),
    "coord.noticeByRecipient": co(coordKeys.noticeByRecipient(A, ID)),
    "coord.noticeByCase": co(coordKeys.noticeByCase(ID, 5n)),
    "coord.involvement": co(coordKeys.involvement(ID, B)),
    "coord.input": co(coordKeys.input(ID)),
    "coord.inputByCase": co(coordKeys.inputByCase(0n, ID)),
    "coord.inputBySender": co(coordKeys.inputBySender(A, ID)),
    "coord.inputByRecipient": co(coordKeys.inputByRecipient(B, ID)),
    "coord.disclosure": co(coordKeys.disclosure(ID)),
    "coord.check": co(coordKeys.check(ID)),
    "coord.checkEntry": co(coordKeys.checkEntry(ID, A)),
    "coord.checkRunning": co(coordKeys.checkRunning(ID)),
    "coord.checkCursor": co(coordKeys.checkCursor(ID)),
    "coord.mitigation": co(coordKeys.mitigation(ID, 1)),
    "coord.record": co(coordKeys.record(ID)),
  };
}

test("every store key layout has today's bytes", () => {
  expect(layouts()).toEqual(EXPECTED);
});

test("the app declares exactly these stores, with these prefixes", () => {
  const stores = STORE_KEYS.all()
    .map((k) => [k.name, toHex(k.prefix)])
    .sort(([a], [b]) => (a! < b! ? -1 : 1));
  expect(stores).toEqual([
    ["app", "5f6170702f"], // "_app/"
    ["auth", "617574682f"],
    ["bank", "62616e6b2f"],
    ["coord", "636f6f72642f"],
    ["dcert", "64636572742f"],
    ["distribution", "646973747269627574696f6e2f"],
    ["evidence", "65766964656e63652f"], // "evidence/"
    ["gov", "676f762f"],
    ["mint", "6d696e742f"], // "mint/"
    ["slashing", "736c617368696e672f"], // "slashing/"
    ["staking", "7374616b696e672f"],
    ["upgrade", "757067726164652f"], // "upgrade/"
  ]);
});

test("every upgrade store key has today's bytes", () => {
  const up = (k: Uint8Array) => full(UPGRADE_STORE, k);
  expect({
    params: up(upgradeKeys.params),
    plan: up(upgradeKeys.plan),
    applied: up(upgradeKeys.applied("v2")),
    appliedAll: up(upgradeKeys.appliedAll),
    moduleVersion: up(upgradeKeys.moduleVersion("bank")),
    moduleVersionAll: up(upgradeKeys.moduleVersionAll),
    preApproval: up(upgradeKeys.preApproval("v2", A)),
    preApprovalsOf: up(upgradeKeys.preApprovalsOf("v2")),
    preApprovalAll: up(upgradeKeys.preApprovalAll),
    cancelled: up(upgradeKeys.cancelled("v2")),
    cancelledAll: up(upgradeKeys.cancelledAll),
    readiness: up(upgradeKeys.readiness("v2")),
    readinessAll: up(upgradeKeys.readinessAll),
    builds: up(upgradeKeys.builds),
  }).toEqual({
    params: "757067726164652f01",
    plan: "757067726164652f02",
    applied: "757067726164652f037632",
    appliedAll: "757067726164652f03",
    moduleVersion: "757067726164652f0462616e6b",
    moduleVersionAll: "757067726164652f04",
    preApproval: "757067726164652f05027632140102030405060708090a0b0c0d0e0f1011121314",
    preApprovalsOf: "757067726164652f05027632",
    preApprovalAll: "757067726164652f05",
    cancelled: "757067726164652f067632",
    cancelledAll: "757067726164652f06",
    readiness: "757067726164652f077632",
    readinessAll: "757067726164652f07",
    builds: "757067726164652f08",
  });
});
