/** One route of the sample server, for banners and help text. */
export interface SampleRoute {
  /** Path as Okta's guide spells it, or `"/*"` for every other path. */
  path: string;
  methods: readonly ("GET" | "POST")[];
  /** Where the route comes from. */
  source: string;
  /** What it does, in one line. */
  description: string;
}

/** The sample server's routes, in matching order (the last one takes every other path). */
export const SAMPLE_ROUTES: readonly SampleRoute[] = [
  {
    path: "/userCreated",
    methods: ["GET", "POST"],
    source: 'Okta guide "Event hooks with ngrok"',
    description:
      "prints 'The user <login> has been added to the Okta org!' per user.lifecycle.create",
  },
  {
    path: "/userDeactivated",
    methods: ["GET", "POST"],
    source: 'Okta guide "Event hook implementation"',
    description:
      "prints 'The user <login> has been deactivated on the Okta org!' per user.lifecycle.deactivate",
  },
  {
    path: "/*",
    methods: ["GET", "POST"],
    source: "ngrok's Okta webhooks sample",
    description: "answers the verification GET; prints the headers and body of each delivery",
  },
];
