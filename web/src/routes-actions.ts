/** The wallet and the actions signed in the browser. */
import type { Route } from "./routes";
import { ActView } from "./views/act";
import { VoteView } from "./views/vote";
import { WalletView } from "./views/wallet";

export const ACTION_ROUTES: Route[] = [
  { path: "wallet", title: "Wallet", nav: true, view: WalletView },
  { path: "vote", title: "Vote", nav: true, view: VoteView },
  { path: "act", title: "Act", nav: true, view: ActView },
];
