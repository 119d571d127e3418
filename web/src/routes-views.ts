/** The group, elections and params views. */
import type { Route } from "./routes";
import { GroupView } from "./views/group";

export const VIEW_ROUTES: Route[] = [{ path: "group", title: "Group", nav: true, view: GroupView }];
