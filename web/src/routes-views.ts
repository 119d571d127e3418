/** The group, elections and params views. */
import type { Route } from "./routes";
import { CandidatesView } from "./views/candidates";
import { GroupView } from "./views/group";
import { MemberView } from "./views/member";
import { ParamsView } from "./views/params";
import { QueueView } from "./views/queue";

export const VIEW_ROUTES: Route[] = [
  { path: "group", title: "Group", nav: true, view: GroupView },
  { path: "candidates", title: "Candidates", nav: true, view: CandidatesView },
  { path: "queue", title: "Queue", nav: true, view: QueueView },
  { path: "member", title: "Member", nav: false, view: MemberView },
  { path: "params", title: "Params", nav: true, view: ParamsView },
];
