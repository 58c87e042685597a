/**
 * deploy/grafana/mami-dashboard.json: a dashboard current Grafana imports, whose every query reads
 * series Mami (or Node, or Prometheus) exports under the names in contract.ts, showing each of
 * Mami's metrics; and docs/deploy.md names them all. promtool, where installed, parses every
 * query as PromQL.
 */
import { describe, expect, it } from "vitest";
import { knownSeries, mamiMetrics, repositoryFile } from "./contract.js";
import { seriesNamesIn } from "./promql.js";
import { promtool, promtoolCheck } from "./promtool.js";

interface Target {
  readonly refId: string;
  readonly expr: string;
  readonly datasource?: { readonly type: string; readonly uid: string };
}

interface Panel {
  readonly id: number;
  readonly type: string;
  readonly title: string;
  readonly gridPos: { readonly x: number; readonly y: number; readonly w: number; readonly h: number };
  readonly datasource?: { readonly type: string; readonly uid: string };
  readonly targets?: readonly Target[];
  readonly panels?: readonly Panel[];
}

interface Variable {
  readonly name: string;
  readonly type: string;
  readonly query: string | { readonly query: string };
  readonly datasource?: { readonly type: string; readonly uid: string };
}

interface Dashboard {
  readonly uid: string;
  readonly title: string;
  readonly schemaVersion: number;
  readonly panels: readonly Panel[];
  readonly templating: { readonly list: readonly Variable[] };
}

const dashboard = JSON.parse(repositoryFile("deploy/grafana/mami-dashboard.json")) as Dashboard;
/** Rows may hold their panels inside them (collapsed rows); every panel, flat. */
const panels: Panel[] = dashboard.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]);
const queried = panels.flatMap((panel) => (panel.targets ?? []).map((target) => ({ panel, target })));
const variableQueries = dashboard.templating.list
  .filter((variable) => variable.type === "query")
  .map((variable) => ({ variable, expr: typeof variable.query === "string" ? variable.query : variable.query.query }));

/** A query with Grafana's variables replaced by what they become at run time, for promtool. */
function asPromql(expr: string): string {
  return expr.replaceAll("$__rate_interval", "5m").replaceAll("$__interval", "1m").replaceAll("$__range", "1h").replace(/\$\{?\w+\}?/g, ".*");
}

describe("the series-name reader the dashboard checks rely on", () => {
  it.each([
    ['sum by (kind) (rate(mami_replies_total{instance=~"$instance"}[$__rate_interval]))', ["mami_replies_total"]],
    ["histogram_quantile(0.99, sum by (le) (rate(mami_reply_seconds_bucket[5m])))", ["mami_reply_seconds_bucket"]],
    ['clamp_min(max by (model) (mami_model_cooldown_until_seconds{a="b,c"}) - time(), 0)', ["mami_model_cooldown_until_seconds"]],
    ["count(mami_adapter_connected == 0) or vector(0)", ["mami_adapter_connected"]],
    ["a / on (instance) group_left (x) b offset 5m > 1e3", ["a", "b"]],
    ['label_values(process_start_time_seconds{job=~"mami.*"}, instance)', ["process_start_time_seconds"]],
    ["nodejs_eventloop_lag_p99_seconds * 1000", ["nodejs_eventloop_lag_p99_seconds"]],
  ])("%s reads %j", (expression, names) => {
    expect(seriesNamesIn(expression).sort()).toEqual([...names].sort());
  });
});

describe("deploy/grafana/mami-dashboard.json", () => {
  it("is a dashboard Grafana 10 and later import: schema version, uid, title, panels", () => {
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
    expect(dashboard.uid).toMatch(/^[\w-]{1,40}$/);
    expect(dashboard.title).not.toBe("");
    expect(panels.length).toBeGreaterThan(10);
  });

  it("has unique panel ids, and panels inside the 24-column grid that do not overlap", () => {
    const ids = panels.map((panel) => panel.id);
    expect(new Set(ids).size).toBe(ids.length);
    const cells = new Map<string, string>();
    for (const panel of panels) {
      const { x, y, w, h } = panel.gridPos;
      expect(x >= 0 && w > 0 && x + w <= 24 && h > 0, `${panel.title} at ${JSON.stringify(panel.gridPos)}`).toBe(true);
      for (let row = y; row < y + h; row += 1) {
        for (let column = x; column < x + w; column += 1) {
          const taken = cells.get(`${column},${row}`);
          expect(taken, `${panel.title} overlaps ${taken ?? ""}`).toBeUndefined();
          cells.set(`${column},${row}`, panel.title);
        }
      }
    }
  });

  it("reads Prometheus through a data source variable, so that it works imported or provisioned", () => {
    const variable = dashboard.templating.list.find((candidate) => candidate.type === "datasource");
    expect(variable?.query).toBe("prometheus");
    const reference = `\${${variable!.name}}`;
    for (const { panel, target } of queried) {
      expect(target.datasource ?? panel.datasource, panel.title).toEqual({ type: "prometheus", uid: reference });
    }
    for (const panel of panels.filter((candidate) => candidate.type !== "row")) {
      const refIds = (panel.targets ?? []).map((target) => target.refId);
      expect(refIds.length, `${panel.title} has a query`).toBeGreaterThan(0);
      expect(new Set(refIds).size, panel.title).toBe(refIds.length);
    }
  });

  it("queries only series that Mami, Node's default metrics or Prometheus export", async () => {
    const known = await knownSeries();
    const expressions = [...queried.map(({ panel, target }) => ({ where: panel.title, expr: target.expr })), ...variableQueries.map(({ variable, expr }) => ({ where: `$${variable.name}`, expr }))];
    for (const { where, expr } of expressions) {
      const names = seriesNamesIn(expr);
      expect(names.length, `${where}: ${expr}`).toBeGreaterThan(0);
      for (const name of names) expect(known.has(name), `${where}: ${name}`).toBe(true);
    }
  });

  it("shows every one of Mami's metrics", () => {
    const read = new Set(queried.flatMap(({ target }) => seriesNamesIn(target.expr)).map((name) => name.replace(/_(bucket|sum|count)$/, "")));
    const unseen = Object.keys(mamiMetrics).filter((metric) => !read.has(metric));
    expect(unseen).toEqual([]);
  });

  it.skipIf(promtool === undefined)("has only queries promtool parses as PromQL", async () => {
    const expressions = [...queried.map(({ target }) => target.expr), ...variableQueries.map(({ expr }) => expr.replace(/^label_values\((.*),\s*\w+\)$/, "$1"))];
    const rules = { groups: [{ name: "dashboard", rules: expressions.map((expr, index) => ({ record: `dashboard:query_${index}`, expr: asPromql(expr) })) }] };
    const result = await promtoolCheck("rules", { "dashboard-queries.yml": JSON.stringify(rules, null, 2) }, "dashboard-queries.yml");
    expect(result.status, result.output).toBe(0);
  });
});

describe("docs/deploy.md", () => {
  it("names every one of Mami's metrics, as the dashboard does", () => {
    const docs = repositoryFile("docs/deploy.md");
    for (const metric of Object.keys(mamiMetrics)) expect(docs, metric).toContain(`\`${metric}`);
  });
});
