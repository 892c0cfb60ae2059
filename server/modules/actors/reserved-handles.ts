/**
 * Handles no member, project or co-op may take: they collide with our own routes, the node actor,
 * or names that impersonate staff. Every local actor shares one namespace (`/@{handle}`).
 */
export const RESERVED_HANDLES: ReadonlySet<string> = new Set([
  // the node's own actor and roles people trust
  "node", "instance", "admin", "admins", "administrator", "moderator", "moderators", "mod", "mods",
  "root", "system", "staff", "support", "security", "abuse", "postmaster", "webmaster", "hostmaster",
  "noreply", "no_reply", "official", "commonsnet", "owner", "operator",
  // top-level paths and protocol endpoints
  "api", "inbox", "outbox", "users", "actor", "actors", "nodeinfo", "well_known", "healthz", "health",
  "static", "assets", "media", "public", "login", "logout", "register", "signup", "settings", "auth",
  "oauth", "directory", "charter", "search", "explore", "about", "terms", "privacy", "help", "docs",
  "projects", "coops", "designs", "members", "timeline", "home", "feed", "tags", "new", "edit",
]);
