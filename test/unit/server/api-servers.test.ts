/** startApiServers: the backend (app queries + CometBFT services) behind both servers, started and closed together. */
import * as net from "node:net";
import { startApiServers } from "../../../src/server";
import { testChain } from "../../helpers/app";
import { directWallet } from "../../helpers/txs";

async function app() {
  const address = (await (await directWallet()).getAccounts())[0]?.address ?? "";
  const chain = testChain({ accounts: [{ address, amount: 10_000_000_000n }] });
  chain.block();
  return chain.app;
}

const node = { appName: "dcertd", version: "0.0.0-test", gitCommit: "unknown" } as const;

test("both servers over one backend: app queries and the node services; closed together", async () => {
  const logs: string[] = [];
  const servers = await startApiServers({
    app: await app(),
    rpcUrl: "http://127.0.0.1:1", // nothing listens: the node services answer UNAVAILABLE
    node,
    rest: { address: "tcp://127.0.0.1:0", cors: true },
    grpc: { address: "127.0.0.1:0" },
    log: (l) => logs.push(l),
  });
  try {
    expect(servers.backend.has("/dcert.v1.Query/Params")).toBe(true);
    expect(servers.backend.has("/cosmos.tx.v1beta1.Service/GetTx")).toBe(true);
    expect(servers.backend.has("/cosmos.tx.v1beta1.Service/Simulate")).toBe(true);
    const params = await fetch(`${servers.restUrl ?? ""}/dcert/v1/params`);
    expect(params.status).toBe(200);
    const syncing = await fetch(`${servers.restUrl ?? ""}/cosmos/base/tendermint/v1beta1/syncing`);
    expect(syncing.status).toBe(503);
    expect(((await syncing.json()) as { code: number }).code).toBe(14);
    expect(servers.grpcAddress).toMatch(/^127\.0\.0\.1:\d+$/);
  } finally {
    await servers.close();
  }
  await expect(fetch(`${servers.restUrl ?? ""}/dcert/v1/params`)).rejects.toThrow();
});

test("only what is asked for; a server that cannot start closes the one already started", async () => {
  const none = await startApiServers({ app: await app(), rpcUrl: "http://127.0.0.1:1", node, log: () => undefined });
  expect(none.restUrl).toBeUndefined();
  expect(none.grpcAddress).toBeUndefined();
  await none.close();

  const blocker = net.createServer();
  await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", r));
  const taken = (blocker.address() as net.AddressInfo).port;
  const restPort = await new Promise<number>((resolve) => {
    const probe = net.createServer();
    probe.listen(0, "127.0.0.1", () => {
      const p = (probe.address() as net.AddressInfo).port;
      probe.close(() => resolve(p));
    });
  });
  try {
    await expect(
      startApiServers({ app: await app(), rpcUrl: "http://127.0.0.1:1", node, rest: { address: `tcp://127.0.0.1:${restPort}`, cors: false }, grpc: { address: `127.0.0.1:${taken}` }, log: () => undefined }),
    ).rejects.toThrow();
    // The REST gateway started first and was closed again: its port is free.
    const again = net.createServer();
    await new Promise<void>((resolve, reject) => {
      again.once("error", reject);
      again.listen(restPort, "127.0.0.1", resolve);
    });
    await new Promise<void>((r) => again.close(() => r()));
  } finally {
    await new Promise<void>((r) => blocker.close(() => r()));
  }
});
