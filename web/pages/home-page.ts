import { html } from "hono/html";
import { Layout } from "../components/layout.ts";
import { DesignList, type DesignListItem } from "../components/designs/design-list.ts";
import { ProjectList, type ProjectListItem } from "../components/project-list.ts";
import type { PageContext } from "../page-context.ts";

export interface HomePageProps {
  readonly page: PageContext;
  readonly nodeName: string;
  readonly nodeDescription: string;
  readonly nodeHandle: string;
  readonly memberCount: number;
  /** The node's projects, newest first. */
  readonly projects?: readonly ProjectListItem[];
  /** The node's designs, newest first. */
  readonly designs?: readonly DesignListItem[];
}

/** The node's front page: who runs it and what it is for. */
export function HomePage(props: HomePageProps) {
  return Layout({
    title: props.nodeName,
    page: props.page,
    body: html`<section class="node-intro">
      <h1 class="node-name">${props.nodeName}</h1>
      <p class="node-description">${props.nodeDescription}</p>
      <p>Fediverse address of this node: <span class="handle">${props.nodeHandle}</span></p>
      <p class="node-stats">${props.memberCount} ${props.memberCount === 1 ? "member" : "members"}</p>
    </section>
    ${ProjectList(props.projects ?? [])}
    ${DesignList(props.designs ?? [])}`,
  });
}
